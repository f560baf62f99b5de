//===- Passes.h - ein dialect passes ----------------------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_TRANSFORMS_PASSES_H
#define EIN_DIALECT_EIN_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::ein {

#define GEN_PASS_DECL
#include "ein/Dialect/Ein/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ein/Dialect/Ein/Transforms/Passes.h.inc"

} // namespace mlir::ein

#endif // EIN_DIALECT_EIN_TRANSFORMS_PASSES_H
