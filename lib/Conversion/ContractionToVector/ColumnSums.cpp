//===- ColumnSums.cpp - Column sums as row-vector products ----------------===//
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
  // is read as (r, c), the output as (c).
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  MLIRContext *ctx = op.getContext();
  unsigned r = iterators[0] == utils::IteratorType::reduction ? 0 : 1;
  AffineExpr rows = getAffineDimExpr(r, ctx),
             columns = getAffineDimExpr(1 - r, ctx);
  if (iterators[r] != utils::IteratorType::reduction ||
      iterators[1 - r] != utils::IteratorType::parallel ||
      maps[0] != AffineMap::get(2, 0, {rows, columns}, ctx) ||
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
  if (inputType.isDynamicDim(0))
    dynamicSizes.push_back(memref::DimOp::create(rewriter, loc, input, 0));
  auto onesType = MemRefType::get({inputType.getDimSize(0)}, element);
  Value ones = memref::AllocOp::create(rewriter, loc, onesType, dynamicSizes,
                                       rewriter.getI64IntegerAttr(64));
  Value one = arith::ConstantOp::create(rewriter, loc, element,
                                        rewriter.getFloatAttr(element, 1.0));
  auto fill = linalg::FillOp::create(rewriter, loc, ValueRange{one},
                                     ValueRange{ones});
  // ones(r) * input(r, c) summed over r: the row-vector form.
  SmallVector<AffineMap> productMaps = {AffineMap::get(2, 0, {rows}, ctx),
                                        maps[0], maps[1]};
  auto product = linalg::ContractOp::create(
      rewriter, loc, TypeRange{}, ValueRange{ones, input}, ValueRange{output},
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
