//===- VectorSums.cpp - Sums along a contiguous dimension in vectors ------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Sums of terms (ij->i, ij->j, ijk->ik, i,ij->, a product or elementwise
// function of the inputs summed) that no contraction kernel covers run at
// memory bandwidth when every input is contiguous along one loop v:
//
// - columns (v is the output's contiguous dimension, e.g. ij->j): the
//   output is walked in blocks of kColumnVectors vectors; each block is a
//   set of vector registers that the reduction loops add rows into, then
//   added to the output once. Each lane sums like the scalar code of
//   Reductions.cpp: level by level, chunks of kSumChunk terms. Each row's
//   lines are prefetched kPrefetchBytes ahead.
// - rows (v is summed, e.g. ij->i): v is the innermost loop; kRowVectors
//   vector registers hold partial sums of v (chunks of kSumChunk terms),
//   reduced across lanes at the end; the other summed loops carry scalars
//   as in Reductions.cpp.
//
// The term is the body of the linalg op with its elementwise ops applied
// to vectors. Lanes past the end are masked: masked loads read zeros and the
// row sums select zero for them (a term such as exp(x) is not zero there).
//
//===----------------------------------------------------------------------===//

#include "Emitter.h"
#include "OpShape.h"
#include "SumOfTerms.h"
#include "Transposes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/IR/IRMapping.h"

#include <functional>

using namespace mlir;
using namespace mlir::ein;

/// Vector registers per block of output columns, and per row sum.
static constexpr int64_t kColumnVectors = 16;
static constexpr int64_t kRowVectors = 4;
/// How far ahead column sums prefetch their rows.
static constexpr int64_t kPrefetchBytes = 1024;
/// Row sums along rows of at most kShortRowBytes prefetch their rows
/// kShortRowAheadBytes ahead.
static constexpr int64_t kShortRowBytes = 4096;
static constexpr int64_t kShortRowAheadBytes = 8192;
/// Parts of a large sum to one element on threads.
static constexpr int64_t kSumParts = 16;

namespace {
/// Which loop is vectorized and in which order the others run.
struct SumPlan {
  unsigned v = 0;
  /// v indexes the output (columns); otherwise v is summed (rows).
  bool columns = false;
  /// Loops the output reads, except v, outermost first.
  SmallVector<unsigned> outer;
  /// Summed loops except v, outermost first in the inputs' layout.
  SmallVector<unsigned> sums;
};
} // namespace

/// Operand `operand` can be read in vectors along loop `d`: it does not
/// read `d`, or reads it once, as its unit-stride last dimension.
static bool vectorizableAlong(linalg::LinalgOp op, OpOperand &operand,
                              unsigned d) {
  AffineMap map = op.getMatchingIndexingMap(&operand);
  unsigned uses = llvm::count_if(map.getResults(), [&](AffineExpr expr) {
    return dimOf(expr) == d;
  });
  if (uses == 0)
    return true;
  return uses == 1 && dimOf(map.getResults().back()) == d &&
         unitInnerStride(operand.get());
}

static std::optional<SumPlan> planSum(linalg::LinalgOp op) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  AffineMap outMap = op.getIndexingMapsArray().back();
  if (!outMap.isProjectedPermutation())
    return std::nullopt;
  auto usable = [&](unsigned d) {
    return llvm::all_of(op->getOpOperands(), [&](OpOperand &operand) {
      return vectorizableAlong(op, operand, d);
    });
  };
  auto readByInput = [&](unsigned d) {
    return llvm::any_of(op.getDpsInputOperands(), [&](OpOperand *input) {
      return op.getMatchingIndexingMap(input).isFunctionOfDim(d);
    });
  };
  SumPlan plan;
  std::optional<unsigned> v;
  if (outMap.getNumResults() > 0) {
    unsigned d = dimOf(outMap.getResults().back());
    if (usable(d) && readByInput(d)) {
      v = d;
      plan.columns = true;
    }
  }
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (v || map.getNumResults() == 0)
      continue;
    unsigned d = dimOf(map.getResults().back());
    if (iterators[d] == utils::IteratorType::reduction && usable(d))
      v = d;
  }
  if (!v)
    return std::nullopt;
  plan.v = *v;
  for (AffineExpr expr : outMap.getResults())
    if (dimOf(expr) != plan.v)
      plan.outer.push_back(dimOf(expr));
  // Summed loops in the order the inputs lay them out.
  llvm::SmallDenseSet<unsigned> seen;
  auto addSum = [&](unsigned d) {
    if (d != plan.v && iterators[d] == utils::IteratorType::reduction &&
        seen.insert(d).second)
      plan.sums.push_back(d);
  };
  for (OpOperand *input : op.getDpsInputOperands())
    for (AffineExpr expr : op.getMatchingIndexingMap(input).getResults())
      addSum(dimOf(expr));
  for (unsigned d = 0; d < iterators.size(); ++d)
    addSum(d);
  if (plan.outer.size() + plan.sums.size() + 1 != iterators.size())
    return std::nullopt;
  return plan;
}

/// The input with the most loops among those read along `v` in vectors.
static OpOperand *streamOperand(linalg::LinalgOp op, unsigned v) {
  OpOperand *best = nullptr;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (map.isFunctionOfDim(v) &&
        (!best || map.getNumResults() >
                      op.getMatchingIndexingMap(best).getNumResults()))
      best = input;
  }
  return best;
}

/// Every body op but the final addition applies elementwise to vectors.
static bool vectorizableBody(linalg::LinalgOp op, arith::AddFOp add) {
  for (Operation &inner : op.getBlock()->without_terminator()) {
    if (&inner == add.getOperation() || isa<arith::ConstantOp>(inner))
      continue;
    if (!OpTrait::hasElementwiseMappableTraits(&inner) ||
        !llvm::all_of(inner.getResultTypes(), [](Type t) {
          return t.isIntOrIndexOrFloat();
        }))
      return false;
  }
  return true;
}

static LogicalResult vectorizeSumInPlace(RewriterBase &rewriter,
                                         linalg::LinalgOp op,
                                         int64_t vectorBytes,
                                         int64_t minParallelIterations) {
  arith::AddFOp add = matchSumOfTerms(op);
  if (!add || !vectorizableBody(op, add))
    return failure();
  std::optional<SumPlan> plan = planSum(op);
  if (!plan)
    return failure();
  Value termValue = termOf(op, add);
  Value output = op.getDpsInits()[0];
  auto element = cast<FloatType>(getElementTypeOrSelf(output.getType()));
  int64_t lanes = vectorBytes * 8 / element.getWidth();
  int64_t elementBytes = element.getWidth() / 8;
  int64_t width = lanes * (plan->columns ? kColumnVectors : kRowVectors);
  // Columns wider than one block of registers, one summed loop: rows
  // streamed into L1 blocks of the output (ColumnStreams.cpp).
  int64_t staticColumns = op.getStaticLoopRanges()[plan->v];
  bool oneBlock =
      !ShapedType::isDynamic(staticColumns) && staticColumns <= width;
  if (plan->columns && plan->sums.size() == 1 && !oneBlock)
    return streamColumnSums(rewriter, op, plan->v, plan->sums[0], plan->outer,
                            termValue, add, streamOperand(op, plan->v),
                            vectorBytes, minParallelIterations);

  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  Emitter e{rewriter, loc};
  VectorEmitter ve{e, VectorType::get({width}, element)};
  SmallVector<Range> ranges = op.createLoopRanges(rewriter, loc);
  SmallVector<Value> ubs;
  for (Range range : ranges)
    ubs.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, range.size));
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<Value> ivs(ranges.size());
  Value zero = arith::ConstantOp::create(rewriter, loc,
                                        rewriter.getZeroAttr(element));
  Value zeroVector = ve.zeroVector();

  // The term at `ivs` in `width` lanes along v (lanes off `mask`, if any,
  // undefined).
  auto termAt = [&](OpBuilder &b, Location l, Value mask) -> Value {
    return vectorBody(b, l, op, plan->v, ivs, ve.vec, mask, termValue,
                      add.getOperation());
  };

  // The sum over [0, ub) in steps of `step`, in chunks of kSumChunk
  // iterations' terms (each from zero) when the loop may be longer.
  auto chunkedSum = [&](OpBuilder &b, Location l, Value lb, Value ub,
                        int64_t step, Value init,
                        function_ref<Value(OpBuilder &, Location, Value)> term)
      -> Value {
    Emitter ie{b, l};
    std::optional<int64_t> size = getConstantIntValue(ub);
    if (size && *size <= kSumChunk)
      return emitSumLoop(b, l, lb, ub, ie.c(step), init, term);
    Value chunk = ie.c(kSumChunk);
    return emitSumLoop(b, l, lb, ub, chunk, init,
                   [&](OpBuilder &nb, Location nl, Value c0) {
                     Emitter ce{nb, nl};
                     Value end = ce.min(ce.add(c0, chunk), ub);
                     return emitSumLoop(nb, nl, c0, end, ce.c(step), init, term);
                   });
  };

  // Rows: the vector sum along v (whole vectors, then the masked rest),
  // reduced across lanes.
  // Lanes [at, at + count) of the term along v, the others zero.
  auto maskedTerm = [&](OpBuilder &b, Location l, Value at,
                        Value count) -> Value {
    VectorEmitter ne{{b, l}, ve.vec};
    ivs[plan->v] = at;
    Value mask = ne.mask(count);
    return arith::SelectOp::create(b, l, mask, termAt(b, l, mask),
                                   zeroVector);
  };
  // Rows: the vector sum along v (a masked head up to the stream's 64-byte
  // alignment for long rows, whole vectors, then the masked rest), reduced
  // across lanes.
  std::optional<int64_t> rowLength = getConstantIntValue(ubs[plan->v]);
  bool peel = !plan->columns && VectorEmitter::worthPeeling(
                                    rowLength.value_or(ShapedType::kDynamic));
  // The range of the outermost summed loop (v when it is the only one):
  // all of it, or one part of a sum split over threads.
  Value partLb, partUb;
  auto rangeOf = [&](unsigned d, Emitter &ne) -> std::pair<Value, Value> {
    bool first = plan->sums.empty() ? d == plan->v : d == plan->sums[0];
    if (first && partLb)
      return {partLb, partUb};
    return {ne.c(0), ubs[d]};
  };
  // Prefetches of each stream's (input, row loop) line `ahead` rows on
  // (clamped to its last row), every 64 bytes of `count` elements from v's
  // index: short rows' and columns' alike.
  using Streams = SmallVector<std::pair<OpOperand *, unsigned>>;
  auto prefetchAhead = [&](OpBuilder &b, Location l, const Streams &streams,
                           int64_t ahead, int64_t count) {
    Emitter pe{b, l};
    int64_t lineElements = 64 / elementBytes;
    for (auto [stream, row] : streams) {
      SmallVector<Value> at(ivs);
      at[row] =
          pe.min(pe.add(ivs[row], pe.c(ahead)), pe.sub(ubs[row], pe.c(1)));
      for (int64_t c = 0; c < count; c += lineElements) {
        at[plan->v] = c ? pe.add(ivs[plan->v], pe.c(c)) : ivs[plan->v];
        pe.prefetch(stream->get(),
                    indicesOf(maps[stream->getOperandNumber()], at));
      }
    }
  };
  // Short rows (at most kShortRowBytes) prefetch the lines of the row
  // kShortRowAheadBytes ahead along the loop of each input's next-to-last
  // dimension (clamped to its last row), for `count` elements from v's
  // index: the hardware prefetcher alone left ij->i 40000x200 f32 at
  // ~28 GB/s on one thread (ThinKernels.cpp prefetches dot products alike).
  Streams rowStreams;
  int64_t shortRowsAhead = 0;
  if (!plan->columns && rowLength && *rowLength > 0 &&
      *rowLength * elementBytes <= kShortRowBytes) {
    shortRowsAhead =
        llvm::divideCeil(kShortRowAheadBytes, *rowLength * elementBytes);
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      if (map.getNumResults() < 2 || !map.isFunctionOfDim(plan->v))
        continue;
      auto row =
          dyn_cast<AffineDimExpr>(map.getResult(map.getNumResults() - 2));
      if (row && row.getPosition() != plan->v)
        rowStreams.push_back({input, row.getPosition()});
    }
  }
  auto rowSum = [&](OpBuilder &b, Location l) -> Value {
    VectorEmitter ne{{b, l}, ve.vec};
    auto [lo, ub] = rangeOf(plan->v, ne.e);
    Value begin = lo;
    if (peel) {
      ivs[plan->v] = lo;
      OpOperand *stream = streamOperand(op, plan->v);
      begin = ne.e.min(
          ne.e.add(lo, ne.elementsToAlignment(
                           stream->get(),
                           indicesOf(maps[stream->getOperandNumber()], ivs))),
          ub);
    }
    Value length = ne.e.sub(ub, begin);
    Value full = ne.e.sub(
        ub, arith::RemSIOp::create(b, l, length, ne.e.c(width)));
    Value lanesSum = chunkedSum(b, l, begin, full, width, zeroVector,
                                [&](OpBuilder &nb, Location nl, Value iv) {
                                  ivs[plan->v] = iv;
                                  prefetchAhead(nb, nl, rowStreams,
                                                shortRowsAhead, width);
                                  return termAt(nb, nl, Value());
                                });
    // (The rest's line, at most the row's last element.)
    ivs[plan->v] = ne.e.min(full, ne.e.sub(ub, ne.e.c(1)));
    prefetchAhead(b, l, rowStreams, shortRowsAhead, 1);
    if (peel)
      lanesSum = arith::AddFOp::create(
          b, l, lanesSum, maskedTerm(b, l, lo, ne.e.sub(begin, lo)));
    lanesSum = arith::AddFOp::create(b, l, lanesSum,
                                     maskedTerm(b, l, full,
                                                ne.e.sub(ub, full)));
    return vector::ReductionOp::create(b, l, vector::CombiningKind::ADD,
                                       lanesSum,
                                       arith::FastMathFlags::reassoc);
  };
  // Columns: each row's lines are prefetched ~1 KiB ahead along the
  // innermost summed loop. The hardware prefetcher alone kept ijk->ik
  // 200x200x200 at ~31 GB/s on one thread; a C loop of the same loads ran
  // 20-25% faster with these prefetches.
  int64_t blockColumns = oneBlock ? staticColumns : width;
  int64_t rowsAhead = llvm::divideCeil(
      kPrefetchBytes, std::max<int64_t>(blockColumns, 1) * elementBytes);
  // (Every input that reads both the row and the columns: bij,bij->bj
  // streams two.)
  Streams columnStreams;
  if (plan->columns && !plan->sums.empty())
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      if (map.isFunctionOfDim(plan->v) &&
          map.isFunctionOfDim(plan->sums.back()))
        columnStreams.push_back({input, plan->sums.back()});
    }
  // The sum over plan->sums[k..] (and v for rows); `mask`: columns' lanes.
  std::function<Value(OpBuilder &, Location, unsigned, Value)> sumFrom =
      [&](OpBuilder &b, Location l, unsigned k, Value mask) -> Value {
    if (k == plan->sums.size()) {
      if (!columnStreams.empty())
        prefetchAhead(b, l, columnStreams, rowsAhead, blockColumns);
      return plan->columns ? termAt(b, l, mask) : rowSum(b, l);
    }
    unsigned d = plan->sums[k];
    Emitter ne{b, l};
    auto [lo, hi] = rangeOf(d, ne);
    return chunkedSum(b, l, lo, hi, 1,
                      plan->columns ? zeroVector : zero,
                      [&, d, k](OpBuilder &nb, Location nl, Value iv) {
                        ivs[d] = iv;
                        return sumFrom(nb, nl, k + 1, mask);
                      });
  };

  // The loops over the output: plan->outer, then (columns) v in blocks.
  SmallVector<unsigned> outerLoops = plan->outer;
  if (plan->columns)
    outerLoops.push_back(plan->v);
  int64_t iterations = staticIterations(op);
  bool parallel = minParallelIterations > 0 && !outerLoops.empty() &&
                  iterations >= minParallelIterations;
  // Columns: the block of output lanes at ivs (`mask`: those in range,
  // null for all; masked loads are slower) gets the sum added.
  auto columnBlock = [&](Value mask) {
    SmallVector<Value> outAt = indicesOf(maps.back(), ivs);
    Value sum = sumFrom(rewriter, loc, 0, mask);
    if (!mask) {
      Value old = vector::LoadOp::create(rewriter, loc, ve.vec, output, outAt);
      vector::StoreOp::create(rewriter, loc,
                              arith::AddFOp::create(rewriter, loc, old, sum),
                              output, outAt);
      return;
    }
    Value old = vector::MaskedLoadOp::create(rewriter, loc, ve.vec, output,
                                             outAt, mask, zeroVector);
    vector::MaskedStoreOp::create(rewriter, loc, output, outAt, mask,
                                  arith::AddFOp::create(rewriter, loc, old,
                                                        sum));
  };
  // Columns in several blocks (more than one summed loop) start at the
  // stream's alignment. Columns that fit one block are not peeled: the head
  // would be a second pass over the rows (ijk->ik 200x200x256 on one thread
  // 1.9-2.8 -> 1.3 ms), and its mask would not be a constant.
  bool peelColumns = plan->columns && !oneBlock;
  for (auto [i, d] : llvm::enumerate(outerLoops)) {
    Value lb = e.c(0), ub = ubs[d], step = e.c(1);
    if (plan->columns && d == plan->v) {
      step = e.c(width);
      if (peelColumns) {
        // A masked block up to the largest input's 64-byte alignment
        // first: the blocks after it load aligned vectors (2x faster).
        for (unsigned s : plan->sums)
          ivs[s] = e.c(0);
        ivs[d] = e.c(0);
        OpOperand *stream = streamOperand(op, d);
        lb = e.min(ve.elementsToAlignment(
                       stream->get(),
                       indicesOf(maps[stream->getOperandNumber()], ivs)),
                   ubs[d]);
        e.ifThen(e.lt(e.c(0), lb), [&] { columnBlock(ve.mask(lb)); });
      }
      // The whole blocks from lb (a loop below), then a masked last one.
      Value rest = arith::RemSIOp::create(rewriter, loc, e.sub(ubs[d], lb),
                                          step);
      Value full = e.sub(ubs[d], rest);
      ivs[d] = full;
      e.ifThen(e.lt(e.c(0), rest), [&] { columnBlock(ve.mask(rest)); });
      ub = full;
    }
    ivs[d] = openOutputLoop(rewriter, loc, lb, ub, step, i == 0 && parallel);
  }
  // A large sum to one element, on threads: kSumParts parts of the
  // outermost summed loop, each summed on its own into a scratch element,
  // then the parts' sums added in order.
  bool splitSum = !plan->columns && minParallelIterations > 0 &&
                  outerLoops.empty() && iterations >= minParallelIterations;
  if (plan->columns) {
    columnBlock(Value());
  } else if (splitSum) {
    unsigned d = plan->sums.empty() ? plan->v : plan->sums[0];
    Value parts = e.c(kSumParts);
    Value per = arith::CeilDivSIOp::create(rewriter, loc, ubs[d], parts);
    Value partial = memref::AllocaOp::create(
        rewriter, loc, MemRefType::get({kSumParts}, element));
    auto loop = scf::ParallelOp::create(rewriter, loc, ValueRange{e.c(0)},
                                        ValueRange{parts}, ValueRange{e.c(1)});
    {
      OpBuilder::InsertionGuard inLoop(rewriter);
      rewriter.setInsertionPoint(loop.getBody()->getTerminator());
      Value p = loop.getInductionVars()[0];
      partLb = e.min(e.mul(p, per), ubs[d]);
      partUb = e.min(e.add(partLb, per), ubs[d]);
      memref::StoreOp::create(rewriter, loc, sumFrom(rewriter, loc, 0, Value()),
                              partial, ValueRange{p});
      partLb = partUb = Value();
    }
    Value total = emitSumLoop(
        rewriter, loc, e.c(0), parts, e.c(1), zero,
        [&](OpBuilder &b, Location l, Value p) -> Value {
          return memref::LoadOp::create(b, l, partial, ValueRange{p});
        });
    addToOutput(rewriter, loc, output, indicesOf(maps.back(), ivs), total);
  } else {
    SmallVector<Value> outAt = indicesOf(maps.back(), ivs);
    addToOutput(rewriter, loc, output, outAt, sumFrom(rewriter, loc, 0, Value()));
  }
  rewriter.eraseOp(op);
  return success();
}

/// A sum whose inputs are contiguous along an output loop that is not the
/// output's contiguous one (ijk->ki) sums columns into a buffer laid out
/// with that loop last, between transposing copies of the output in and out
/// (Transposes.cpp): the output is usually far smaller than the inputs.
static LogicalResult sumThroughTranspose(RewriterBase &rewriter,
                                         linalg::LinalgOp op,
                                         int64_t vectorBytes,
                                         int64_t minParallelIterations) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  arith::AddFOp add = matchSumOfTerms(op);
  if (!generic || !add || !vectorizableBody(op, add))
    return failure();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  AffineMap outMap = maps.back();
  unsigned rank = outMap.getNumResults();
  OpOperand *stream = nullptr;
  for (OpOperand *input : op.getDpsInputOperands()) {
    unsigned results = op.getMatchingIndexingMap(input).getNumResults();
    if (results > 0 && (!stream || results > op.getMatchingIndexingMap(stream)
                                                  .getNumResults()))
      stream = input;
  }
  if (!outMap.isProjectedPermutation() || rank < 2 || !stream ||
      !unitInnerStride(stream->get()))
    return failure();
  unsigned a = dimOf(op.getMatchingIndexingMap(stream).getResults().back());
  std::optional<unsigned> position = outMap.getResultPosition(
      getAffineDimExpr(a, op.getContext()));
  if (!position || *position == rank - 1)
    return failure();

  // The buffer's dimensions: the output's, `position` moved last.
  SmallVector<unsigned> order;
  for (unsigned i = 0; i < rank; ++i)
    if (i != *position)
      order.push_back(i);
  order.push_back(*position);
  Location loc = op.getLoc();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Value output = op.getDpsInits()[0];
  auto outType = cast<MemRefType>(output.getType());
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamicSizes;
  SmallVector<AffineExpr> sumResults, outputOfBuffer(rank);
  for (auto [i, d] : llvm::enumerate(order)) {
    shape.push_back(outType.getDimSize(d));
    if (outType.isDynamicDim(d))
      dynamicSizes.push_back(memref::DimOp::create(rewriter, loc, output, d));
    sumResults.push_back(outMap.getResult(d));
    outputOfBuffer[d] = rewriter.getAffineDimExpr(i);
  }
  Value buffer = memref::AllocOp::create(
      rewriter, loc, MemRefType::get(shape, outType.getElementType()),
      dynamicSizes, rewriter.getI64IntegerAttr(64));
  maps.back() = AffineMap::get(outMap.getNumDims(), 0, sumResults,
                               op.getContext());
  auto sum = linalg::GenericOp::create(
      rewriter, loc, TypeRange{}, op.getDpsInputs(), ValueRange{buffer}, maps,
      op.getIteratorTypesArray());
  rewriter.cloneRegionBefore(generic.getRegion(), sum.getRegion(),
                             sum.getRegion().end());
  std::optional<SumPlan> plan = planSum(sum);
  if (!plan || !plan->columns) {
    rewriter.eraseOp(sum);
    rewriter.eraseOp(buffer.getDefiningOp());
    return failure();
  }
  // out <-> buffer copies, over the buffer's dimensions.
  AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
  AffineMap outputMap = AffineMap::get(rank, 0, outputOfBuffer,
                                       op.getContext());
  SmallVector<utils::IteratorType> parallel(rank,
                                            utils::IteratorType::parallel);
  auto copy = [&](Value from, AffineMap fromMap, Value to, AffineMap toMap) {
    return linalg::GenericOp::create(
        rewriter, loc, TypeRange{}, ValueRange{from}, ValueRange{to},
        ArrayRef<AffineMap>{fromMap, toMap}, parallel,
        [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, args[0]);
        });
  };
  rewriter.setInsertionPoint(sum);
  auto copyIn = copy(output, outputMap, buffer, identity);
  rewriter.setInsertionPointAfter(sum);
  auto copyOut = copy(buffer, identity, output, outputMap);
  memref::DeallocOp::create(rewriter, loc, buffer);
  // Copies that are not transposes (an output with strided rows) stay
  // linalg ops, lowered to loops later.
  (void)vectorizeTranspose(rewriter, copyIn, vectorBytes,
                           minParallelIterations);
  (void)vectorizeTranspose(rewriter, copyOut, vectorBytes,
                           minParallelIterations);
  if (failed(vectorizeSumInPlace(rewriter, sum, vectorBytes,
                                 minParallelIterations)))
    return failure(); // Unreachable: planSum succeeded.
  rewriter.eraseOp(op);
  return success();
}

Value mlir::ein::vectorBody(OpBuilder &b, Location loc, linalg::LinalgOp op,
                            unsigned v, ArrayRef<Value> ivs, VectorType vec,
                            Value mask, Value result, Operation *skip) {
  return vectorBodies(b, loc, op, v, ivs, vec, mask, ValueRange{result},
                      skip)[0];
}

SmallVector<Value> mlir::ein::vectorBodies(OpBuilder &b, Location loc,
                                           linalg::LinalgOp op, unsigned v,
                                           ArrayRef<Value> ivs, VectorType vec,
                                           Value mask, ValueRange results,
                                           Operation *skip) {
  auto widen = [&](Value value) -> Value {
    if (isa<VectorType>(value.getType()))
      return value;
    return vector::BroadcastOp::create(
        b, loc, VectorType::get(vec.getShape(), value.getType()), value);
  };
  IRMapping mapping;
  Block *body = op.getBlock();
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    SmallVector<Value> at = indicesOf(map, ivs);
    Value value;
    if (!map.isFunctionOfDim(v))
      value = memref::LoadOp::create(b, loc, input->get(), at);
    else if (mask)
      value = vector::MaskedLoadOp::create(
          b, loc, vec, input->get(), at, mask,
          arith::ConstantOp::create(
              b, loc, vec,
              DenseElementsAttr::get(
                  vec, b.getZeroAttr(vec.getElementType()))));
    else
      value = vector::LoadOp::create(b, loc, vec, input->get(), at);
    mapping.map(body->getArgument(input->getOperandNumber()), value);
  }
  for (Operation &inner : body->without_terminator()) {
    if (&inner == skip)
      continue;
    if (isa<arith::ConstantOp>(inner)) {
      b.clone(inner, mapping);
      continue;
    }
    OperationState state(loc, inner.getName());
    for (Value operand : inner.getOperands())
      state.addOperands(widen(mapping.lookupOrDefault(operand)));
    state.addAttributes(inner.getAttrs());
    for (Type type : inner.getResultTypes())
      state.addTypes(VectorType::get(vec.getShape(), type));
    mapping.map(inner.getResults(), b.create(state)->getResults());
  }
  SmallVector<Value> values;
  for (Value result : results)
    values.push_back(widen(mapping.lookupOrDefault(result)));
  return values;
}

bool mlir::ein::sumsColumnsInPlace(linalg::LinalgOp op) {
  arith::AddFOp add = matchSumOfTerms(op);
  if (!add || !vectorizableBody(op, add))
    return false;
  std::optional<SumPlan> plan = planSum(op);
  return plan && plan->columns;
}

LogicalResult mlir::ein::vectorizeSum(RewriterBase &rewriter,
                                      linalg::LinalgOp op, int64_t vectorBytes,
                                      int64_t minParallelIterations) {
  if (succeeded(vectorizeSumInPlace(rewriter, op, vectorBytes,
                                    minParallelIterations)))
    return success();
  return sumThroughTranspose(rewriter, op, vectorBytes, minParallelIterations);
}
