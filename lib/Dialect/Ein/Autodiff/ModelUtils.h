//===- ModelUtils.h - Shared pieces of the derivative models ----*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_DIALECT_EIN_AUTODIFF_MODELUTILS_H
#define EIN_LIB_DIALECT_EIN_AUTODIFF_MODELUTILS_H

#include "ein/Dialect/Ein/IR/DifferentiableOpInterface.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

namespace mlir::ein {

/// Rules work on tensors; an active scalar (e.g. from tensor.extract) has
/// none. Emits the error and fails for a non-tensor result.
inline LogicalResult requireTensorResult(Operation *op) {
  if (isa<RankedTensorType>(op->getResult(0).getType()))
    return success();
  return op->emitError("expected a ranked tensor result to differentiate '")
         << op->getName() << "', but found "
         << op->getResult(0).getType();
}

/// An elementwise op whose derivative is `factor` times the (co)tangent of
/// each active operand: `Rule::factors(op, builder, context)` returns one
/// factor per operand (null for operands it does not depend on
/// differentiably). Reverse: operand cotangent += cotangent * factor;
/// forward: tangent = sum of operand tangent * factor.
template <typename OpTy, typename Rule>
struct ScaledModel
    : DifferentiableOpInterface::ExternalModel<ScaledModel<OpTy, Rule>, OpTy> {
  LogicalResult buildVJP(Operation *op, OpBuilder &builder,
                         DiffContext &context) const {
    Value cotangent = context.getCotangent(op->getResult(0));
    if (!cotangent)
      return success();
    if (failed(requireTensorResult(op)))
      return failure();
    SmallVector<Value> factors;
    if (failed(Rule::factors(cast<OpTy>(op), builder, context, factors)))
      return failure();
    for (auto [operand, factor] : llvm::zip(op->getOperands(), factors))
      if (factor && context.isActive(operand))
        context.addCotangent(
            operand, context.scale(builder, op->getLoc(), cotangent, factor));
    return success();
  }

  LogicalResult buildJVP(Operation *op, OpBuilder &builder,
                         DiffContext &context) const {
    if (failed(requireTensorResult(op)))
      return failure();
    SmallVector<Value> factors;
    if (failed(Rule::factors(cast<OpTy>(op), builder, context, factors)))
      return failure();
    SmallVector<Value> terms;
    for (auto [operand, factor] : llvm::zip(op->getOperands(), factors))
      if (Value tangent = context.getTangent(operand); tangent && factor)
        terms.push_back(context.scale(builder, op->getLoc(), tangent, factor));
    context.setTangent(op->getResult(0),
                       context.sum(builder, op->getLoc(), terms));
    return success();
  }
};

/// An op whose result never depends differentiably on its operands
/// (constants, tensor.empty, linalg.fill's destination).
template <typename OpTy>
struct ConstantModel
    : DifferentiableOpInterface::ExternalModel<ConstantModel<OpTy>, OpTy> {
  LogicalResult buildVJP(Operation *, OpBuilder &, DiffContext &) const {
    return success();
  }
  LogicalResult buildJVP(Operation *, OpBuilder &, DiffContext &) const {
    return success();
  }
};

void registerArithDerivativeModels(DialectRegistry &registry);
void registerMathDerivativeModels(DialectRegistry &registry);
void registerTensorDerivativeModels(DialectRegistry &registry);
void registerFuncDerivativeModels(DialectRegistry &registry);

} // namespace mlir::ein

#endif // EIN_LIB_DIALECT_EIN_AUTODIFF_MODELUTILS_H
