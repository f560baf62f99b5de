//===- EinBase.td - ein dialect definition -----------------*- tablegen -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_IR_EINBASE_TD
#define EIN_DIALECT_EIN_IR_EINBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Ein_Dialect : Dialect {
  let name = "ein";
  let cppNamespace = "::mlir::ein";
  let summary = "Differentiable einsum: n-ary contractions in einsum notation";
  let description = [{
    The `ein` dialect expresses tensor contractions in einsum notation on
    builtin ranked tensors with value semantics. `ein.contract` is an n-ary
    einsum whose specification is a structured attribute (integer labels per
    operand and result) written as einsum text; `ein.add` is an n-ary sum.
    Elementwise math and reshapes use the upstream `arith`, `math` and
    `tensor` dialects.

    ```mlir
    %r = ein.contract "bij,bjk,bkl->bil" %a, %b, %c
        : tensor<8x16x32xf32>, tensor<8x32x64xf32>, tensor<8x64x16xf32>
        -> tensor<8x16x16xf32>
    ```
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 0;
}

class Ein_Op<string mnemonic, list<Trait> traits = []>
    : Op<Ein_Dialect, mnemonic, traits>;

class Ein_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Ein_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

/// Element types ein computes in.
def Ein_ElementType : AnyTypeOf<[AnyFloat, AnyComplex]>;
def Ein_Tensor : RankedTensorOf<[Ein_ElementType]>;

#endif // EIN_DIALECT_EIN_IR_EINBASE_TD
