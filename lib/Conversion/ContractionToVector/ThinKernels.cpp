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
//   block of 8 KiB of output columns (kept in L1), for each k,
//   C[n:] += A[k] * B[k, n:] in vector FMAs;
// - dot products along a contiguous depth (ij,j->i, ij,ij->, bi,bi->b):
//   four output elements at a time share the loads of A, two vector
//   accumulators each, a horizontal sum at the end.
//
//===----------------------------------------------------------------------===//

#include "Emitter.h"
#include "GemmProblem.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::ein;

namespace {
struct ThinEmitter : VectorEmitter {
  const GemmProblem &p;
  int64_t lanes;

  void rowVector(bool parallel) {
    int64_t block = 8192 / (FloatType(p.elementType).getWidth() / 8);
    e.loop(e.c(0), p.nb, e.c(1), [&](Value bi) {
      e.outerLoop(parallel, p.nn, e.c(block), [&](Value n0) {
        Value count = e.min(e.c(block), e.sub(p.nn, n0));
        Value cRow = e.add(e.mul(bi, p.sCb), n0);
        // Four rows of B per pass over the L1 block of C.
        constexpr int64_t unroll = 4;
        Value kFull = e.mul(
            arith::DivSIOp::create(e.b, e.loc, p.nk, e.c(unroll)),
            e.c(unroll));
        auto update = [&](Value k0, int64_t rowsAtOnce) {
          SmallVector<Value> splats, bRows;
          for (int64_t u = 0; u < rowsAtOnce; ++u) {
            Value k = e.add(k0, e.c(u));
            Value a = memref::LoadOp::create(
                e.b, e.loc, p.a,
                ValueRange{e.add(e.mul(bi, p.sAb), e.mul(k, p.sAk))});
            splats.push_back(vector::BroadcastOp::create(e.b, e.loc, vec, a));
            bRows.push_back(
                e.add(e.add(e.mul(bi, p.sBb), e.mul(k, p.sBk)), n0));
          }
          e.loop(count, lanes, [&](Value n) {
            Value cAt = e.add(cRow, n);
            Value rem = e.sub(count, n);
            e.ifThen(
                e.lt(rem, e.c(lanes)),
                [&] {
                  Value m = mask(rem);
                  Value sum = maskedLoad(p.c, cAt, m);
                  for (int64_t u = 0; u < rowsAtOnce; ++u)
                    sum = vector::FMAOp::create(
                        e.b, e.loc, splats[u],
                        maskedLoad(p.b, e.add(bRows[u], n), m), sum);
                  vector::MaskedStoreOp::create(e.b, e.loc, p.c,
                                                ValueRange{cAt}, m, sum);
                },
                [&] {
                  Value sum = load(p.c, cAt);
                  for (int64_t u = 0; u < rowsAtOnce; ++u)
                    sum = vector::FMAOp::create(
                        e.b, e.loc, splats[u], load(p.b, e.add(bRows[u], n)),
                        sum);
                  vector::StoreOp::create(e.b, e.loc, sum, p.c,
                                          ValueRange{cAt});
                });
          });
        };
        e.loop(e.c(0), kFull, e.c(unroll), [&](Value k0) { update(k0, unroll); });
        e.loop(kFull, p.nk, e.c(1), [&](Value k) { update(k, 1); });
      });
    });
  }

  /// sum_k A[a + k] * B[bases[r] + k], k < nk, for each r: the loads of A
  /// are shared, two vector accumulators per row.
  SmallVector<Value> dots(Value aBase, ArrayRef<Value> bBases) {
    constexpr int64_t unroll = 2;
    int64_t rows = bBases.size();
    Value step = e.c(unroll * lanes);
    Value mainEnd =
        e.mul(arith::DivSIOp::create(e.b, e.loc, p.nk, step), step);
    SmallVector<Value> init(rows * unroll, zeroVector());
    auto main = scf::ForOp::create(
        e.b, e.loc, e.c(0), mainEnd, step, init,
        [&](OpBuilder &nb, Location loc, Value k, ValueRange acc) {
          Emitter in{nb, loc};
          SmallVector<Value> out(acc);
          for (int64_t u = 0; u < unroll; ++u) {
            Value off = in.add(k, in.c(u * lanes));
            Value x = vector::LoadOp::create(nb, loc, vec, p.a,
                                             ValueRange{in.add(aBase, off)});
            for (int64_t r = 0; r < rows; ++r) {
              Value y = vector::LoadOp::create(
                  nb, loc, vec, p.b, ValueRange{in.add(bBases[r], off)});
              out[r * unroll + u] =
                  vector::FMAOp::create(nb, loc, x, y, acc[r * unroll + u]);
            }
          }
          scf::YieldOp::create(nb, loc, out);
        });
    SmallVector<Value> partial;
    for (int64_t r = 0; r < rows; ++r)
      partial.push_back(main.getResult(r * unroll));
    auto tail = scf::ForOp::create(
        e.b, e.loc, mainEnd, p.nk, e.c(lanes), partial,
        [&](OpBuilder &nb, Location loc, Value k, ValueRange acc) {
          VectorEmitter in{Emitter{nb, loc}, vec};
          Value m = in.mask(in.e.sub(p.nk, k));
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
      Value sum = tail.getResult(r);
      for (int64_t u = 1; u < unroll; ++u)
        sum = arith::AddFOp::create(e.b, e.loc, sum,
                                    main.getResult(r * unroll + u));
      sums.push_back(vector::ReductionOp::create(
          e.b, e.loc, vector::CombiningKind::ADD, sum));
    }
    return sums;
  }

  void dots(bool parallel) {
    constexpr int64_t rows = 4;
    e.loop(e.c(0), p.nb, e.c(1), [&](Value bi) {
      e.loop(e.c(0), p.nm, e.c(1), [&](Value m) {
        Value aBase = e.add(e.mul(bi, p.sAb), e.mul(m, p.sAm));
        auto block = [&](Value n0, int64_t count) {
          SmallVector<Value> bBases;
          for (int64_t r = 0; r < count; ++r)
            bBases.push_back(e.add(e.mul(bi, p.sBb),
                                   e.mul(e.add(n0, e.c(r)), p.sBn)));
          SmallVector<Value> sums = dots(aBase, bBases);
          for (int64_t r = 0; r < count; ++r) {
            Value cAt = e.add(e.mul(bi, p.sCb),
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
        e.outerLoop(parallel, nFull, e.c(rows),
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
