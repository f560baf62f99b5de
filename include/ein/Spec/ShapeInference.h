//===- ShapeInference.h - Result shapes of einsum specs ---------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Given a spec and its operands' shapes (static sizes or kDynamic), infers
// every label's size, the broadcast ellipsis shape and the result shape, and
// checks them: ranks, repeated labels (equal sizes within an operand), numpy's
// size-1 broadcasting between operands, ellipsis broadcasting, `_` axes and
// flattened groups (the axis is the product of its labels' sizes).
//
//===----------------------------------------------------------------------===//

#ifndef EIN_SPEC_SHAPEINFERENCE_H
#define EIN_SPEC_SHAPEINFERENCE_H

#include "ein/Spec/Spec.h"

#include "llvm/ADT/DenseMap.h"

#include <limits>

namespace mlir::ein {

/// A dynamic size; equal to mlir::ShapedType::kDynamic.
inline constexpr int64_t kDynamic = std::numeric_limits<int64_t>::min();

using Shape = llvm::SmallVector<int64_t, 4>;

struct ShapeInfo {
  /// Size of every label that occurs in the spec (kDynamic if unknown).
  llvm::DenseMap<Label, int64_t> labelSizes;
  /// The numpy broadcast of every operand's `...` dimensions.
  Shape ellipsisShape;
  /// The result's shape.
  Shape resultShape;

  int64_t getLabelSize(Label label) const {
    auto it = labelSizes.find(label);
    return it == labelSizes.end() ? kDynamic : it->second;
  }
};

/// Infers shapes. `resultShape`, when given, only supplies sizes that the
/// operands cannot determine (labels that occur only inside flattened groups,
/// e.g. `(ij)->ij`); comparing the inferred result against a declared one is
/// the caller's job.
llvm::Expected<ShapeInfo>
inferShapes(const Spec &spec, llvm::ArrayRef<Shape> operandShapes,
            std::optional<llvm::ArrayRef<int64_t>> resultShape = std::nullopt);

/// Writes a shape as `2x?x4` (`scalar` for rank 0).
std::string shapeToString(llvm::ArrayRef<int64_t> shape);

} // namespace mlir::ein

#endif // EIN_SPEC_SHAPEINFERENCE_H
