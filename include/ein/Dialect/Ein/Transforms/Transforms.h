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

/// Splits an n-ary (n >= 3) contraction with a plain-label spec into unary
/// pre-reductions (labels only one operand needs, diagonals) and binary
/// contractions in a greedy order; returns the value replacing `op`'s
/// result. Fails for specs that are not plain or have fewer than 3 operands.
FailureOr<Value> splitGreedy(RewriterBase &rewriter, ContractOp op);

/// A pattern applying expandGroups.
void populateEinExpandGroupsPatterns(RewritePatternSet &patterns);

} // namespace mlir::ein

#endif // EIN_DIALECT_EIN_TRANSFORMS_TRANSFORMS_H
