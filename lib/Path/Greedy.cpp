//===- Greedy.cpp - opt_einsum's greedy contraction order -----------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// A faithful port of opt_einsum's `ssa_greedy_optimize` (paths.py): labels
// common to every operand are treated as output labels, operands with equal
// label sets are multiplied first (Hadamard), then the pair with the lowest
// `size(result) - size(a) - size(b)` is contracted (ties: larger SSA ids
// last, as opt_einsum's heap orders them), only pairs sharing a summed label
// are candidates, and what is left is joined by outer products, smallest
// first. Reproducing its choices exactly means ein's greedy is never worse
// than opt_einsum's. With `jitter`, costs are multiplied by
// N(1, jitter) noise (opt_einsum's `memory-removed-jitter`) for
// random-greedy restarts.
//
//===----------------------------------------------------------------------===//

#include "PathInternal.h"

#include <queue>
#include <random>
#include <set>
#include <unordered_map>

using namespace mlir::ein::path;
using namespace mlir::ein::path::detail;

namespace {

struct LabelSetHash {
  size_t operator()(const LabelSet &s) const { return hash_value(s); }
};

struct Candidate {
  double cost;
  unsigned id2, id1; // id1 < id2
  unsigned k1, k2, k12;
  bool operator>(const Candidate &o) const {
    if (cost != o.cost)
      return cost > o.cost;
    if (id2 != o.id2)
      return id2 > o.id2;
    return id1 > o.id1;
  }
};

class Greedy {
public:
  Greedy(const DenseProblem &problem, const Options &options, double jitter,
         uint64_t seed)
      : problem(problem), options(options), jitter(jitter), rng(seed),
        dimToKeys(problem.numLabels), refs2(problem.emptySet()),
        refs3(problem.emptySet()) {}

  SsaPath run();

private:
  static constexpr unsigned kNone = ~0u;

  unsigned intern(const LabelSet &set) {
    auto [it, inserted] = keyIndex.try_emplace(set, keys.size());
    if (inserted) {
      keys.push_back(set);
      remaining.push_back(kNone);
      footprint.push_back(problem.sizeOf(set));
    }
    return it->second;
  }
  bool isRemaining(unsigned key) const { return remaining[key] != kNone; }

  Candidate candidate(unsigned k1, unsigned k2) {
    const LabelSet &a = keys[k1], &b = keys[k2];
    LabelSet either = a | b;
    LabelSet two = a & b;
    LabelSet one = either - two;
    LabelSet k12 = (either & output) | (two & refs3) | (one & refs2);
    double cost = problem.sizeOf(k12) - footprint[k1] - footprint[k2];
    if (jitter > 0)
      cost *= noise(rng);
    unsigned id1 = remaining[k1], id2 = remaining[k2];
    if (id1 > id2) {
      std::swap(k1, k2);
      std::swap(id1, id2);
    }
    return {cost, id2, id1, k1, k2, intern(k12)};
  }

  void push(unsigned k1, llvm::ArrayRef<unsigned> k2s) {
    std::optional<Candidate> best;
    for (unsigned k2 : k2s) {
      Candidate c = candidate(k1, k2);
      if (!best || *best > c)
        best = c;
    }
    if (best)
      queue.push(*best);
  }

  void updateRefCounts(const LabelSet &dims) {
    dims.forEach([&](unsigned dim) {
      size_t count = dimToKeys[dim].size();
      if (count >= 2)
        refs2.insert(dim);
      else
        refs2.erase(dim);
      if (count >= 3)
        refs3.insert(dim);
      else
        refs3.erase(dim);
    });
  }

  const DenseProblem &problem;
  const Options &options;
  double jitter;
  std::mt19937_64 rng;
  std::normal_distribution<double> noise{1.0, 1.0};

  LabelSet output;
  std::vector<LabelSet> keys;
  std::unordered_map<LabelSet, unsigned, LabelSetHash> keyIndex;
  std::vector<unsigned> remaining; // key -> SSA id, or kNone
  std::vector<double> footprint;
  std::vector<std::set<unsigned>> dimToKeys; // ordered by key index
  LabelSet refs2, refs3;
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>>
      queue;
};

} // namespace

SsaPath Greedy::run() {
  if (jitter > 0)
    noise = std::normal_distribution<double>(1.0, jitter);
  unsigned n = problem.numInputs();
  SsaPath path;
  if (n == 1)
    return {{0}};
  output = problem.output;
  LabelSet common = problem.inputs[0];
  for (const LabelSet &in : problem.inputs)
    common &= in;
  output |= common;

  unsigned nextId = n;
  // Hadamard products of equal label sets first.
  for (unsigned i = 0; i < n; ++i) {
    unsigned key = intern(problem.inputs[i]);
    if (isRemaining(key)) {
      path.push_back({remaining[key], i});
      remaining[key] = nextId++;
    } else {
      remaining[key] = i;
    }
  }
  llvm::SmallVector<unsigned> remainingKeys;
  for (unsigned key = 0; key < keys.size(); ++key)
    if (isRemaining(key)) {
      remainingKeys.push_back(key);
      (keys[key] - output).forEach([&](unsigned dim) {
        dimToKeys[dim].insert(key);
      });
    }
  LabelSet dims = problem.emptySet();
  for (unsigned d = 0; d < problem.numLabels; ++d)
    if (!dimToKeys[d].empty())
      dims.insert(d);
  updateRefCounts(dims);

  // Initial candidates: pairs sharing a summed label.
  for (unsigned dim = 0; dim < problem.numLabels; ++dim) {
    llvm::SmallVector<unsigned> dimKeys(dimToKeys[dim].begin(),
                                        dimToKeys[dim].end());
    llvm::sort(dimKeys, [&](unsigned a, unsigned b) {
      return remaining[a] < remaining[b];
    });
    for (size_t i = 0; i + 1 < dimKeys.size(); ++i)
      push(dimKeys[i], llvm::ArrayRef(dimKeys).drop_front(i + 1));
  }

  while (!queue.empty()) {
    Candidate c = queue.top();
    queue.pop();
    if (!isRemaining(c.k1) || !isRemaining(c.k2))
      continue;
    if (options.memoryLimit && footprint[c.k12] > *options.memoryLimit)
      continue;
    unsigned id1 = remaining[c.k1], id2 = remaining[c.k2];
    remaining[c.k1] = remaining[c.k2] = kNone;
    (keys[c.k1] - output).forEach([&](unsigned d) {
      dimToKeys[d].erase(c.k1);
    });
    (keys[c.k2] - output).forEach([&](unsigned d) {
      dimToKeys[d].erase(c.k2);
    });
    path.push_back({id1, id2});
    unsigned resultId = nextId++;
    if (isRemaining(c.k12)) {
      path.push_back({remaining[c.k12], resultId});
      remaining[c.k12] = nextId++;
    } else {
      (keys[c.k12] - output).forEach([&](unsigned d) {
        dimToKeys[d].insert(c.k12);
      });
      remaining[c.k12] = resultId;
    }
    updateRefCounts(keys[c.k1] | (keys[c.k2] - output));

    std::set<unsigned> partners;
    (keys[c.k12] - output).forEach([&](unsigned d) {
      partners.insert(dimToKeys[d].begin(), dimToKeys[d].end());
    });
    partners.erase(c.k12);
    if (!partners.empty())
      push(c.k12, llvm::SmallVector<unsigned>(partners.begin(),
                                               partners.end()));
  }

  // Outer products of what is left, smallest first.
  using Entry = std::tuple<double, unsigned, unsigned>; // size, id, key
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> last;
  for (unsigned key = 0; key < keys.size(); ++key)
    if (isRemaining(key))
      last.emplace(problem.sizeOf(keys[key] & output), remaining[key], key);
  auto [size1, id1, k1] = last.top();
  last.pop();
  while (!last.empty()) {
    auto [size2, id2, k2] = last.top();
    last.pop();
    path.push_back({std::min(id1, id2), std::max(id1, id2)});
    unsigned k12 = intern((keys[k1] | keys[k2]) & output);
    last.emplace(problem.sizeOf(keys[k12]), nextId++, k12);
    std::tie(size1, id1, k1) = last.top();
    last.pop();
  }
  return path;
}

SsaPath detail::greedyPath(const DenseProblem &problem, const Options &options,
                           double jitter, uint64_t seed) {
  return Greedy(problem, options, jitter, seed).run();
}
