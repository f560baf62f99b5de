//===- Transposes.cpp - Copies between different contiguous dimensions ----===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// A copy whose input and output are contiguous along different loops
// (ij->ji, abc->cab; the materialized transposes of derivative programs)
// walked in either order touches a new cache line, and soon a new page, per
// element on one side. It runs in blocks instead: tiles of kTile x kTile
// elements (both sides' lines stay in L1), made of lanes x lanes blocks that
// are loaded as rows of the input, transposed in registers (two-source
// shuffles) and stored as rows of the output. Blocks at the edges use masked
// loads and stores.
//
//===----------------------------------------------------------------------===//

#include "Emitter.h"
#include "OpShape.h"
#include "Transposes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <functional>

using namespace mlir;
using namespace mlir::ein;

/// Elements per tile side (a multiple of the lanes of every vector type).
static constexpr int64_t kTile = 64;

/// The loop dimension of `map`'s last result.
static unsigned lastDim(AffineMap map) { return dimOf(map.getResults().back()); }

bool mlir::ein::isTransposingCopy(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      !op.hasPureBufferSemantics() ||
      op.getNumParallelLoops() != op.getNumLoops() || op.getNumLoops() < 2)
    return false;
  // The body yields the input element.
  Block *body = op.getBlock();
  auto yield = dyn_cast<linalg::YieldOp>(body->getTerminator());
  if (!yield || body->getOperations().size() != 1 ||
      yield.getNumOperands() != 1 || yield.getOperand(0) != body->getArgument(0))
    return false;
  Value in = op.getDpsInputOperand(0)->get();
  Value out = op.getDpsInitOperand(0)->get();
  Type element = getElementTypeOrSelf(in.getType());
  if (!(element.isF32() || element.isF64()) ||
      element != getElementTypeOrSelf(out.getType()) ||
      !unitInnerStride(in) || !unitInnerStride(out))
    return false;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  return maps[0].isPermutation() && maps[1].isPermutation() &&
         lastDim(maps[0]) != lastDim(maps[1]);
}

namespace {
struct TransposeEmitter : VectorEmitter {
  int64_t lanes;
  Value in, out;
  AffineMap inMap, outMap;
  /// Loop values; a (the input's contiguous loop) and b (the output's) are
  /// set per block.
  SmallVector<Value> ivs;
  unsigned a, b;
  Value extentA, extentB;

  SmallVector<Value> indices(AffineMap map) {
    SmallVector<Value> at;
    for (AffineExpr expr : map.getResults())
      at.push_back(ivs[cast<AffineDimExpr>(expr).getPosition()]);
    return at;
  }
  Value select(Value cond, Value x, Value y) {
    return arith::SelectOp::create(e.b, e.loc, cond, x, y);
  }

  /// out[.., a0 + j, .., b0 : b0 + lanes] = in[.., b0 + r, .., a0 : a0 +
  /// lanes] transposed; with `masked`, only ca x cb elements.
  void block(Value a0, Value b0, Value ca, Value cb, bool masked) {
    SmallVector<Value> rows;
    for (int64_t r = 0; r < lanes; ++r) {
      ivs[a] = a0;
      Value row = e.add(b0, e.c(r));
      if (!masked) {
        ivs[b] = row;
        rows.push_back(vector::LoadOp::create(e.b, e.loc, vec, in,
                                              indices(inMap)));
        continue;
      }
      // Rows past the edge read nothing (an all-false mask) at a clamped,
      // in-bounds index.
      ivs[b] = e.min(row, e.sub(extentB, e.c(1)));
      Value count = select(e.lt(e.c(r), cb), ca, e.c(0));
      rows.push_back(vector::MaskedLoadOp::create(
          e.b, e.loc, vec, in, indices(inMap), mask(count), zeroVector()));
    }
    transposeInRegisters(rows);
    for (int64_t j = 0; j < lanes; ++j) {
      ivs[b] = b0;
      Value row = e.add(a0, e.c(j));
      if (!masked) {
        ivs[a] = row;
        vector::StoreOp::create(e.b, e.loc, rows[j], out, indices(outMap));
        continue;
      }
      ivs[a] = e.min(row, e.sub(extentA, e.c(1)));
      Value count = select(e.lt(e.c(j), ca), cb, e.c(0));
      vector::MaskedStoreOp::create(e.b, e.loc, out, indices(outMap),
                                    mask(count), rows[j]);
    }
  }

};
} // namespace

LogicalResult mlir::ein::vectorizeTranspose(RewriterBase &rewriter,
                                            linalg::LinalgOp op,
                                            int64_t vectorBytes,
                                            int64_t minParallelIterations) {
  if (!isTransposingCopy(op))
    return failure();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  Value in = op.getDpsInputOperand(0)->get();
  auto element = cast<FloatType>(getElementTypeOrSelf(in.getType()));
  int64_t lanes = vectorBytes * 8 / element.getWidth();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  TransposeEmitter t{{Emitter{rewriter, loc},
                      VectorType::get({lanes}, element)},
                     lanes,
                     in,
                     op.getDpsInitOperand(0)->get(),
                     maps[0],
                     maps[1],
                     SmallVector<Value>(op.getNumLoops()),
                     lastDim(maps[0]),
                     lastDim(maps[1]),
                     Value(),
                     Value()};
  Emitter &e = t.e;
  SmallVector<Value> ubs;
  for (Range range : op.createLoopRanges(rewriter, loc))
    ubs.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, range.size));
  t.extentA = ubs[t.a];
  t.extentB = ubs[t.b];

  // Loops: the other dimensions in the output's order, then tiles of a and
  // b, then blocks. The first loop runs on threads for large copies.
  SmallVector<unsigned> others;
  for (AffineExpr expr : maps[1].getResults()) {
    unsigned d = cast<AffineDimExpr>(expr).getPosition();
    if (d != t.a && d != t.b)
      others.push_back(d);
  }
  int64_t elements = staticIterations(op);
  ArrayRef<int64_t> inShape = cast<MemRefType>(in.getType()).getShape();
  int64_t inRow = inShape.back();
  bool peel = ShapedType::isDynamic(inRow) || inRow >= 4 * lanes;
  bool parallel = minParallelIterations > 0 && elements >= minParallelIterations;
  Value tile = e.c(kTile), step = e.c(lanes);
  std::function<void(unsigned)> nest = [&](unsigned level) {
    bool first = level == 0;
    if (level < others.size()) {
      e.outerLoop(first && parallel, ubs[others[level]], e.c(1), [&](Value iv) {
        t.ivs[others[level]] = iv;
        nest(level + 1);
      });
      return;
    }
    // The input's rows are read from their 64-byte alignment on (NumPy's
    // large arrays start 16 bytes past it, and every row load then spans
    // two lines): the first `head` columns of the input are one column of
    // masked blocks (f32 from NumPy, one thread: 2048² 1.96 -> 1.83 ms,
    // 1000² 0.125 -> 0.098 ms; two threads: 2048² 0.85 -> 0.71 ms).
    Value head = e.c(0);
    if (peel) {
      t.ivs[t.a] = e.c(0);
      t.ivs[t.b] = e.c(0);
      head = e.min(t.elementsToAlignment(in, t.indices(t.inMap)), t.extentA);
      Value any = arith::CmpIOp::create(e.b, e.loc, arith::CmpIPredicate::ne,
                                        head, e.c(0));
      e.ifThen(any, [&] {
        e.loop(e.c(0), t.extentB, step, [&](Value b0) {
          Value cb = e.min(step, e.sub(t.extentB, b0));
          t.block(e.c(0), b0, head, cb, /*masked=*/true);
        });
      });
    }
    e.outerLoop(first && parallel, e.sub(t.extentA, head), tile,
                [&](Value r1) {
      Value a1 = e.add(r1, head);
      Value aEnd = e.min(e.add(a1, tile), t.extentA);
      e.loop(e.c(0), t.extentB, tile, [&](Value b1) {
        Value bEnd = e.min(e.add(b1, tile), t.extentB);
        e.loop(a1, aEnd, step, [&](Value a0) {
          Value ca = e.min(step, e.sub(t.extentA, a0));
          e.loop(b1, bEnd, step, [&](Value b0) {
            Value cb = e.min(step, e.sub(t.extentB, b0));
            Value full = arith::AndIOp::create(
                e.b, e.loc,
                arith::CmpIOp::create(e.b, e.loc, arith::CmpIPredicate::eq,
                                      ca, step),
                arith::CmpIOp::create(e.b, e.loc, arith::CmpIPredicate::eq,
                                      cb, step));
            e.ifThen(
                full, [&] { t.block(a0, b0, ca, cb, /*masked=*/false); },
                [&] { t.block(a0, b0, ca, cb, /*masked=*/true); });
          });
        });
      });
    });
  };
  nest(0);
  rewriter.eraseOp(op);
  return success();
}
