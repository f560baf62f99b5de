//===- DifferentiableOpInterface.cpp - derivative rules -------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/IR/DifferentiableOpInterface.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using namespace mlir::ein;

#include "ein/Dialect/Ein/IR/DifferentiableOpInterface.cpp.inc"

DiffContext::~DiffContext() = default;

RankedTensorType DiffContext::getBatchedType(Type primal) const {
  SmallVector<int64_t> shape;
  for (OpFoldResult size : getBatchSizes())
    shape.push_back(getConstantIntValue(size).value_or(ShapedType::kDynamic));
  Type element = primal;
  if (auto tensor = dyn_cast<RankedTensorType>(primal)) {
    llvm::append_range(shape, tensor.getShape());
    element = tensor.getElementType();
  }
  return RankedTensorType::get(shape, element);
}

FailureOr<SmallVector<Label>> mlir::ein::freshLabels(ArrayRef<Label> used,
                                                     unsigned count) {
  llvm::SmallDenseSet<Label, 16> taken(used.begin(), used.end());
  SmallVector<Label> result;
  // Lower-case letters first: they read best in printed specs.
  for (Label l = 26; result.size() < count && l < kNumTextLabels; ++l)
    if (!taken.contains(l))
      result.push_back(l);
  for (Label l = 0; result.size() < count && l < 26; ++l)
    if (!taken.contains(l))
      result.push_back(l);
  if (result.size() < count)
    return failure();
  return result;
}
