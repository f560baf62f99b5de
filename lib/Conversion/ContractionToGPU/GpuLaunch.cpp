//===- GpuLaunch.cpp - Building gpu.launch ops ----------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "GpuLaunch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

gpu::LaunchOp mlir::ein::createLaunch(OpBuilder &b, Location loc,
                                      ArrayRef<Value> grid,
                                      ArrayRef<Value> block,
                                      ArrayRef<MemRefType> shared) {
  auto launch = gpu::LaunchOp::create(b, loc, grid[0], grid[1], grid[2],
                                      block[0], block[1], block[2]);
  for (MemRefType type : shared)
    launch.addWorkgroupAttribution(type, loc);
  Block &body = launch.getBody().front();
  b.setInsertionPointToEnd(&body);
  gpu::TerminatorOp::create(b, loc);
  b.setInsertionPointToStart(&body);
  return launch;
}

Value mlir::ein::ceilDiv(OpBuilder &b, Location loc, Value x, Value y) {
  return arith::CeilDivUIOp::create(b, loc, x, y);
}
