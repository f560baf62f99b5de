//===- DiagonalEmbedding.cpp - Zero fill plus diagonal stores -------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "DiagonalEmbedding.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::ein;

/// Adds to `equal` the pairs of loops that `cond` (an i1 in `body`) requires
/// to be equal: a tree of arith.andi over arith.cmpi eq of linalg.index ops.
static bool collectEqualities(Value cond, Block *body,
                              SmallVectorImpl<std::pair<int64_t, int64_t>> &equal) {
  Operation *def = cond.getDefiningOp();
  if (!def || def->getBlock() != body)
    return false;
  if (auto both = dyn_cast<arith::AndIOp>(def))
    return collectEqualities(both.getLhs(), body, equal) &&
           collectEqualities(both.getRhs(), body, equal);
  auto cmp = dyn_cast<arith::CmpIOp>(def);
  if (!cmp || cmp.getPredicate() != arith::CmpIPredicate::eq)
    return false;
  auto a = cmp.getLhs().getDefiningOp<linalg::IndexOp>();
  auto b = cmp.getRhs().getDefiningOp<linalg::IndexOp>();
  if (!a || !b)
    return false;
  equal.push_back({int64_t(a.getDim()), int64_t(b.getDim())});
  return true;
}

LogicalResult mlir::ein::lowerDiagonalEmbedding(RewriterBase &rewriter,
                                                linalg::LinalgOp op) {
  if (!isa<linalg::GenericOp>(op.getOperation()) ||
      !op.hasPureBufferSemantics() || op.getNumDpsInputs() != 1 ||
      op.getNumDpsInits() != 1 ||
      op.getNumLoops() != op.getNumParallelLoops())
    return failure();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (!maps[1].isIdentity() || !maps[0].isProjectedPermutation())
    return failure();
  Block *body = op.getBlock();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  auto select = yield.getNumOperands() == 1
                    ? yield.getOperand(0).getDefiningOp<arith::SelectOp>()
                    : nullptr;
  if (!select || select.getTrueValue() != body->getArgument(0) ||
      !matchPattern(select.getFalseValue(), m_AnyZeroFloat()))
    return failure();
  // Every op of the body is part of the select's condition.
  SmallVector<std::pair<int64_t, int64_t>> equal;
  if (!collectEqualities(select.getCondition(), body, equal))
    return failure();
  for (Operation &inner : body->without_terminator())
    if (!isa<linalg::IndexOp, arith::CmpIOp, arith::AndIOp, arith::SelectOp,
             arith::ConstantOp>(inner))
      return failure();
  // Each loop takes the value of a loop the input reads.
  int64_t rank = op.getNumLoops();
  SmallVector<int64_t> source(rank, -1);
  for (AffineExpr expr : maps[0].getResults()) {
    int64_t d = cast<AffineDimExpr>(expr).getPosition();
    source[d] = d;
  }
  for (bool progress = true; progress;) {
    progress = false;
    for (auto [a, b] : equal) {
      if (source[a] >= 0 && source[b] < 0)
        source[b] = source[a], progress = true;
      if (source[b] >= 0 && source[a] < 0)
        source[a] = source[b], progress = true;
    }
  }
  // A loop that no equality ties to the input would broadcast; two input
  // loops required equal would read the input's diagonal.
  if (llvm::is_contained(source, -1))
    return failure();
  for (auto [a, b] : equal)
    if (source[a] != source[b])
      return failure();

  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  Value in = op.getDpsInputs()[0], out = op.getDpsInits()[0];
  Type element = getElementTypeOrSelf(out);
  Value zeroElement = arith::ConstantOp::create(
      rewriter, loc, element, rewriter.getZeroAttr(element));
  linalg::FillOp::create(rewriter, loc, ValueRange{zeroElement},
                         ValueRange{out});
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t k = 0; k < maps[0].getNumResults(); ++k) {
    lbs.push_back(zero);
    ubs.push_back(memref::DimOp::create(rewriter, loc, in, k));
    steps.push_back(one);
  }
  scf::buildLoopNest(
      rewriter, loc, lbs, ubs, steps,
      [&](OpBuilder &b, Location l, ValueRange ivs) {
        SmallVector<Value> loopValue(rank);
        for (auto [k, expr] : llvm::enumerate(maps[0].getResults()))
          loopValue[cast<AffineDimExpr>(expr).getPosition()] = ivs[k];
        SmallVector<Value> at;
        for (int64_t d = 0; d < rank; ++d)
          at.push_back(loopValue[source[d]]);
        Value x = memref::LoadOp::create(b, l, in, ivs);
        memref::StoreOp::create(b, l, x, out, at);
      });
  rewriter.eraseOp(op);
  return success();
}
