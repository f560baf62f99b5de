//===- GpuLaunch.h - Building gpu.launch ops --------------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_CONVERSION_CONTRACTIONTOGPU_GPULAUNCH_H
#define EIN_LIB_CONVERSION_CONTRACTIONTOGPU_GPULAUNCH_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Builders.h"

namespace mlir::ein {

/// A `gpu.launch` of grid (gx, gy, gz) and blocks (bx, by, bz) with an empty
/// body ending in gpu.terminator; `b`'s insertion point is left at the start
/// of the body. Workgroup buffers of `shared` types are attributed.
gpu::LaunchOp createLaunch(OpBuilder &b, Location loc,
                           ArrayRef<Value> grid, ArrayRef<Value> block,
                           ArrayRef<MemRefType> shared = {});

/// ceil(x / y) for non-negative index values.
Value ceilDiv(OpBuilder &b, Location loc, Value x, Value y);

} // namespace mlir::ein

#endif // EIN_LIB_CONVERSION_CONTRACTIONTOGPU_GPULAUNCH_H
