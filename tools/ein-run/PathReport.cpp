//===- PathReport.cpp - ein-run --report -----------------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "PathReport.h"

#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace mlir::ein;

/// Costs are integers in opt_einsum; keep them integers in JSON when exact.
static void writeCost(llvm::json::OStream &json, double value) {
  if (value >= 0 && value < 9.2e18 && value == double(int64_t(value)))
    json.value(int64_t(value));
  else
    json.value(value);
}

llvm::Error mlir::ein::printPathReport(ModuleOp module,
                                       const PathPlanOptions &options,
                                       llvm::raw_ostream &os) {
  llvm::Error error = llvm::Error::success();
  module.walk([&](ContractOp op) {
    FailureOr<path::PathInfo> plan = planContraction(op, options);
    if (failed(plan)) {
      error = llvm::createStringError(llvm::inconvertibleErrorCode(),
                                      "cannot plan a path for '" +
                                          op.getSpec().str() + "'");
      return WalkResult::interrupt();
    }
    os << "ein-path: ";
    llvm::json::OStream json(os);
    json.object([&] {
      json.attribute("spec", op.getSpec().str());
      json.attributeArray("path", [&] {
        for (const path::Step &step : plan->steps)
          json.array([&] {
            for (unsigned pos : step.operands)
              json.value(int64_t(pos));
          });
      });
      json.attributeBegin("flops");
      writeCost(json, plan->flops);
      json.attributeEnd();
      json.attributeBegin("naive_flops");
      writeCost(json, plan->naiveFlops);
      json.attributeEnd();
      json.attributeBegin("largest_intermediate");
      writeCost(json, plan->largestIntermediate);
      json.attributeEnd();
    });
    os << "\n";
    return WalkResult::advance();
  });
  return error;
}
