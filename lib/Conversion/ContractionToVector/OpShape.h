//===- OpShape.h - Loops, layouts and sizes of linalg ops on buffers -*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_OPSHAPE_H
#define EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_OPSHAPE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::ein {

/// The loop dimension of an indexing map result that is a dimension.
inline unsigned dimOf(AffineExpr expr) {
  return cast<AffineDimExpr>(expr).getPosition();
}

/// True if `value` is a memref (rank >= 1) whose last dimension has static
/// unit stride.
inline bool unitInnerStride(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type || type.getRank() == 0)
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset)) &&
         strides.back() == 1;
}

/// The number of iterations of `op`'s loop nest, or -1 when a loop is
/// dynamic.
inline int64_t staticIterations(linalg::LinalgOp op) {
  int64_t iterations = 1;
  for (int64_t size : op.getStaticLoopRanges())
    iterations = ShapedType::isDynamic(size) || iterations < 0
                     ? -1
                     : iterations * size;
  return iterations;
}

} // namespace mlir::ein

#endif // EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_OPSHAPE_H
