//===- Elementwise.cpp - Products and maps without sums, in vectors -------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Ops that sum nothing (outer products i,j->ij, bi,bj->bij, Kronecker
// products, Hadamard products, fused elementwise chains) write their output
// once and read their inputs at most once per output element: they are
// bound by the output's stores. They run along the output's contiguous
// loop v in vectors: inputs contiguous along v are vector loads, inputs that
// do not read v are one broadcast element per row, and the body's
// elementwise ops apply to whole vectors. The last vector of a row is
// masked. (Non-temporal stores for large outputs were tried: peers that
// reuse a cached output block won, 16 MiB outputs ran 2.5x slower.)
//
//===----------------------------------------------------------------------===//

#include "Elementwise.h"
#include "Emitter.h"
#include "OpShape.h"
#include "SumOfTerms.h"
#include "Transposes.h"

#include <functional>

using namespace mlir;
using namespace mlir::ein;

/// Static element count of a shaped value (-1 when dynamic).
static int64_t staticElements(Value value) {
  auto type = cast<ShapedType>(value.getType());
  return type.hasStaticShape() ? type.getNumElements() : -1;
}

/// Inputs of at least this many elements, read along the output's
/// contiguous loop through another dimension, are copied first whatever
/// their size against the output's: element by element, each load of
/// ij,ji->ij missed the cache (4096² f32: 150 ms on one thread; copy and
/// map 25 ms). Smaller ones (in L2) were as fast unvectorized as with the
/// copy, its allocation included (300x200: 0.018 against 0.026 ms).
static constexpr int64_t kCopyMinElements = int64_t(1) << 17;

/// The output's contiguous loop, if `op` is a map this file vectorizes.
/// Inputs that read that loop along another dimension are listed in
/// `toCopy` (when given) if a copy with it innermost would make `op` one:
/// static, identity layout, at most a quarter of the output's size or at
/// least kCopyMinElements.
static std::optional<unsigned>
vectorLoop(linalg::LinalgOp op, SmallVectorImpl<OpOperand *> *toCopy = nullptr) {
  if (op.getNumDpsInits() == 0 || !op.hasPureBufferSemantics() ||
      op.getNumParallelLoops() != op.getNumLoops() || op.getNumLoops() == 0)
    return std::nullopt;
  Block *body = op.getBlock();
  Value output = op.getDpsInits()[0];
  Type element = getElementTypeOrSelf(output.getType());
  if (!(element.isF32() || element.isF64()))
    return std::nullopt;
  // (Several outputs: MergeSiblingMaps.cpp's, laid out alike.)
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  AffineMap outMap = maps[op.getNumDpsInputs()];
  for (OpOperand &init : op.getDpsInitsMutable())
    if (getElementTypeOrSelf(init.get().getType()) != element ||
        !unitInnerStride(init.get()) || op.payloadUsesValueFromOperand(&init) ||
        op.getMatchingIndexingMap(&init) != outMap)
      return std::nullopt;
  // Something is computed, or a copy permutes its input (fills and whole
  // copies stay memset/memcpy idioms; permuting copies ran as a memcpy per
  // row: dabc->abdc 64x24x64x32 1.36 ms, in vectors 0.73 ms).
  bool permutes = op.getNumDpsInputs() == 1 &&
                  isa<MemRefType>(op.getDpsInputs()[0].getType()) &&
                  maps[0].isPermutation() && maps[0] != outMap;
  if (!permutes &&
      llvm::all_of(body->without_terminator(),
                   [](Operation &inner) { return isa<arith::ConstantOp>(inner); }))
    return std::nullopt;
  for (Operation &inner : body->without_terminator())
    if (!isa<arith::ConstantOp>(inner) &&
        (!OpTrait::hasElementwiseMappableTraits(&inner) ||
         !llvm::all_of(inner.getResultTypes(),
                       [](Type t) { return t.isIntOrIndexOrFloat(); })))
      return std::nullopt;
  if (!outMap.isPermutation())
    return std::nullopt;
  unsigned v = dimOf(outMap.getResults().back());
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (!map.isProjectedPermutation() ||
        getElementTypeOrSelf(input->get().getType()) != element)
      return std::nullopt;
    // Read along v: as its unit-stride last dimension only.
    if (map.isFunctionOfDim(v) &&
        (dimOf(map.getResults().back()) != v ||
         !unitInnerStride(input->get()))) {
      auto type = dyn_cast<MemRefType>(input->get().getType());
      int64_t size = staticElements(input->get());
      int64_t outputSize = staticElements(output);
      if (!toCopy || !isa<linalg::GenericOp>(op.getOperation()) || !type ||
          !type.getLayout().isIdentity() || size < 0 || outputSize < 0 ||
          (size * 4 > outputSize && size < kCopyMinElements))
        return std::nullopt;
      toCopy->push_back(input);
    }
  }
  return v;
}

/// Copies each input in `toCopy` into a buffer with loop v innermost (a
/// transposing copy, vectorized) and points `op` at the copies, which are
/// appended to `copies`.
static void copyWithInnermost(RewriterBase &rewriter, linalg::GenericOp op,
                              unsigned v, ArrayRef<OpOperand *> toCopy,
                              int64_t vectorBytes, int64_t minParallel,
                              SmallVectorImpl<Value> &copies) {
  Location loc = op.getLoc();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  for (OpOperand *input : toCopy) {
    AffineMap map = maps[input->getOperandNumber()];
    auto type = cast<MemRefType>(input->get().getType());
    SmallVector<int64_t> perm, shape;
    SmallVector<AffineExpr> results;
    int64_t vPos = -1;
    for (auto [i, expr] : llvm::enumerate(map.getResults())) {
      if (dimOf(expr) == v) {
        vPos = i;
        continue;
      }
      perm.push_back(i);
    }
    perm.push_back(vPos);
    for (int64_t i : perm) {
      shape.push_back(type.getDimSize(i));
      results.push_back(map.getResult(i));
    }
    auto copyType = MemRefType::get(shape, type.getElementType());
    Value copy = memref::AllocOp::create(rewriter, loc, copyType, ValueRange{},
                                         rewriter.getI64IntegerAttr(64));
    auto transpose =
        linalg::TransposeOp::create(rewriter, loc, input->get(), copy, perm);
    (void)vectorizeTranspose(rewriter, cast<linalg::LinalgOp>(*transpose),
                             vectorBytes, minParallel);
    copies.push_back(copy);
    maps[input->getOperandNumber()] =
        AffineMap::get(map.getNumDims(), 0, results, op.getContext());
    rewriter.modifyOpInPlace(op, [&] { input->set(copy); });
  }
  rewriter.modifyOpInPlace(
      op, [&] { op.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps)); });
}

LogicalResult mlir::ein::vectorizeMap(RewriterBase &rewriter,
                                      linalg::LinalgOp op, int64_t vectorBytes,
                                      int64_t minParallelIterations) {
  SmallVector<OpOperand *> toCopy;
  std::optional<unsigned> v = vectorLoop(op, &toCopy);
  if (!v || op.getNumDpsInputs() == 0)
    return failure();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  // Small inputs read along v through another dimension (ij,kj->jik: B
  // is read along k) are first copied with v innermost: 2 MiB outputs were
  // written element by element (0.145 ms; torch 0.044).
  SmallVector<Value> copies;
  if (!toCopy.empty())
    copyWithInnermost(rewriter, cast<linalg::GenericOp>(op.getOperation()),
                      *v, toCopy, vectorBytes, minParallelIterations, copies);
  Location loc = op.getLoc();
  auto element =
      cast<FloatType>(getElementTypeOrSelf(op.getDpsInits()[0].getType()));
  int64_t lanes = vectorBytes * 8 / element.getWidth();
  Emitter e{rewriter, loc};
  VectorEmitter ve{e, VectorType::get({lanes}, element)};
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<Value> ubs;
  for (Range range : op.createLoopRanges(rewriter, loc))
    ubs.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, range.size));
  SmallVector<Value> ivs(op.getNumLoops());

  int64_t elements = staticIterations(op);
  bool parallel = minParallelIterations > 0 && elements >= minParallelIterations;

  // The outputs' vectors at ivs (lanes off `mask`, if any, untouched).
  AffineMap outMap = maps[op.getNumDpsInputs()];
  auto vectorAt = [&](Value mask) {
    SmallVector<Value> results =
        vectorBodies(rewriter, loc, op, *v, ivs, ve.vec, mask,
                     op.getBlock()->getTerminator()->getOperands());
    SmallVector<Value> outAt = indicesOf(outMap, ivs);
    for (auto [result, out] : llvm::zip(results, op.getDpsInits())) {
      if (mask)
        vector::MaskedStoreOp::create(rewriter, loc, out, outAt, mask, result);
      else
        vector::StoreOp::create(rewriter, loc, result, out, outAt);
    }
  };

  // The other loops in the output's order (the first on threads for large
  // outputs), then v in whole vectors and a masked last one.
  SmallVector<unsigned> outer;
  for (AffineExpr expr : outMap.getResults())
    if (dimOf(expr) != *v)
      outer.push_back(dimOf(expr));
  std::function<void(unsigned)> nest = [&](unsigned level) {
    if (level < outer.size()) {
      e.outerLoop(level == 0 && parallel, ubs[outer[level]], e.c(1),
                  [&](Value iv) {
                    ivs[outer[level]] = iv;
                    nest(level + 1);
                  });
      return;
    }
    Value step = e.c(lanes);
    Value full = e.sub(ubs[*v], arith::RemSIOp::create(rewriter, loc,
                                                       ubs[*v], step));
    // (Without other loops, v itself runs on threads.)
    e.outerLoop(outer.empty() && parallel, full, step, [&](Value iv) {
      ivs[*v] = iv;
      vectorAt(Value());
    });
    ivs[*v] = full;
    Value rest = e.sub(ubs[*v], full);
    e.ifThen(e.lt(e.c(0), rest), [&] { vectorAt(ve.mask(rest)); });
  };
  nest(0);
  for (Value copy : copies)
    memref::DeallocOp::create(rewriter, loc, copy);
  rewriter.eraseOp(op);
  return success();
}
