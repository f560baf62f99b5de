//===- TensorModels.cpp - Derivative rules of tensor ops and linalg.fill --===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
// Reshapes and slices are linear: their (co)tangents go through the same or
// the transposed op, with the batch dimensions as leading, untouched axes.
//
//===----------------------------------------------------------------------===//

#include "ModelUtils.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::ein;

namespace {

/// A reassociation with the batch dimensions as leading singleton groups.
SmallVector<ReassociationIndices>
shifted(DiffContext &context, ArrayRef<ReassociationIndices> primal,
        int64_t collapsedRank) {
  int64_t n = context.getBatchRank();
  SmallVector<ReassociationIndices> result;
  for (int64_t i = 0; i < n; ++i)
    result.push_back({i});
  for (const ReassociationIndices &group : primal) {
    ReassociationIndices g;
    for (int64_t i : group)
      g.push_back(i + n);
    result.push_back(g);
  }
  // A collapse to rank 0 has no groups; with batch dimensions the unit
  // dimensions join the last batch group.
  if (primal.empty() && n > 0)
    for (int64_t i = 0; i < collapsedRank; ++i)
      result.back().push_back(n + i);
  return result;
}

SmallVector<OpFoldResult> withBatch(OpBuilder &builder, DiffContext &context,
                                    ArrayRef<OpFoldResult> primal,
                                    int64_t batchValue) {
  SmallVector<OpFoldResult> result;
  for (OpFoldResult size : context.getBatchSizes())
    result.push_back(batchValue < 0 ? size
                                    : OpFoldResult(builder.getIndexAttr(
                                          batchValue)));
  llvm::append_range(result, primal);
  return result;
}

/// collapse (Collapse = true) or expand: `value` (batched `from`) reshaped
/// to the batched type of `to` with the primal op's reassociation.
Value reshape(OpBuilder &builder, DiffContext &context, Location loc,
              Value value, Value from, Value to,
              ArrayRef<ReassociationIndices> reassociation, bool collapse) {
  int64_t expandedRank =
      cast<RankedTensorType>((collapse ? from : to).getType()).getRank();
  auto groups = shifted(context, reassociation, expandedRank);
  RankedTensorType type = context.getBatchedType(to.getType());
  if (collapse)
    return tensor::CollapseShapeOp::create(builder, loc, type, value, groups);
  SmallVector<OpFoldResult> shape = withBatch(
      builder, context, context.getSizes(builder, loc, to), /*batch=*/-1);
  return tensor::ExpandShapeOp::create(builder, loc, type, value, groups,
                                       shape);
}

template <typename OpTy, bool Collapse>
struct ReshapeModel
    : DifferentiableOpInterface::ExternalModel<ReshapeModel<OpTy, Collapse>,
                                               OpTy> {
  LogicalResult buildVJP(Operation *op, OpBuilder &builder,
                         DiffContext &context) const {
    auto reshapeOp = cast<OpTy>(op);
    if (Value cotangent = context.getCotangent(reshapeOp.getResult()))
      context.addCotangent(
          reshapeOp.getSrc(),
          reshape(builder, context, op->getLoc(), cotangent,
                  reshapeOp.getResult(), reshapeOp.getSrc(),
                  reshapeOp.getReassociationIndices(), !Collapse));
    return success();
  }
  LogicalResult buildJVP(Operation *op, OpBuilder &builder,
                         DiffContext &context) const {
    auto reshapeOp = cast<OpTy>(op);
    if (Value tangent = context.getTangent(reshapeOp.getSrc()))
      context.setTangent(reshapeOp.getResult(),
                         reshape(builder, context, op->getLoc(), tangent,
                                 reshapeOp.getSrc(), reshapeOp.getResult(),
                                 reshapeOp.getReassociationIndices(),
                                 Collapse));
    return success();
  }
};

/// Offsets, sizes and strides of a slice with the batch dimensions whole.
struct BatchedSlice {
  SmallVector<OpFoldResult> offsets, sizes, strides;
};

template <typename OpTy>
BatchedSlice batchedSlice(OpBuilder &builder, DiffContext &context, OpTy op) {
  return {withBatch(builder, context, op.getMixedOffsets(), 0),
          withBatch(builder, context, op.getMixedSizes(), -1),
          withBatch(builder, context, op.getMixedStrides(), 1)};
}

struct ExtractSliceModel
    : DifferentiableOpInterface::ExternalModel<ExtractSliceModel,
                                               tensor::ExtractSliceOp> {
  LogicalResult buildVJP(Operation *op, OpBuilder &builder,
                         DiffContext &context) const {
    auto slice = cast<tensor::ExtractSliceOp>(op);
    Value cotangent = context.getCotangent(slice.getResult());
    if (!cotangent)
      return success();
    BatchedSlice s = batchedSlice(builder, context, slice);
    Value zeros = context.zeros(builder, op->getLoc(), slice.getSource());
    context.addCotangent(slice.getSource(),
                         tensor::InsertSliceOp::create(
                             builder, op->getLoc(), cotangent, zeros,
                             s.offsets, s.sizes, s.strides));
    return success();
  }
  LogicalResult buildJVP(Operation *op, OpBuilder &builder,
                         DiffContext &context) const {
    auto slice = cast<tensor::ExtractSliceOp>(op);
    Value tangent = context.getTangent(slice.getSource());
    if (!tangent)
      return success();
    BatchedSlice s = batchedSlice(builder, context, slice);
    context.setTangent(slice.getResult(),
                       tensor::ExtractSliceOp::create(
                           builder, op->getLoc(),
                           context.getBatchedType(slice.getType()), tangent,
                           s.offsets, s.sizes, s.strides));
    return success();
  }
};

struct InsertSliceModel
    : DifferentiableOpInterface::ExternalModel<InsertSliceModel,
                                               tensor::InsertSliceOp> {
  LogicalResult buildVJP(Operation *op, OpBuilder &builder,
                         DiffContext &context) const {
    auto insert = cast<tensor::InsertSliceOp>(op);
    Value cotangent = context.getCotangent(insert.getResult());
    if (!cotangent)
      return success();
    Location loc = op->getLoc();
    BatchedSlice s = batchedSlice(builder, context, insert);
    if (context.isActive(insert.getSource()))
      context.addCotangent(
          insert.getSource(),
          tensor::ExtractSliceOp::create(
              builder, loc, context.getBatchedType(insert.getSourceType()),
              cotangent, s.offsets, s.sizes, s.strides));
    if (context.isActive(insert.getDest())) {
      Value zeros = context.zeros(builder, loc, insert.getSource());
      context.addCotangent(insert.getDest(),
                           tensor::InsertSliceOp::create(
                               builder, loc, zeros, cotangent, s.offsets,
                               s.sizes, s.strides));
    }
    return success();
  }
  LogicalResult buildJVP(Operation *op, OpBuilder &builder,
                         DiffContext &context) const {
    auto insert = cast<tensor::InsertSliceOp>(op);
    Location loc = op->getLoc();
    Value source = context.getTangent(insert.getSource());
    Value dest = context.getTangent(insert.getDest());
    if (!source && !dest)
      return success();
    if (!source)
      source = context.zeros(builder, loc, insert.getSource());
    if (!dest)
      dest = context.zeros(builder, loc, insert.getDest());
    BatchedSlice s = batchedSlice(builder, context, insert);
    context.setTangent(insert.getResult(),
                       tensor::InsertSliceOp::create(builder, loc, source, dest,
                                                     s.offsets, s.sizes,
                                                     s.strides));
    return success();
  }
};

struct CastModel : DifferentiableOpInterface::ExternalModel<CastModel,
                                                            tensor::CastOp> {
  LogicalResult buildVJP(Operation *op, OpBuilder &builder,
                         DiffContext &context) const {
    auto cast = llvm::cast<tensor::CastOp>(op);
    if (Value cotangent = context.getCotangent(cast.getResult()))
      context.addCotangent(cast.getSource(), cotangent);
    return success();
  }
  LogicalResult buildJVP(Operation *op, OpBuilder &builder,
                         DiffContext &context) const {
    auto cast = llvm::cast<tensor::CastOp>(op);
    context.setTangent(cast.getResult(), context.getTangent(cast.getSource()));
    return success();
  }
};

/// linalg.fill overwrites its destination: the result depends only on the
/// fill value, which is a scalar (no rule for active scalars).
struct FillModel
    : DifferentiableOpInterface::ExternalModel<FillModel, linalg::FillOp> {
  static LogicalResult check(Operation *op, DiffContext &context) {
    auto fill = cast<linalg::FillOp>(op);
    if (context.isActive(fill.value()))
      return op->emitError("no derivative rule for 'linalg.fill' with "
                           "respect to its fill value (a scalar)");
    return success();
  }
  LogicalResult buildVJP(Operation *op, OpBuilder &,
                         DiffContext &context) const {
    return check(op, context);
  }
  LogicalResult buildJVP(Operation *op, OpBuilder &,
                         DiffContext &context) const {
    return check(op, context);
  }
};

} // namespace

void mlir::ein::registerTensorDerivativeModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, tensor::TensorDialect *) {
    tensor::CollapseShapeOp::attachInterface<
        ReshapeModel<tensor::CollapseShapeOp, /*Collapse=*/true>>(*context);
    tensor::ExpandShapeOp::attachInterface<
        ReshapeModel<tensor::ExpandShapeOp, /*Collapse=*/false>>(*context);
    tensor::ExtractSliceOp::attachInterface<ExtractSliceModel>(*context);
    tensor::InsertSliceOp::attachInterface<InsertSliceModel>(*context);
    tensor::CastOp::attachInterface<CastModel>(*context);
    tensor::EmptyOp::attachInterface<ConstantModel<tensor::EmptyOp>>(
        *context);
  });
  registry.addExtension(+[](MLIRContext *context, linalg::LinalgDialect *) {
    linalg::FillOp::attachInterface<FillModel>(*context);
  });
}
