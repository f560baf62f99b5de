//===- Passes.h - ein conversion passes -------------------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_CONVERSION_PASSES_H
#define EIN_CONVERSION_PASSES_H

#include "ein/Conversion/ContractionToVector/ContractionToVector.h"
#include "ein/Conversion/EinToLinalg/EinToLinalg.h"
#include "ein/Conversion/LinalgToEin/LinalgToEin.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "mlir/Pass/Pass.h"

namespace mlir::ein {

#define GEN_PASS_DECL
#include "ein/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ein/Conversion/Passes.h.inc"

} // namespace mlir::ein

#endif // EIN_CONVERSION_PASSES_H
