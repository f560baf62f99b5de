//===- Elementwise.h - Products and maps without sums -----------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_ELEMENTWISE_H
#define EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_ELEMENTWISE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::ein {

/// Rewrites `op` (on buffers, f32 or f64, every loop parallel, a permuted
/// output with a unit-stride last dimension, elementwise body ops that
/// compute something from at least one input, every input reading the
/// output's contiguous loop as its unit-stride last dimension or not at all)
/// into vector loops along that loop (Elementwise.cpp); the outermost loop
/// is an scf.parallel from `minParallelIterations` static elements on (0:
/// never). Fails, leaving `op` alone, for anything else.
LogicalResult vectorizeMap(RewriterBase &rewriter, linalg::LinalgOp op,
                           int64_t vectorBytes, int64_t minParallelIterations);

} // namespace mlir::ein

#endif // EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_ELEMENTWISE_H
