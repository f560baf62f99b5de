//===- SumOfTerms.h - Recognizing out + term(inputs) bodies -----*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_SUMOFTERMS_H
#define EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_SUMOFTERMS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::ein {

/// If `op` (on buffers, f32 or f64, at least one reduction loop,
/// dimension-only maps, side-effect-free body ops) computes out +
/// term(inputs): the addition, whose other operand is the term.
arith::AddFOp matchSumOfTerms(linalg::LinalgOp op);

/// The term's operand of `add` (the one that is not the output's value).
Value termOf(linalg::LinalgOp op, arith::AddFOp add);

/// Terms a loop adds into one register (per lane) before the partial sum
/// goes to the level above (docs/Numerics.md).
inline constexpr int64_t kSumChunk = 1024;

/// for iv in [lb, ub) step: acc += term(iv), acc starting from `init`; the
/// final acc.
Value emitSumLoop(OpBuilder &b, Location loc, Value lb, Value ub, Value step,
                  Value init,
                  function_ref<Value(OpBuilder &, Location, Value)> term);

/// The sum of `values` added pairwise, level by level (an odd one out goes
/// up a level as it is): log2(n) additions per value instead of n - 1.
Value addPairwise(OpBuilder &b, Location loc, ArrayRef<Value> values);

/// Partial sums the innermost loop of a loop sum keeps: independent chains
/// of additions, so that strided loads (a trace's diagonal) overlap instead
/// of waiting on one chain.
inline constexpr int64_t kSumLanes = 8;

/// The sum of term(iv) for iv in [lb, ub) (unit steps): term lb + g*8 + u
/// into partial sum u, the partial sums added pairwise, then the steps past
/// the last whole group of 8 added from `zero`.
Value emitInterleavedSumLoop(
    OpBuilder &b, Location loc, Value lb, Value ub, Value zero,
    function_ref<Value(OpBuilder &, Location, Value)> term);

/// Opens a loop over one output dimension (scf.parallel when `parallel`,
/// else scf.for), leaves the builder inside its body, returns its index.
Value openOutputLoop(OpBuilder &b, Location loc, Value lb, Value ub,
                     Value step, bool parallel);

/// output[at] += sum (a scalar).
void addToOutput(OpBuilder &b, Location loc, Value output, ValueRange at,
                 Value sum);

/// The operand indices of `map` (dimensions only) at loop values `ivs`.
SmallVector<Value> indicesOf(AffineMap map, ArrayRef<Value> ivs);

/// `op`'s body value `result` at loop values `ivs`, computed on vectors of
/// `vec` along loop `v`: inputs that read v are vector loads (masked by
/// `mask` when it is not null; masked-off lanes are zero), the others scalar
/// loads broadcast; the body's elementwise ops but `skip` apply to vectors.
Value vectorBody(OpBuilder &b, Location loc, linalg::LinalgOp op, unsigned v,
                 ArrayRef<Value> ivs, VectorType vec, Value mask, Value result,
                 Operation *skip = nullptr);
/// The same for several body values at once (one load per input).
SmallVector<Value> vectorBodies(OpBuilder &b, Location loc, linalg::LinalgOp op,
                                unsigned v, ArrayRef<Value> ivs, VectorType vec,
                                Value mask, ValueRange results,
                                Operation *skip = nullptr);

/// Vectorized sums (VectorSums.cpp): a sum whose inputs are contiguous along
/// one loop that either indexes the output's contiguous dimension (column
/// sums, ij->j: vector registers over a block of output columns) or is
/// summed (row sums, ij->i: vector partial sums, then across lanes).
LogicalResult vectorizeSum(RewriterBase &rewriter, linalg::LinalgOp op,
                           int64_t vectorBytes,
                           int64_t minParallelIterations);

/// The column sums of `op` (output columns along loop `v`, one summed loop
/// `s`, the output's other loops `outer`; `term` the body's value added by
/// `add`) in 16 KiB blocks of output columns, rows streamed in order into
/// each (ColumnStreams.cpp); `stream`'s loads are aligned. Erases `op`.
LogicalResult streamColumnSums(RewriterBase &rewriter, linalg::LinalgOp op,
                               unsigned v, unsigned s,
                               ArrayRef<unsigned> outer, Value term,
                               Operation *add, OpOperand *stream,
                               int64_t vectorBytes,
                               int64_t minParallelIterations);

/// vectorizeSum sums `op` as column sums in place: every input is read in
/// vectors along the output's contiguous loop, with no copy.
bool sumsColumnsInPlace(linalg::LinalgOp op);

} // namespace mlir::ein

#endif // EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_SUMOFTERMS_H
