//===- Path.h - Contraction-path optimisation -------------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Chooses the order in which an n-ary einsum is evaluated as a sequence of
// unary and binary contractions. Plain C++ over LLVM Support (no MLIR), so
// the dialect's passes, ein-run and the Python package share one planner.
//
// Costs follow opt_einsum's convention so that numbers can be compared with
// its published ones: a step over the labels L of k operands costs
// `size(L) * (max(1, k - 1) + (1 if a label is summed))` FLOPs; an
// intermediate's size is the product of its label sizes.
//
// Paths are reported in opt_einsum's linear format: each step names
// positions in the current operand list, removes them, and appends its result
// at the end.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_PATH_PATH_H
#define EIN_PATH_PATH_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir::ein::path {

/// Any integer names a label (ein's Label values, or anything else).
using LabelId = int32_t;

/// A contraction to plan: the labels of every operand (repeats, as in
/// diagonals, are allowed and ignored), the output labels and each label's
/// size. A label broadcast from size 1 takes its largest size.
struct Problem {
  std::vector<llvm::SmallVector<LabelId, 4>> inputs;
  llvm::SmallVector<LabelId, 4> output;
  std::vector<std::pair<LabelId, double>> sizes;
  /// Per input: whether a gradient flows back to it (the einsum is part of a
  /// differentiated function). Empty, or all false, for a forward-only
  /// einsum. When some input needs one, the FLOPs that paths minimise
  /// include the backward pass: each step also pays for the adjoints of its
  /// inputs that lead to such an input (`dA = dC . B` loops over the same
  /// labels as `C = A . B`), so that the forward tree is the one whose
  /// forward + backward is cheapest.
  std::vector<bool> needsGradient;
};

enum class Algorithm { None, Greedy, Optimal, DP, Auto };
enum class Objective { Flops, Size, Write, Combo };

std::optional<Algorithm> parseAlgorithm(llvm::StringRef name);
std::optional<Objective> parseObjective(llvm::StringRef name);
llvm::StringRef toString(Algorithm algorithm);
llvm::StringRef toString(Objective objective);

struct Options {
  Algorithm algorithm = Algorithm::Auto;
  /// What the search minimises: total FLOPs; the largest intermediate;
  /// the total size of all intermediates written; or
  /// FLOPs + comboFactor * written elements. Ties go to fewer FLOPs.
  Objective objective = Objective::Flops;
  double comboFactor = 64;
  /// The largest intermediate allowed (elements; the final result does not
  /// count). When no pairwise order fits, the remaining operands are
  /// contracted in one step, as opt_einsum does.
  std::optional<double> memoryLimit;
};

/// One step of a path.
struct Step {
  /// Positions in the operand list before the step (ascending).
  llvm::SmallVector<unsigned, 2> operands;
  /// Labels of the step's result, in first-appearance order of its inputs
  /// (the last step's result is the output's label set).
  llvm::SmallVector<LabelId, 4> result;
  double flops = 0;
  double size = 0;
};

/// A path and its costs.
struct PathInfo {
  std::vector<Step> steps;
  double flops = 0;
  /// opt_einsum's cost of evaluating the whole einsum as one loop nest.
  double naiveFlops = 0;
  /// The largest result of any step (the output included), elements.
  double largestIntermediate = 0;
  /// Elements written by all steps.
  double written = 0;
  /// The adjoint steps' FLOPs (0 unless some input needs a gradient).
  double backwardFlops = 0;
};

/// Chooses a path. Fails for malformed problems (a label without a size, an
/// output label no operand has).
llvm::Expected<PathInfo> optimizePath(const Problem &problem,
                                      const Options &options = {});

/// Costs an explicit linear path (each step lists positions in the current
/// operand list). Fails if a position is out of range or the path does not
/// end with a single operand.
llvm::Expected<PathInfo>
evaluatePath(const Problem &problem,
             llvm::ArrayRef<llvm::SmallVector<unsigned, 2>> linearPath);

/// Prints the path as JSON, e.g. `[[0,1],[0,1]]`.
void printPathJson(llvm::raw_ostream &os, const PathInfo &info);
/// Prints the path as opt_einsum does, e.g. `[(0, 1), (0, 1)]`.
void printPathLinear(llvm::raw_ostream &os, const PathInfo &info);
/// Formats a cost as an integer when it is one (exactly representable),
/// otherwise in scientific notation.
std::string formatCost(double value);

} // namespace mlir::ein::path

#endif // EIN_PATH_PATH_H
