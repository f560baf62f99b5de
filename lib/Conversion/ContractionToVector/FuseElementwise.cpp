//===- FuseElementwise.cpp - The ein-fuse-elementwise pass ----------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// MLIR's elementwise fusion, limited to the fusions ein's CPU kernels gain
// from: chains of elementwise ops, and elementwise producers of sums whose
// inputs are aligned (which VectorSums.cpp runs as one vectorized sum of
// terms); then elementwise siblings that read an input alike become one op
// (MergeSiblingMaps.cpp).
//
//===----------------------------------------------------------------------===//

#include "MergeSiblingMaps.h"

#include "ein/Conversion/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::ein {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "ein/Conversion/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;

/// Ops that read `value` (an init operand whose value the body ignores is
/// not a read).
static unsigned readers(Value value) {
  unsigned count = 0;
  for (OpOperand &use : value.getUses()) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(use.getOwner());
    if (linalgOp && linalgOp.isDpsInit(&use) &&
        !linalgOp.payloadUsesValueFromOperand(&use))
      continue;
    ++count;
  }
  return count;
}

/// A sum whose inputs all read every output loop: one input, or products
/// like ij,ij->i. (A sum with a loop that some input does not read, such as
/// ij,jk->ik or i,ij->j, is a GEMM or matrix-vector product with a kernel
/// of its own, which a fused body would lose.)
static bool isSumOfAligned(linalg::GenericOp op) {
  for (unsigned d = 0, e = op.getNumLoops(); d < e; ++d) {
    if (op.getIteratorTypesArray()[d] != utils::IteratorType::parallel)
      continue;
    for (OpOperand *input : op.getDpsInputOperands())
      if (!op.getMatchingIndexingMap(input).isFunctionOfDim(d))
        return false;
  }
  return true;
}

static bool shouldFuse(OpOperand *operand) {
  auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
  auto consumer = dyn_cast<linalg::GenericOp>(operand->getOwner());
  if (!producer || !consumer || readers(operand->get()) != 1)
    return false;
  return consumer.getNumReductionLoops() == 0 || isSumOfAligned(consumer);
}

namespace {
struct FuseElementwisePass
    : ein::impl::FuseElementwiseBase<FuseElementwisePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns, shouldFuse);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    ein::mergeSiblingMaps(getOperation());
  }
};
} // namespace
