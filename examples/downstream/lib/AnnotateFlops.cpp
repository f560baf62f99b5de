//===- AnnotateFlops.cpp - ein's cost model in a downstream pass ----------===//

#include "Downstream/Passes.h"

#include "ein/Dialect/Ein/Transforms/Cost.h"

namespace downstream {
#define GEN_PASS_DEF_ANNOTATEFLOPS
#include "Downstream/Passes.h.inc"
} // namespace downstream

using namespace mlir;

namespace {
struct AnnotateFlopsPass
    : downstream::impl::AnnotateFlopsBase<AnnotateFlopsPass> {
  void runOnOperation() override {
    SymbolTableCollection symbols;
    ein::PathPlanOptions options;
    ein::CostModel model(symbols, options);
    for (auto fn : getOperation().getOps<func::FuncOp>()) {
      // Derivatives are costed once ein-differentiate has expanded them.
      if (fn.isExternal() ||
          fn.walk([](ein::GradOp) { return WalkResult::interrupt(); })
              .wasInterrupted())
        continue;
      FailureOr<ein::FunctionCost> cost = model.getCost(fn);
      if (failed(cost))
        return signalPassFailure();
      fn->setAttr("downstream.flops",
                  IntegerAttr::get(IntegerType::get(&getContext(), 64),
                                   static_cast<int64_t>(cost->flops)));
    }
  }
};
} // namespace
