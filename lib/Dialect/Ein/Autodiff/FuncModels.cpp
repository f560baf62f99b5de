//===- FuncModels.cpp - Derivative rule of func.call and registration -----===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ModelUtils.h"

#include "ein/Dialect/Ein/Autodiff/Autodiff.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::ein;

namespace {
/// A call is differentiated by differentiating its callee's body in place
/// (the driver clones it at the call's derivative and sweeps it).
struct CallModel
    : DifferentiableOpInterface::ExternalModel<CallModel, func::CallOp> {
  LogicalResult buildVJP(Operation *op, OpBuilder &builder,
                         DiffContext &context) const {
    return context.differentiateCall(builder, op);
  }
  LogicalResult buildJVP(Operation *op, OpBuilder &builder,
                         DiffContext &context) const {
    return context.differentiateCall(builder, op);
  }
};
} // namespace

void mlir::ein::registerFuncDerivativeModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, func::FuncDialect *) {
    func::CallOp::attachInterface<CallModel>(*context);
  });
}

void mlir::ein::registerDerivativeModels(DialectRegistry &registry) {
  registerArithDerivativeModels(registry);
  registerMathDerivativeModels(registry);
  registerTensorDerivativeModels(registry);
  registerFuncDerivativeModels(registry);
}
