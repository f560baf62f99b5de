//===- ColumnSums.h - Row and column sums as products -----------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_COLUMNSUMS_H
#define EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_COLUMNSUMS_H

#include "ein/Conversion/ContractionToVector/ContractionToVector.h"

namespace mlir::ein {

/// Rewrites the sum of a matrix's rows (`ij->j` on buffers, after
/// CollapseLoops: one summed loop, then one output loop that the input
/// reads contiguously) into the row-vector kernel of `ones, ij -> j`: rows
/// streamed in order into an L1 block of the output (the depth split over
/// threads) instead of blocks of columns read down the whole matrix
/// (4096² f32: 2.2 -> 1.4 ms on one thread, 1.25 -> 0.65 ms on two).
/// Likewise the sums of each row of a large static matrix (`ij->i`, at
/// least 256 rows of 2048 elements, 2^22 in all) become the dot products of
/// `ij, ones -> i`, four rows streamed at once (4096² f32: 2.6 -> 2.0 ms on
/// one thread). Fails, leaving `op` alone, for anything else.
LogicalResult sumColumnsAsRowVector(RewriterBase &rewriter,
                                    linalg::LinalgOp op,
                                    const GemmTiling &tiling);

} // namespace mlir::ein

#endif // EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_COLUMNSUMS_H
