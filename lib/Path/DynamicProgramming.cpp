//===- DynamicProgramming.cpp - Connected-subset dynamic programming ------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Pfeifer, Haegeman and Verstraete, "Faster identification of optimal
// contraction sequences for tensor networks" (PRE 90, 2014), as opt_einsum's
// `dp` applies it: operands that share a summed label are connected; each
// connected component is solved by building the best tree for every
// connected subset of m operands from two disjoint connected subsets that
// share a summed label, for m = 2, 3, ...; subsets whose cost exceeds a cap
// are dropped, and the cap grows (by the smallest label size) until the
// whole component is reached. Components are then joined by outer products,
// smallest result first. Unlike opt_einsum (which minimises the size of each
// step's label set), the exact cost model and objective are minimised.
//
//===----------------------------------------------------------------------===//

#include "PathInternal.h"

#include "llvm/ADT/DenseMap.h"

#include <cmath>

using namespace mlir::ein::path;
using namespace mlir::ein::path::detail;

namespace {

struct Node {
  uint64_t set;
  LabelSet labels;
  double size;
  Score score;
  double written;
  uint64_t left; // 0 for leaves
};

class ConnectedDP {
public:
  ConnectedDP(const DenseProblem &problem, const Options &options,
              uint64_t workLimit)
      : problem(problem), options(options), workLimit(workLimit),
        owners(problem.numLabels, 0) {
    for (unsigned i = 0; i < problem.numInputs(); ++i)
      problem.inputs[i].forEach([&](unsigned l) { owners[l] |= 1ull << i; });
  }

  /// Solves one component; returns false when the work limit is reached or
  /// the memory limit cannot be met.
  bool solve(llvm::ArrayRef<unsigned> component);

  /// SSA id of a solved set's tree, emitting its steps.
  unsigned emit(uint64_t set, SsaPath &path);

  const Node &node(uint64_t set) const { return nodes[index.lookup(set)]; }

private:
  LabelSet keptLabels(uint64_t set, const LabelSet &either) const {
    LabelSet kept = problem.emptySet();
    either.forEach([&](unsigned l) {
      if (problem.output.contains(l) || (owners[l] & ~set))
        kept.insert(l);
    });
    return kept;
  }

  const DenseProblem &problem;
  const Options &options;
  uint64_t workLimit;
  uint64_t work = 0;
  std::vector<uint64_t> owners; // label -> operands having it
  std::vector<Node> nodes;
  llvm::DenseMap<uint64_t, unsigned> index;
};

} // namespace

bool ConnectedDP::solve(llvm::ArrayRef<unsigned> component) {
  uint64_t full = 0;
  LabelSet labels = problem.emptySet();
  double minSize = kInfinity;
  // levels[m]: indices of nodes with m operands.
  std::vector<std::vector<unsigned>> levels(component.size() + 1);
  for (unsigned i : component) {
    full |= 1ull << i;
    labels |= problem.inputs[i];
    index[1ull << i] = nodes.size();
    levels[1].push_back(nodes.size());
    nodes.push_back({1ull << i, problem.inputs[i],
                     problem.sizeOf(problem.inputs[i]), Score{0, 0}, 0, 0});
    problem.inputs[i].forEach(
        [&](unsigned l) { minSize = std::min(minSize, problem.sizes[l]); });
  }
  if (component.size() == 1)
    return true;
  double cap = std::max(problem.sizeOf(labels & problem.output), 1.0);
  double increment = std::max(minSize, 2.0);
  LabelSet summedMask = problem.emptySet();
  summedMask |= labels;
  summedMask -= problem.output;
  unsigned m = component.size();
  while (!index.count(full)) {
    for (unsigned size = 2; size <= m; ++size) {
      for (unsigned k = 1; k <= size / 2; ++k) {
        // Copy: the level grows while we iterate it.
        std::vector<unsigned> left = levels[k];
        std::vector<unsigned> right = levels[size - k];
        for (unsigned ia : left) {
          for (unsigned ib : right) {
            const Node &a = nodes[ia], &b = nodes[ib];
            if ((a.set & b.set) || (k == size - k && a.set >= b.set))
              continue;
            if (++work > workLimit)
              return false;
            // Only pairs sharing a summed label.
            if (((a.labels & b.labels) - problem.output).empty())
              continue;
            uint64_t set = a.set | b.set;
            LabelSet either = a.labels | b.labels;
            LabelSet kept = keptLabels(set, either);
            double size12 = problem.sizeOf(kept);
            if (set != full && options.memoryLimit &&
                size12 > *options.memoryLimit)
              continue;
            double stepFlops =
                flopCount(problem.sizeOf(either), kept != either, 2);
            double written;
            Score score = joinScores(options, a.score, a.written, b.score,
                                     b.written, stepFlops, size12, written);
            if (score.primary > cap)
              continue;
            auto it = index.find(set);
            if (it == index.end()) {
              index[set] = nodes.size();
              levels[size].push_back(nodes.size());
              nodes.push_back({set, kept, size12, score, written, a.set});
            } else if (score < nodes[it->second].score) {
              Node &old = nodes[it->second];
              old.score = score;
              old.written = written;
              old.left = a.set;
            }
          }
        }
      }
    }
    if (cap == kInfinity)
      return index.count(full);
    cap *= increment;
    if (std::isinf(cap))
      cap = kInfinity;
  }
  return true;
}

unsigned ConnectedDP::emit(uint64_t set, SsaPath &path) {
  const Node &n = node(set);
  if (n.left == 0)
    return llvm::countr_zero(set);
  uint64_t left = n.left;
  unsigned a = emit(left, path);
  unsigned b = emit(set ^ left, path);
  path.push_back({a, b});
  return problem.numInputs() + path.size() - 1;
}

std::optional<SsaPath> detail::dpPath(const DenseProblem &problem,
                                      const Options &options,
                                      uint64_t workLimit) {
  unsigned n = problem.numInputs();
  if (n > 64)
    return std::nullopt;
  if (n == 1)
    return SsaPath{{0}};
  // Connected components over summed labels (union-find).
  std::vector<unsigned> parent(n);
  for (unsigned i = 0; i < n; ++i)
    parent[i] = i;
  auto find = [&](unsigned i) {
    while (parent[i] != i)
      i = parent[i] = parent[parent[i]];
    return i;
  };
  for (unsigned i = 0; i < n; ++i)
    for (unsigned j = i + 1; j < n; ++j)
      if (!((problem.inputs[i] & problem.inputs[j]) - problem.output).empty())
        parent[find(j)] = find(i);
  std::vector<llvm::SmallVector<unsigned>> components;
  std::vector<int> componentOf(n, -1);
  for (unsigned i = 0; i < n; ++i) {
    unsigned root = find(i);
    if (componentOf[root] < 0) {
      componentOf[root] = components.size();
      components.emplace_back();
    }
    components[componentOf[root]].push_back(i);
  }

  ConnectedDP dp(problem, options, workLimit);
  std::vector<std::pair<double, uint64_t>> solved;
  for (const auto &component : components) {
    if (!dp.solve(component))
      return std::nullopt;
    uint64_t set = 0;
    for (unsigned i : component)
      set |= 1ull << i;
    solved.push_back({dp.node(set).size, set});
  }
  // Smallest result first; ties by operand set, deterministically.
  llvm::sort(solved);
  SsaPath path;
  unsigned acc = dp.emit(solved[0].second, path);
  for (size_t c = 1; c < solved.size(); ++c) {
    unsigned next = dp.emit(solved[c].second, path);
    path.push_back({acc, next});
    acc = n + path.size() - 1;
  }
  return path;
}
