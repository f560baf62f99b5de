//===- Passes.h - ein dialect passes ----------------------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_TRANSFORMS_PASSES_H
#define EIN_DIALECT_EIN_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

#include <string>

namespace mlir::ein {

#define GEN_PASS_DECL
#include "ein/Dialect/Ein/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ein/Dialect/Ein/Transforms/Passes.h.inc"

/// Options of the ein-level pipeline.
struct EinCoreOptions {
  /// Path options of ein-simplify and ein-split (algorithm "none" skips
  /// both).
  std::string algorithm = "auto";
  std::string objective = "flops";
  int64_t memoryLimit = 0;
  int64_t dynamicSize = 64;
  /// ein-reuse's checkpointing bound (0: none).
  int64_t maxStoredBytes = 0;
};

/// The ein-level part of the ein-to-* pipelines, on a module: expand-groups,
/// simplify, cse, split; differentiate; expand-groups, simplify, cse, split
/// again (the derivative code); ein-reuse. Its result holds only plain
/// unary and binary contractions (n-ary ones with algorithm=none) and no
/// ein.grad.
void buildEinCorePipeline(OpPassManager &pm, const EinCoreOptions &options);

} // namespace mlir::ein

#endif // EIN_DIALECT_EIN_TRANSFORMS_PASSES_H
