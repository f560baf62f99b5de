//===- EinToLinalg.h - Lower ein to linalg ----------------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_CONVERSION_EINTOLINALG_EINTOLINALG_H
#define EIN_CONVERSION_EINTOLINALG_EINTOLINALG_H

#include "ein/Dialect/Ein/IR/EinOps.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::ein {

/// Lowers `op` (whose spec has only plain labels: no `...`, groups or `_`)
/// to linalg on tensors and returns the value replacing its result.
FailureOr<Value> lowerContractToLinalg(RewriterBase &rewriter, ContractOp op);

/// Lowers `op` to an elementwise linalg.generic.
FailureOr<Value> lowerAddToLinalg(RewriterBase &rewriter, AddOp op);

/// Patterns lowering ein.contract (with plain-label specs) and ein.add.
void populateEinToLinalgConversionPatterns(RewritePatternSet &patterns);

} // namespace mlir::ein

#endif // EIN_CONVERSION_EINTOLINALG_EINTOLINALG_H
