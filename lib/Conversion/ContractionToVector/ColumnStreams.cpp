//===- ColumnStreams.cpp - Wide column sums streamed by rows --------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// A column sum of terms over one summed loop (ij,ij->j, bij,bij->bj,
// sum(exp(x) * y, axis=0)) whose columns are wider than VectorSums.cpp's
// register block: there each block of 16 vectors walked down every row, a
// few hundred bytes per row and block, so the inputs were read in short
// strided bursts (ij,ij->j on 4096² f32: 8.0 ms on one thread, numpy 6.0).
// Here the output is walked in blocks of 16 KiB (in L1) and each block adds
// the rows in order, four at a time, each row a contiguous run:
//
//   for each output block [n0, n0 + count):
//     for each chunk of kSumChunk rows:        (long sums only)
//       partial[n0:] = 0
//       for k in chunk, four rows a pass:  partial[n0 + n] += term(k, n)
//       out[n0:] += partial[n0:]
//
// A short sum (at most kSumChunk rows) adds its rows into the output
// directly. Each lane's sum is the one VectorSums.cpp's column sums form:
// kSumChunk terms from zero, then those chunks in order (docs/Numerics.md).
//
//===----------------------------------------------------------------------===//

#include "Emitter.h"
#include "OpShape.h"
#include "SumOfTerms.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"

using namespace mlir;
using namespace mlir::ein;

/// Bytes of output one block covers, and rows added per pass over it.
static constexpr int64_t kBlockBytes = 16384;
static constexpr int64_t kRowsAtOnce = 4;

LogicalResult mlir::ein::streamColumnSums(RewriterBase &rewriter,
                                          linalg::LinalgOp op, unsigned v,
                                          unsigned s, ArrayRef<unsigned> outer,
                                          Value term, Operation *add,
                                          OpOperand *stream,
                                          int64_t vectorBytes,
                                          int64_t minParallelIterations) {
  Value output = op.getDpsInits()[0];
  auto element = cast<FloatType>(getElementTypeOrSelf(output.getType()));
  int64_t bytes = element.getWidth() / 8;
  int64_t lanes = vectorBytes / bytes;
  SmallVector<int64_t> sizes = op.getStaticLoopRanges();

  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  Emitter e{rewriter, loc};
  VectorEmitter ve{e, VectorType::get({lanes}, element)};
  SmallVector<Value> ubs;
  for (Range range : op.createLoopRanges(rewriter, loc))
    ubs.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, range.size));
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<Value> ivs(ubs.size());
  int64_t iterations = staticIterations(op);
  bool parallel = minParallelIterations > 0 &&
                  (iterations < 0 || iterations >= minParallelIterations);
  bool parallelOuter = parallel && !outer.empty();
  bool parallelColumns = parallel && outer.empty();
  Value columns = ubs[v];
  // Threads split the columns (no outer loop): at least four blocks of
  // whole vectors, each at least eight vectors wide.
  Value block = e.c(kBlockBytes / bytes);
  if (parallelColumns) {
    Value quarter = arith::CeilDivSIOp::create(rewriter, loc, columns, e.c(4));
    Value vectors = arith::CeilDivSIOp::create(rewriter, loc, quarter,
                                               e.c(lanes));
    Value width = arith::MaxSIOp::create(rewriter, loc,
                                         e.mul(vectors, e.c(lanes)),
                                         e.c(8 * lanes));
    block = e.min(block, width);
  }
  bool chunked = ShapedType::isDynamic(sizes[s]) || sizes[s] > kSumChunk;
  // The partial sums of a chunk: one row of the output's columns, blocks
  // on threads in disjoint parts of it; a parallel outer loop's iterations
  // each have their own.
  auto partialRow = [&]() -> Value {
    return memref::AllocOp::create(
        rewriter, loc, MemRefType::get({ShapedType::kDynamic}, element),
        ValueRange{columns}, rewriter.getI64IntegerAttr(64));
  };
  Value sharedPartial = chunked && !parallelOuter ? partialRow() : Value();
  Value partial = sharedPartial;
  Operation *outerBodyEnd = nullptr;
  for (auto [i, d] : llvm::enumerate(outer)) {
    ivs[d] = openOutputLoop(rewriter, loc, e.c(0), ubs[d], e.c(1),
                            i == 0 && parallelOuter);
    if (i == 0 && parallelOuter && chunked) {
      partial = partialRow();
      outerBodyEnd = rewriter.getInsertionBlock()->getTerminator();
    }
  }
  Value n0 = openOutputLoop(rewriter, loc, e.c(0), columns, block,
                            parallelColumns);
  Value count = e.min(block, e.sub(columns, n0));

  // body(n, mask) for the vectors of [0, count): a masked one up to `head`
  // first (the stream's alignment), whole vectors, a masked last one.
  auto vectorLoop = [&](Value head, function_ref<void(Value, Value)> body) {
    Value first = e.min(head, count);
    e.ifThen(e.lt(e.c(0), first), [&] { body(e.c(0), ve.mask(first)); });
    Value rest = arith::RemSIOp::create(rewriter, loc, e.sub(count, first),
                                        e.c(lanes));
    Value full = e.sub(count, rest);
    e.loop(first, full, e.c(lanes), [&](Value n) { body(n, Value()); });
    e.ifThen(e.lt(e.c(0), rest), [&] { body(full, ve.mask(rest)); });
  };
  // Where column n0 + n lies in the output, or in the partial row.
  auto outputAt = [&](Value n) {
    ivs[v] = e.add(n0, n);
    return indicesOf(maps.back(), ivs);
  };
  auto partialAt = [&](Value n) {
    return SmallVector<Value>{e.add(n0, n)};
  };
  // target[n] += term(k, n) for k in [kBegin, kEnd), kRowsAtOnce rows per
  // pass over the block.
  auto addRows = [&](Value target,
                     function_ref<SmallVector<Value>(Value)> targetAt,
                     Value kBegin, Value kEnd) {
    auto pass = [&](Value k0, int64_t rows) {
      ivs[s] = k0;
      ivs[v] = n0;
      Value head = ve.elementsToAlignment(
          stream->get(), indicesOf(maps[stream->getOperandNumber()], ivs));
      vectorLoop(head, [&](Value n, Value mask) {
        SmallVector<Value> at = targetAt(n);
        Value sum = ve.loadMasked(target, at, mask);
        for (int64_t u = 0; u < rows; ++u) {
          ivs[s] = e.add(k0, e.c(u));
          ivs[v] = e.add(n0, n);
          sum = arith::AddFOp::create(
              rewriter, loc, sum,
              vectorBody(rewriter, loc, op, v, ivs, ve.vec, mask, term, add));
        }
        ve.storeMasked(sum, target, at, mask);
      });
    };
    Value span = e.c(kRowsAtOnce);
    Value kFull = e.add(
        kBegin, e.mul(arith::DivSIOp::create(rewriter, loc,
                                             e.sub(kEnd, kBegin), span),
                      span));
    e.loop(kBegin, kFull, span, [&](Value k) { pass(k, kRowsAtOnce); });
    e.loop(kFull, kEnd, e.c(1), [&](Value k) { pass(k, 1); });
  };
  if (!chunked) {
    addRows(output, outputAt, e.c(0), ubs[s]);
  } else {
    e.loop(e.c(0), ubs[s], e.c(kSumChunk), [&](Value k0) {
      Value kEnd = e.min(e.add(k0, e.c(kSumChunk)), ubs[s]);
      vectorLoop(e.c(0), [&](Value n, Value mask) {
        ve.storeMasked(ve.zeroVector(), partial, partialAt(n), mask);
      });
      addRows(partial, partialAt, k0, kEnd);
      vectorLoop(e.c(0), [&](Value n, Value mask) {
        SmallVector<Value> at = outputAt(n);
        Value sum = arith::AddFOp::create(rewriter, loc,
                                          ve.loadMasked(output, at, mask),
                                          ve.loadMasked(partial, partialAt(n),
                                                        mask));
        ve.storeMasked(sum, output, at, mask);
      });
    });
  }
  if (outerBodyEnd) {
    rewriter.setInsertionPoint(outerBodyEnd);
    memref::DeallocOp::create(rewriter, loc, partial);
  }
  if (sharedPartial) {
    rewriter.setInsertionPointAfter(op);
    memref::DeallocOp::create(rewriter, loc, sharedPartial);
  }
  rewriter.eraseOp(op);
  return success();
}
