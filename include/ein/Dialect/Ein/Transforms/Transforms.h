//===- Transforms.h - ein dialect transforms --------------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_TRANSFORMS_TRANSFORMS_H
#define EIN_DIALECT_EIN_TRANSFORMS_TRANSFORMS_H

#include "ein/Dialect/Ein/IR/EinOps.h"

#include "ein/Path/Path.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::ein {

/// Rewrites `op` into a contraction whose spec has only plain labels, with
/// tensor reshapes around it for `...`, groups and `_` axes (see the
/// ein-expand-groups pass). Returns the new contraction, or `op` itself when
/// its spec is already plain. Fails (with a match-failure reason) when a
/// group's label sizes cannot be determined or more labels are needed than
/// the 52 that einsum text names.
FailureOr<ContractOp> expandGroups(RewriterBase &rewriter, ContractOp op);

/// A contraction operand being rewritten: a value and its term.
struct TermOperand {
  Value value;
  Term term;
};

/// Creates `ein.contract` of `inputs` to `output` with result type
/// `resultType`, or the inferred type when it is null. Fails if the type
/// cannot be inferred.
FailureOr<TermOperand> createContraction(OpBuilder &builder, Location loc,
                                         ArrayRef<TermOperand> inputs,
                                         Term output, Type resultType = {});

/// How contraction paths are planned (the ein-simplify/ein-split options).
struct PathPlanOptions {
  path::Options path;
  /// Size assumed for dynamic dimensions.
  double dynamicSize = 64;

  /// Parses the textual pass options; on failure `error` says which value
  /// was expected and which was found.
  static FailureOr<PathPlanOptions> parse(StringRef algorithm,
                                          StringRef objective,
                                          int64_t memoryLimit,
                                          int64_t dynamicSize,
                                          std::string &error);
};

/// The values that gradients flow back through: every value depending on
/// an argument that an `ein.grad` under the root differentiates, followed
/// through the callee's body and the calls it makes.
class GradientFlow {
public:
  explicit GradientFlow(Operation *root);
  /// True for a value found by the analysis, or computed (by ops created
  /// since) from one.
  bool contains(Value value) const;
  /// Per value: a gradient flows back to it; empty if none does.
  SmallVector<bool> flags(ValueRange values) const;

private:
  llvm::DenseSet<Value> active;
};

/// Plans the path of `op` (any spec: `...`, groups and `_` are resolved to
/// labels as opt_einsum resolves them). Fails if the operand shapes do not
/// fit the spec. With `needsGradient` (a flag per operand, see
/// path::Problem), forward + backward FLOPs are minimised.
FailureOr<path::PathInfo> planContraction(ContractOp op,
                                          const PathPlanOptions &options,
                                          ArrayRef<bool> needsGradient = {});
/// The same for a spec and operand types not (yet) in an op.
FailureOr<path::PathInfo> planContraction(const Spec &spec,
                                          TypeRange operandTypes,
                                          const PathPlanOptions &options,
                                          ArrayRef<bool> needsGradient = {});

/// One line describing a plan: path, FLOPs, naive FLOPs, largest
/// intermediate (the text of ein-split's remark).
std::string describePlan(const path::PathInfo &plan);

/// Rewrites `op` (plain labels) into the steps of `plan`; returns the value
/// replacing `op`'s result. Fails if the spec is not plain or the plan has a
/// single step (nothing to split).
FailureOr<Value> splitContraction(RewriterBase &rewriter, ContractOp op,
                                  const path::PathInfo &plan);

/// The canonical form of `op` (see the ein-simplify pass): operand order
/// (by `valueOrder`, values not in it last), size-1 axes dropped, rank-0
/// factors multiplied, single-operand labels summed first when `options`
/// finds that cheaper, diagonals extracted, labels renamed (if
/// `renameLabels`); pre-reductions are planned for forward + backward when
/// `flow` says a gradient flows to an operand. Returns the value
/// replacing `op`'s result, or failure if `op` is already canonical or not
/// plain.
FailureOr<Value>
simplifyContraction(RewriterBase &rewriter, ContractOp op,
                    const PathPlanOptions &options,
                    const llvm::DenseMap<Value, unsigned> &valueOrder,
                    bool renameLabels = true,
                    const GradientFlow *flow = nullptr);

/// A pattern applying expandGroups.
void populateEinExpandGroupsPatterns(RewritePatternSet &patterns);

} // namespace mlir::ein

#endif // EIN_DIALECT_EIN_TRANSFORMS_TRANSFORMS_H
