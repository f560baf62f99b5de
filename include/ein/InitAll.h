//===- InitAll.h - Register everything ein provides -------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// One header for tools and downstream compilers: register ein's dialects (with
// their external interface models) and passes.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_INITALL_H
#define EIN_INITALL_H

#include "ein/Conversion/Passes.h"
#include "ein/Dialect/Ein/Autodiff/Autodiff.h"
#include "ein/Dialect/Ein/IR/EinDialect.h"
#include "ein/Dialect/Ein/Transforms/Passes.h"
#include "ein/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"

namespace mlir::ein {

/// Adds the ein dialect to `registry`, with the derivative rules of the
/// upstream ops ein differentiates (arith, math, tensor, linalg.fill,
/// func.call).
inline void registerAllDialects(DialectRegistry &registry) {
  registry.insert<EinDialect>();
  registerDerivativeModels(registry);
}

/// Registers ein's passes.
inline void registerAllPasses() {
  registerEinTransformsPasses();
  registerEinConversionPasses();
}

/// Registers ein's pass pipelines (ein-to-linalg, ein-to-llvm).
inline void registerAllPipelines() { registerEinPipelines(); }

} // namespace mlir::ein

#endif // EIN_INITALL_H
