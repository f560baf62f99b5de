//===- Reductions.cpp - Sums of one operand with a register accumulator ---===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// convert-linalg-to-loops turns a sum (ij->i, ii->, ijk->, or a contraction
// no kernel covers, such as i,ij-> or a fused n-ary one) into loops
// that load and store the output element on every step of the reduction:
// one serial chain of additions through memory, and one long running sum
// (a rounding error that grows with the number of terms). Here the
// trailing reduction loops carry their partial sums in registers instead,
// level by level: each reduction loop starts from zero and adds its sum to
// the level above, and a loop longer than kSumChunk terms is summed in
// chunks of kSumChunk, each from zero. A sum over loops of extents
// n1..nr thus passes every term through at most
// sum_l (min(n_l, kSumChunk) + ceil(n_l / kSumChunk)) additions instead of
// n1*...*nr (docs/Numerics.md). (The additions keep their order otherwise:
// with reassociation allowed LLVM vectorized strided sums with gathers,
// several times slower than the scalar chain.)
//
//===----------------------------------------------------------------------===//

#include "ein/Conversion/ContractionToVector/ContractionToVector.h"
#include "OpShape.h"
#include "SumOfTerms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <functional>

using namespace mlir;
using namespace mlir::ein;


arith::AddFOp mlir::ein::matchSumOfTerms(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() == 0 || op.getNumDpsInits() != 1 ||
      !op.hasPureBufferSemantics() || op.getNumReductionLoops() == 0)
    return nullptr;
  Type element = getElementTypeOrSelf(op.getDpsInits()[0].getType());
  if (!element.isF32() && !element.isF64())
    return nullptr;
  for (AffineMap map : op.getIndexingMapsArray())
    for (AffineExpr expr : map.getResults())
      if (!isa<AffineDimExpr>(expr))
        return nullptr;
  Block *body = op.getBlock();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (yield.getNumOperands() != 1)
    return nullptr;
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  Value out = body->getArguments().back();
  if (!add || add->getBlock() != body || !out.hasOneUse())
    return nullptr;
  if (add.getLhs() != out && add.getRhs() != out)
    return nullptr;
  for (Operation &inner : body->without_terminator())
    if (&inner != add && (!isMemoryEffectFree(&inner) ||
                          inner.getNumRegions() != 0))
      return nullptr;
  return add;
}

Value mlir::ein::termOf(linalg::LinalgOp op, arith::AddFOp add) {
  Value out = op.getBlock()->getArguments().back();
  return add.getLhs() == out ? add.getRhs() : add.getLhs();
}

SmallVector<Value> mlir::ein::indicesOf(AffineMap map, ArrayRef<Value> ivs) {
  SmallVector<Value> indices;
  for (AffineExpr expr : map.getResults())
    indices.push_back(ivs[cast<AffineDimExpr>(expr).getPosition()]);
  return indices;
}

Value mlir::ein::emitSumLoop(
    OpBuilder &b, Location loc, Value lb, Value ub, Value step, Value init,
    function_ref<Value(OpBuilder &, Location, Value)> term) {
  auto loop = scf::ForOp::create(
      b, loc, lb, ub, step, ValueRange{init},
      [&](OpBuilder &nb, Location nl, Value iv, ValueRange acc) {
        Value sum = arith::AddFOp::create(nb, nl, acc[0], term(nb, nl, iv));
        scf::YieldOp::create(nb, nl, ValueRange{sum});
      });
  return loop.getResult(0);
}

Value mlir::ein::emitInterleavedSumLoop(
    OpBuilder &b, Location loc, Value lb, Value ub, Value zero,
    function_ref<Value(OpBuilder &, Location, Value)> term) {
  // Whole groups of kSumLanes steps, term u of a group into partial sum u.
  Value lanes = arith::ConstantIndexOp::create(b, loc, kSumLanes);
  Value count = arith::SubIOp::create(b, loc, ub, lb);
  Value whole = arith::AddIOp::create(
      b, loc, lb,
      arith::MulIOp::create(
          b, loc, arith::DivUIOp::create(b, loc, count, lanes), lanes));
  SmallVector<Value> inits(kSumLanes, zero);
  auto groups = scf::ForOp::create(
      b, loc, lb, whole, lanes, inits,
      [&](OpBuilder &nb, Location nl, Value iv, ValueRange acc) {
        SmallVector<Value> sums;
        for (int64_t u = 0; u < kSumLanes; ++u) {
          Value at = u == 0 ? iv
                            : arith::AddIOp::create(
                                  nb, nl, iv,
                                  arith::ConstantIndexOp::create(nb, nl, u));
          sums.push_back(
              arith::AddFOp::create(nb, nl, acc[u], term(nb, nl, at)));
        }
        scf::YieldOp::create(nb, nl, sums);
      });
  // The partial sums added pairwise, then the rest of the steps.
  Value grouped = addPairwise(b, loc, SmallVector<Value>(groups.getResults()));
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value rest = emitSumLoop(b, loc, whole, ub, one, zero, term);
  return arith::AddFOp::create(b, loc, grouped, rest);
}

Value mlir::ein::addPairwise(OpBuilder &b, Location loc,
                             ArrayRef<Value> values) {
  SmallVector<Value> level(values);
  while (level.size() > 1) {
    SmallVector<Value> next;
    for (size_t i = 0; i + 1 < level.size(); i += 2)
      next.push_back(arith::AddFOp::create(b, loc, level[i], level[i + 1]));
    if (level.size() % 2)
      next.push_back(level.back());
    level = std::move(next);
  }
  return level.front();
}

Value mlir::ein::openOutputLoop(OpBuilder &b, Location loc, Value lb,
                                Value ub, Value step, bool parallel) {
  if (parallel) {
    auto loop = scf::ParallelOp::create(b, loc, ValueRange{lb}, ValueRange{ub},
                                        ValueRange{step});
    b.setInsertionPoint(loop.getBody()->getTerminator());
    return loop.getInductionVars()[0];
  }
  auto loop = scf::ForOp::create(b, loc, lb, ub, step);
  b.setInsertionPoint(loop.getBody()->getTerminator());
  return loop.getInductionVar();
}

void mlir::ein::addToOutput(OpBuilder &b, Location loc, Value output,
                            ValueRange at, Value sum) {
  Value old = memref::LoadOp::create(b, loc, output, at);
  memref::StoreOp::create(b, loc, arith::AddFOp::create(b, loc, old, sum),
                          output, at);
}

LogicalResult mlir::ein::lowerInnermostSum(RewriterBase &rewriter,
                                           linalg::LinalgOp op,
                                           int64_t minParallelIterations) {
  arith::AddFOp add = matchSumOfTerms(op);
  if (!add ||
      op.getIteratorTypesArray().back() != utils::IteratorType::reduction)
    return failure();
  Value termValue = termOf(op, add);
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  SmallVector<Range, 4> ranges = op.createLoopRanges(rewriter, loc);
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  AffineMap outMap = maps.back();
  Value output = op.getDpsInits()[0];
  // Bounds, built once before the loops.
  SmallVector<Value> lbs, ubs, steps;
  for (Range range : ranges) {
    lbs.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, range.offset));
    ubs.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, range.size));
    steps.push_back(
        getValueOrCreateConstantIndexOp(rewriter, loc, range.stride));
  }

  // Loops from `firstSum` on are all reductions: their sum is carried in
  // registers. Loops before it are plain scf.for.
  unsigned numLoops = ranges.size();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  unsigned firstSum = numLoops;
  while (firstSum > 0 &&
         iterators[firstSum - 1] == utils::IteratorType::reduction)
    --firstSum;
  Type element = getElementTypeOrSelf(output.getType());
  Value zero = arith::ConstantOp::create(rewriter, loc,
                                         rewriter.getZeroAttr(element));
  Value chunk = arith::ConstantIndexOp::create(rewriter, loc, kSumChunk);
  int64_t iterations = staticIterations(op);
  bool parallelOuter = minParallelIterations > 0 && firstSum > 0 &&
                       iterations >= minParallelIterations;
  SmallVector<Value> ivs(numLoops);
  for (unsigned d = 0; d < firstSum; ++d)
    ivs[d] = openOutputLoop(rewriter, loc, lbs[d], ubs[d], steps[d],
                            d == 0 && parallelOuter);
  // for iv in [lb, ub) step: acc += term(iv), acc starting from zero.
  // The innermost loop (unit steps) keeps kSumLanes partial sums.
  auto sumLoop = [&](OpBuilder &b, Location l, Value lb, Value ub, Value step,
                     function_ref<Value(OpBuilder &, Location, Value)> term,
                     bool innermost) {
    if (innermost)
      return emitInterleavedSumLoop(b, l, lb, ub, zero, term);
    return emitSumLoop(b, l, lb, ub, step, zero, term);
  };
  // The sum over loop d (and, nested, all loops after it), in chunks of
  // kSumChunk iterations when the loop may be longer.
  std::function<Value(OpBuilder &, Location, unsigned)> sumFrom =
      [&](OpBuilder &b, Location l, unsigned d) -> Value {
    auto term = [&, d](OpBuilder &nb, Location nl, Value iv) -> Value {
      ivs[d] = iv;
      if (d + 1 < numLoops)
        return sumFrom(nb, nl, d + 1);
      // The innermost step: the body's term on loaded inputs.
      IRMapping mapping;
      Block *body = op.getBlock();
      for (OpOperand *input : op.getDpsInputOperands())
        mapping.map(body->getArgument(input->getOperandNumber()),
                    memref::LoadOp::create(
                        nb, nl, input->get(),
                        indicesOf(maps[input->getOperandNumber()], ivs)));
      for (Operation &inner : body->without_terminator())
        if (&inner != add.getOperation())
          nb.clone(inner, mapping);
      return mapping.lookupOrDefault(termValue);
    };
    Value lb = lbs[d], ub = ubs[d], step = steps[d];
    std::optional<int64_t> size = getConstantIntValue(ranges[d].size);
    // (linalg's loops have unit steps.)
    bool innermost = d + 1 == numLoops &&
                     (!size || *size >= 2 * kSumLanes);
    if (size && *size <= kSumChunk)
      return sumLoop(b, l, lb, ub, step, term, innermost);
    return sumLoop(
        b, l, lb, ub, chunk,
        [&](OpBuilder &nb, Location nl, Value c0) {
          Value end = arith::MinSIOp::create(
              nb, nl, arith::AddIOp::create(nb, nl, c0, chunk), ub);
          return sumLoop(nb, nl, c0, end, step, term, innermost);
        },
        false);
  };
  // The output's map does not read the reduction loops.
  for (unsigned d = firstSum; d < numLoops; ++d)
    ivs[d] = lbs[d];
  SmallVector<Value> outIndices = indicesOf(outMap, ivs);
  addToOutput(rewriter, loc, output, outIndices,
              sumFrom(rewriter, loc, firstSum));
  rewriter.eraseOp(op);
  return success();
}
