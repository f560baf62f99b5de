//===- MapLoops.cpp - The ein-gpu-map-loops pass --------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "GpuLaunch.h"

#include "ein/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::ein {
#define GEN_PASS_DEF_GPUMAPLOOPS
#include "ein/Conversion/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;
using namespace mlir::ein;

/// Whether `op` (or an op inside it) reads or writes memref contents, which
/// only device code may do once ein-gpu-device-buffers has run.
static bool touchesMemory(Operation *op) {
  WalkResult result = op->walk([](Operation *inner) {
    // Index buffers (shapes for memref.reshape) live on the host.
    if (auto load = dyn_cast<memref::LoadOp>(inner);
        load && !isa<FloatType>(load.getType()))
      return WalkResult::advance();
    if (auto store = dyn_cast<memref::StoreOp>(inner);
        store && !isa<FloatType>(store.getValue().getType()))
      return WalkResult::advance();
    if (isa<memref::LoadOp, memref::StoreOp, memref::CopyOp,
            linalg::LinalgOp, vector::TransferReadOp,
            vector::TransferWriteOp, vector::LoadOp, vector::StoreOp>(inner))
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return result.wasInterrupted();
}

/// One thread per iteration of `loop`: iteration i of the flattened
/// iteration space (innermost loop fastest) runs on thread
/// blockIdx.x * blockSize + threadIdx.x.
static void mapParallelLoop(scf::ParallelOp loop, int64_t blockSize) {
  OpBuilder b(loop);
  Location loc = loop.getLoc();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value threads = arith::ConstantIndexOp::create(b, loc, blockSize);
  SmallVector<Value> trips;
  Value total = one;
  for (auto [lb, ub, step] : llvm::zip(loop.getLowerBound(),
                                       loop.getUpperBound(), loop.getStep())) {
    Value span = arith::SubIOp::create(b, loc, ub, lb);
    span = arith::MaxSIOp::create(b, loc, span, zero);
    Value trip = ceilDiv(b, loc, span, step);
    trips.push_back(trip);
    total = arith::MulIOp::create(b, loc, total, trip);
  }
  Value grid = ceilDiv(b, loc, total, threads);
  gpu::LaunchOp launch =
      createLaunch(b, loc, {grid, one, one}, {threads, one, one});
  Value id = arith::AddIOp::create(
      b, loc,
      arith::MulIOp::create(b, loc, launch.getBlockIds().x, threads),
      launch.getThreadIds().x);
  Value inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, id,
                                        total);
  auto guard = scf::IfOp::create(b, loc, inRange, /*withElseRegion=*/false);
  b.setInsertionPoint(guard.thenBlock()->getTerminator());
  IRMapping mapping;
  Value rest = id;
  for (int64_t d = int64_t(trips.size()) - 1; d >= 0; --d) {
    Value index = d == 0 ? rest
                         : arith::RemUIOp::create(b, loc, rest, trips[d]);
    if (d > 0)
      rest = arith::DivUIOp::create(b, loc, rest, trips[d]);
    Value iv = arith::AddIOp::create(
        b, loc, loop.getLowerBound()[d],
        arith::MulIOp::create(b, loc, index, loop.getStep()[d]));
    mapping.map(loop.getInductionVars()[d], iv);
  }
  for (Operation &op : loop.getBody()->without_terminator())
    b.clone(op, mapping);
  loop.erase();
}

/// Runs `ops` (consecutive ops of one block) on one GPU thread.
static void mapSingleThread(ArrayRef<Operation *> ops) {
  OpBuilder b(ops.front());
  Location loc = ops.front()->getLoc();
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  createLaunch(b, loc, {one, one, one}, {one, one, one});
  for (Operation *op : ops)
    op->moveBefore(b.getInsertionBlock(), b.getInsertionPoint());
}

/// Whether `op` is arithmetic on values (no memory, no regions), which can
/// follow a memory read into a one-thread kernel.
static bool isPureScalar(Operation *op) {
  return op->getNumRegions() == 0 && isMemoryEffectFree(op) &&
         !isa<gpu::GPUDialect>(op->getDialect()) &&
         llvm::none_of(op->getResultTypes(),
                       [](Type t) { return isa<MemRefType>(t); });
}

namespace {
struct GpuMapLoopsPass : ein::impl::GpuMapLoopsBase<GpuMapLoopsPass> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    if (blockSize < 1 || blockSize > 1024) {
      func.emitError() << "ein-gpu-map-loops: block-size must be in [1, "
                          "1024], but is "
                       << blockSize;
      return signalPassFailure();
    }
    for (Block &block : func.getBody()) {
      SmallVector<Operation *> ops;
      for (Operation &op : block)
        ops.push_back(&op);
      // Runs of straight-line device work (rank-0 loads, arithmetic on
      // them, stores) go to one one-thread kernel together.
      SmallVector<Operation *> group;
      llvm::SmallPtrSet<Operation *, 8> inGroup;
      auto flush = [&]() -> LogicalResult {
        if (group.empty())
          return success();
        for (Operation *op : group)
          for (Operation *user : op->getUsers())
            if (!inGroup.contains(block.findAncestorOpInBlock(*user))) {
              op->emitError()
                  << "ein-gpu-map-loops: '" << op->getName()
                  << "' computes a value from device memory that host code "
                     "uses; it cannot run on the GPU";
              return failure();
            }
        mapSingleThread(group);
        group.clear();
        inGroup.clear();
        return success();
      };
      for (Operation *op : ops) {
        if (isa<gpu::LaunchOp>(op) || op->hasTrait<OpTrait::IsTerminator>()) {
          if (failed(flush()))
            return signalPassFailure();
          continue;
        }
        if (auto loop = dyn_cast<scf::ParallelOp>(op);
            loop && loop.getNumResults() == 0 && touchesMemory(op)) {
          if (failed(flush()))
            return signalPassFailure();
          mapParallelLoop(loop, blockSize);
          continue;
        }
        bool follows = isPureScalar(op) &&
                       llvm::any_of(op->getOperands(), [&](Value v) {
                         return inGroup.contains(v.getDefiningOp());
                       });
        if (touchesMemory(op) || follows) {
          group.push_back(op);
          inGroup.insert(op);
          continue;
        }
        if (failed(flush()))
          return signalPassFailure();
      }
      if (failed(flush()))
        return signalPassFailure();
    }
  }
};
} // namespace
