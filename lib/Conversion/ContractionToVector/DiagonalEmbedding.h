//===- DiagonalEmbedding.h - Zero fill plus diagonal stores -----*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_DIAGONALEMBEDDING_H
#define EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_DIAGONALEMBEDDING_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::ein {

/// Rewrites a diagonal embedding (ein-to-linalg's form of `i->ii`: on
/// buffers, out[i, j] = i == j ? in[i] : 0 over all of out) into a zero
/// fill of the output (left to the fill lowering: a memset, parallel on
/// threads) and loops over the input's elements that store them on the
/// diagonal: one pass over the output at memset speed instead of a select
/// per element. Fails, leaving `op` alone, for anything else.
LogicalResult lowerDiagonalEmbedding(RewriterBase &rewriter,
                                     linalg::LinalgOp op);

} // namespace mlir::ein

#endif // EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_DIAGONALEMBEDDING_H
