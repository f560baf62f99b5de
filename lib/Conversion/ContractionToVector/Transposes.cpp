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
// loads and stores. A plane only 2, 4 or 8 elements wide on one side whose
// other side is packed (a small batch label moving into or out of the
// innermost place, bik->ikb) is interleaved or split in whole vectors
// instead (log2 of the width rounds of two-source shuffles): a block would
// fill 2-8 of its rows.
//
// That code is one function per element type (__ein_transpose_*), called
// once per plane of the two contiguous dimensions with the plane's offsets,
// extents and strides: a derivative program's several copies share it, and
// with ein's kernel cache (lib/Runner/KernelCache.h) it comes compiled from
// the build. (Each copy's own instance of the register transposes, some 200
// shuffles, was most of the compile time of programs with several copies:
// tn6 `ai,bi,ci->abc`'s forward + VJP took 414-535 ms, 181-196 without.)
//
//===----------------------------------------------------------------------===//

#include "Emitter.h"
#include "GemmTiles.h"
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
/// The body of a transposing kernel: out[outOff + a * outStride + b] =
/// in[inOff + b * inStride + a] for a < extentA, b < extentB (a: the input's
/// contiguous dimension, b: the output's).
struct TransposeEmitter : VectorEmitter {
  int64_t lanes;
  Value in, out, inOff, outOff, extentA, extentB, inStride, outStride;

  Value inAt(Value a, Value b) {
    return e.add(inOff, e.add(a, e.mul(b, inStride)));
  }
  Value outAt(Value a, Value b) {
    return e.add(outOff, e.add(b, e.mul(a, outStride)));
  }
  Value select(Value cond, Value x, Value y) {
    return arith::SelectOp::create(e.b, e.loc, cond, x, y);
  }

  /// out[a0 + j, b0 : b0 + lanes] = in[b0 + r, a0 : a0 + lanes] transposed;
  /// with `masked`, only ca x cb elements.
  void block(Value a0, Value b0, Value ca, Value cb, bool masked) {
    SmallVector<Value> rows;
    for (int64_t r = 0; r < lanes; ++r) {
      Value row = e.add(b0, e.c(r));
      if (!masked) {
        rows.push_back(load(in, inAt(a0, row)));
        continue;
      }
      // Rows past the edge read nothing (an all-false mask) at a clamped,
      // in-bounds index.
      row = e.min(row, e.sub(extentB, e.c(1)));
      Value count = select(e.lt(e.c(r), cb), ca, e.c(0));
      rows.push_back(maskedLoad(in, inAt(a0, row), mask(count)));
    }
    transposeInRegisters(rows);
    for (int64_t j = 0; j < lanes; ++j) {
      Value row = e.add(a0, e.c(j));
      if (!masked) {
        vector::StoreOp::create(e.b, e.loc, rows[j], out,
                                ValueRange{outAt(row, b0)});
        continue;
      }
      row = e.min(row, e.sub(extentA, e.c(1)));
      Value count = select(e.lt(e.c(j), ca), cb, e.c(0));
      vector::MaskedStoreOp::create(e.b, e.loc, out,
                                    ValueRange{outAt(row, b0)}, mask(count),
                                    rows[j]);
    }
  }

  void emit() {
    Value tile = e.c(kTile), step = e.c(lanes);
    // The input's rows are read from their alignment to a vector's size on
    // (NumPy's large arrays start 16 bytes past a 64-byte line, and every
    // 64-byte row load then spans two lines): the first `head` columns of the input are one column of
    // masked blocks (f32 from NumPy, one thread: 2048² 1.96 -> 1.83 ms,
    // 1000² 0.125 -> 0.098 ms; two threads: 2048² 0.85 -> 0.71 ms). Rows
    // shorter than four vectors are read as they lie.
    Value longRows = arith::CmpIOp::create(e.b, e.loc, arith::CmpIPredicate::sge,
                                           extentA, e.c(4 * lanes));
    Value head = select(
        longRows,
        e.min(elementsToAlignment(in, ValueRange{inOff}), extentA), e.c(0));
    Value any = arith::CmpIOp::create(e.b, e.loc, arith::CmpIPredicate::ne,
                                      head, e.c(0));
    e.ifThen(any, [&] {
      e.loop(e.c(0), extentB, step, [&](Value b0) {
        Value cb = e.min(step, e.sub(extentB, b0));
        block(e.c(0), b0, head, cb, /*masked=*/true);
      });
    });
    e.loop(head, extentA, tile, [&](Value a1) {
      Value aEnd = e.min(e.add(a1, tile), extentA);
      e.loop(e.c(0), extentB, tile, [&](Value b1) {
        Value bEnd = e.min(e.add(b1, tile), extentB);
        e.loop(a1, aEnd, step, [&](Value a0) {
          Value ca = e.min(step, e.sub(extentA, a0));
          e.loop(b1, bEnd, step, [&](Value b0) {
            Value cb = e.min(step, e.sub(extentB, b0));
            Value full = arith::AndIOp::create(
                e.b, e.loc,
                arith::CmpIOp::create(e.b, e.loc, arith::CmpIPredicate::eq,
                                      ca, step),
                arith::CmpIOp::create(e.b, e.loc, arith::CmpIPredicate::eq,
                                      cb, step));
            e.ifThen(
                full, [&] { block(a0, b0, ca, cb, /*masked=*/false); },
                [&] { block(a0, b0, ca, cb, /*masked=*/true); });
          });
        });
      });
    });
  }
};
} // namespace

/// The module's transposing kernel for `element` in vectors of `lanes`
/// elements, created at its end on first use. Its arguments: the input and
/// output (flat views), where the plane starts in each, extentA, extentB,
/// the input's stride of b and the output's of a (TransposeEmitter).
static func::FuncOp getTransposeFunction(ModuleOp module, FloatType element,
                                         int64_t lanes) {
  std::string name;
  llvm::raw_string_ostream os(name);
  os << "__ein_transpose_f" << element.getWidth() << "_x" << lanes;
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  Location loc = module.getLoc();
  OpBuilder b(module.getContext());
  b.setInsertionPointToEnd(module.getBody());
  Type view = flatMemRefType(element, /*anyOffset=*/true);
  Type index = b.getIndexType();
  SmallVector<Type> args = {view, view};
  args.append(6, index);
  auto fn = func::FuncOp::create(b, loc, name, b.getFunctionType(args, {}));
  fn.setPrivate();
  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  ValueRange a = entry->getArguments();
  TransposeEmitter t{{Emitter{b, loc}, VectorType::get({lanes}, element)},
                     lanes, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]};
  t.emit();
  func::ReturnOp::create(b, loc);
  return fn;
}

/// Lanes [half * lanes / 2, (half + 1) * lanes / 2) of x and y interleaved
/// (x0, y0, x1, y1, ...).
static Value zipHalf(Emitter &e, Value x, Value y, int64_t lanes,
                     int64_t half) {
  SmallVector<int64_t> mask;
  for (int64_t i = 0; i < lanes / 2; ++i)
    mask.append({half * lanes / 2 + i, lanes + half * lanes / 2 + i});
  return vector::ShuffleOp::create(e.b, e.loc, x, y, mask);
}

/// The even (`odd` false) or odd lanes of x followed by those of y.
static Value unzipHalf(Emitter &e, Value x, Value y, int64_t lanes, bool odd) {
  SmallVector<int64_t> mask;
  for (int64_t i = 0; i < lanes; ++i)
    mask.push_back(2 * i + odd);
  return vector::ShuffleOp::create(e.b, e.loc, x, y, mask);
}

/// n vectors (n a power of two) interleaved, or with `split` the inverse.
/// Interleaved: result q holds elements q * lanes / n .. of every input,
/// input by input (input r's element j goes to lane j * n + r of the
/// whole); split: n consecutive vectors of n-element groups become one
/// vector per position in the group. log2(n) rounds of perfect shuffles.
static SmallVector<Value> shuffleRounds(Emitter &e, SmallVector<Value> vecs,
                                        int64_t lanes, bool split) {
  size_t n = vecs.size();
  for (size_t round = 1; round < n; round *= 2) {
    SmallVector<Value> next(n);
    for (size_t i = 0; i < n / 2; ++i)
      for (int64_t h = 0; h < 2; ++h) {
        if (split)
          next[i + h * n / 2] =
              unzipHalf(e, vecs[2 * i], vecs[2 * i + 1], lanes, h);
        else
          next[2 * i + h] = zipHalf(e, vecs[i], vecs[i + n / 2], lanes, h);
      }
    vecs = std::move(next);
  }
  return vecs;
}

/// The static stride of `memref`'s result position of dimension `d` under
/// `map`, or ShapedType::kDynamic.
static int64_t staticStrideOf(Value memref, AffineMap map, unsigned d) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(cast<MemRefType>(memref.getType())
                 .getStridesAndOffset(strides, offset)))
    return ShapedType::kDynamic;
  return strides[*map.getResultPosition(getAffineDimExpr(d, map.getContext()))];
}

namespace {
/// `memref` (unit innermost stride) as a flat view of its whole span, and
/// its strides.
struct FlatView {
  Value view;
  SmallVector<Value> strides;

  FlatView(Emitter &e, Value memref) {
    auto meta = memref::ExtractStridedMetadataOp::create(e.b, e.loc, memref);
    // 1 + sum (size - 1) * stride elements (none for an empty memref).
    Value span = e.c(1);
    for (auto [size, stride] :
         llvm::zip_equal(meta.getSizes(), meta.getStrides()))
      span = e.add(span, e.mul(e.sub(size, e.c(1)), stride));
    span = arith::MaxSIOp::create(e.b, e.loc, span, e.c(0));
    Type element = getElementTypeOrSelf(memref.getType());
    view = memref::ReinterpretCastOp::create(
        e.b, e.loc, cast<MemRefType>(flatMemRefType(element, true)),
        meta.getBaseBuffer(), OpFoldResult(meta.getOffset()),
        ArrayRef<OpFoldResult>{span}, ArrayRef<OpFoldResult>{e.b.getIndexAttr(1)});
    strides.assign(meta.getStrides().begin(), meta.getStrides().end());
  }
  /// The stride of loop dimension `d` under `map`.
  Value strideOf(AffineMap map, unsigned d) const {
    return strides[*map.getResultPosition(getAffineDimExpr(d, map.getContext()))];
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
  unsigned a = lastDim(maps[0]), b = lastDim(maps[1]);
  Emitter e{rewriter, loc};
  SmallVector<Value> ubs;
  for (Range range : op.createLoopRanges(rewriter, loc))
    ubs.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, range.size));
  FlatView from(e, in), to(e, op.getDpsInitOperand(0)->get());
  func::FuncOp fn = getTransposeFunction(op->getParentOfType<ModuleOp>(),
                                         element, lanes);
  Value inStride = from.strideOf(maps[0], b);
  Value outStride = to.strideOf(maps[1], a);
  auto callWith = [&](Value inOff, Value outOff, Value extentA, Value extentB) {
    callKernel(e.b, loc, fn,
               {from.view, to.view, inOff, outOff, extentA, extentB, inStride,
                outStride});
  };
  auto call = [&](Value inOff, Value outOff, Value extentB) {
    callWith(inOff, outOff, ubs[a], extentB);
  };
  // A plane 2, 4 or 8 elements wide on one side whose other side is packed
  // (bik->ikb, ijb->bij with a narrow b): the register-transposed block
  // would fill 2-8 of its rows and write as many elements per masked store
  // (`bik->ikb` 4x200x200: 0.14 ms). Such planes are interleaved (or
  // split) in whole vectors instead, log2(n) rounds of two-source shuffles,
  // the remainder through the kernel.
  Value out = op.getDpsInitOperand(0)->get();
  SmallVector<int64_t> sizes = op.getStaticLoopRanges();
  auto narrow = [&](unsigned d) -> int64_t {
    return (sizes[d] == 2 || sizes[d] == 4 || sizes[d] == 8) && sizes[d] < lanes
               ? sizes[d]
               : 0;
  };
  // n: the narrow side's width; interleaving when it is b (the output's
  // contiguous dimension), splitting when it is a.
  int64_t n = 0;
  bool interleaving = false;
  if (narrow(b) && staticStrideOf(out, maps[1], a) == narrow(b)) {
    n = narrow(b);
    interleaving = true;
  } else if (narrow(a) && staticStrideOf(in, maps[0], b) == narrow(a)) {
    n = narrow(a);
  }
  VectorEmitter ve{e, VectorType::get({lanes}, element)};
  auto plane = [&](Value inOff, Value outOff) {
    if (!n)
      return call(inOff, outOff, ubs[b]);
    // Vector i at x0 of the long side: on the strided side row i's elements
    // x0 .., on the packed side the i-th vector of groups x0 ...
    auto strided = [&](Value off, Value stride, Value x0, int64_t i) {
      return e.add(off, e.add(x0, e.mul(e.c(i), stride)));
    };
    auto packed = [&](Value off, Value x0, int64_t i) {
      return e.add(off, e.add(e.mul(x0, e.c(n)), e.c(i * lanes)));
    };
    auto inAt = [&](Value x0, int64_t i) {
      return interleaving ? strided(inOff, inStride, x0, i)
                          : packed(inOff, x0, i);
    };
    auto outAt = [&](Value x0, int64_t i) {
      return interleaving ? packed(outOff, x0, i)
                          : strided(outOff, outStride, x0, i);
    };
    Value extent = interleaving ? ubs[a] : ubs[b];
    Value whole =
        e.mul(arith::DivUIOp::create(e.b, loc, extent, e.c(lanes)), e.c(lanes));
    e.loop(e.c(0), whole, e.c(lanes), [&](Value x0) {
      SmallVector<Value> vecs;
      for (int64_t i = 0; i < n; ++i)
        vecs.push_back(ve.load(from.view, inAt(x0, i)));
      vecs = shuffleRounds(e, vecs, lanes, /*split=*/!interleaving);
      for (int64_t i = 0; i < n; ++i)
        vector::StoreOp::create(e.b, loc, vecs[i], to.view,
                                ValueRange{outAt(x0, i)});
    });
    // The rest of the long side through the kernel.
    Value rest = e.sub(extent, whole);
    Value any =
        arith::CmpIOp::create(e.b, loc, arith::CmpIPredicate::ne, rest, e.c(0));
    e.ifThen(any, [&] {
      callWith(inAt(whole, 0), outAt(whole, 0), interleaving ? rest : ubs[a],
               interleaving ? ubs[b] : rest);
    });
  };

  // Loops over the other dimensions in the output's order, each step one
  // plane of a and b. The first loop runs on threads for large copies; a
  // lone plane is split among threads by tiles of b (the input's rows).
  SmallVector<unsigned> others;
  for (AffineExpr expr : maps[1].getResults()) {
    unsigned d = dimOf(expr);
    if (d != a && d != b)
      others.push_back(d);
  }
  bool parallel = minParallelIterations > 0 &&
                  staticIterations(op) >= minParallelIterations;
  std::function<void(unsigned, Value, Value)> nest = [&](unsigned level,
                                                         Value inOff,
                                                         Value outOff) {
    if (level < others.size()) {
      unsigned d = others[level];
      e.outerLoop(level == 0 && parallel, ubs[d], e.c(1), [&](Value iv) {
        nest(level + 1, e.add(inOff, e.mul(iv, from.strideOf(maps[0], d))),
             e.add(outOff, e.mul(iv, to.strideOf(maps[1], d))));
      });
      return;
    }
    if (!others.empty() || !parallel)
      return plane(inOff, outOff);
    e.outerLoop(true, ubs[b], e.c(kTile), [&](Value b1) {
      call(e.add(inOff, e.mul(b1, inStride)), e.add(outOff, b1),
           e.min(e.c(kTile), e.sub(ubs[b], b1)));
    });
  };
  nest(0, e.c(0), e.c(0));
  rewriter.eraseOp(op);
  return success();
}
