//===- Transposes.h - Copies between different contiguous dims --*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_TRANSPOSES_H
#define EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_TRANSPOSES_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::ein {

/// True if `op` (on buffers, f32 or f64, every loop parallel, both maps
/// permutations) copies its input to its output and the two are contiguous
/// along different loops.
bool isTransposingCopy(linalg::LinalgOp op);

/// Rewrites a transposing copy into tiles of register-transposed vector
/// blocks (Transposes.cpp); the first loop is an scf.parallel from
/// `minParallelIterations` static elements on (0: never). Fails, leaving
/// `op` alone, for anything else.
LogicalResult vectorizeTranspose(RewriterBase &rewriter, linalg::LinalgOp op,
                                 int64_t vectorBytes,
                                 int64_t minParallelIterations);

} // namespace mlir::ein

#endif // EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_TRANSPOSES_H
