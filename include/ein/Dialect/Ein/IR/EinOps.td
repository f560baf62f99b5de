//===- EinOps.td - ein dialect operations ------------------*- tablegen -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_IR_EINOPS_TD
#define EIN_DIALECT_EIN_IR_EINOPS_TD

include "ein/Dialect/Ein/IR/EinBase.td"
include "ein/Dialect/Ein/IR/EinAttrs.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "ein/Dialect/Ein/IR/DifferentiableOpInterface.td"

def Ein_ContractOp : Ein_Op<"contract", [Pure,
    DeclareOpInterfaceMethods<Ein_DifferentiableOpInterface>]> {
  let summary = "n-ary einsum contraction";
  let description = [{
    Contracts its operands as the einsum specification says. With input
    terms `T_1, ..., T_n` and output term `T_0`:

    `result[T_0] = sum over labels not in T_0 of  x_1[T_1] * ... * x_n[T_n]`

    - a label repeated in one input reads that input's diagonal (`ii->i`,
      `ii->` is the trace);
    - a label repeated in the output embeds a diagonal, zero elsewhere
      (`i->ii`); every output label must then repeat equally;
    - `...` stands for broadcast leading dimensions (numpy semantics);
    - `(ij)` is one axis, the row-major flattening of `i` and `j`, and its
      size is the product of theirs;
    - `_` is an axis of size 1 (dropped in inputs, added in outputs);
    - a dimension of size 1 broadcasts against the label's size in another
      operand;
    - a rank-0 operand is an empty term (`,ij->ij` scales by a scalar).

    Dynamic dimensions are allowed. The verifier checks the operand count,
    each operand's rank against its term, that every label has one size,
    that operands and result share one element type, and that the result
    type is the one inferred from the spec and the operand types.

    The types may be written with or without parentheses around the operand
    types; they are printed without.

    ```mlir
    %r = ein.contract "bij,bjk->bik" %a, %b
        : tensor<2x3x4xf32>, tensor<2x4x5xf32> -> tensor<2x3x5xf32>
    %t = ein.contract "ii->" %m : tensor<?x?xf64> -> tensor<f64>
    ```
  }];

  let arguments = (ins Ein_SpecAttr:$spec, Variadic<Ein_Tensor>:$inputs);
  let results = (outs Ein_Tensor:$result);

  let assemblyFormat = [{
    custom<SpecText>($spec) $inputs attr-dict `:`
    custom<OperandTypes>(type($inputs)) `->` type($result)
  }];

  let builders = [
    // Builds the contraction with its result type inferred from `spec` and
    // the operand types (every result dimension must be determined by them).
    OpBuilder<(ins "::mlir::ein::SpecAttr":$spec, "::mlir::ValueRange":$inputs)>
  ];

  let hasVerifier = 1;
  let hasFolder = 1;

  let extraClassDeclaration = [{
    /// The result type `spec` gives for `inputs`, or an error message.
    static ::mlir::FailureOr<::mlir::RankedTensorType>
    inferResultType(::mlir::ein::SpecAttr spec, ::mlir::TypeRange inputs,
                    std::string *error = nullptr);
  }];
}

def Ein_AddOp : Ein_Op<"add", [Pure, Commutative,
    DeclareOpInterfaceMethods<Ein_DifferentiableOpInterface>]> {
  let summary = "n-ary elementwise sum of tensors of one type";
  let description = [{
    `result = x_1 + ... + x_n` elementwise; every operand has the result's
    type. Used for multi-term expressions and for accumulating cotangents.
    A one-operand sum folds to its operand.

    ```mlir
    %s = ein.add %a, %b, %c : tensor<3x4xf32>
    ```
  }];

  let arguments = (ins Variadic<Ein_Tensor>:$inputs);
  let results = (outs Ein_Tensor:$result);

  let assemblyFormat = [{
    $inputs attr-dict `:` custom<SameTypes>(ref($inputs), type($inputs),
                                            type($result))
  }];

  let hasVerifier = 1;
  let hasFolder = 1;
}

def Ein_GradOp : Ein_Op<"grad", [Pure, AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "eingrad: a contraction with a derivative tensor";
  let description = [{
    The spec has one term `Y%X`: the derivative tensor
    `D[y..., x...] = dY[y...] / dX[x...]` of the function call written in that
    operand position, `Y = @f(args)`, with respect to argument `wrt` (`X`,
    default 0). `D` is contracted with the other operands like any operand.

    ```mlir
    // vector-Jacobian product z . dy/dx
    %g = ein.grad "i,i%j->j" %z, @f(%x, %w) wrt 0
        : (tensor<3xf64>, tensor<4xf64>, tensor<3x4xf64>) -> tensor<4xf64>
    // full Jacobian
    %j = ein.grad "i%j->ij" @f(%x, %w)
        : (tensor<4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>
    ```

    The types are those of the operands in the order written (the call's
    arguments in place of the call); the parentheses may be omitted. Rank-0
    terms may be left out together (they are then 1), so
    `ein.grad ",%j->j" @f(%x)` is the gradient of a scalar function. `@f` is a
    `func.func` with one ranked-tensor result. The verifier checks that there
    is exactly one `%`, that the call stands in the `Y%X` term's position, that
    the callee exists and takes the arguments' types, that the term has as
    many labels before `%` as Y's rank and after it as X's rank, that label
    sizes agree, and that the result type is the inferred one.
  }];

  let arguments = (ins Ein_SpecAttr:$spec, FlatSymbolRefAttr:$callee,
                       DefaultValuedAttr<I64Attr, "0">:$wrt,
                       Variadic<Ein_Tensor>:$inputs,
                       Variadic<AnyType>:$args);
  let results = (outs Ein_Tensor:$result);

  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// The position of the `Y%X` term among the spec's operands.
    unsigned getDerivativeIndex();
    /// One value per spec term: the operand, or null for the `Y%X` term and
    /// for rank-0 terms left out (which stand for 1).
    ::llvm::SmallVector<::mlir::Value> getTermInputs();
  }];
}

#endif // EIN_DIALECT_EIN_IR_EINOPS_TD
