//===- VectorizeContractions.cpp - The ein-vectorize-contractions pass ----===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Conversion/ContractionToVector/ContractionToVector.h"
#include "ein/Conversion/Passes.h"
#include "CollapseLoops.h"
#include "ColumnSums.h"
#include "DiagonalEmbedding.h"
#include "Elementwise.h"
#include "SumOfTerms.h"
#include "Transposes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlir::ein {
#define GEN_PASS_DEF_VECTORIZECONTRACTIONS
#include "ein/Conversion/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;
using namespace mlir::ein;

/// Loop nests no kernel covers run their outermost loop on threads from
/// this many iterations on.
static constexpr int64_t kMinParallelIterations = int64_t(1) << 20;
/// The most register-tile rows the mr option takes (24 x 2 AVX-512
/// accumulators already spill).
static constexpr int64_t kMaxTileRows = 24;

bool mlir::ein::isSharedKernelName(StringRef name) {
  return name.starts_with("__ein_gemm_") || name.starts_with("__ein_transpose_");
}

/// The kernel functions (the GEMMs' tile and packing functions: GemmTiles.h,
/// GemmEmitter.cpp; transposing copies: Transposes.cpp) that one call site
/// alone uses go back inline (with
/// inline-single-use=true), where canonicalization specializes them to its
/// constants (strides, sizes, the store flag): without a kernel cache,
/// sharing pays only where code repeats (tn3's forward, every kernel kind
/// used once, compiled in 295 ms outlined, 250 inline).
static void inlineSingleUseKernels(ModuleOp module) {
  SmallVector<func::FuncOp> kernels;
  for (auto fn : module.getOps<func::FuncOp>())
    if (isSharedKernelName(fn.getSymName()) && !fn.isDeclaration())
      kernels.push_back(fn);
  for (func::FuncOp fn : kernels) {
    std::optional<SymbolTable::UseRange> uses =
        SymbolTable::getSymbolUses(fn, module);
    if (!uses || !llvm::hasSingleElement(*uses))
      continue;
    auto call = dyn_cast<func::CallOp>(uses->begin()->getUser());
    if (!call)
      continue;
    Block &body = fn.getBody().front();
    IRMapping map;
    map.map(body.getArguments(), call.getOperands());
    OpBuilder b(call);
    for (Operation &op : body.without_terminator())
      b.clone(op, map);
    call.erase();
    fn.erase();
  }
}

namespace {
struct VectorizeContractionsPass
    : ein::impl::VectorizeContractionsBase<VectorizeContractionsPass> {
  using Base::Base;
  void runOnOperation() override {
    if (vectorBytes != 16 && vectorBytes != 32 && vectorBytes != 64) {
      getOperation().emitError()
          << "ein-vectorize-contractions: vector-bytes must be 16, 32 or 64, "
             "but is "
          << int64_t(vectorBytes);
      return signalPassFailure();
    }
    // (Negative sizes gave loops of negative steps; a negative mr crashed.)
    for (auto [option, value, most] :
         {std::tuple{"mr", int64_t(mr), kMaxTileRows},
          std::tuple{"kc", int64_t(kc), INT64_MAX},
          std::tuple{"mc", int64_t(mc), INT64_MAX},
          std::tuple{"nc", int64_t(nc), INT64_MAX},
          std::tuple{"small-gemm-work", int64_t(smallGemmWork), INT64_MAX}})
      if (value < 0 || value > most) {
        InFlightDiagnostic diag = getOperation().emitError();
        diag << "ein-vectorize-contractions: " << option << " must be ";
        if (most == INT64_MAX)
          diag << "at least 0";
        else
          diag << "from 0 to " << most;
        diag << ", but is " << value;
        return signalPassFailure();
      }
    GemmTiling tiling;
    tiling.vectorBytes = vectorBytes;
    tiling.parallel = parallel;
    tiling.mr = mr;
    tiling.kc = kc;
    tiling.mc = mc;
    tiling.nc = nc;
    tiling.smallGemmWork = smallGemmWork;
    tiling.sharedKernels = !inlineSingleUse;
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      // Fills wait for the kernels, which fold a zero fill right before
      // them (on threads the fill had become loops first: 4096x16 times
      // 16x512 took 0.68 ms on two threads, 0.31 on one).
      if (isa<linalg::FillOp>(op.getOperation()))
        continue;
      int64_t minParallel = parallel ? kMinParallelIterations : 0;
      // Sums over fewer, longer loops: fewer reductions across lanes.
      if (matchSumOfTerms(op))
        if (FailureOr<linalg::LinalgOp> merged =
                collapseContiguousLoops(rewriter, op);
            succeeded(merged))
          op = *merged;
      if (succeeded(lowerDiagonalEmbedding(rewriter, op)) ||
          succeeded(sumColumnsAsRowVector(rewriter, op, tiling)) ||
          succeeded(vectorizeContraction(rewriter, op, tiling)) ||
          succeeded(vectorizeSum(rewriter, op, tiling.vectorBytes,
                                 minParallel)) ||
          succeeded(lowerInnermostSum(rewriter, op, minParallel)) ||
          succeeded(vectorizeTranspose(rewriter, op, tiling.vectorBytes,
                                       minParallel)) ||
          succeeded(vectorizeMap(rewriter, op, tiling.vectorBytes,
                                 minParallel)))
        continue;
      // Large memory-bound ops left for loops: split the outer loop.
      if (parallel)
        (void)parallelizeOuterLoop(rewriter, op, kMinParallelIterations);
    }
    // The fills that no kernel folded.
    if (parallel) {
      ops.clear();
      getOperation().walk([&](linalg::FillOp op) { ops.push_back(op); });
      for (linalg::LinalgOp op : ops)
        (void)parallelizeOuterLoop(rewriter, op, kMinParallelIterations);
    }
    // The kernels' own copies into and out of GEMM layouts: transposing
    // ones in register-transposed blocks, ones that keep the innermost
    // dimension as vector maps.
    ops.clear();
    getOperation().walk([&](linalg::TransposeOp op) { ops.push_back(op); });
    int64_t minParallel = parallel ? kMinParallelIterations : 0;
    for (linalg::LinalgOp op : ops)
      (void)(succeeded(vectorizeTranspose(rewriter, op, tiling.vectorBytes,
                                          minParallel)) ||
             succeeded(vectorizeMap(rewriter, op, tiling.vectorBytes,
                                    minParallel)));
    if (inlineSingleUse)
      inlineSingleUseKernels(getOperation());
  }
};
} // namespace
