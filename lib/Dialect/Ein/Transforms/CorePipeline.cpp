//===- CorePipeline.cpp - The ein-level part of ein's pipelines -----------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/Transforms/Passes.h"

#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::ein;

/// The path options of a pass (ein-simplify, ein-split) from the pipeline's.
template <typename PassOptions>
static PassOptions withPathOptions(const EinCoreOptions &options) {
  PassOptions result;
  result.algorithm = options.algorithm;
  result.objective = options.objective;
  result.memoryLimit = options.memoryLimit;
  result.dynamicSize = options.dynamicSize;
  return result;
}

void mlir::ein::buildEinCorePipeline(OpPassManager &pm,
                                     const EinCoreOptions &options) {
  auto simplifyAndSplit = [&] {
    pm.addPass(createEinExpandGroups());
    if (options.algorithm == "none")
      return;
    EinSimplifyOptions simplify = withPathOptions<EinSimplifyOptions>(options);
    // Keep the user's labels: diagnostics and runtime checks name them.
    simplify.renameLabels = false;
    pm.addPass(createEinSimplify(simplify));
    pm.addPass(createCSEPass());
    EinSplitOptions split = withPathOptions<EinSplitOptions>(options);
    split.emitRemarks = false;
    pm.addPass(createEinSplit(split));
  };
  // Copies of one traced function (one per ein.grad of it) are merged
  // first, so that splitting sees every argument that needs a gradient.
  // Differentiate the split (binary) forward, so that the derivative
  // contracts against its intermediates, then simplify and split the
  // derivative contractions and share what forward and derivatives compute
  // alike.
  pm.addPass(createEinMergeFunctions());
  simplifyAndSplit();
  EinDifferentiateOptions differentiate;
  differentiate.dynamicSize = options.dynamicSize;
  pm.addPass(createEinDifferentiate(differentiate));
  simplifyAndSplit();
  EinReuseOptions reuse;
  reuse.maxStoredBytes = options.maxStoredBytes;
  reuse.dynamicSize = options.dynamicSize;
  pm.addPass(createEinReuse(reuse));
}
