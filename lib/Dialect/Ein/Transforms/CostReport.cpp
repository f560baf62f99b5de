//===- CostReport.cpp - The ein-cost-report pass --------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/Transforms/Cost.h"
#include "ein/Dialect/Ein/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::ein {
#define GEN_PASS_DEF_EINCOSTREPORT
#include "ein/Dialect/Ein/Transforms/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;
using namespace mlir::ein;

namespace {

struct CostReportPass : ein::impl::EinCostReportBase<CostReportPass> {
  using EinCostReportBase::EinCostReportBase;

  void runOnOperation() override {
    std::string error;
    FailureOr<PathPlanOptions> options = PathPlanOptions::parse(
        algorithm, objective, memoryLimit, dynamicSize, error);
    if (failed(options)) {
      getOperation()->emitError("ein-cost-report: ") << error;
      return signalPassFailure();
    }
    ModuleOp module = getOperation();
    bool hasGrad = false;
    module.walk([&](GradOp) { hasGrad = true; });
    LogicalResult printed = success();
    if (hasGrad) {
      // Report the program the pipeline makes (on a copy).
      EinCoreOptions core;
      core.algorithm = algorithm;
      core.objective = objective;
      core.memoryLimit = memoryLimit;
      core.dynamicSize = dynamicSize;
      core.maxStoredBytes = maxStoredBytes;
      printed = printCostsAfterPipeline(module, core, llvm::outs());
    } else {
      printed = printModuleCosts(module, *options, llvm::outs());
    }
    if (failed(printed))
      return signalPassFailure();
    markAllAnalysesPreserved();
  }
};

} // namespace
