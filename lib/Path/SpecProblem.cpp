//===- SpecProblem.cpp - Path problems from einsum specs ------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Path/SpecProblem.h"

using namespace mlir::ein;
using namespace mlir::ein::path;

/// The labels of `term`; `...` stands for the last `rank` ellipsis labels.
static llvm::SmallVector<LabelId, 4> termLabels(const Term &term,
                                                unsigned ellipsisRank,
                                                unsigned rank) {
  llvm::SmallVector<LabelId, 4> labels;
  for (const Axis &axis : term.axes) {
    if (axis.isEllipsis()) {
      for (unsigned d = ellipsisRank - rank; d < ellipsisRank; ++d)
        labels.push_back(kFirstEllipsisLabel + d);
      continue;
    }
    labels.append(axis.labels.begin(), axis.labels.end());
  }
  return labels;
}

llvm::Expected<Problem> path::problemFromSpec(const Spec &spec,
                                              llvm::ArrayRef<Shape> shapes,
                                              double dynamicSize) {
  llvm::Expected<ShapeInfo> info = inferShapes(spec, shapes);
  if (!info)
    return info.takeError();
  unsigned ellipsisRank = info->ellipsisShape.size();
  Problem problem;
  for (auto [term, shape] : llvm::zip(spec.inputs, shapes)) {
    unsigned rank = term.hasEllipsis() ? shape.size() - term.numFixedAxes() : 0;
    problem.inputs.push_back(termLabels(term, ellipsisRank, rank));
  }
  problem.output = termLabels(spec.output, ellipsisRank, ellipsisRank);
  auto sizeOf = [&](int64_t size) {
    return size == kDynamic ? dynamicSize : double(size);
  };
  for (auto [label, size] : info->labelSizes)
    problem.sizes.push_back({label, sizeOf(size)});
  for (unsigned d = 0; d < ellipsisRank; ++d)
    problem.sizes.push_back(
        {kFirstEllipsisLabel + d, sizeOf(info->ellipsisShape[d])});
  return problem;
}
