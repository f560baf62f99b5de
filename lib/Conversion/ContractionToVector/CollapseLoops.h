//===- CollapseLoops.h - Merge loops every operand reads contiguously -*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_COLLAPSELOOPS_H
#define EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_COLLAPSELOOPS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::ein {

/// Merges each run of adjacent loops of `op` (a linalg.generic on buffers
/// without linalg.index) that have the same iterator type and that every
/// operand reads as adjacent dimensions, in order, laid out contiguously
/// (static strides), into one loop over collapsed views: `ijk->` becomes
/// `i->` over the flattened input, `ijk->i` a sum of rows of j*k elements.
/// Returns the new op (the old one erased), or failure when nothing merges.
FailureOr<linalg::LinalgOp> collapseContiguousLoops(RewriterBase &rewriter,
                                                    linalg::LinalgOp op);

} // namespace mlir::ein

#endif // EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_COLLAPSELOOPS_H
