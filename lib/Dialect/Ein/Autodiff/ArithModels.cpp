//===- ArithModels.cpp - Derivative rules of arith ops on tensors ---------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ModelUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::ein;

namespace {

/// addf, subf, negf: the (co)tangent passes through, negated for subtracted
/// operands. `Signs` gives +1/-1 per operand.
template <typename OpTy, int... Signs>
struct LinearModel
    : DifferentiableOpInterface::ExternalModel<LinearModel<OpTy, Signs...>,
                                               OpTy> {
  LogicalResult buildVJP(Operation *op, OpBuilder &builder,
                         DiffContext &context) const {
    Value cotangent = context.getCotangent(op->getResult(0));
    if (!cotangent)
      return success();
    if (failed(requireTensorResult(op)))
      return failure();
    Value negated;
    int signs[] = {Signs...};
    for (auto [operand, sign] : llvm::zip(op->getOperands(), signs)) {
      if (!context.isActive(operand))
        continue;
      if (sign > 0) {
        context.addCotangent(operand, cotangent);
        continue;
      }
      if (!negated)
        negated = arith::NegFOp::create(builder, op->getLoc(), cotangent);
      context.addCotangent(operand, negated);
    }
    return success();
  }

  LogicalResult buildJVP(Operation *op, OpBuilder &builder,
                         DiffContext &context) const {
    if (failed(requireTensorResult(op)))
      return failure();
    SmallVector<Value> positive, negative;
    int signs[] = {Signs...};
    for (auto [operand, sign] : llvm::zip(op->getOperands(), signs))
      if (Value tangent = context.getTangent(operand))
        (sign > 0 ? positive : negative).push_back(tangent);
    Location loc = op->getLoc();
    Value plus = context.sum(builder, loc, positive);
    Value minus = context.sum(builder, loc, negative);
    Value result = plus;
    if (minus)
      result = plus ? Value(arith::SubFOp::create(builder, loc, plus, minus))
                    : Value(arith::NegFOp::create(builder, loc, minus));
    context.setTangent(op->getResult(0), result);
    return success();
  }
};

struct MulFRule {
  static LogicalResult factors(arith::MulFOp op, OpBuilder &,
                               DiffContext &, SmallVectorImpl<Value> &out) {
    out.assign({op.getRhs(), op.getLhs()});
    return success();
  }
};

struct DivFRule {
  // d(a/b) = da / b - db * (a/b) / b
  static LogicalResult factors(arith::DivFOp op, OpBuilder &builder,
                               DiffContext &context,
                               SmallVectorImpl<Value> &out) {
    Location loc = op.getLoc();
    Value one = context.splat(builder, loc, op.getRhs(), 1.0);
    Value reciprocal = arith::DivFOp::create(builder, loc, one, op.getRhs());
    Value quotient = arith::DivFOp::create(builder, loc, op.getResult(),
                                           op.getRhs());
    out.assign({reciprocal, arith::NegFOp::create(builder, loc, quotient)});
    return success();
  }
};

/// A 0/1 mask and its complement from a condition.
static std::pair<Value, Value> masks(OpBuilder &builder, Location loc,
                                     DiffContext &context, Value condition,
                                     Value like) {
  Value one = context.splat(builder, loc, like, 1.0);
  Value zero = context.splat(builder, loc, like, 0.0);
  return {arith::SelectOp::create(builder, loc, condition, one, zero),
          arith::SelectOp::create(builder, loc, condition, zero, one)};
}

/// maximumf/minimumf: the gradient goes to the operand that was chosen (the
/// first one on ties, as JAX does for max).
template <typename OpTy, arith::CmpFPredicate Predicate>
struct ExtremumRule {
  static LogicalResult factors(OpTy op, OpBuilder &builder,
                               DiffContext &context,
                               SmallVectorImpl<Value> &out) {
    Location loc = op.getLoc();
    Value chooseLhs = arith::CmpFOp::create(builder, loc, Predicate,
                                            op.getLhs(), op.getRhs());
    auto [lhs, rhs] = masks(builder, loc, context, chooseLhs, op.getLhs());
    out.assign({lhs, rhs});
    return success();
  }
};

struct SelectRule {
  static LogicalResult factors(arith::SelectOp op, OpBuilder &builder,
                               DiffContext &context,
                               SmallVectorImpl<Value> &out) {
    auto [whenTrue, whenFalse] = masks(builder, op.getLoc(), context,
                                       op.getCondition(), op.getTrueValue());
    out.assign({Value(), whenTrue, whenFalse});
    return success();
  }
};

} // namespace

void mlir::ein::registerArithDerivativeModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, arith::ArithDialect *) {
    arith::AddFOp::attachInterface<LinearModel<arith::AddFOp, 1, 1>>(*context);
    arith::SubFOp::attachInterface<LinearModel<arith::SubFOp, 1, -1>>(
        *context);
    arith::NegFOp::attachInterface<LinearModel<arith::NegFOp, -1>>(*context);
    arith::MulFOp::attachInterface<ScaledModel<arith::MulFOp, MulFRule>>(
        *context);
    arith::DivFOp::attachInterface<ScaledModel<arith::DivFOp, DivFRule>>(
        *context);
    arith::MaximumFOp::attachInterface<ScaledModel<
        arith::MaximumFOp,
        ExtremumRule<arith::MaximumFOp, arith::CmpFPredicate::OGE>>>(*context);
    arith::MinimumFOp::attachInterface<ScaledModel<
        arith::MinimumFOp,
        ExtremumRule<arith::MinimumFOp, arith::CmpFPredicate::OLE>>>(*context);
    arith::SelectOp::attachInterface<
        ScaledModel<arith::SelectOp, SelectRule>>(*context);
    arith::ConstantOp::attachInterface<ConstantModel<arith::ConstantOp>>(
        *context);
  });
}
