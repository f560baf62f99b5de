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
//   C[n:] += A[k] * B[k, n:] in vector FMAs;
// - dot products along a contiguous depth (ij,j->i, ij,ij->, bi,bi->b):
//   four vector accumulators per output element, a horizontal sum at the end.
//
//===----------------------------------------------------------------------===//

#include "Emitter.h"
#include "GemmProblem.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::ein;

namespace {
struct ThinEmitter {
  Emitter e;
  const GemmProblem &p;
  int64_t lanes;
  VectorType vec;

  Value zeroVector() {
    return arith::ConstantOp::create(
        e.b, e.loc, vec,
        DenseElementsAttr::get(vec, e.b.getZeroAttr(p.elementType)));
  }
  Value mask(Value count) {
    Value clamped = arith::MaxSIOp::create(e.b, e.loc, count, e.c(0));
    clamped = e.min(clamped, e.c(lanes));
    return vector::CreateMaskOp::create(
        e.b, e.loc, VectorType::get({lanes}, e.b.getI1Type()),
        ValueRange{clamped});
  }
  Value load(Value memref, Value at) {
    return vector::LoadOp::create(e.b, e.loc, vec, memref, ValueRange{at});
  }
  Value maskedLoad(Value memref, Value at, Value m) {
    return vector::MaskedLoadOp::create(e.b, e.loc, vec, memref,
                                        ValueRange{at}, m, zeroVector());
  }

  void rowVector(bool parallel) {
    int64_t block = 16384 / (FloatType(p.elementType).getWidth() / 8);
    e.loop(e.c(0), p.nb, e.c(1), [&](Value bi) {
      e.outerLoop(parallel, p.nn, e.c(block), [&](Value n0) {
        Value count = e.min(e.c(block), e.sub(p.nn, n0));
        Value cRow = e.add(e.mul(bi, p.sCb), n0);
        e.loop(p.nk, 1, [&](Value k) {
          Value a = memref::LoadOp::create(
              e.b, e.loc, p.a,
              ValueRange{e.add(e.mul(bi, p.sAb), e.mul(k, p.sAk))});
          Value splat = vector::BroadcastOp::create(e.b, e.loc, vec, a);
          Value bRow =
              e.add(e.add(e.mul(bi, p.sBb), e.mul(k, p.sBk)), n0);
          e.loop(count, lanes, [&](Value n) {
            Value cAt = e.add(cRow, n), bAt = e.add(bRow, n);
            Value rem = e.sub(count, n);
            e.ifThen(
                e.lt(rem, e.c(lanes)),
                [&] {
                  Value m = mask(rem);
                  Value sum = vector::FMAOp::create(
                      e.b, e.loc, splat, maskedLoad(p.b, bAt, m),
                      maskedLoad(p.c, cAt, m));
                  vector::MaskedStoreOp::create(e.b, e.loc, p.c,
                                                ValueRange{cAt}, m, sum);
                },
                [&] {
                  Value sum = vector::FMAOp::create(
                      e.b, e.loc, splat, load(p.b, bAt), load(p.c, cAt));
                  vector::StoreOp::create(e.b, e.loc, sum, p.c,
                                          ValueRange{cAt});
                });
          });
        });
      });
    });
  }

  /// sum_k A[a + k] * B[b + k], k < nk.
  Value dot(Value aBase, Value bBase) {
    constexpr int64_t unroll = 4;
    Value step = e.c(unroll * lanes);
    Value mainEnd = e.mul(arith::DivSIOp::create(e.b, e.loc, p.nk, step), step);
    SmallVector<Value> init(unroll, zeroVector());
    auto main = scf::ForOp::create(
        e.b, e.loc, e.c(0), mainEnd, step, init,
        [&](OpBuilder &nb, Location loc, Value k, ValueRange acc) {
          Emitter in{nb, loc};
          SmallVector<Value> out;
          for (int64_t u = 0; u < unroll; ++u) {
            Value off = in.add(k, in.c(u * lanes));
            Value x = vector::LoadOp::create(nb, loc, vec, p.a,
                                             ValueRange{in.add(aBase, off)});
            Value y = vector::LoadOp::create(nb, loc, vec, p.b,
                                             ValueRange{in.add(bBase, off)});
            out.push_back(vector::FMAOp::create(nb, loc, x, y, acc[u]));
          }
          scf::YieldOp::create(nb, loc, out);
        });
    auto tail = scf::ForOp::create(
        e.b, e.loc, mainEnd, p.nk, e.c(lanes), ValueRange{main.getResult(0)},
        [&](OpBuilder &nb, Location loc, Value k, ValueRange acc) {
          ThinEmitter in{Emitter{nb, loc}, p, lanes, vec};
          Value m = in.mask(in.e.sub(p.nk, k));
          Value x = in.maskedLoad(p.a, in.e.add(aBase, k), m);
          Value y = in.maskedLoad(p.b, in.e.add(bBase, k), m);
          scf::YieldOp::create(nb, loc,
                               ValueRange{vector::FMAOp::create(nb, loc, x, y,
                                                                acc[0])});
        });
    Value sum = tail.getResult(0);
    for (int64_t u = 1; u < unroll; ++u)
      sum = arith::AddFOp::create(e.b, e.loc, sum, main.getResult(u));
    return vector::ReductionOp::create(e.b, e.loc, vector::CombiningKind::ADD,
                                       sum);
  }

  void dots(bool parallel) {
    e.loop(e.c(0), p.nb, e.c(1), [&](Value bi) {
      e.loop(e.c(0), p.nm, e.c(1), [&](Value m) {
        e.outerLoop(parallel, p.nn, e.c(1), [&](Value n) {
          Value aBase = e.add(e.mul(bi, p.sAb), e.mul(m, p.sAm));
          Value bBase = e.add(e.mul(bi, p.sBb), e.mul(n, p.sBn));
          Value cAt = e.add(e.mul(bi, p.sCb),
                            e.add(e.mul(m, p.sCm), e.mul(n, p.sCn)));
          Value value = dot(aBase, bBase);
          Value old = memref::LoadOp::create(e.b, e.loc, p.c, ValueRange{cAt});
          memref::StoreOp::create(e.b, e.loc,
                                  arith::AddFOp::create(e.b, e.loc, old, value),
                                  p.c, ValueRange{cAt});
        });
      });
    });
  }
};
} // namespace

void mlir::ein::emitThinContraction(OpBuilder &b, Location loc,
                                    const GemmProblem &problem, GemmKind kind,
                                    int64_t vectorBytes, bool parallel) {
  int64_t lanes = vectorBytes / (FloatType(problem.elementType).getWidth() / 8);
  ThinEmitter emitter{Emitter{b, loc}, problem, lanes,
                      VectorType::get({lanes}, problem.elementType)};
  if (kind == GemmKind::RowVector)
    emitter.rowVector(parallel);
  else
    emitter.dots(parallel);
}
