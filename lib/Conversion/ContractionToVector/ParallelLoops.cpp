//===- ParallelLoops.cpp - Large memory-bound linalg ops on threads -------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// What no kernel covers (outer products, elementwise ops, transposed copies,
// diagonal embeddings, broadcasts) becomes loops; when such an op is large
// and its outermost loop is parallel, that loop becomes an scf.parallel (so
// OpenMP splits it), the inner loops staying plain scf.for that LLVM can
// vectorize.
//
//===----------------------------------------------------------------------===//

#include "ein/Conversion/ContractionToVector/ContractionToVector.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::ein;

LogicalResult mlir::ein::parallelizeOuterLoop(RewriterBase &rewriter,
                                              linalg::LinalgOp op,
                                              int64_t minIterations) {
  if (!op.hasPureBufferSemantics() || op.getNumLoops() == 0 ||
      op.getIteratorTypesArray().front() != utils::IteratorType::parallel)
    return failure();
  int64_t iterations = 1;
  for (int64_t size : op.getStaticLoopRanges()) {
    if (ShapedType::isDynamic(size))
      return failure();
    iterations *= size;
  }
  if (iterations < minIterations)
    return failure();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::LinalgLoops> loops = linalg::linalgOpToLoops(rewriter, op);
  if (failed(loops) || loops->empty())
    return failure();
  rewriter.eraseOp(op);
  auto outer = dyn_cast<scf::ForOp>(loops->front());
  if (!outer || outer.getNumRegionIterArgs() != 0)
    return success(); // lowered serially; still correct
  rewriter.setInsertionPoint(outer);
  auto par = scf::ParallelOp::create(
      rewriter, outer.getLoc(), ValueRange{outer.getLowerBound()},
      ValueRange{outer.getUpperBound()}, ValueRange{outer.getStep()});
  Block *body = par.getBody();
  rewriter.eraseOp(body->getTerminator());
  Block *from = outer.getBody();
  rewriter.eraseOp(from->getTerminator());
  rewriter.inlineBlockBefore(from, body, body->end(),
                             ValueRange{par.getInductionVars()[0]});
  rewriter.setInsertionPointToEnd(body);
  scf::ReduceOp::create(rewriter, outer.getLoc());
  rewriter.eraseOp(outer);
  return success();
}
