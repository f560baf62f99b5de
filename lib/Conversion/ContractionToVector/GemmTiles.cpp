//===- GemmTiles.cpp - The register tiles of a packed GEMM block ----------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "GemmTiles.h"
#include "Emitter.h"

#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace mlir::ein;

namespace {
/// The body of one tile function (its arguments as values).
struct TileEmitter : VectorEmitter {
  const TileShape &s;
  Value ap = {}, bp = {}, c = {}, cRowStride = {}, kc = {}, store = {};
  /// TileShape::cColRun's outer stride.
  Value cOuter = {};
  /// The prefetch streams (GemmTiles.h): an operand and the element range
  /// [start, end) of it that the call spreads over its tiles.
  struct Stream {
    Value mem, start, end;
    /// Set by emit: lines in the range and lines per tile.
    Value lines = {}, perTile = {};
  };
  SmallVector<Stream, 3> streams = {};

  /// Elements per 64-byte cache line.
  int64_t lineElems() const {
    return 64 / (s.element.getIntOrFloatBitWidth() / 8);
  }

  /// Lines of each stream's range and each tile's share of them.
  void planPrefetch(Value tiles) {
    for (Stream &st : streams) {
      Value elems = arith::MaxSIOp::create(e.b, e.loc,
                                           e.sub(st.end, st.start), e.c(0));
      st.lines =
          arith::CeilDivSIOp::create(e.b, e.loc, elems, e.c(lineElems()));
      st.perTile = arith::CeilDivSIOp::create(e.b, e.loc, st.lines, tiles);
    }
  }

  /// Tile number `tile`'s share of every stream: a prefetch of each line
  /// (a few per tile, not a burst that would wait for free miss buffers).
  void prefetchShare(Value tile) {
    for (size_t i = 0; i < streams.size(); ++i) {
      const Stream &st = streams[i];
      // The last stream is C's, fetched for writing.
      bool isWrite = i + 1 == streams.size();
      Value first = e.mul(tile, st.perTile);
      Value last = e.min(e.add(first, st.perTile), st.lines);
      e.loop(first, last, e.c(1), [&](Value line) {
        e.prefetch(st.mem,
                   ValueRange{e.add(st.start, e.mul(line, e.c(lineElems())))},
                   isWrite);
      });
    }
  }

  /// c[cOff + r*cRowStride + col] (+)= sum_kk Ap(r, kk) * Bp[bOff + kk*NR +
  /// col] for r < mr, col < nr; Ap(r, kk) at aOff + kk*MR + r (column
  /// panels) or aOff + r*pitch + kk (row panels; a static pitch: the
  /// twelve row addresses are immediate offsets, where a dynamic one took
  /// twelve registers and ran 2.2x slower, 1024^2).
  void microKernel(Value aOff, Value bOff, Value cOff, Value mr, Value nr) {
    int64_t tiles = s.mr * s.nv, nr0 = s.nv * s.lanes;
    SmallVector<Value> init(tiles, zeroVector());
    auto body = [&](OpBuilder &nb, Location loc, Value kk, ValueRange acc) {
      Emitter in{nb, loc};
      Value bRow = in.add(bOff, in.mul(kk, in.c(nr0)));
      SmallVector<Value> bv;
      for (int64_t h = 0; h < s.nv; ++h)
        bv.push_back(vector::LoadOp::create(
            nb, loc, vec, bp, ValueRange{in.add(bRow, in.c(h * s.lanes))}));
      Value aAt = s.rowsA ? in.add(aOff, kk)
                          : in.add(aOff, in.mul(kk, in.c(s.mr)));
      SmallVector<Value> out;
      for (int64_t r = 0; r < s.mr; ++r) {
        Value at = in.add(aAt, in.c(s.rowsA ? r * s.pitch : r));
        Value a = memref::LoadOp::create(nb, loc, ap, ValueRange{at});
        Value splat = vector::BroadcastOp::create(nb, loc, vec, a);
        for (int64_t h = 0; h < s.nv; ++h)
          out.push_back(vector::FMAOp::create(nb, loc, splat, bv[h],
                                              acc[r * s.nv + h]));
      }
      scf::YieldOp::create(nb, loc, out);
    };
    auto loop = scf::ForOp::create(e.b, e.loc, e.c(0), kc, e.c(1), init, body);
    ValueRange acc = loop.getResults();

    // C (+)= tile. With fullTilePath (functions that stay shared), full
    // tiles take a path without masks or per-row tests: there the sizes
    // are run-time values, and masked stores with run-time masks made
    // 4096x64 times 64x4096 1.7x slower than inlined code whose masks had
    // folded (20 -> 12 ms). A copy inlined into one GEMM keeps the masked
    // path alone, which LLVM specializes to its constants (both paths
    // would double its C update's code for no measured gain).
    // Storing has its own path: reading C through an all-false mask
    // instead (and adding the tile to zeros) made bhqd,bhkd->bhqk, whose
    // one depth block stores every tile, 1.5x slower (2.8 -> 4.2 ms).
    if (!s.fullTilePath)
      return maskedUpdate(acc, cOff, mr, nr);
    Value full = arith::AndIOp::create(
        e.b, e.loc,
        arith::CmpIOp::create(e.b, e.loc, arith::CmpIPredicate::eq, mr,
                              e.c(s.mr)),
        arith::CmpIOp::create(e.b, e.loc, arith::CmpIPredicate::eq, nr,
                              e.c(nr0)));
    e.ifThen(
        full,
        [&] {
          e.ifThen(store, [&] { fullUpdate(acc, cOff, /*add=*/false); },
                   [&] { fullUpdate(acc, cOff, /*add=*/true); });
        },
        [&] { maskedUpdate(acc, cOff, mr, nr); });
  }

  /// The C update of a full tile: its vectors stored, or with `add` added
  /// to C's.
  void fullUpdate(ValueRange acc, Value cOff, bool add) {
    for (int64_t r = 0; r < s.mr; ++r)
      for (int64_t h = 0; h < s.nv; ++h) {
        Value at = cAt(cOff, r, h);
        Value v = acc[r * s.nv + h];
        if (add)
          v = arith::AddFOp::create(e.b, e.loc, load(c, at), v);
        vector::StoreOp::create(e.b, e.loc, v, c, ValueRange{at});
      }
  }

  /// Where vector h of row r of the tile at cOff lies in C.
  Value cAt(Value cOff, int64_t r, int64_t h) {
    return e.add(cOff, e.add(e.mul(e.c(r), cRowStride), e.c(h * s.lanes)));
  }

  /// The C update of an edge tile: rows past mr and columns past nr masked.
  void maskedUpdate(ValueRange acc, Value cOff, Value mr, Value nr) {
    for (int64_t r = 0; r < s.mr; ++r)
      e.ifThen(e.lt(e.c(r), mr), [&] {
        for (int64_t h = 0; h < s.nv; ++h) {
          Value rem = e.sub(nr, e.c(h * s.lanes));
          e.ifThen(e.lt(e.c(0), rem), [&] {
            Value at = cAt(cOff, r, h);
            Value m = mask(rem);
            Value tile = acc[r * s.nv + h];
            e.ifThen(
                store,
                [&] {
                  vector::MaskedStoreOp::create(e.b, e.loc, c, ValueRange{at},
                                                m, tile);
                },
                [&] {
                  Value sum = arith::AddFOp::create(
                      e.b, e.loc, maskedLoad(c, at, m), tile);
                  vector::MaskedStoreOp::create(e.b, e.loc, c, ValueRange{at},
                                                m, sum);
                });
          });
        }
      });
  }

  /// Where column `jr` (a multiple of NR) of the block lies in C.
  Value cColumn(Value jr) {
    return s.cColRun ? e.twoRuns(jr, s.cColRun, cOuter) : jr;
  }

  void emit(Value cBase, Value mc, Value nc) {
    int64_t nr0 = s.nv * s.lanes;
    Value rowTiles = arith::CeilDivSIOp::create(e.b, e.loc, mc, e.c(s.mr));
    Value colTiles = arith::CeilDivSIOp::create(e.b, e.loc, nc, e.c(nr0));
    planPrefetch(e.mul(rowTiles, colTiles));
    e.loop(e.c(0), nc, e.c(nr0), [&](Value jr) {
      Value nr = e.min(e.c(nr0), e.sub(nc, jr));
      Value colTile = arith::DivSIOp::create(e.b, e.loc, jr, e.c(nr0));
      e.loop(e.c(0), mc, e.c(s.mr), [&](Value ir) {
        Value mr = e.min(e.c(s.mr), e.sub(mc, ir));
        prefetchShare(e.add(
            e.mul(colTile, rowTiles),
            arith::DivSIOp::create(e.b, e.loc, ir, e.c(s.mr))));
        Value cOff = e.add(cBase, e.add(e.mul(ir, cRowStride), cColumn(jr)));
        Value aOff = e.mul(ir, s.rowsA ? e.c(s.pitch) : kc);
        microKernel(aOff, e.mul(jr, kc), cOff, mr, nr);
      });
    });
  }
};

} // namespace

func::FuncOp mlir::ein::getTilesFunction(ModuleOp module,
                                         const TileShape &shape) {
  std::string name;
  llvm::raw_string_ostream os(name);
  os << "__ein_gemm_tiles_f" << shape.element.getIntOrFloatBitWidth() << "_" << shape.mr
     << "x" << shape.nv * shape.lanes;
  if (shape.rowsA)
    os << "_rows" << shape.pitch;
  else
    os << "_panels";
  if (shape.cColRun)
    os << "_cruns" << shape.cColRun;
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  MLIRContext *ctx = module.getContext();
  Location loc = module.getLoc();
  OpBuilder b(ctx);
  b.setInsertionPointToEnd(module.getBody());
  Type index = b.getIndexType();
  SmallVector<Type> args = {flatMemRefType(shape.element, false),
                            flatMemRefType(shape.element, false),
                            flatMemRefType(shape.element, true),
                            index, index, index, index, index,
                            b.getI1Type()};
  for (int i = 0; i < kPrefetchStreams; ++i)
    args.append({flatMemRefType(shape.element, true), index, index});
  if (shape.cColRun)
    args.push_back(index);
  auto fn = func::FuncOp::create(b, loc, name, b.getFunctionType(args, {}));
  fn.setPrivate();
  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  auto vec = VectorType::get({shape.lanes}, shape.element);
  TileEmitter t{{Emitter{b, loc}, vec}, shape};
  ValueRange a = entry->getArguments();
  t.ap = a[0];
  t.bp = a[1];
  t.c = a[2];
  t.cRowStride = a[4];
  t.kc = a[7];
  t.store = a[8];
  for (int i = 0; i < kPrefetchStreams; ++i)
    t.streams.push_back({a[9 + 3 * i], a[10 + 3 * i], a[11 + 3 * i]});
  if (shape.cColRun)
    t.cOuter = a.back();
  t.emit(a[3], a[5], a[6]);
  func::ReturnOp::create(b, loc);
  return fn;
}

MemRefType mlir::ein::flatMemRefType(Type element, bool anyOffset) {
  if (!anyOffset)
    return MemRefType::get({ShapedType::kDynamic}, element);
  return MemRefType::get(
      {ShapedType::kDynamic}, element,
      StridedLayoutAttr::get(element.getContext(), ShapedType::kDynamic, {1}));
}

void mlir::ein::callKernel(OpBuilder &b, Location loc, func::FuncOp fn,
                           ValueRange args) {
  SmallVector<Value> operands;
  for (auto [arg, type] :
       llvm::zip_equal(args, fn.getFunctionType().getInputs()))
    operands.push_back(arg.getType() == type
                           ? arg
                           : memref::CastOp::create(b, loc, type, arg));
  func::CallOp::create(b, loc, fn, operands);
}
