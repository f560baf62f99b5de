//===- Passes.td - the downstream compiler's own pass ------*- tablegen -*-===//

#ifndef DOWNSTREAM_PASSES_TD
#define DOWNSTREAM_PASSES_TD

include "mlir/Pass/PassBase.td"

def AnnotateFlops : Pass<"downstream-annotate-flops", "::mlir::ModuleOp"> {
  let summary = "Attach ein's FLOP count to every function";
  let description = [{
    Uses ein's cost model (ein::CostModel, opt_einsum's FLOP convention,
    n-ary contractions at their planned path) to set `downstream.flops` on
    every function with a body and no `ein.grad` (run ein-differentiate
    first to cost derivatives).
  }];
  let dependentDialects = ["::mlir::ein::EinDialect"];
}

#endif // DOWNSTREAM_PASSES_TD
