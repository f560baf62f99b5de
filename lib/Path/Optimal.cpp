//===- Optimal.cpp - Exhaustive search over pairwise orders ---------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Every pairwise contraction tree of n operands corresponds to recursively
// splitting the set of operands in two, and a subtree's intermediate depends
// only on its set of operands: the labels it has that the output or an
// operand outside the set still needs. So the best tree for each of the 2^n
// subsets follows from the best trees of its two parts: dynamic programming
// over subsets visits every tree (outer products included) in O(3^n) pair
// checks, instead of opt_einsum's `optimal` depth-first search over
// (2n-3)!! orders. Pairs whose partial cost already reaches the best known
// cost (or the caller's bound) are pruned.
//
//===----------------------------------------------------------------------===//

#include "PathInternal.h"

using namespace mlir::ein::path;
using namespace mlir::ein::path::detail;

namespace {

struct Entry {
  Score score;
  double written = 0;
  uint32_t left = 0; // one part of the best split; 0 for leaves
};

/// A lower bound of a combined score from the parts' scores.
double partialPrimary(const Options &options, const Entry &a,
                      const Entry &b) {
  if (options.objective == Objective::Size)
    return std::max(a.score.primary, b.score.primary);
  return a.score.primary + b.score.primary;
}

unsigned emit(const std::vector<Entry> &table, uint32_t set, SsaPath &path,
              unsigned numInputs) {
  if ((set & (set - 1)) == 0)
    return llvm::countr_zero(set);
  uint32_t left = table[set].left;
  unsigned a = emit(table, left, path, numInputs);
  unsigned b = emit(table, set ^ left, path, numInputs);
  path.push_back({a, b});
  return numInputs + path.size() - 1;
}

} // namespace

std::optional<SsaPath> detail::optimalPath(const DenseProblem &problem,
                                           const Options &options,
                                           Score bound, unsigned maxInputs) {
  unsigned n = problem.numInputs();
  if (n > maxInputs || n > 24)
    return std::nullopt;
  if (n == 1)
    return SsaPath{{0}};
  uint32_t full = (uint32_t(1) << n) - 1;
  uint32_t activeMask = 0;
  for (unsigned i = 0; i < n; ++i)
    if (problem.needsGradientOf(i))
      activeMask |= uint32_t(1) << i;

  // The labels each subset's intermediate keeps, and their sizes.
  std::vector<LabelSet> unionOf(full + 1, problem.emptySet());
  for (uint32_t s = 1; s <= full; ++s)
    unionOf[s] = unionOf[s & (s - 1)] | problem.inputs[llvm::countr_zero(s)];
  std::vector<LabelSet> keeps(full + 1);
  std::vector<double> sizes(full + 1);
  for (uint32_t s = 1; s <= full; ++s) {
    keeps[s] = unionOf[s] & (problem.output | unionOf[full ^ s]);
    sizes[s] = problem.sizeOf(keeps[s]);
  }
  unionOf.clear();

  std::vector<Entry> table(full + 1);
  for (unsigned i = 0; i < n; ++i)
    table[uint32_t(1) << i].score = Score{0, 0};
  for (uint32_t s = 1; s <= full; ++s) {
    if ((s & (s - 1)) == 0)
      continue;
    Entry &best = table[s];
    if (s != full && options.memoryLimit && sizes[s] > *options.memoryLimit)
      continue;
    uint32_t low = s & (~s + 1);
    uint32_t rest = s ^ low;
    // Parts containing the lowest member, so each split is seen once.
    for (uint32_t sub = rest;; sub = (sub - 1) & rest) {
      uint32_t a = sub | low, b = s ^ a;
      if (b != 0) {
        const Entry &ea = table[a], &eb = table[b];
        double partial = partialPrimary(options, ea, eb);
        if (partial < best.score.primary && partial < bound.primary) {
          LabelSet either = keeps[a] | keeps[b];
          double loop = problem.sizeOf(either);
          double stepFlops = flopCount(loop, either != keeps[s], 2);
          // The adjoints of the parts a gradient flows back to.
          if (a & activeMask)
            stepFlops += adjointFlops(loop, keeps[a] == either, 2);
          if (b & activeMask)
            stepFlops += adjointFlops(loop, keeps[b] == either, 2);
          double written;
          Score score = joinScores(options, ea.score, ea.written, eb.score,
                                   eb.written, stepFlops, sizes[s], written);
          if (score < best.score && score < bound) {
            best.score = score;
            best.written = written;
            best.left = a;
          }
        }
      }
      if (sub == 0)
        break;
    }
  }
  if (table[full].left == 0)
    return std::nullopt;
  SsaPath path;
  emit(table, full, path, n);
  return path;
}
