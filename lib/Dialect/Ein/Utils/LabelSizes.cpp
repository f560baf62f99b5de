//===- LabelSizes.cpp - Sizes of a contraction's labels as values ---------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/Utils/LabelSizes.h"
#include "ein/Spec/SpecError.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::ein;

FailureOr<LabelSizes> LabelSizes::get(ContractOp op) {
  SmallVector<Shape> shapes;
  for (Type type : op.getInputs().getTypes()) {
    ArrayRef<int64_t> shape = cast<RankedTensorType>(type).getShape();
    shapes.emplace_back(shape.begin(), shape.end());
  }
  llvm::Expected<ShapeInfo> info =
      inferShapes(op.getSpec().getValue(), shapes,
                  cast<RankedTensorType>(op.getType()).getShape());
  if (!info) {
    op.emitRemark() << takeErrorMessage(info.takeError());
    return failure();
  }
  return LabelSizes(op, std::move(*info));
}

bool LabelSizes::isBroadcast(unsigned operand, unsigned axis) const {
  const Term &term = op.getSpec().getInput(operand);
  const Axis &a = term.axes[axis];
  if (!a.isLabel())
    return false;
  auto type = cast<RankedTensorType>(op.getInputs()[operand].getType());
  return type.getDimSize(axis) == 1 && getStaticSize(a.labels.front()) != 1;
}

std::optional<std::pair<unsigned, unsigned>>
LabelSizes::findPlainAxis(Label label) const {
  const Spec &spec = op.getSpec().getValue();
  for (auto [k, term] : llvm::enumerate(spec.inputs)) {
    if (term.hasEllipsis())
      continue;
    for (auto [axis, a] : llvm::enumerate(term.axes))
      if (a.isLabel() && a.labels.front() == label && !isBroadcast(k, axis))
        return std::make_pair(unsigned(k), unsigned(axis));
  }
  return std::nullopt;
}

FailureOr<OpFoldResult> LabelSizes::getSize(OpBuilder &b, Location loc,
                                            Label label) {
  int64_t size = getStaticSize(label);
  if (!ShapedType::isDynamic(size))
    return OpFoldResult(b.getIndexAttr(size));
  FailureOr<Value> value = getSizeValue(b, loc, label);
  if (failed(value))
    return failure();
  return OpFoldResult(*value);
}

FailureOr<Value> LabelSizes::getSizeValue(OpBuilder &b, Location loc,
                                          Label label) {
  if (Value cached = cache.lookup(label))
    return cached;
  int64_t size = getStaticSize(label);
  Value result;
  if (!ShapedType::isDynamic(size)) {
    result = arith::ConstantIndexOp::create(b, loc, size);
  } else if (auto plain = findPlainAxis(label)) {
    result = tensor::DimOp::create(b, loc, op.getInputs()[plain->first],
                                   plain->second);
  } else {
    // A group's size divided by its other labels' sizes, where those are
    // known without a group (no recursion through groups).
    const Spec &spec = op.getSpec().getValue();
    for (auto [k, term] : llvm::enumerate(spec.inputs)) {
      if (result || term.hasEllipsis())
        break;
      for (auto [axis, a] : llvm::enumerate(term.axes)) {
        if (!a.isGroup() || !llvm::is_contained(a.labels, label) ||
            llvm::any_of(a.labels, [&](Label other) {
              return other != label &&
                     ShapedType::isDynamic(getStaticSize(other)) &&
                     !findPlainAxis(other);
            }))
          continue;
        result = tensor::DimOp::create(b, loc, op.getInputs()[k], axis);
        for (Label other : a.labels)
          if (other != label)
            result = arith::DivUIOp::create(b, loc, result,
                                            *getSizeValue(b, loc, other));
        break;
      }
    }
    if (!result)
      return failure();
  }
  cache[label] = result;
  return result;
}
