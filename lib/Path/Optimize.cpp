//===- Optimize.cpp - Choosing a contraction path -------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// The driver: every algorithm is tried on the problem as given and on the
// problem after pre-reduction (a unary step per operand summing the labels
// no other operand and not the output needs, so `ij,kl->` never forms a 4-D
// intermediate); the better by the objective wins, so pre-reduction is never
// worse.
//
//   greedy   opt_einsum's greedy, reproduced exactly
//   optimal  every pairwise tree (subset dynamic programming, up to 16
//            operands; beyond that it falls back to `dp`)
//   dp       up to 12 operands as `optimal` (outer products included); else
//            connected-subset dynamic programming; never worse than greedy
//   auto     `optimal` up to 10 operands; then `dp` with a work budget and
//            greedy with 16 random-greedy restarts, the best of them
//
//===----------------------------------------------------------------------===//

#include "PathInternal.h"

#include "llvm/ADT/StringSwitch.h"

using namespace mlir::ein::path;
using namespace mlir::ein::path::detail;

std::optional<Algorithm> mlir::ein::path::parseAlgorithm(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Algorithm>>(name)
      .Case("none", Algorithm::None)
      .Case("greedy", Algorithm::Greedy)
      .Case("optimal", Algorithm::Optimal)
      .Case("dp", Algorithm::DP)
      .Case("auto", Algorithm::Auto)
      .Default(std::nullopt);
}

std::optional<Objective> mlir::ein::path::parseObjective(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Objective>>(name)
      .Case("flops", Objective::Flops)
      .Case("size", Objective::Size)
      .Case("write", Objective::Write)
      .Case("combo", Objective::Combo)
      .Default(std::nullopt);
}

llvm::StringRef mlir::ein::path::toString(Algorithm algorithm) {
  switch (algorithm) {
  case Algorithm::None:
    return "none";
  case Algorithm::Greedy:
    return "greedy";
  case Algorithm::Optimal:
    return "optimal";
  case Algorithm::DP:
    return "dp";
  case Algorithm::Auto:
    return "auto";
  }
  llvm_unreachable("unknown algorithm");
}

llvm::StringRef mlir::ein::path::toString(Objective objective) {
  switch (objective) {
  case Objective::Flops:
    return "flops";
  case Objective::Size:
    return "size";
  case Objective::Write:
    return "write";
  case Objective::Combo:
    return "combo";
  }
  llvm_unreachable("unknown objective");
}

namespace {

constexpr unsigned kOptimalMaxInputs = 16;
constexpr unsigned kDpExhaustiveMaxInputs = 12;
constexpr unsigned kAutoOptimalMaxInputs = 10;
constexpr uint64_t kDpWorkLimit = 400'000'000;
constexpr uint64_t kAutoDpWorkLimit = 4'000'000;
constexpr unsigned kAutoRandomGreedyTrials = 16;

/// Keeps the best of several candidate paths.
class Best {
public:
  Best(const DenseProblem &problem, const Options &options)
      : problem(problem), options(options) {}

  void offer(const SsaPath &path) {
    if (!fitsMemoryLimit(problem, path, options))
      return;
    Score s = scoreOf(evaluateSsa(problem, path), options);
    if (!found || s < score) {
      found = true;
      score = s;
      best = path;
    }
  }
  bool hasPath() const { return found; }
  const SsaPath &path() const { return best; }
  Score getScore() const { return found ? score : Score(); }

private:
  const DenseProblem &problem;
  const Options &options;
  bool found = false;
  Score score;
  SsaPath best;
};

/// The chosen algorithm's candidates for `problem`.
void search(const DenseProblem &problem, const Options &options, Best &best) {
  unsigned n = problem.numInputs();
  if (n <= 2) {
    best.offer(n == 1 ? SsaPath{{0}} : SsaPath{{0, 1}});
    return;
  }
  best.offer(greedyPath(problem, options));
  switch (options.algorithm) {
  case Algorithm::None:
  case Algorithm::Greedy:
    return;
  case Algorithm::Optimal:
    if (auto path = optimalPath(problem, options, best.getScore(),
                                kOptimalMaxInputs))
      best.offer(*path);
    else if (n > kOptimalMaxInputs)
      if (auto path = dpPath(problem, options, kDpWorkLimit))
        best.offer(*path);
    return;
  case Algorithm::DP:
    if (n <= kDpExhaustiveMaxInputs) {
      if (auto path = optimalPath(problem, options, best.getScore(),
                                  kDpExhaustiveMaxInputs))
        best.offer(*path);
    } else if (auto path = dpPath(problem, options, kDpWorkLimit)) {
      best.offer(*path);
    }
    return;
  case Algorithm::Auto:
    if (n <= kAutoOptimalMaxInputs) {
      if (auto path = optimalPath(problem, options, best.getScore(),
                                  kAutoOptimalMaxInputs))
        best.offer(*path);
      return;
    }
    if (auto path = dpPath(problem, options, kAutoDpWorkLimit))
      best.offer(*path);
    for (unsigned trial = 0; trial < kAutoRandomGreedyTrials; ++trial)
      best.offer(greedyPath(problem, options, 0.02 + 0.02 * trial,
                            0x9e3779b97f4a7c15ull * (trial + 1)));
    return;
  }
}

/// The unary pre-reduction steps and the reduced problem; empty steps when
/// no operand has a label of its own to sum.
SsaPath preReduce(const DenseProblem &problem, DenseProblem &reduced) {
  reduced = problem;
  unsigned n = problem.numInputs();
  SsaPath steps;
  if (n < 2)
    return steps;
  for (unsigned i = 0; i < n; ++i) {
    LabelSet needed = problem.output;
    for (unsigned j = 0; j < n; ++j)
      if (j != i)
        needed |= problem.inputs[j];
    LabelSet kept = problem.inputs[i] & needed;
    if (kept != problem.inputs[i]) {
      reduced.inputs[i] = kept;
      steps.push_back({i});
    }
  }
  return steps;
}

/// `steps` (unary, on inputs) followed by `path` over the reduced problem,
/// as one SSA path over the original inputs.
SsaPath compose(const SsaPath &steps, const SsaPath &path, unsigned n) {
  std::vector<unsigned> idOf(n);
  for (unsigned i = 0; i < n; ++i)
    idOf[i] = i;
  SsaPath result = steps;
  for (size_t k = 0; k < steps.size(); ++k)
    idOf[steps[k][0]] = n + k;
  for (const SsaStep &step : path) {
    SsaStep mapped;
    for (unsigned id : step)
      mapped.push_back(id < n ? idOf[id] : id + steps.size());
    result.push_back(mapped);
  }
  return result;
}

SsaPath allAtOnce(unsigned n) {
  SsaStep all;
  for (unsigned i = 0; i < n; ++i)
    all.push_back(i);
  return {all};
}

} // namespace

llvm::Expected<PathInfo> mlir::ein::path::optimizePath(const Problem &problem,
                                                       const Options &options) {
  llvm::Expected<DenseProblem> dense = densify(problem);
  if (!dense)
    return dense.takeError();
  unsigned n = dense->numInputs();
  SsaPath chosen;
  if (options.algorithm == Algorithm::None || n == 1) {
    chosen = allAtOnce(n);
  } else {
    Best best(*dense, options);
    search(*dense, options, best);
    DenseProblem reduced;
    SsaPath steps = preReduce(*dense, reduced);
    if (!steps.empty()) {
      Best bestReduced(reduced, options);
      search(reduced, options, bestReduced);
      if (bestReduced.hasPath())
        best.offer(compose(steps, bestReduced.path(), n));
    }
    // Nothing fits the memory limit: one step, as opt_einsum does.
    chosen = best.hasPath() ? best.path() : allAtOnce(n);
  }
  return describeSsa(*dense, chosen);
}
