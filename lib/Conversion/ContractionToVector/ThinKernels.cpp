//===- ThinKernels.cpp - Matrix-vector and dot-product contractions -------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Contractions with a single output row are memory-bound: packing would
// double the traffic and a register tile would idle. They stream their
// operands once instead:
//
// - row vector x matrix with contiguous matrix rows (i,ij->j): for each
//   block of 16 KiB of output columns (kept in L1), for each k,
//   C[n:] += A[k] * B[k, n:] in vector FMAs (for long sums, kRowChunk rows
//   at a time into a zeroed partial row, which is then added to C);
// - dot products along a contiguous depth (ij,j->i, ij,ij->, bi,bi->b):
//   four output elements at a time share the loads of A, two vector
//   accumulators each, summed from zero in chunks that are added to running
//   totals, a horizontal sum at the end.
//
//===----------------------------------------------------------------------===//

#include "Emitter.h"
#include "GemmProblem.h"
#include "SumOfTerms.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::ein;

/// Steps (of two vectors) a dot product's accumulators take from zero
/// before they are added to its running totals.
static constexpr int64_t kDotChunkSteps = 128;

/// Rows of B a row-vector product adds into a zeroed partial row
/// before the block is added to C.
static constexpr int64_t kRowChunk = 512;
/// Slices of kRowChunk rows on threads, at most (partial rows in memory).
static constexpr int64_t kMaxRowSlices = 64;
/// Dot products along rows of at most this many bytes prefetch their
/// operands kPrefetchBytes ahead.
static constexpr int64_t kShortRowBytes = 4096;
static constexpr int64_t kPrefetchBytes = 8192;

/// The value of an index computed from constants and static memref sizes
/// (strides before canonicalization), or nullopt.
static std::optional<int64_t> staticIndex(Value v) {
  if (std::optional<int64_t> c = getConstantIntValue(v))
    return c;
  if (auto dim = v.getDefiningOp<memref::DimOp>()) {
    std::optional<int64_t> at = getConstantIntValue(dim.getIndex());
    auto type = dyn_cast<MemRefType>(dim.getSource().getType());
    if (at && type && *at < type.getRank() &&
        !type.isDynamicDim(unsigned(*at)))
      return type.getDimSize(unsigned(*at));
    return std::nullopt;
  }
  if (auto mul = v.getDefiningOp<arith::MulIOp>()) {
    std::optional<int64_t> x = staticIndex(mul.getLhs());
    std::optional<int64_t> y = staticIndex(mul.getRhs());
    if (x && y)
      return *x * *y;
  }
  return std::nullopt;
}

namespace {
struct ThinEmitter : VectorEmitter {
  const GemmProblem &p;
  int64_t lanes;

  /// body(n, mask) for each vector of [0, count): mask is null for full
  /// vectors, the lanes below count for the last one. With `head`, a masked
  /// vector of the first min(head, count) elements comes first (the rest
  /// then starts aligned).
  void vectorLoop(Value count, function_ref<void(Value, Value)> body) {
    vectorLoop(count, Value(), body);
  }
  void vectorLoop(Value count, Value head,
                  function_ref<void(Value, Value)> body) {
    Value begin = e.c(0);
    if (head) {
      begin = e.min(head, count);
      e.ifThen(e.lt(e.c(0), begin), [&] { body(e.c(0), mask(begin)); });
    }
    e.loop(begin, count, e.c(lanes), [&](Value n) {
      Value rem = e.sub(count, n);
      e.ifThen(
          e.lt(rem, e.c(lanes)), [&] { body(n, mask(rem)); },
          [&] { body(n, nullptr); });
    });
  }
  void rowVector(bool parallel) {
    // 16 KiB of output columns (in L1): 3000 f32 columns are one block, the
    // matrix one sequential stream (8 KiB: two strips, 0.88-1.0 ms for
    // 3000², now 0.84; 0.57-0.77 -> 0.46-0.48 ms on two threads).
    int64_t block = 16384 / (FloatType(p.elementType).getWidth() / 8);
    // Threads take the batch when there is one (bi,bij->bj: splitting each
    // batch's columns forked threads per batch, 64 batches of 256 x 256
    // ran 2.3x slower on two threads than on one); otherwise they split
    // the columns: at least two blocks (of whole vectors).
    bool parallelB =
        parallel && (ShapedType::isDynamic(p.staticB) || p.staticB > 1);
    bool parallelN = parallel && !parallelB;
    // Up to four blocks of columns (64 KiB, in L2) and a long static
    // depth: threads take slices of kRowChunk rows instead, each into its
    // own zeroed partial row, added to C in order after them (the same sums
    // as the chunks below). Each thread streams whole rows: i,ij->j on
    // 4096² 0.82 -> 0.58 ms on two threads (split columns read half of
    // every row); f64 ij->j on 2500² 1.02 -> 0.70 ms, on 1500 x 16000
    // 3.5 -> 2.9 ms (column blocks: 2048 of 2500 columns on one thread).
    auto known = [](int64_t x) { return !ShapedType::isDynamic(x); };
    int64_t slices = known(p.staticK) ? (p.staticK + kRowChunk - 1) / kRowChunk
                                      : 0;
    bool splitK = parallelN && known(p.staticN) && p.staticN <= 4 * block &&
                  slices >= 2 && slices <= kMaxRowSlices;
    if (splitK) {
      parallelN = false;
      block = std::max(block, p.staticN);
    }
    // Otherwise an even number of equal blocks (of whole vectors) while
    // there are few: 2 x 1050 f64 columns instead of 2048 + 52 on two
    // threads (i,ij->j 1000 x 2100: 0.32 -> 0.19 ms).
    if (parallelN && known(p.staticN)) {
      int64_t blocks = std::max<int64_t>(2, (p.staticN + block - 1) / block);
      if (blocks < 8)
        blocks += blocks % 2;
      int64_t perBlock = (p.staticN + blocks - 1) / blocks;
      block = std::max<int64_t>(lanes, (perBlock + lanes - 1) / lanes * lanes);
    }
    // Longer sums: kRowChunk rows at a time into a zeroed partial row (its
    // L1 block), then added to C, so that no element of C is one long
    // running sum. (One heap row for all blocks: parallel column blocks use
    // disjoint parts of it; parallel batches have their own.)
    bool chunked = ShapedType::isDynamic(p.staticK) || p.staticK > kRowChunk;
    // Rows of B are read from their 64-byte alignment on.
    bool peel = worthPeeling(p.staticN);
    auto partialRow = [&]() -> Value {
      if (!chunked)
        return Value();
      return memref::AllocOp::create(
          e.b, e.loc, MemRefType::get({ShapedType::kDynamic}, p.elementType),
          ValueRange{p.nn}, e.b.getI64IntegerAttr(64));
    };
    Value sharedPartial = parallelB ? Value() : partialRow();
    e.outerLoop(parallelB, p.nb, e.c(1), [&](Value bi) {
      Value partial = parallelB ? partialRow() : sharedPartial;
      Value offA = p.batchOffset(e.b, e.loc, bi, 0);
      Value offB = p.batchOffset(e.b, e.loc, bi, 1);
      Value offC = p.batchOffset(e.b, e.loc, bi, 2);
      e.outerLoop(parallelN, p.nn, e.c(block), [&](Value n0) {
        Value count = e.min(e.c(block), e.sub(p.nn, n0));
        Value cRow = e.add(offC, n0);
        // target[base + n] += sum over rows k of A[k] * B[k, n0 + n], four
        // rows of B per pass over the L1 block.
        auto addRows = [&](Value target, Value base, Value kBegin,
                           Value kEnd) {
          constexpr int64_t unroll = 4;
          auto update = [&](Value k0, int64_t rowsAtOnce, int64_t apart) {
            SmallVector<Value> splats, bRows;
            for (int64_t u = 0; u < rowsAtOnce; ++u) {
              Value k = e.add(k0, e.c(u * apart));
              Value a = memref::LoadOp::create(
                  e.b, e.loc, p.a,
                  ValueRange{e.add(offA, e.mul(k, p.sAk))});
              splats.push_back(
                  vector::BroadcastOp::create(e.b, e.loc, vec, a));
              bRows.push_back(
                  e.add(e.add(offB, e.mul(k, p.sBk)), n0));
            }
            Value head = peel ? elementsToAlignment(p.b, bRows[0]) : Value();
            vectorLoop(count, head, [&](Value n, Value m) {
              Value at = e.add(base, n);
              Value sum = loadMasked(target, at, m);
              for (int64_t u = 0; u < rowsAtOnce; ++u)
                sum = vector::FMAOp::create(
                    e.b, e.loc, splats[u],
                    loadMasked(p.b, e.add(bRows[u], n), m), sum);
              storeMasked(sum, target, at, m);
            });
          };
          // Rows whose starts differ within a 64-byte line (3000 f32
          // columns: every other row half a vector off) go in groups of
          // rows `spread` apart that share it, so that all four read
          // aligned vectors after the peel (ji,j->i 3000²: 0.87 -> 0.71-0.73
          // ms on one thread, numpy 0.79-0.85; 0.54 -> 0.32-0.36 on two).
          int64_t spread = 1;
          if (peel)
            if (std::optional<int64_t> pitch = staticIndex(p.sBk)) {
              int64_t bytes = *pitch * (FloatType(p.elementType).getWidth() / 8);
              while (spread < 16 && (spread * bytes) % 64 != 0)
                spread *= 2;
              if ((spread * bytes) % 64 != 0)
                spread = 1;
            }
          int64_t span = unroll * spread;
          Value kFull = e.add(
              kBegin,
              e.mul(arith::DivSIOp::create(e.b, e.loc, e.sub(kEnd, kBegin),
                                           e.c(span)),
                    e.c(span)));
          e.loop(kBegin, kFull, e.c(span), [&](Value kb) {
            if (spread == 1)
              return update(kb, unroll, 1);
            e.loop(e.c(0), e.c(spread), e.c(1), [&](Value r) {
              update(e.add(kb, r), unroll, spread);
            });
          });
          e.loop(kFull, kEnd, e.c(1), [&](Value k) { update(k, 1, 1); });
        };
        if (!chunked)
          return addRows(p.c, cRow, e.c(0), p.nk);
        if (splitK)
          return addRowSlices(count, cRow, slices, addRows);
        e.loop(e.c(0), p.nk, e.c(kRowChunk), [&](Value k0) {
          Value kEnd = e.min(e.add(k0, e.c(kRowChunk)), p.nk);
          vectorLoop(count, [&](Value n, Value m) {
            storeMasked(zeroVector(), partial, e.add(n0, n), m);
          });
          addRows(partial, n0, k0, kEnd);
          vectorLoop(count, [&](Value n, Value m) {
            Value at = e.add(cRow, n);
            Value sum = arith::AddFOp::create(
                e.b, e.loc, loadMasked(p.c, at, m),
                loadMasked(partial, e.add(n0, n), m));
            storeMasked(sum, p.c, at, m);
          });
        });
      });
      if (partial && parallelB)
        memref::DeallocOp::create(e.b, e.loc, partial);
    });
    if (sharedPartial)
      memref::DeallocOp::create(e.b, e.loc, sharedPartial);
  }

  /// C[cRow + n] += the sums of `slices` slices of kRowChunk rows, each
  /// computed on a thread into its own zeroed partial row by `addRows`
  /// (target, base, first row, end row), then added in order.
  void addRowSlices(
      Value count, Value cRow, int64_t slices,
      function_ref<void(Value, Value, Value, Value)> addRows) {
    Value partials = memref::AllocOp::create(
        e.b, e.loc,
        MemRefType::get({ShapedType::kDynamic}, p.elementType),
        ValueRange{e.mul(e.c(slices), count)}, e.b.getI64IntegerAttr(64));
    e.outerLoop(true, e.c(slices), e.c(1), [&](Value slice) {
      Value base = e.mul(slice, count);
      Value k0 = e.mul(slice, e.c(kRowChunk));
      vectorLoop(count, [&](Value n, Value m) {
        storeMasked(zeroVector(), partials, e.add(base, n), m);
      });
      addRows(partials, base, k0, e.min(e.add(k0, e.c(kRowChunk)), p.nk));
    });
    vectorLoop(count, [&](Value n, Value m) {
      Value at = e.add(cRow, n);
      auto sum = scf::ForOp::create(
          e.b, e.loc, e.c(0), e.c(slices), e.c(1),
          ValueRange{loadMasked(p.c, at, m)},
          [&](OpBuilder &b, Location l, Value slice, ValueRange acc) {
            Emitter ie{b, l};
            Value at = ie.add(ie.mul(slice, count), n);
            Value v = m ? Value(vector::MaskedLoadOp::create(
                              b, l, vec, partials, ValueRange{at}, m,
                              zeroVector()))
                        : Value(vector::LoadOp::create(b, l, vec, partials,
                                                       ValueRange{at}));
            scf::YieldOp::create(b, l,
                                 ValueRange{arith::AddFOp::create(
                                     b, l, acc[0], v)});
          });
      storeMasked(sum.getResult(0), p.c, at, m);
    });
    memref::DeallocOp::create(e.b, e.loc, partials);
  }

  /// sum_k A[a + k] * B[bases[r] + k], k < nk, for each r: the loads of A
  /// are shared, two vector accumulators per row.
  SmallVector<Value> dots(Value aBase, ArrayRef<Value> bBases) {
    return dots(aBase, bBases, p.nk, p.staticK);
  }
  /// The same over `nk` elements (`staticK` when static) from the bases.
  SmallVector<Value> dots(Value aBase, ArrayRef<Value> bBases, Value nk,
                          int64_t staticK) {
    int64_t rows = bBases.size();
    // Vector accumulators per row: four for a lone dot product (two chains
    // of FMAs and chunks of 2048 f64 ran 10-15% below a C loop of the
    // same loads on aligned data), two when rows share the loads of A.
    int64_t unroll = rows == 1 ? 4 : 2;
    Value step = e.c(unroll * lanes);
    // Long dot products read B's first row from its 64-byte alignment on;
    // the elements before (begin of them) are a masked head.
    Value begin = e.c(0);
    bool peel = worthPeeling(staticK);
    if (peel)
      begin = e.min(elementsToAlignment(p.b, bBases[0]), nk);
    // Whole steps from `from` on, leaving at least `spare` elements after.
    auto stepsEnd = [&](OpBuilder &nb, Location loc, Value from,
                        Value spare) {
      Emitter in{nb, loc};
      Value count = arith::MaxSIOp::create(
          nb, loc, in.sub(in.sub(nk, from), spare), in.c(0));
      return in.add(from,
                    in.mul(arith::DivSIOp::create(nb, loc, count, step), step));
    };
    SmallVector<Value> init(rows * unroll, zeroVector());
    // Chunks of kDotChunkSteps steps, each summed from zero and then added
    // to the running totals: a lane adds at most kDotChunkSteps +
    // nk / (kDotChunkSteps * step) terms in a row, not nk / step.
    Value chunk = e.c(kDotChunkSteps * unroll * lanes);
    // The main loop from `begin` to `end` in chunks; `extra` values ride
    // along (the steps yield them after the accumulators).
    auto mainLoop = [&](OpBuilder &nb, Location loc, Value end,
                        ValueRange extra, scf::ForOp::BodyBuilderFn steps) {
      SmallVector<Value> start(init);
      start.append(extra.begin(), extra.end());
      return scf::ForOp::create(
          nb, loc, begin, end, chunk, start,
          [&](OpBuilder &cb, Location cl, Value c0, ValueRange totals) {
            Emitter in{cb, cl};
            Value chunkEnd = in.min(in.add(c0, chunk), end);
            SmallVector<Value> from(init);
            for (Value v : totals.drop_front(init.size()))
              from.push_back(v);
            auto inner =
                scf::ForOp::create(cb, cl, c0, chunkEnd, step, from, steps);
            SmallVector<Value> out;
            for (auto [total, part] :
                 llvm::zip(totals.take_front(init.size()),
                           inner.getResults().take_front(init.size())))
              out.push_back(arith::AddFOp::create(cb, cl, total, part));
            for (Value v : inner.getResults().drop_front(init.size()))
              out.push_back(v);
            scf::YieldOp::create(cb, cl, out);
          });
    };
    // Short rows (at most kShortRowBytes) prefetch their operands'
    // lines kPrefetchBytes ahead (clamped to the last element): the
    // hardware prefetcher alone left `ij,j->i` 40000x200 f32 at 1.0 ms and
    // 40000x256 at 2.0 ms on one thread, where 2000x4000 (the same bytes)
    // took 0.55. A is streamed too when no rows share it.
    int64_t elementBytes = p.elementType.getIntOrFloatBitWidth() / 8;
    bool prefetch = !ShapedType::isDynamic(staticK) &&
                    staticK * elementBytes <= kShortRowBytes;
    auto lastOf = [&](Value mem) {
      return e.sub(memref::DimOp::create(e.b, e.loc, mem, 0), e.c(1));
    };
    Value bLast = prefetch ? lastOf(p.b) : Value();
    Value aLast = prefetch && rows == 1 ? lastOf(p.a) : Value();
    auto prefetchAhead = [&](Emitter &in, Value mem, Value at, Value last) {
      in.prefetch(mem,
                  ValueRange{in.min(
                      in.add(at, in.c(kPrefetchBytes / elementBytes)), last)});
    };
    auto steps = [&](OpBuilder &nb, Location loc, Value k, ValueRange acc) {
      Emitter in{nb, loc};
      SmallVector<Value> out(acc);
      for (int64_t u = 0; u < unroll; ++u) {
        Value off = in.add(k, in.c(u * lanes));
        if (aLast)
          prefetchAhead(in, p.a, in.add(aBase, off), aLast);
        Value x = vector::LoadOp::create(nb, loc, vec, p.a,
                                         ValueRange{in.add(aBase, off)});
        for (int64_t r = 0; r < rows; ++r) {
          if (bLast)
            prefetchAhead(in, p.b, in.add(bBases[r], off), bLast);
          Value y = vector::LoadOp::create(
              nb, loc, vec, p.b, ValueRange{in.add(bBases[r], off)});
          out[r * unroll + u] =
              vector::FMAOp::create(nb, loc, x, y, acc[r * unroll + u]);
        }
      }
      scf::YieldOp::create(nb, loc, out);
    };
    // A lone long dot product whose A starts `shift` elements past a
    // 64-byte line where B's aligned part starts: A read in aligned
    // vectors too, each step's windows cut from two neighbours by a lane
    // shift, the last vector carried to the next step. (NumPy's large
    // arrays start 0 or 16 bytes past a line, and with A 16-48 bytes off
    // every 64-byte load of A spanned two lines: `i,i->` 4M f32 on one
    // thread 0.69-0.80 -> 0.64-0.68 ms, 0.56-0.59 with both aligned.) Its
    // windows reach `lanes` elements past the step: it stops where at
    // least that many are left.
    auto shiftedSteps = [&](int64_t shift) {
      return [&, shift](OpBuilder &nb, Location loc, Value k,
                        ValueRange acc) {
        Emitter in{nb, loc};
        SmallVector<int64_t> window;
        for (int64_t x = 0; x < lanes; ++x)
          window.push_back(shift + x);
        SmallVector<Value> out(acc.take_front(unroll));
        Value previous = acc[unroll];
        Value aligned = in.sub(in.add(aBase, k), in.c(shift));
        for (int64_t u = 0; u < unroll; ++u) {
          Value next = vector::LoadOp::create(
              nb, loc, vec, p.a,
              ValueRange{in.add(aligned, in.c((u + 1) * lanes))});
          Value x =
              vector::ShuffleOp::create(nb, loc, previous, next, window);
          Value y = vector::LoadOp::create(
              nb, loc, vec, p.b,
              ValueRange{in.add(bBases[0], in.add(k, in.c(u * lanes)))});
          out[u] = vector::FMAOp::create(nb, loc, x, y, acc[u]);
          previous = next;
        }
        out.push_back(previous);
        scf::YieldOp::create(nb, loc, out);
      };
    };
    // The main loop's accumulators and where it ended.
    SmallVector<Value> mainResults;
    auto plainMain = [&](OpBuilder &nb, Location loc) {
      Value end = stepsEnd(nb, loc, begin, Emitter{nb, loc}.c(0));
      SmallVector<Value> out(mainLoop(nb, loc, end, {}, steps).getResults());
      out.push_back(end);
      return out;
    };
    if (rows == 1 && peel && lanes % 4 == 0) {
      Value toLine = elementsToAlignment(p.a, e.add(aBase, begin));
      Value shift = arith::RemSIOp::create(
          e.b, e.loc, e.sub(e.c(lanes), toLine), e.c(lanes));
      SmallVector<Type> types(unroll, vec);
      types.push_back(e.b.getIndexType());
      // if shift == lanes/4 .. else if shift == lanes/2 .. else if 3/4 ..
      // else the plain loop.
      std::function<SmallVector<Value>(OpBuilder &, Location, int64_t)>
          choose = [&](OpBuilder &nb, Location loc, int64_t quarter) {
            if (quarter == 4)
              return plainMain(nb, loc);
            Emitter in{nb, loc};
            int64_t s = quarter * lanes / 4;
            Value is = arith::CmpIOp::create(nb, loc, arith::CmpIPredicate::eq,
                                             shift, in.c(s));
            auto branch = scf::IfOp::create(nb, loc, types, is,
                                            /*withElseRegion=*/true);
            {
              OpBuilder::InsertionGuard guard(nb);
              nb.setInsertionPointToStart(&branch.getThenRegion().front());
              Value end = stepsEnd(nb, loc, begin, in.c(lanes));
              // The first window's vector before: the loaded elements
              // moved up by `s` (its first `s` lanes are never used).
              VectorEmitter ve{Emitter{nb, loc}, vec};
              Value first = ve.maskedLoad(
                  p.a, in.add(aBase, begin),
                  ve.mask(in.min(in.c(lanes), in.sub(nk, begin))));
              SmallVector<int64_t> up;
              for (int64_t x = 0; x < lanes; ++x)
                up.push_back(x < s ? 0 : x - s);
              Value carry =
                  vector::ShuffleOp::create(nb, loc, first, first, up);
              auto loop = mainLoop(nb, loc, end, ValueRange{carry},
                                   shiftedSteps(s));
              SmallVector<Value> out(loop.getResults().take_front(unroll));
              out.push_back(end);
              scf::YieldOp::create(nb, loc, out);
              nb.setInsertionPointToStart(&branch.getElseRegion().front());
              scf::YieldOp::create(nb, loc, choose(nb, loc, quarter + 1));
            }
            return SmallVector<Value>(branch.getResults());
          };
      mainResults = choose(e.b, e.loc, 1);
    } else {
      mainResults = plainMain(e.b, e.loc);
    }
    Value mainEnd = mainResults.back();
    SmallVector<Value> partial;
    Value headMask = peel ? mask(begin) : Value();
    Value headA = peel ? maskedLoad(p.a, aBase, headMask) : Value();
    for (int64_t r = 0; r < rows; ++r) {
      partial.push_back(mainResults[r * unroll]);
      if (peel)
        partial.back() = vector::FMAOp::create(
            e.b, e.loc, headA, maskedLoad(p.b, bBases[r], headMask),
            partial.back());
    }
    auto tail = scf::ForOp::create(
        e.b, e.loc, mainEnd, nk, e.c(lanes), partial,
        [&](OpBuilder &nb, Location loc, Value k, ValueRange acc) {
          VectorEmitter in{Emitter{nb, loc}, vec};
          Value m = in.mask(in.e.sub(nk, k));
          Value x = in.maskedLoad(p.a, in.e.add(aBase, k), m);
          SmallVector<Value> out;
          for (int64_t r = 0; r < rows; ++r)
            out.push_back(vector::FMAOp::create(
                nb, loc, x, in.maskedLoad(p.b, in.e.add(bBases[r], k), m),
                acc[r]));
          scf::YieldOp::create(nb, loc, out);
        });
    SmallVector<Value> sums;
    for (int64_t r = 0; r < rows; ++r) {
      // The accumulators added pairwise.
      SmallVector<Value> accumulators = {tail.getResult(r)};
      for (int64_t u = 1; u < unroll; ++u)
        accumulators.push_back(mainResults[r * unroll + u]);
      sums.push_back(vector::ReductionOp::create(
          e.b, e.loc, vector::CombiningKind::ADD,
          addPairwise(e.b, e.loc, accumulators)));
    }
    return sums;
  }

  /// A few long dot products (ij,ij->, i,i->) on threads: kSplitSlots
  /// slices of the depth (each a parallel iteration) into partial sums,
  /// added to C in order.
  static constexpr int64_t kSplitSlots = 8;
  void splitDots() {
    int64_t outputs = p.staticB * p.staticM * p.staticN;
    Value slots = e.c(kSplitSlots);
    Value chunk = e.mul(arith::CeilDivSIOp::create(
                            e.b, e.loc, p.nk, e.c(kSplitSlots * 64)),
                        e.c(64));
    Value partials = e.alloc(p.elementType, kSplitSlots * outputs);
    // Output o = (bi, m, n) in row-major order of (B, M, N).
    auto eachOutput = [&](function_ref<void(Value, Value, Value, Value)> f) {
      for (int64_t o = 0; o < outputs; ++o)
        f(e.c(o / (p.staticM * p.staticN)), e.c(o / p.staticN % p.staticM),
          e.c(o % p.staticN), e.c(o));
    };
    e.outerLoop(true, slots, e.c(1), [&](Value slot) {
      Value k0 = e.min(e.mul(slot, chunk), p.nk);
      Value count = e.min(chunk, e.sub(p.nk, k0));
      eachOutput([&](Value bi, Value m, Value n, Value o) {
        Value aBase = e.add(
            e.add(p.batchOffset(e.b, e.loc, bi, 0), e.mul(m, p.sAm)), k0);
        Value bBase = e.add(
            e.add(p.batchOffset(e.b, e.loc, bi, 1), e.mul(n, p.sBn)), k0);
        Value sum = dots(aBase, {bBase}, count, ShapedType::kDynamic)[0];
        memref::StoreOp::create(
            e.b, e.loc, sum, partials,
            ValueRange{e.add(e.mul(slot, e.c(outputs)), o)});
      });
    });
    eachOutput([&](Value bi, Value m, Value n, Value o) {
      Value cAt = e.add(p.batchOffset(e.b, e.loc, bi, 2),
                        e.add(e.mul(m, p.sCm), e.mul(n, p.sCn)));
      Value total = memref::LoadOp::create(e.b, e.loc, p.c, ValueRange{cAt});
      for (int64_t slot = 0; slot < kSplitSlots; ++slot)
        total = arith::AddFOp::create(
            e.b, e.loc, total,
            memref::LoadOp::create(
                e.b, e.loc, partials,
                ValueRange{e.add(e.c(slot * outputs), o)}));
      memref::StoreOp::create(e.b, e.loc, total, p.c, ValueRange{cAt});
    });
    memref::DeallocOp::create(e.b, e.loc, partials);
  }

  void dots(bool parallel) {
    constexpr int64_t rows = 4;
    auto known = [](int64_t x) { return !ShapedType::isDynamic(x); };
    if (parallel && known(p.staticB) && known(p.staticM) &&
        known(p.staticN) && p.staticB * p.staticM * p.staticN <= rows)
      return splitDots();
    // Threads take the outermost loop with more than one iteration when the
    // outputs per row are few (ij,ij->i: the batch), else the outermost
    // with four or more (bij,bj->bi, 128 batches of 128 dots: forking per
    // batch for the dots ran 2.4x slower on two threads than on one).
    bool fewN = known(p.staticN) && p.staticN < 2 * rows;
    auto many = [&](int64_t x) {
      return !known(x) || x >= (fewN ? 2 : 4);
    };
    bool parallelB = parallel && many(p.staticB);
    bool parallelM = parallel && !parallelB && many(p.staticM);
    bool parallelN = parallel && !parallelB && !parallelM;
    e.outerLoop(parallelB, p.nb, e.c(1), [&](Value bi) {
      Value offA = p.batchOffset(e.b, e.loc, bi, 0);
      Value offB = p.batchOffset(e.b, e.loc, bi, 1);
      Value offC = p.batchOffset(e.b, e.loc, bi, 2);
      e.outerLoop(parallelM, p.nm, e.c(1), [&](Value m) {
        Value aBase = e.add(offA, e.mul(m, p.sAm));
        auto block = [&](Value n0, int64_t count) {
          SmallVector<Value> bBases;
          for (int64_t r = 0; r < count; ++r)
            bBases.push_back(
                e.add(offB, e.mul(e.add(n0, e.c(r)), p.sBn)));
          SmallVector<Value> sums = dots(aBase, bBases);
          for (int64_t r = 0; r < count; ++r) {
            Value cAt = e.add(offC,
                              e.add(e.mul(m, p.sCm),
                                    e.mul(e.add(n0, e.c(r)), p.sCn)));
            Value old =
                memref::LoadOp::create(e.b, e.loc, p.c, ValueRange{cAt});
            memref::StoreOp::create(
                e.b, e.loc, arith::AddFOp::create(e.b, e.loc, old, sums[r]),
                p.c, ValueRange{cAt});
          }
        };
        Value nFull = e.mul(
            arith::DivSIOp::create(e.b, e.loc, p.nn, e.c(rows)), e.c(rows));
        e.outerLoop(parallelN, nFull, e.c(rows),
                    [&](Value n0) { block(n0, rows); });
        e.loop(nFull, p.nn, e.c(1), [&](Value n) { block(n, 1); });
      });
    });
  }
};
} // namespace

void mlir::ein::emitThinContraction(OpBuilder &b, Location loc,
                                    const GemmProblem &problem, GemmKind kind,
                                    int64_t vectorBytes, bool parallel) {
  int64_t lanes = vectorBytes / (FloatType(problem.elementType).getWidth() / 8);
  ThinEmitter emitter{
      {Emitter{b, loc}, VectorType::get({lanes}, problem.elementType)},
      problem,
      lanes};
  if (kind == GemmKind::RowVector)
    emitter.rowVector(parallel);
  else
    emitter.dots(parallel);
}
