//===- Passes.td - ein conversion passes -------------------*- tablegen -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_CONVERSION_PASSES_TD
#define EIN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertEinToLinalg : Pass<"convert-ein-to-linalg"> {
  let summary = "Lower ein.contract and ein.add to linalg";
  let description = [{
    Rewrites every `ein.contract` into linalg on tensors. Flattened groups,
    `...` and `_` axes are first expanded into plain labels and tensor
    reshapes (the patterns of `ein-expand-groups`). Then, with one loop per
    distinct label:

    - a binary contraction whose labels are all distinct within each operand,
      that broadcasts no size-1 dimension and whose output repeats no label
      becomes `linalg.contract`;
    - everything else becomes a `linalg.generic`: a repeated input label
      indexes the operand's diagonal (`(d0) -> (d0, d0)`), a broadcast size-1
      dimension is indexed by the constant 0, a rank-0 operand by `() `, labels
      absent from the output are reduction loops over a zero-filled init;
    - a repeated output label (diagonal embedding) adds a second
      `linalg.generic` that writes the contracted values on the diagonal
      (`linalg.index` equality) and zero elsewhere.

    Dynamic dimensions do not broadcast: where a label occurs in several
    operands with a dynamic size, a `cf.assert` checks at run time that the
    sizes agree.

    `ein.add` becomes an elementwise `linalg.generic`. Only floating-point
    element types are lowered.

    ```mlir
    %r = ein.contract "ij,jk->ik" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
    // becomes
    %e = tensor.empty() : tensor<3x5xf32>
    %z = linalg.fill ins(%cst : f32) outs(%e : tensor<3x5xf32>) -> tensor<3x5xf32>
    %r = linalg.contract indexing_maps = [...] ins(%a, %b : ...) outs(%z : ...) -> tensor<3x5xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // EIN_CONVERSION_PASSES_TD
