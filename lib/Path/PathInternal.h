//===- PathInternal.h - Shared pieces of the path algorithms ----*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Labels renumbered densely, label sets as bitsets, paths in SSA form (inputs
// are ids 0..n-1, the result of step k is id n+k), and the cost model.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_PATH_PATHINTERNAL_H
#define EIN_LIB_PATH_PATHINTERNAL_H

#include "ein/Path/Path.h"

#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/MathExtras.h"

#include <cstdint>
#include <limits>
#include <vector>

namespace mlir::ein::path::detail {

/// A set of dense label numbers.
class LabelSet {
public:
  LabelSet() = default;
  explicit LabelSet(unsigned numLabels) : words((numLabels + 63) / 64, 0) {}

  void insert(unsigned l) { words[l / 64] |= uint64_t(1) << (l % 64); }
  void erase(unsigned l) { words[l / 64] &= ~(uint64_t(1) << (l % 64)); }
  bool contains(unsigned l) const {
    return (words[l / 64] >> (l % 64)) & 1;
  }
  bool empty() const {
    for (uint64_t w : words)
      if (w)
        return false;
    return true;
  }
  unsigned count() const {
    unsigned n = 0;
    for (uint64_t w : words)
      n += llvm::popcount(w);
    return n;
  }
  LabelSet &operator|=(const LabelSet &o) {
    for (size_t i = 0; i < words.size(); ++i)
      words[i] |= o.words[i];
    return *this;
  }
  LabelSet &operator&=(const LabelSet &o) {
    for (size_t i = 0; i < words.size(); ++i)
      words[i] &= o.words[i];
    return *this;
  }
  LabelSet &operator-=(const LabelSet &o) {
    for (size_t i = 0; i < words.size(); ++i)
      words[i] &= ~o.words[i];
    return *this;
  }
  friend LabelSet operator|(LabelSet a, const LabelSet &b) { return a |= b; }
  friend LabelSet operator&(LabelSet a, const LabelSet &b) { return a &= b; }
  friend LabelSet operator-(LabelSet a, const LabelSet &b) { return a -= b; }
  bool intersects(const LabelSet &o) const {
    for (size_t i = 0; i < words.size(); ++i)
      if (words[i] & o.words[i])
        return true;
    return false;
  }
  bool operator==(const LabelSet &o) const { return words == o.words; }
  bool operator!=(const LabelSet &o) const { return !(*this == o); }
  bool operator<(const LabelSet &o) const { return words < o.words; }

  template <typename Fn>
  void forEach(Fn fn) const {
    for (size_t i = 0; i < words.size(); ++i)
      for (uint64_t w = words[i]; w; w &= w - 1)
        fn(unsigned(i * 64 + llvm::countr_zero(w)));
  }
  friend llvm::hash_code hash_value(const LabelSet &s) {
    return llvm::hash_combine_range(s.words.begin(), s.words.end());
  }

private:
  llvm::SmallVector<uint64_t, 2> words;
};

/// A problem with labels numbered 0..numLabels-1.
struct DenseProblem {
  unsigned numLabels = 0;
  std::vector<double> sizes;
  std::vector<LabelSet> inputs;
  LabelSet output;
  /// Dense label -> the caller's label.
  std::vector<LabelId> original;
  /// Per input: a gradient flows back to it (empty: none does).
  std::vector<bool> needsGradient;

  double sizeOf(const LabelSet &s) const {
    double size = 1;
    s.forEach([&](unsigned l) { size *= sizes[l]; });
    return size;
  }
  LabelSet emptySet() const { return LabelSet(numLabels); }
  bool needsGradientOf(unsigned input) const {
    return input < needsGradient.size() && needsGradient[input];
  }
  unsigned numInputs() const { return inputs.size(); }
};

/// opt_einsum's flop_count.
inline double flopCount(double size, bool summed, unsigned numTerms) {
  double factor = numTerms > 1 ? numTerms - 1 : 1;
  return size * (factor + (summed ? 1 : 0));
}

/// The FLOPs of the adjoint of one operand (labels `operand`) of a step over
/// the labels `loop` with `numTerms` operands: a contraction of the step's
/// cotangent with the other operands over the same labels (a broadcast for
/// a unary step).
inline double adjointFlops(double loopSize, bool operandIsLoop,
                           unsigned numTerms) {
  if (numTerms == 1)
    return loopSize;
  return flopCount(loopSize, !operandIsLoop, numTerms);
}

/// Steps in SSA form: operand ids, inputs first.
using SsaStep = llvm::SmallVector<unsigned, 2>;
using SsaPath = std::vector<SsaStep>;

/// The costs of a path, and the value the objective compares.
struct Cost {
  double flops = 0;
  /// The adjoint steps' FLOPs (inputs needing gradients only).
  double backward = 0;
  double largest = 0;
  double written = 0;
  bool valid = false;
};

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// The objective's value (lower is better), FLOPs breaking ties.
struct Score {
  double primary = kInfinity;
  double flops = kInfinity;
  bool operator<(const Score &o) const {
    return primary < o.primary || (primary == o.primary && flops < o.flops);
  }
};

Score scoreOf(const Cost &cost, const Options &options);

/// The score of a tree that joins two subtrees (scores `a`, `b`; elements
/// written `writtenA`, `writtenB`) with a step of `stepFlops` FLOPs making
/// `stepSize` elements; `written` receives the tree's elements written.
Score joinScores(const Options &options, const Score &a, double writtenA,
                 const Score &b, double writtenB, double stepFlops,
                 double stepSize, double &written);

/// Costs an SSA path; `valid` is false if it does not end in one operand.
/// When `steps` is given, fills it with the linear form.
Cost evaluateSsa(const DenseProblem &problem, const SsaPath &path,
                 std::vector<Step> *steps = nullptr);

/// A complete SSA path (asserted) as steps in linear form and costs.
PathInfo describeSsa(const DenseProblem &problem, const SsaPath &path);

/// opt_einsum's naive cost: every label in one loop nest.
double naiveFlops(const DenseProblem &problem);

/// True if every step but the last keeps within the memory limit.
bool fitsMemoryLimit(const DenseProblem &problem, const SsaPath &path,
                     const Options &options);

/// The problem with labels renumbered in first-appearance order (inputs,
/// then output). Fails for a label without a size or an output label that
/// no input has.
llvm::Expected<DenseProblem> densify(const Problem &problem);

//===----------------------------------------------------------------------===//
// Algorithms. Each returns an SSA path contracting all inputs, or an empty
// optional when it gives up (too large, memory limit unreachable).
//===----------------------------------------------------------------------===//

/// opt_einsum's greedy (`memory-removed` cost, the same tie-breaking), so
/// that its paths are reproduced exactly. `jitter` > 0 perturbs costs
/// (random-greedy) with the given seed.
SsaPath greedyPath(const DenseProblem &problem, const Options &options,
                   double jitter = 0, uint64_t seed = 0);

/// Exact minimum of the objective over every pairwise order (outer products
/// included), by dynamic programming over all subsets; branch-and-bound
/// pruning with `bound`. Gives up above `maxInputs` operands.
std::optional<SsaPath> optimalPath(const DenseProblem &problem,
                                   const Options &options, Score bound,
                                   unsigned maxInputs);

/// Pfeifer et al.'s dynamic programming over connected subsets (operands
/// joined by a summed label), components joined by outer products,
/// smallest first, with a growing cost cap. Gives up when more than
/// `workLimit` pairs would be examined.
std::optional<SsaPath> dpPath(const DenseProblem &problem,
                              const Options &options, uint64_t workLimit);

} // namespace mlir::ein::path::detail

#endif // EIN_LIB_PATH_PATHINTERNAL_H
