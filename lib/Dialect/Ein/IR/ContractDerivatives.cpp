//===- ContractDerivatives.cpp - VJP and JVP of ein.contract, ein.add -----===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
// The adjoint of a contraction is a contraction: the cotangent takes the
// differentiated operand's place, and the output is that operand's term
// (repeated labels become identities, labels only that operand has become a
// broadcast, size-1 broadcast axes are summed back; DiffContext::contract
// does all three). Tangents go the other way: each active operand's tangent
// in its place, summed over operands.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/IR/EinOps.h"

using namespace mlir;
using namespace mlir::ein;

/// The labels of a plain term.
static SmallVector<Label> plainLabels(const Term &term) {
  SmallVector<Label> labels;
  for (const Axis &axis : term.axes)
    labels.push_back(axis.labels.front());
  return labels;
}

/// Labels for the batch dimensions of (co)tangents, distinct from `spec`'s.
static FailureOr<SmallVector<Label>> batchLabels(Operation *op,
                                                 const Spec &spec,
                                                 DiffContext &context) {
  if (spec.hasReshapes()) {
    op->emitError("expected plain labels to differentiate '")
        << toString(spec) << "' (run ein-expand-groups first)";
    return failure();
  }
  SmallVector<Label> used;
  for (const Term &term : spec.inputs)
    llvm::append_range(used, plainLabels(term));
  auto labels = freshLabels(used, context.getBatchRank());
  if (failed(labels))
    op->emitError("expected at most ")
        << kNumTextLabels << " labels in '" << toString(spec)
        << "' and its " << context.getBatchRank()
        << " batch dimension(s) to differentiate it";
  return labels;
}

static SmallVector<Label> concat(ArrayRef<Label> a, ArrayRef<Label> b) {
  SmallVector<Label> result(a);
  llvm::append_range(result, b);
  return result;
}

LogicalResult ContractOp::buildVJP(OpBuilder &builder, DiffContext &context) {
  Value cotangent = context.getCotangent(getResult());
  if (!cotangent)
    return success();
  const Spec &spec = getSpec().getValue();
  FailureOr<SmallVector<Label>> batch = batchLabels(*this, spec, context);
  if (failed(batch))
    return failure();
  Type elementType = getType().getElementType();
  for (auto [k, operand] : llvm::enumerate(getInputs())) {
    if (!context.isActive(operand))
      continue;
    SmallVector<LabeledValue> inputs;
    inputs.push_back({cotangent, concat(*batch, plainLabels(spec.output))});
    for (auto [j, other] : llvm::enumerate(getInputs()))
      if (j != k)
        inputs.push_back({other, plainLabels(spec.inputs[j])});
    SmallVector<OpFoldResult> sizes(context.getBatchSizes());
    llvm::append_range(sizes, context.getSizes(builder, getLoc(), operand));
    Value adjoint = context.contract(
        builder, getLoc(), inputs, concat(*batch, plainLabels(spec.inputs[k])),
        sizes, elementType);
    context.addCotangent(operand, adjoint);
  }
  return success();
}

LogicalResult ContractOp::buildJVP(OpBuilder &builder, DiffContext &context) {
  const Spec &spec = getSpec().getValue();
  FailureOr<SmallVector<Label>> batch = batchLabels(*this, spec, context);
  if (failed(batch))
    return failure();
  SmallVector<OpFoldResult> sizes(context.getBatchSizes());
  llvm::append_range(sizes, context.getSizes(builder, getLoc(), getResult()));
  SmallVector<Value> terms;
  for (auto [k, operand] : llvm::enumerate(getInputs())) {
    Value tangent = context.getTangent(operand);
    if (!tangent)
      continue;
    SmallVector<LabeledValue> inputs;
    for (auto [j, other] : llvm::enumerate(getInputs()))
      inputs.push_back(j == k ? LabeledValue{tangent,
                                             concat(*batch, plainLabels(
                                                                spec.inputs[j]))}
                              : LabeledValue{other,
                                             plainLabels(spec.inputs[j])});
    terms.push_back(context.contract(builder, getLoc(), inputs,
                                     concat(*batch, plainLabels(spec.output)),
                                     sizes, getType().getElementType()));
  }
  context.setTangent(getResult(), context.sum(builder, getLoc(), terms));
  return success();
}

LogicalResult AddOp::buildVJP(OpBuilder &, DiffContext &context) {
  if (Value cotangent = context.getCotangent(getResult()))
    for (Value operand : getInputs())
      context.addCotangent(operand, cotangent);
  return success();
}

LogicalResult AddOp::buildJVP(OpBuilder &builder, DiffContext &context) {
  SmallVector<Value> tangents;
  for (Value operand : getInputs())
    tangents.push_back(context.getTangent(operand));
  context.setTangent(getResult(), context.sum(builder, getLoc(), tangents));
  return success();
}
