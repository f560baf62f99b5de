//===- CollapseLoops.cpp - Merge loops every operand reads contiguously ---===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "CollapseLoops.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::ein;

/// True if loops d and d + 1 can be one loop for `operand`: it reads
/// neither, or both as adjacent dimensions p, p + 1 with
/// stride[p] == size[p + 1] * stride[p + 1], all static.
static bool mergeable(linalg::LinalgOp op, OpOperand &operand, unsigned d) {
  AffineMap map = op.getMatchingIndexingMap(&operand);
  std::optional<unsigned> p = map.getResultPosition(getAffineDimExpr(d, op.getContext()));
  std::optional<unsigned> q =
      map.getResultPosition(getAffineDimExpr(d + 1, op.getContext()));
  if (!p && !q)
    return true;
  if (!p || !q || *q != *p + 1)
    return false;
  auto type = dyn_cast<MemRefType>(operand.get().getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!type || failed(type.getStridesAndOffset(strides, offset)))
    return false;
  int64_t size = type.getDimSize(*q);
  return !ShapedType::isDynamic(strides[*p]) &&
         !ShapedType::isDynamic(strides[*q]) && !ShapedType::isDynamic(size) &&
         strides[*p] == size * strides[*q];
}

FailureOr<linalg::LinalgOp>
mlir::ein::collapseContiguousLoops(RewriterBase &rewriter, linalg::LinalgOp op) {
  if (!isa<linalg::GenericOp>(op.getOperation()) ||
      !op.hasPureBufferSemantics() || op.hasIndexSemantics())
    return failure();
  for (AffineMap map : op.getIndexingMapsArray())
    if (!map.isProjectedPermutation())
      return failure();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<ReassociationIndices> runs;
  unsigned numLoops = op.getNumLoops();
  for (unsigned d = 0; d < numLoops;) {
    ReassociationIndices run = {int64_t(d)};
    while (d + 1 < numLoops && iterators[d] == iterators[d + 1] &&
           llvm::all_of(op->getOpOperands(), [&](OpOperand &operand) {
             return mergeable(op, operand, d);
           }))
      run.push_back(++d);
    ++d;
    if (run.size() > 1)
      runs.push_back(run);
  }
  if (runs.empty() ||
      !linalg::areDimSequencesPreserved(op.getIndexingMapsArray(), runs))
    return failure();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::CollapseResult> collapsed =
      linalg::collapseOpIterationDims(op, runs, rewriter);
  if (failed(collapsed))
    return failure();
  rewriter.eraseOp(op);
  return collapsed->collapsedOp;
}
