//===- Ein.cpp - C API of the ein dialect ---------------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein-c/Dialect/Ein.h"
#include "ein-c/RegisterEverything.h"

#include "ein/InitAll.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"
#include "mlir/CAPI/Support.h"

#include <cstdlib>
#include <cstring>

using namespace mlir;
using namespace mlir::ein;

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Ein, ein, mlir::ein::EinDialect)

/// Stores a malloc'd copy of `message` in `*out` (when `out` is not null).
static void setError(char **out, const std::string &message) {
  if (!out)
    return;
  *out = static_cast<char *>(std::malloc(message.size() + 1));
  if (*out)
    std::memcpy(*out, message.c_str(), message.size() + 1);
}

MlirOperation einContractOpCreate(MlirLocation location, MlirStringRef spec,
                                  intptr_t numOperands,
                                  MlirValue const *operands,
                                  char **errorMessage) {
  if (errorMessage)
    *errorMessage = nullptr;
  Location loc = unwrap(location);
  MLIRContext *context = loc.getContext();
  if (numOperands < 0 || (numOperands > 0 && !operands)) {
    setError(errorMessage, "expected a non-negative operand count and an "
                           "operand array, found " +
                               std::to_string(numOperands) + " operands at " +
                               (operands ? "a valid address" : "NULL"));
    return MlirOperation{nullptr};
  }
  context->getOrLoadDialect<EinDialect>();
  std::string error;
  SpecAttr specAttr = SpecAttr::parse(context, unwrap(spec), error);
  if (!specAttr) {
    setError(errorMessage, error);
    return MlirOperation{nullptr};
  }
  if (static_cast<uint64_t>(numOperands) != specAttr.getNumInputs()) {
    unsigned expected = specAttr.getNumInputs();
    setError(errorMessage, "expected " + std::to_string(expected) +
                               (expected == 1 ? " operand" : " operands") +
                               " for '" + specAttr.str() + "', found " +
                               std::to_string(numOperands));
    return MlirOperation{nullptr};
  }
  SmallVector<Value> values;
  for (intptr_t i = 0; i < numOperands; ++i) {
    if (mlirValueIsNull(operands[i])) {
      setError(errorMessage, "expected operand #" + std::to_string(i) +
                                 " to be a value, found a null value");
      return MlirOperation{nullptr};
    }
    values.push_back(unwrap(operands[i]));
  }
  FailureOr<RankedTensorType> type = ContractOp::inferResultType(
      specAttr, ValueRange(values).getTypes(), &error);
  if (failed(type)) {
    setError(errorMessage, error);
    return MlirOperation{nullptr};
  }
  OpBuilder builder(context);
  auto op = ContractOp::create(builder, loc, *type, specAttr, values);
  return wrap(op.getOperation());
}

void einFreeErrorMessage(char *errorMessage) { std::free(errorMessage); }

bool einOperationIsAContractOp(MlirOperation op) {
  return isa<ContractOp>(unwrap(op));
}

bool einOperationGetSpec(MlirOperation op, MlirStringCallback callback,
                         void *userData) {
  Operation *operation = unwrap(op);
  SpecAttr spec;
  if (auto contract = dyn_cast<ContractOp>(operation))
    spec = contract.getSpec();
  else if (auto grad = dyn_cast<GradOp>(operation))
    spec = grad.getSpec();
  else
    return false;
  std::string text = spec.str();
  callback(mlirStringRefCreate(text.data(), text.size()), userData);
  return true;
}

void einRegisterAllDialects(MlirDialectRegistry registry) {
  registerAllDialects(*unwrap(registry));
}

void einRegisterAllPasses() { registerAllPasses(); }

void einRegisterAllPipelines() { registerAllPipelines(); }
