//===- Passes.h - the downstream compiler's own pass ------------*- C++ -*-===//

#ifndef DOWNSTREAM_PASSES_H
#define DOWNSTREAM_PASSES_H

#include "ein/Dialect/Ein/IR/EinDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace downstream {

#define GEN_PASS_DECL
#include "Downstream/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Downstream/Passes.h.inc"

} // namespace downstream

#endif // DOWNSTREAM_PASSES_H
