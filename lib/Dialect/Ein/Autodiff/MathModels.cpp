//===- MathModels.cpp - Derivative rules of math ops on tensors -----------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
// Each rule gives f'(x) as a tensor computed from the primal operand x and
// result y; the (co)tangent is scaled by it.
//
//===----------------------------------------------------------------------===//

#include "ModelUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/DialectRegistry.h"

#include <cmath>

using namespace mlir;
using namespace mlir::ein;

namespace {

/// Builds f'(x) from x, y, a builder and the context.
struct Primal {
  OpBuilder &b;
  Location loc;
  DiffContext &context;
  Value x, y;

  Value constant(double v) { return context.splat(b, loc, x, v); }
  Value mul(Value l, Value r) { return arith::MulFOp::create(b, loc, l, r); }
  Value div(Value l, Value r) { return arith::DivFOp::create(b, loc, l, r); }
  Value add(Value l, Value r) { return arith::AddFOp::create(b, loc, l, r); }
  Value sub(Value l, Value r) { return arith::SubFOp::create(b, loc, l, r); }
  Value neg(Value v) { return arith::NegFOp::create(b, loc, v); }
};

template <typename OpTy, Value (*Derivative)(Primal &)>
struct UnaryRule {
  static LogicalResult factors(OpTy op, OpBuilder &builder,
                               DiffContext &context,
                               SmallVectorImpl<Value> &out) {
    Primal p{builder, op.getLoc(), context, op->getOperand(0),
             op->getResult(0)};
    out.assign({Derivative(p)});
    return success();
  }
};

Value expDerivative(Primal &p) { return p.y; }
Value logDerivative(Primal &p) { return p.div(p.constant(1.0), p.x); }
Value log1pDerivative(Primal &p) {
  return p.div(p.constant(1.0), p.add(p.constant(1.0), p.x));
}
Value expm1Derivative(Primal &p) { return p.add(p.y, p.constant(1.0)); }
Value tanhDerivative(Primal &p) {
  return p.sub(p.constant(1.0), p.mul(p.y, p.y));
}
Value sqrtDerivative(Primal &p) { return p.div(p.constant(0.5), p.y); }
// d/dx x^(-1/2) = -1/2 x^(-3/2) = -0.5 * y / x
Value rsqrtDerivative(Primal &p) {
  return p.mul(p.constant(-0.5), p.div(p.y, p.x));
}
Value sinDerivative(Primal &p) { return math::CosOp::create(p.b, p.loc, p.x); }
Value cosDerivative(Primal &p) {
  return p.neg(math::SinOp::create(p.b, p.loc, p.x));
}
// sign(x), 0 at 0 (as JAX).
Value absDerivative(Primal &p) {
  Value zero = p.constant(0.0);
  Value positive = arith::CmpFOp::create(p.b, p.loc, arith::CmpFPredicate::OGT,
                                         p.x, zero);
  Value negative = arith::CmpFOp::create(p.b, p.loc, arith::CmpFPredicate::OLT,
                                         p.x, zero);
  Value minusOrZero =
      arith::SelectOp::create(p.b, p.loc, negative, p.constant(-1.0), zero);
  return arith::SelectOp::create(p.b, p.loc, positive, p.constant(1.0),
                                 minusOrZero);
}
// 2/sqrt(pi) * exp(-x^2)
Value erfDerivative(Primal &p) {
  Value e = math::ExpOp::create(p.b, p.loc, p.neg(p.mul(p.x, p.x)));
  return p.mul(p.constant(2.0 / std::sqrt(M_PI)), e);
}

/// x^c for an exponent c that does not depend on the differentiated value:
/// c * x^(c-1).
struct PowFRule {
  static LogicalResult factors(math::PowFOp op, OpBuilder &builder,
                               DiffContext &context,
                               SmallVectorImpl<Value> &out) {
    if (context.isActive(op.getRhs()))
      return op.emitError("no derivative rule for 'math.powf' with respect "
                          "to its exponent (only constant exponents)");
    Primal p{builder, op.getLoc(), context, op.getLhs(), op.getResult()};
    Value c = op.getRhs();
    Value lower = math::PowFOp::create(builder, p.loc, p.x,
                                       p.sub(c, p.constant(1.0)));
    out.assign({p.mul(c, lower), Value()});
    return success();
  }
};

template <typename OpTy, Value (*Derivative)(Primal &)>
void attachUnary(MLIRContext *context) {
  OpTy::template attachInterface<
      ScaledModel<OpTy, UnaryRule<OpTy, Derivative>>>(*context);
}

} // namespace

void mlir::ein::registerMathDerivativeModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, math::MathDialect *) {
    attachUnary<math::ExpOp, expDerivative>(context);
    attachUnary<math::LogOp, logDerivative>(context);
    attachUnary<math::Log1pOp, log1pDerivative>(context);
    attachUnary<math::ExpM1Op, expm1Derivative>(context);
    attachUnary<math::TanhOp, tanhDerivative>(context);
    attachUnary<math::SqrtOp, sqrtDerivative>(context);
    attachUnary<math::RsqrtOp, rsqrtDerivative>(context);
    attachUnary<math::SinOp, sinDerivative>(context);
    attachUnary<math::CosOp, cosDerivative>(context);
    attachUnary<math::AbsFOp, absDerivative>(context);
    attachUnary<math::ErfOp, erfDerivative>(context);
    math::PowFOp::attachInterface<ScaledModel<math::PowFOp, PowFRule>>(
        *context);
  });
}
