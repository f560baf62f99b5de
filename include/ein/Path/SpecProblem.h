//===- SpecProblem.h - Path problems from einsum specs ----------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Builds the path problem of an einsum spec and operand shapes, as
// opt_einsum sees it: `...` dimensions become labels of their own
// (right-aligned, broadcast), group and `_` axes are resolved to their
// labels, size-1 broadcasting takes the larger size, and dynamic sizes are
// assumed to be `dynamicSize`.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_PATH_SPECPROBLEM_H
#define EIN_PATH_SPECPROBLEM_H

#include "ein/Path/Path.h"
#include "ein/Spec/ShapeInference.h"
#include "ein/Spec/Spec.h"

namespace mlir::ein::path {

/// Labels for `...` dimensions start here (text labels are below 52).
inline constexpr LabelId kFirstEllipsisLabel = 1 << 20;

llvm::Expected<Problem> problemFromSpec(const Spec &spec,
                                        llvm::ArrayRef<Shape> shapes,
                                        double dynamicSize = 64);

} // namespace mlir::ein::path

#endif // EIN_PATH_SPECPROBLEM_H
