//===- ContractionToVector.h - Contractions as packed vector code -*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Rewrites a binary contraction on memrefs (linalg.contract after
// bufferization) into a cache-blocked, packed, register-tiled loop nest of
// vector FMAs: the structure of a BLIS/GotoBLAS GEMM, generated as scf +
// vector IR so that LLVM only has to allocate registers.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_CONVERSION_CONTRACTIONTOVECTOR_CONTRACTIONTOVECTOR_H
#define EIN_CONVERSION_CONTRACTIONTOVECTOR_CONTRACTIONTOVECTOR_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::ein {

/// Block sizes of the generated GEMM (0: the defaults for the element type).
struct GemmTiling {
  /// Vector width in bytes (64: AVX-512 zmm).
  int64_t vectorBytes = 64;
  /// Rows of the register tile (micro-kernel MR).
  int64_t mr = 0;
  /// Vectors per row of the register tile (NR = nrVectors * lanes).
  int64_t nrVectors = 2;
  /// Cache blocks: rows of A (MC), depth (KC) and columns of B (NC).
  int64_t mc = 0, kc = 0, nc = 0;
  /// Outer loops that may run in parallel become scf.parallel.
  bool parallel = false;
  /// Static problems below this many multiply-adds stay serial.
  /// (2M multiply-adds, ~12 us on one core: below, two threads saved at
  /// most a few microseconds and chains of such steps ran slower, their
  /// intermediates moving between the cores' caches.)
  int64_t minParallelWork = int64_t(1) << 21;
  /// Static GEMMs of at most this many multiply-adds whose output rows are
  /// contiguous run as row-vector products, one per row of A, instead of
  /// the packed GEMM (0: never). The packed GEMM's tile and packing
  /// functions, some 1,500 lines of LLVM IR per blocking, were most of the
  /// compile time of small tensor networks and do not pay off at this size.
  int64_t smallGemmWork = int64_t(1) << 16;
  /// The tile and packing functions stay shared (not inlined where one
  /// call uses them): full tiles and whole vectors get paths of their own
  /// without masks, since sizes there are run-time values (an inlined copy,
  /// specialized to its constants, does without: less code to compile).
  bool sharedKernels = false;
};

/// Rewrites `op`, a binary contraction with memref operands, into packed
/// vector code. Fails (leaving `op` alone) when the contraction is not
/// GEMM-like: another element type than f32/f64, non-identity layouts, a
/// label summed in only one operand, or no label that maps to contiguous
/// vector lanes of the output.
LogicalResult vectorizeContraction(RewriterBase &rewriter, linalg::LinalgOp op,
                                   const GemmTiling &tiling);

/// Rewrites a sum on memrefs whose innermost loop is a reduction and whose
/// body is out + term(inputs) (ij->i, ii->, ijk->, and contractions no
/// kernel covers) into scf loops whose trailing reduction loops carry their
/// partial sums in registers, each level (and each chunk of a long loop)
/// summed from zero: a bounded rounding error (docs/Numerics.md). The
/// outermost loop is an scf.parallel when `minParallelIterations` > 0 and
/// the static iteration count reaches it. Fails for anything else.
LogicalResult lowerInnermostSum(RewriterBase &rewriter, linalg::LinalgOp op,
                                int64_t minParallelIterations = 0);

/// Lowers `op` (on memrefs, static, at least `minIterations` iterations,
/// outermost loop parallel) to loops whose outermost loop is an
/// scf.parallel. Fails, leaving `op` alone, otherwise.
LogicalResult parallelizeOuterLoop(RewriterBase &rewriter, linalg::LinalgOp op,
                                   int64_t minIterations);

/// True for the names of the kernel functions that vectorized code calls
/// (`__ein_gemm_*`: a packed GEMM's tiles and packing; `__ein_transpose_*`:
/// transposing copies). They depend only on the element type and the
/// blocking, not on shapes, so ein's kernel cache compiles each once
/// (lib/Runner/KernelCache.h).
bool isSharedKernelName(StringRef name);

} // namespace mlir::ein

#endif // EIN_CONVERSION_CONTRACTIONTOVECTOR_CONTRACTIONTOVECTOR_H
