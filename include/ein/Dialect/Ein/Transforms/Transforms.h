//===- Transforms.h - ein dialect transforms --------------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_TRANSFORMS_TRANSFORMS_H
#define EIN_DIALECT_EIN_TRANSFORMS_TRANSFORMS_H

#include "ein/Dialect/Ein/IR/EinOps.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::ein {

/// Rewrites `op` into a contraction whose spec has only plain labels, with
/// tensor reshapes around it for `...`, groups and `_` axes (see the
/// ein-expand-groups pass). Returns the new contraction, or `op` itself when
/// its spec is already plain. Fails (with a match-failure reason) when a
/// group's label sizes cannot be determined or more labels are needed than
/// the 52 that einsum text names.
FailureOr<ContractOp> expandGroups(RewriterBase &rewriter, ContractOp op);

/// A pattern applying expandGroups.
void populateEinExpandGroupsPatterns(RewritePatternSet &patterns);

} // namespace mlir::ein

#endif // EIN_DIALECT_EIN_TRANSFORMS_TRANSFORMS_H
