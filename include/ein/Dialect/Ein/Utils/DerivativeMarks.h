//===- DerivativeMarks.h - Which ops belong to derivative code --*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// ein-differentiate wraps the location of every op it creates for a
// derivative (seeds, sweeps, final contractions; not the cloned forward) in
// `NameLoc("ein.derivative", loc)`. Locations survive the rewrites that
// follow (simplify, split, cse keep them) without affecting op equality, so
// cse still merges a derivative op into an equal forward one. The cost
// report uses the marks to find the forward values kept alive for the
// backward pass, and ein-reuse to checkpoint them.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_UTILS_DERIVATIVEMARKS_H
#define EIN_DIALECT_EIN_UTILS_DERIVATIVEMARKS_H

#include "mlir/IR/Operation.h"

namespace mlir::ein {

/// The name of the location wrapper.
inline constexpr llvm::StringLiteral kDerivativeLocName = "ein.derivative";

/// `loc` wrapped as a derivative location (unchanged if it already is one).
Location markDerivativeLoc(Location loc);

/// True if `loc` is a derivative location (a fused location is one when all
/// of its parts are: an op merged with a forward one computes a forward
/// value).
bool isDerivativeLoc(Location loc);

/// Marks `op` and every op nested in it.
void markDerivative(Operation *op);

/// True if `op` was created for a derivative.
inline bool isDerivative(Operation *op) {
  return isDerivativeLoc(op->getLoc());
}

} // namespace mlir::ein

#endif // EIN_DIALECT_EIN_UTILS_DERIVATIVEMARKS_H
