//===- DifferentiableOpInterface.td - derivative rules -----*- tablegen -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_IR_DIFFERENTIABLEOPINTERFACE_TD
#define EIN_DIALECT_EIN_IR_DIFFERENTIABLEOPINTERFACE_TD

include "mlir/IR/OpBase.td"

def Ein_DifferentiableOpInterface : OpInterface<"DifferentiableOpInterface"> {
  let cppNamespace = "::mlir::ein";
  let description = [{
    The derivative rules of an op, used by `ein-differentiate`.

    Both rules see the op itself as the primal: its operands and results are
    the forward values. Tangents and cotangents have the primal's shape with
    `context.getBatchRank()` leading batch dimensions (Jacobians and batched
    gradients are computed as one pass over a batch, not a loop). Zero
    (co)tangents are null values; the context accumulates cotangents, so a
    rule only adds contributions.

    - `buildVJP` (reverse mode): reads the cotangents of the op's results
      (`context.getCotangent`) and adds those of its active operands
      (`context.addCotangent`).
    - `buildJVP` (forward mode): reads the tangents of the op's operands
      (`context.getTangent`) and sets those of its results
      (`context.setTangent`).

    A rule that cannot differentiate the op (e.g. `math.powf` with respect to
    its exponent) emits an error on the op and fails.
  }];

  let methods = [
    InterfaceMethod<
      "Adds the cotangents of the operands (reverse mode).",
      "::llvm::LogicalResult", "buildVJP",
      (ins "::mlir::OpBuilder &":$builder,
           "::mlir::ein::DiffContext &":$context)>,
    InterfaceMethod<
      "Sets the tangents of the results (forward mode).",
      "::llvm::LogicalResult", "buildJVP",
      (ins "::mlir::OpBuilder &":$builder,
           "::mlir::ein::DiffContext &":$context)>,
  ];
}

#endif // EIN_DIALECT_EIN_IR_DIFFERENTIABLEOPINTERFACE_TD
