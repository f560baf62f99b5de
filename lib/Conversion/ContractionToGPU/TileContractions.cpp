//===- TileContractions.cpp - The ein-gpu-tile-contractions pass ----------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// A shared-memory tiled GEMM kernel for every GEMM-like contraction:
// C[b, m, n] += sum_k A[b, m, k] B[b, k, n] on flat buffers with arbitrary
// group strides (GemmProblem). Block (16, 16) computes the 64x64 tile
// (blockIdx.y, blockIdx.x) of batch blockIdx.z; thread (tx, ty) owns rows
// ty + 16i and columns tx + 16j (i, j < 4), so that neighbouring threads
// write neighbouring columns and read different shared-memory banks.
//
//===----------------------------------------------------------------------===//

#include "../ContractionToVector/GemmProblem.h"
#include "GpuLaunch.h"

#include "ein/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::ein {
#define GEN_PASS_DEF_GPUTILECONTRACTIONS
#include "ein/Conversion/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;
using namespace mlir::ein;

namespace {
constexpr int64_t kTile = 64;   // output rows and columns per block
constexpr int64_t kDepth = 16;  // depth of a shared-memory panel
constexpr int64_t kThreads = 16; // threads per block side
constexpr int64_t kSub = kTile / kThreads; // rows/columns per thread
constexpr int64_t kMaxGrid = 65535;        // grid y and z limit

struct KernelBuilder {
  OpBuilder &b;
  Location loc;
  const GemmProblem &p;

  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value lt(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  }
  Value both(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }

  /// `inBounds ? buffer[index] : 0`.
  Value guardedLoad(Value inBounds, Value buffer, Value index) {
    auto ifOp = scf::IfOp::create(b, loc, TypeRange{p.elementType}, inBounds,
                                  /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    Value v = memref::LoadOp::create(b, loc, buffer, index);
    scf::YieldOp::create(b, loc, v);
    b.setInsertionPointToStart(ifOp.elseBlock());
    Value zero = arith::ConstantOp::create(
        b, loc, p.elementType, b.getFloatAttr(p.elementType, 0.0));
    scf::YieldOp::create(b, loc, zero);
    return ifOp.getResult(0);
  }

  /// Stages a kDepth x kTile panel: element (kk, t) of the panel is
  /// operand[base + (t0 + t) * sT + (k0 + kk) * sK] when t0 + t < nT and
  /// k0 + kk < nK. `unitT`: t is the contiguous direction, so neighbouring
  /// threads take neighbouring t.
  void stage(Value shared, Value operand, Value base, Value t0, Value sT,
             Value nT, Value k0, Value sK, Value tid, bool unitT) {
    for (int64_t r = 0; r < kDepth * kTile / (kThreads * kThreads); ++r) {
      Value e = add(tid, idx(r * kThreads * kThreads));
      Value kk, t;
      if (unitT) {
        kk = arith::DivUIOp::create(b, loc, e, idx(kTile));
        t = arith::RemUIOp::create(b, loc, e, idx(kTile));
      } else {
        t = arith::DivUIOp::create(b, loc, e, idx(kDepth));
        kk = arith::RemUIOp::create(b, loc, e, idx(kDepth));
      }
      Value gt = add(t0, t), gk = add(k0, kk);
      Value inBounds = both(lt(gt, nT), lt(gk, p.nk));
      Value index = add(base, add(mul(gt, sT), mul(gk, sK)));
      Value v = guardedLoad(inBounds, operand, index);
      memref::StoreOp::create(b, loc, v, shared, ValueRange{kk, t});
    }
  }

  void emit() {
    Value one = idx(1);
    Value tile = idx(kTile);
    Value rowTiles = ceilDiv(b, loc, p.nm, tile);
    Value colTiles = ceilDiv(b, loc, p.nn, tile);
    Value gridY = arith::MinUIOp::create(b, loc, rowTiles, idx(kMaxGrid));
    Value gridZ = arith::MinUIOp::create(b, loc, p.nb, idx(kMaxGrid));
    auto panel = MemRefType::get(
        {kDepth, kTile}, p.elementType, AffineMap(),
        gpu::AddressSpaceAttr::get(b.getContext(),
                                   gpu::AddressSpace::Workgroup));
    Value threads = idx(kThreads);
    gpu::LaunchOp launch = createLaunch(b, loc, {colTiles, gridY, gridZ},
                                        {threads, threads, one},
                                        {panel, panel});
    Value aPanel = launch.getWorkgroupAttributions()[0];
    Value bPanel = launch.getWorkgroupAttributions()[1];
    Value tx = launch.getThreadIds().x, ty = launch.getThreadIds().y;
    Value tid = add(mul(ty, threads), tx);
    Value n0 = mul(launch.getBlockIds().x, tile);

    // Grid-stride loops over batches and row tiles beyond the grid limit.
    auto batchLoop = scf::ForOp::create(b, loc, launch.getBlockIds().z, p.nb,
                                        launch.getGridSize().z);
    b.setInsertionPointToStart(batchLoop.getBody());
    Value batch = batchLoop.getInductionVar();
    auto rowLoop = scf::ForOp::create(b, loc, launch.getBlockIds().y, rowTiles,
                                      launch.getGridSize().y);
    b.setInsertionPointToStart(rowLoop.getBody());
    Value m0 = mul(rowLoop.getInductionVar(), tile);
    Value aBase = p.batchOffset(b, loc, batch, 0);
    Value bBase = p.batchOffset(b, loc, batch, 1);

    Value zero = arith::ConstantOp::create(
        b, loc, p.elementType, b.getFloatAttr(p.elementType, 0.0));
    SmallVector<Value> init(kSub * kSub, zero);
    auto depthLoop =
        scf::ForOp::create(b, loc, idx(0), p.nk, idx(kDepth), init);
    b.setInsertionPointToStart(depthLoop.getBody());
    Value k0 = depthLoop.getInductionVar();
    stage(aPanel, p.a, aBase, m0, p.sAm, p.nm, k0, p.sAk, tid, p.aUnitM);
    stage(bPanel, p.b, bBase, n0, p.sBn, p.nn, k0, p.sBk, tid, p.bUnitN);
    gpu::BarrierOp::create(b, loc);
    // The panel's depth, unrolled: kSub + kSub shared loads feed
    // kSub * kSub FMAs per step.
    SmallVector<Value> acc(depthLoop.getRegionIterArgs());
    for (int64_t kk = 0; kk < kDepth; ++kk) {
      SmallVector<Value> as, bs;
      for (int64_t i = 0; i < kSub; ++i)
        as.push_back(memref::LoadOp::create(
            b, loc, aPanel, ValueRange{idx(kk), add(ty, idx(i * kThreads))}));
      for (int64_t j = 0; j < kSub; ++j)
        bs.push_back(memref::LoadOp::create(
            b, loc, bPanel, ValueRange{idx(kk), add(tx, idx(j * kThreads))}));
      for (int64_t i = 0; i < kSub; ++i)
        for (int64_t j = 0; j < kSub; ++j)
          acc[i * kSub + j] =
              LLVM::FMAOp::create(b, loc, as[i], bs[j], acc[i * kSub + j]);
    }
    gpu::BarrierOp::create(b, loc);
    scf::YieldOp::create(b, loc, acc);

    // C += the accumulators that fall inside the output.
    b.setInsertionPointAfter(depthLoop);
    Value cBase = p.batchOffset(b, loc, batch, 2);
    for (int64_t i = 0; i < kSub; ++i) {
      Value m = add(add(m0, ty), idx(i * kThreads));
      for (int64_t j = 0; j < kSub; ++j) {
        Value n = add(add(n0, tx), idx(j * kThreads));
        auto ifOp = scf::IfOp::create(b, loc, both(lt(m, p.nm), lt(n, p.nn)),
                                      /*withElseRegion=*/false);
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
        Value index = add(cBase, add(mul(m, p.sCm), mul(n, p.sCn)));
        Value old = memref::LoadOp::create(b, loc, p.c, index);
        Value sum = arith::AddFOp::create(b, loc, old,
                                          depthLoop.getResult(i * kSub + j));
        memref::StoreOp::create(b, loc, sum, p.c, index);
      }
    }
    b.setInsertionPointAfter(launch);
  }
};

struct GpuTileContractionsPass
    : ein::impl::GpuTileContractionsBase<GpuTileContractionsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) { ops.push_back(op); });
    for (linalg::LinalgOp op : ops) {
      FailureOr<GemmRoles> roles = classifyContraction(op);
      if (failed(roles) || roles->kind != GemmKind::Gemm)
        continue;
      OpBuilder b(op);
      SmallVector<Value> temporaries;
      GemmProblem problem = materializeGemm(b, op, *roles, temporaries);
      KernelBuilder{b, op.getLoc(), problem}.emit();
      finishGemm(b, op.getLoc(), problem, temporaries);
      op.erase();
    }
  }
};
} // namespace
