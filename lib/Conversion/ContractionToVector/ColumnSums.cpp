//===- ColumnSums.cpp - Row and column sums as products -------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ColumnSums.h"
#include "OpShape.h"
#include "SumOfTerms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::ein;

/// Row sums become dot products with ones from this many rows of at least
/// this many elements on ...
static constexpr int64_t kMinDotRows = 256;
static constexpr int64_t kMinDotRowLength = 2048;
/// ... and this many elements (smaller ones, in cache, ran as fast as one
/// row at a time: 300 x 3000 0.067 against 0.073 ms).
static constexpr int64_t kMinDotElements = int64_t(1) << 22;

LogicalResult mlir::ein::sumColumnsAsRowVector(RewriterBase &rewriter,
                                               linalg::LinalgOp op,
                                               const GemmTiling &tiling) {
  if (!isa<linalg::GenericOp>(op.getOperation()) ||
      op.getNumDpsInputs() != 1 || op.getNumLoops() != 2 ||
      op.hasIndexSemantics())
    return failure();
  arith::AddFOp add = matchSumOfTerms(op);
  if (!add || termOf(op, add) != op.getBlock()->getArgument(0))
    return failure();
  // The summed loop r and the output loop c, in either order; the input
  // is read as (r, c), the output as (c): a sum of rows. Or as (c, r): a
  // sum of each row, the dot products of the rows with ones (four rows
  // streamed at once: ij->i 4096^2 f32 2.6 -> 2.0 ms on one thread; one
  // row at a time in VectorSums.cpp, a single stream).
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  MLIRContext *ctx = op.getContext();
  unsigned r = iterators[0] == utils::IteratorType::reduction ? 0 : 1;
  AffineExpr rows = getAffineDimExpr(r, ctx),
             columns = getAffineDimExpr(1 - r, ctx);
  bool rowSums = maps[0] == AffineMap::get(2, 0, {columns, rows}, ctx);
  // (Only many long static rows: shorter or fewer ones lost to the ones
  // vector and the dot kernel's setup, 3 x 10^6 0.26 -> 0.43 ms, 10^5 x 16
  // 0.19 -> 0.27.)
  if (rowSums) {
    SmallVector<int64_t> sizes = op.getStaticLoopRanges();
    if (ShapedType::isDynamic(sizes[r]) || ShapedType::isDynamic(sizes[1 - r]) ||
        sizes[r] < kMinDotRowLength || sizes[1 - r] < kMinDotRows ||
        sizes[r] * sizes[1 - r] < kMinDotElements)
      return failure();
  }
  if (iterators[r] != utils::IteratorType::reduction ||
      iterators[1 - r] != utils::IteratorType::parallel ||
      (maps[0] != AffineMap::get(2, 0, {rows, columns}, ctx) && !rowSums) ||
      maps[1] != AffineMap::get(2, 0, {columns}, ctx))
    return failure();
  Value input = op.getDpsInputs()[0], output = op.getDpsInits()[0];
  if (!unitInnerStride(input) || !unitInnerStride(output))
    return failure();

  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  Type element = getElementTypeOrSelf(output.getType());
  auto inputType = cast<MemRefType>(input.getType());
  SmallVector<Value> dynamicSizes;
  unsigned summedDim = rowSums ? 1 : 0;
  if (inputType.isDynamicDim(summedDim))
    dynamicSizes.push_back(
        memref::DimOp::create(rewriter, loc, input, summedDim));
  auto onesType = MemRefType::get({inputType.getDimSize(summedDim)}, element);
  Value ones = memref::AllocOp::create(rewriter, loc, onesType, dynamicSizes,
                                       rewriter.getI64IntegerAttr(64));
  Value one = arith::ConstantOp::create(rewriter, loc, element,
                                        rewriter.getFloatAttr(element, 1.0));
  auto fill = linalg::FillOp::create(rewriter, loc, ValueRange{one},
                                     ValueRange{ones});
  // ones(r) * input(r, c) summed over r: the row-vector form; input(c, r)
  // * ones(r): dot products.
  AffineMap onesMap = AffineMap::get(2, 0, {rows}, ctx);
  SmallVector<AffineMap> productMaps =
      rowSums ? SmallVector<AffineMap>{maps[0], onesMap, maps[1]}
              : SmallVector<AffineMap>{onesMap, maps[0], maps[1]};
  SmallVector<Value> factors = rowSums ? SmallVector<Value>{input, ones}
                                       : SmallVector<Value>{ones, input};
  auto product = linalg::ContractOp::create(
      rewriter, loc, TypeRange{}, factors, ValueRange{output},
      rewriter.getAffineMapArrayAttr(productMaps));
  auto dealloc = memref::DeallocOp::create(rewriter, loc, ones);
  if (failed(vectorizeContraction(rewriter, product, tiling))) {
    rewriter.eraseOp(dealloc);
    if (product->getParentOp())
      rewriter.eraseOp(product);
    rewriter.eraseOp(fill);
    rewriter.eraseOp(ones.getDefiningOp());
    return failure();
  }
  rewriter.eraseOp(op);
  return success();
}
