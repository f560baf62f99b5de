//===- Reductions.cpp - Sums of one operand with a register accumulator ---===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// convert-linalg-to-loops turns a unary sum (ij->i, ii->, ijk->) into loops
// that load and store the output element on every step of the reduction:
// one serial chain of additions through memory. Here the innermost
// reduction loop carries its partial sum in a register instead. (The
// additions keep their order: with reassociation allowed LLVM vectorized
// strided sums with gathers, several times slower than the scalar chain.)
//
//===----------------------------------------------------------------------===//

#include "ein/Conversion/ContractionToVector/ContractionToVector.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::ein;

/// True if `op` is out += in (either operand order) summed over its
/// innermost loop, with dimension-only maps.
static bool isInnermostSum(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      !op.hasPureBufferSemantics() || op.getNumLoops() == 0)
    return false;
  if (op.getIteratorTypesArray().back() != utils::IteratorType::reduction)
    return false;
  Type element = getElementTypeOrSelf(op.getDpsInits()[0].getType());
  if (!element.isF32() && !element.isF64())
    return false;
  for (AffineMap map : op.getIndexingMapsArray())
    for (AffineExpr expr : map.getResults())
      if (!isa<AffineDimExpr>(expr))
        return false;
  Block *body = op.getBlock();
  if (body->getOperations().size() != 2)
    return false;
  auto add = dyn_cast<arith::AddFOp>(body->front());
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (!add || yield.getNumOperands() != 1 || yield.getOperand(0) != add)
    return false;
  Value in = body->getArgument(0), out = body->getArgument(1);
  return (add.getLhs() == in && add.getRhs() == out) ||
         (add.getLhs() == out && add.getRhs() == in);
}

static SmallVector<Value> indicesOf(AffineMap map, ArrayRef<Value> ivs) {
  SmallVector<Value> indices;
  for (AffineExpr expr : map.getResults())
    indices.push_back(ivs[cast<AffineDimExpr>(expr).getPosition()]);
  return indices;
}

LogicalResult mlir::ein::lowerInnermostSum(RewriterBase &rewriter,
                                           linalg::LinalgOp linalgOp) {
  auto op = dyn_cast<linalg::GenericOp>(linalgOp.getOperation());
  if (!op || !isInnermostSum(op))
    return failure();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  SmallVector<Range, 4> ranges =
      cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(rewriter, loc);
  AffineMap inMap = op.getIndexingMapsArray()[0];
  AffineMap outMap = op.getIndexingMapsArray()[1];
  Value input = op.getDpsInputs()[0], output = op.getDpsInits()[0];
  auto value = [&](OpFoldResult r) {
    return getValueOrCreateConstantIndexOp(rewriter, loc, r);
  };

  SmallVector<Value> ivs(ranges.size());
  // Outer loops: plain scf.for.
  for (unsigned d = 0; d + 1 < ranges.size(); ++d) {
    auto loop = scf::ForOp::create(rewriter, loc, value(ranges[d].offset),
                                   value(ranges[d].size),
                                   value(ranges[d].stride));
    ivs[d] = loop.getInductionVar();
    rewriter.setInsertionPoint(loop.getBody()->getTerminator());
  }
  // The innermost (reduction) loop carries the partial sum.
  unsigned last = ranges.size() - 1;
  ivs[last] = value(ranges[last].offset); // unused by the output's map
  SmallVector<Value> outIndices = indicesOf(outMap, ivs);
  Value init = memref::LoadOp::create(rewriter, loc, output, outIndices);
  auto inner = scf::ForOp::create(
      rewriter, loc, value(ranges[last].offset), value(ranges[last].size),
      value(ranges[last].stride), ValueRange{init},
      [&](OpBuilder &b, Location l, Value iv, ValueRange acc) {
        SmallVector<Value> all(ivs);
        all[last] = iv;
        Value x = memref::LoadOp::create(b, l, input, indicesOf(inMap, all));
        Value sum = arith::AddFOp::create(b, l, acc[0], x);
        scf::YieldOp::create(b, l, ValueRange{sum});
      });
  memref::StoreOp::create(rewriter, loc, inner.getResult(0), output,
                          outIndices);
  rewriter.eraseOp(op);
  return success();
}
