//===- Reuse.h - Sharing and checkpointing intermediates --------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// The pieces of the ein-reuse pass: inlining calls, merging contractions that
// compute the same value, and recomputing forward values instead of keeping
// them for derivative code.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_TRANSFORMS_REUSE_H
#define EIN_DIALECT_EIN_TRANSFORMS_REUSE_H

#include "ein/Dialect/Ein/IR/EinOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
class DominanceInfo;
} // namespace mlir

namespace mlir::ein {

/// The unit attribute on ops that derivative code recomputes.
inline constexpr llvm::StringLiteral kRecomputeAttrName = "ein.recompute";

/// Inlines every call of a non-recursive function with a one-block body.
/// Returns true if something was inlined.
bool inlineCalls(ModuleOp module);

/// Replaces each `ein.contract` under `root` that computes the same value as
/// a dominating one (same operands and result type, specs equal up to
/// operand order and label renaming) by that one. Returns true if something
/// was replaced.
bool mergeEqualContractions(Operation *root, DominanceInfo &dominance,
                            RewriterBase &rewriter);

/// The values of `fn` (top-level ops of its body) that forward code computes
/// and derivative code reads, in program order: not arguments, not
/// constants, not read only by tensor.dim.
SmallVector<Value> storedValues(func::FuncOp fn);

struct CheckpointResult {
  /// Bytes still stored.
  double storedBytes = 0;
  /// Values now recomputed.
  unsigned recomputed = 0;
};

/// While the stored values of `fn` exceed `maxBytes`, recomputes the one
/// with the most bytes per recomputed FLOP just before derivative code first
/// reads it, from arguments, constants and the values still stored. The
/// clones are marked as derivative code and carry `ein.recompute`.
CheckpointResult checkpoint(func::FuncOp fn, double maxBytes,
                            double dynamicSize);

} // namespace mlir::ein

#endif // EIN_DIALECT_EIN_TRANSFORMS_REUSE_H
