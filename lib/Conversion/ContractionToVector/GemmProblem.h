//===- GemmProblem.h - A contraction seen as a batched GEMM -----*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// A binary contraction C[b,m,n] += sum_k A[b,m,k] * B[b,k,n] where each of
// m, n, k stands for a group of loop labels that is contiguous (in one
// order) in every operand that has it, and b for the batch labels, which
// may lie anywhere (each with its own strides). Operands are flat 1-D
// memrefs with the stride of each group; the output's n group is
// unit-stride.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_GEMMPROBLEM_H
#define EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_GEMMPROBLEM_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

namespace mlir::ein {

/// Which kernel computes the contraction: the packed GEMM; a row vector
/// times a matrix with contiguous rows (one output row, streamed); or dot
/// products along a contiguous depth (no rows or columns left, or one row
/// and strided columns).
enum class GemmKind { Gemm, RowVector, Dot };


/// The loop dimensions of each group, outermost first, and which operand
/// plays A (rows m) and which plays B (columns n).
struct GemmRoles {
  SmallVector<unsigned> batch, rows, cols, depth;
  unsigned lhs = 0, rhs = 1;
  GemmKind kind = GemmKind::Gemm;
  /// Per input (by operand number): the loop dimensions in the order of a
  /// transposed copy to make first, or empty when its layout is usable.
  SmallVector<unsigned> copyOrder[2];
  /// The loop dimensions of the output's copy when its groups are split
  /// (empty: computed in place).
  SmallVector<unsigned> outputOrder;
  /// A small GEMM run as row-vector products, one per row of A: the rows
  /// join the batch (B's stride 0 along them), M is 1.
  bool rowsAsBatch = false;
  /// A's depth read as two runs, each contiguous, instead of copied: the
  /// number of `depth`'s dimensions (in A's order) in the outer run; the
  /// inner one holds A's innermost dimension (abde,efa->bdf: a, then e).
  /// 0 when A's depth is one run.
  unsigned depthSplit = 0;
  /// The same for B's columns (in B's order, which the output's copy
  /// follows): abde as B of bdf,abde->efa, columns a, then e.
  unsigned colSplit = 0;
  /// The same for the output's columns (in its order, which B's columns
  /// follow), written in place instead of computed in a copy: abde of
  /// bdf,efa->abde, columns a, then e.
  unsigned outputColSplit = 0;
};

/// Which groups the packed GEMM may read in two runs, each contiguous,
/// instead of copying the operand (GemmRoles::depthSplit, colSplit); the
/// inner run holds the operand's innermost dimension and has a static
/// size. Zeros: none.
struct SplitRuns {
  /// A's depth: an inner run from `minDepth` to `maxDepth` elements.
  int64_t minDepth = 0, maxDepth = 0;
  /// B's columns: an inner run that is a multiple of `colMultiple` (the
  /// register tile's width) up to `maxCols` (a block of columns).
  int64_t colMultiple = 0, maxCols = 0;
};

/// Classifies `op`'s loops; fails when it is not a GEMM-like contraction
/// (see vectorizeContraction). Static problems of at most `smallGemmWork`
/// multiply-adds become row-vector products (GemmRoles::rowsAsBatch).
/// A packed GEMM reads groups in two runs as `splits` allows.
FailureOr<GemmRoles> classifyContraction(linalg::LinalgOp op,
                                         int64_t smallGemmWork = 0,
                                         SplitRuns splits = {});

/// Sizes, strides (index values) and flat views, built before `op`.
struct GemmProblem {
  FloatType elementType;
  Value a, b, c;
  Value nb, nm, nn, nk;
  Value sAm, sAk, sBk, sBn, sCm, sCn;
  /// The batch loops, outermost first (one entry when the batch group is
  /// contiguous in all three operands; sizes {1}, strides 0 when there is
  /// no batch), and their strides in A, B and C.
  SmallVector<Value> batchSizes, batchStrides[3];
  /// The offset of batch `bi` (counted row-major over batchSizes) in
  /// operand 0 (A), 1 (B) or 2 (C).
  Value batchOffset(OpBuilder &b, Location loc, Value bi,
                    unsigned operand) const;
  /// When the output is computed in a copy: copy it back (transposed by
  /// `copyBackPerm`) after the kernel; the copy is among the temporaries.
  Value copyBackFrom, copyBackTo;
  /// The zero fill of that copy when C was known to be zero (instead of a
  /// copy of C's values).
  linalg::FillOp copyFill;
  SmallVector<int64_t> copyBackPerm;
  /// Statically unit strides (fast packing paths).
  bool aUnitM = false, bUnitN = false;
  /// A's depth is its innermost dimension (a row-major A): packed by rows.
  bool aUnitK = false;
  /// GemmRoles::depthSplit: the inner run's elements (static; sAk is its
  /// stride) and the outer run's stride in A; depth k is at
  /// (k / depthRun) * sAkOuter + (k % depthRun) * sAk. 0 and null when
  /// A's depth is one run.
  int64_t depthRun = 0;
  Value sAkOuter;
  /// GemmRoles::colSplit: B's column n is at (n / colRun) * sBnOuter +
  /// n % colRun (sBn is 1).
  int64_t colRun = 0;
  Value sBnOuter;
  /// GemmRoles::outputColSplit: C's column n is at (n / cColRun) * sCnOuter
  /// + n % cColRun (sCn is 1).
  int64_t cColRun = 0;
  Value sCnOuter;
  /// B's depth is its innermost dimension (an N-major B, as in A B^T).
  bool bUnitK = false;
  /// Static sizes where known (ShapedType::kDynamic otherwise).
  int64_t staticM, staticN, staticK, staticB;
};

/// Inputs listed in `roles.copyOrder` are first copied; the copies are
/// appended to `temporaries` (the caller deallocates them). With
/// `zeroOutput` (C holds zeros), an output copy is zero-filled instead of
/// copied from C.
GemmProblem materializeGemm(OpBuilder &b, linalg::LinalgOp op,
                            const GemmRoles &roles,
                            SmallVectorImpl<Value> &temporaries,
                            bool zeroOutput = false);

/// After the kernel: writes the output's copy back (if the kernel computed
/// into one) and frees `temporaries`.
void finishGemm(OpBuilder &b, Location loc, const GemmProblem &problem,
                ArrayRef<Value> temporaries);

/// Emits the row-vector or dot-product kernel (ThinKernels.cpp).
void emitThinContraction(OpBuilder &b, Location loc, const GemmProblem &problem,
                         GemmKind kind, int64_t vectorBytes, bool parallel);

} // namespace mlir::ein

#endif // EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_GEMMPROBLEM_H
