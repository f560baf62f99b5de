//===- Contraction.cpp - Builders of derivative contractions --------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "Differentiator.h"

#include "ein/Dialect/Ein/IR/EinOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::ein;

SmallVector<OpFoldResult> mlir::ein::tensorSizes(OpBuilder &builder,
                                                 Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<OpFoldResult> sizes;
  for (auto [i, size] : llvm::enumerate(type.getShape()))
    sizes.push_back(ShapedType::isDynamic(size)
                        ? OpFoldResult(tensor::DimOp::create(
                                           builder, loc, tensor, int64_t(i))
                                           .getResult())
                        : OpFoldResult(builder.getIndexAttr(size)));
  return sizes;
}

Value mlir::ein::buildFilled(OpBuilder &builder, Location loc,
                             ArrayRef<OpFoldResult> sizes, Type elementType,
                             double value) {
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamic;
  dispatchIndexOpFoldResults(sizes, dynamic, shape);
  auto type = RankedTensorType::get(shape, elementType);
  TypedAttr scalar = builder.getFloatAttr(elementType, value);
  if (dynamic.empty())
    return arith::ConstantOp::create(
        builder, loc, DenseElementsAttr::get(type, ArrayRef<Attribute>(scalar)));
  Value empty = tensor::EmptyOp::create(builder, loc, sizes, elementType);
  Value fill = arith::ConstantOp::create(builder, loc, scalar);
  return linalg::FillOp::create(builder, loc, ValueRange{fill},
                                ValueRange{empty})
      .getResult(0);
}

/// True if static size 1 is a broadcast of `label` in `inputs` (some input
/// has it with another or an unknown size).
static bool isBroadcastLabel(ArrayRef<LabeledValue> inputs, Label label) {
  for (const LabeledValue &input : inputs) {
    auto shape = cast<RankedTensorType>(input.value.getType()).getShape();
    for (auto [axis, l] : llvm::enumerate(input.labels))
      if (l == label && shape[axis] != 1)
        return true;
  }
  return false;
}

static bool hasLabel(ArrayRef<LabeledValue> inputs, Label label) {
  return llvm::any_of(inputs, [&](const LabeledValue &input) {
    return llvm::is_contained(input.labels, label);
  });
}

Value mlir::ein::buildLabeledContraction(OpBuilder &builder, Location loc,
                                         ArrayRef<LabeledValue> inputsIn,
                                         ArrayRef<Label> output,
                                         ArrayRef<OpFoldResult> outputSizes,
                                         Type elementType) {
  SmallVector<LabeledValue> inputs(inputsIn);
  SmallVector<Label> used(output);
  for (const LabeledValue &input : inputs)
    llvm::append_range(used, input.labels);

  auto fresh = [&]() {
    Label l = (*freshLabels(used, 1)).front();
    used.push_back(l);
    return l;
  };
  auto identity = [&](OpFoldResult size) {
    Value ones = buildFilled(builder, loc, {size}, elementType, 1.0);
    Spec spec;
    spec.inputs.push_back(Term{{Axis::label(0)}, std::nullopt});
    spec.output = Term{{Axis::label(0), Axis::label(0)}, std::nullopt};
    auto attr = SpecAttr::get(builder.getContext(), spec);
    auto type = *ContractOp::inferResultType(attr, TypeRange{ones.getType()});
    return ContractOp::create(builder, loc, type, attr, ValueRange{ones})
        .getResult();
  };

  // Output axes: a label, or nullopt for a unit axis. Repeats first (their
  // identities provide the label), then labels no input has.
  SmallVector<std::optional<Label>> axes;
  llvm::SmallDenseSet<Label, 8> seen;
  for (auto [label, size] : llvm::zip_equal(output, outputSizes)) {
    if (seen.contains(label)) {
      Label copy = fresh();
      inputs.push_back({identity(size), {label, copy}});
      axes.push_back(copy);
      continue;
    }
    std::optional<int64_t> staticSize = getConstantIntValue(size);
    if (staticSize == 1 && isBroadcastLabel(inputs, label)) {
      axes.push_back(std::nullopt);
      continue;
    }
    seen.insert(label);
    axes.push_back(label);
  }
  SmallVector<OpFoldResult> constantSizes;
  LabeledValue ones;
  for (auto [axis, size] : llvm::zip_equal(axes, outputSizes))
    if (axis && !hasLabel(inputs, *axis)) {
      ones.labels.push_back(*axis);
      constantSizes.push_back(size);
    }
  if (!ones.labels.empty() || inputs.empty()) {
    ones.value = buildFilled(builder, loc, constantSizes, elementType, 1.0);
    inputs.push_back(ones);
  }

  Spec spec;
  SmallVector<Value> values;
  for (const LabeledValue &input : inputs) {
    Term term;
    for (Label l : input.labels)
      term.axes.push_back(Axis::label(l));
    spec.inputs.push_back(term);
    values.push_back(input.value);
  }
  for (std::optional<Label> axis : axes)
    spec.output.axes.push_back(axis ? Axis::label(*axis) : Axis::unit());
  if (spec.isIdentity())
    return values.front();
  auto attr = SpecAttr::get(builder.getContext(), spec);
  auto type = *ContractOp::inferResultType(attr, TypeRange(ValueRange(values)));
  return ContractOp::create(builder, loc, type, attr, values).getResult();
}
