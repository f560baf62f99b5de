//===- Cost.cpp - opt_einsum's cost model for contraction paths -----------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "PathInternal.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Format.h"

#include <cmath>

using namespace mlir::ein::path;
using namespace mlir::ein::path::detail;

static llvm::Error problemError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<DenseProblem> detail::densify(const Problem &problem) {
  if (problem.inputs.empty())
    return problemError("a contraction path needs at least one operand");
  llvm::DenseMap<LabelId, unsigned> dense;
  DenseProblem result;
  auto number = [&](LabelId l) {
    auto [it, inserted] = dense.try_emplace(l, result.original.size());
    if (inserted)
      result.original.push_back(l);
    return it->second;
  };
  for (const auto &term : problem.inputs)
    for (LabelId l : term)
      number(l);
  unsigned numInputLabels = result.original.size();
  for (LabelId l : problem.output)
    if (number(l) >= numInputLabels)
      return problemError("output label " + llvm::Twine(l) +
                          " occurs in no operand");
  result.numLabels = result.original.size();
  result.sizes.assign(result.numLabels, -1);
  for (auto [l, size] : problem.sizes) {
    auto it = dense.find(l);
    if (it == dense.end())
      continue;
    if (!(size >= 0) || std::isinf(size))
      return problemError("label " + llvm::Twine(l) +
                          " has an invalid size " + formatCost(size));
    double &slot = result.sizes[it->second];
    slot = std::max(slot, size);
  }
  for (unsigned l = 0; l < result.numLabels; ++l)
    if (result.sizes[l] < 0)
      return problemError("label " + llvm::Twine(result.original[l]) +
                          " has no size");
  for (const auto &term : problem.inputs) {
    LabelSet set = result.emptySet();
    for (LabelId l : term)
      set.insert(dense[l]);
    result.inputs.push_back(std::move(set));
  }
  if (llvm::is_contained(problem.needsGradient, true)) {
    if (problem.needsGradient.size() != problem.inputs.size())
      return problemError("expected a gradient flag per operand (" +
                          llvm::Twine(problem.inputs.size()) + "), found " +
                          llvm::Twine(problem.needsGradient.size()));
    result.needsGradient = problem.needsGradient;
  }
  result.output = result.emptySet();
  for (LabelId l : problem.output)
    result.output.insert(dense[l]);
  return result;
}

Score detail::scoreOf(const Cost &cost, const Options &options) {
  if (!cost.valid)
    return Score();
  Score score;
  score.flops = cost.flops + cost.backward;
  switch (options.objective) {
  case Objective::Flops:
    score.primary = score.flops;
    break;
  case Objective::Size:
    score.primary = cost.largest;
    break;
  case Objective::Write:
    score.primary = cost.written;
    break;
  case Objective::Combo:
    score.primary = score.flops + options.comboFactor * cost.written;
    break;
  }
  return score;
}

Score detail::joinScores(const Options &options, const Score &a,
                         double writtenA, const Score &b, double writtenB,
                         double stepFlops, double stepSize, double &written) {
  written = writtenA + writtenB + stepSize;
  Score s;
  s.flops = a.flops + b.flops + stepFlops;
  switch (options.objective) {
  case Objective::Flops:
    s.primary = s.flops;
    break;
  case Objective::Size:
    s.primary = std::max({a.primary, b.primary, stepSize});
    break;
  case Objective::Write:
    s.primary = written;
    break;
  case Objective::Combo:
    s.primary = s.flops + options.comboFactor * written;
    break;
  }
  return s;
}

namespace {
/// Replays an SSA path, tracking which labels are still needed.
class Replay {
public:
  explicit Replay(const DenseProblem &problem)
      : problem(problem), tensors(problem.inputs),
        live(problem.numInputs()), uses(problem.numLabels, 0) {
    for (unsigned i = 0; i < problem.numInputs(); ++i) {
      active.push_back(problem.needsGradientOf(i));
      live[i] = i;
      problem.inputs[i].forEach([&](unsigned l) { ++uses[l]; });
    }
    problem.output.forEach([&](unsigned l) { ++uses[l]; });
  }

  /// Applies one step; returns false if an id is not a live operand.
  /// `backward` receives the FLOPs of the step's adjoints.
  bool apply(const SsaStep &ids, Step &step, LabelSet &result, bool &summed,
             double &backward) {
    LabelSet either = problem.emptySet();
    step.operands.clear();
    for (unsigned id : ids) {
      auto it = llvm::find(live, id);
      if (it == live.end() || llvm::is_contained(step.operands,
                                                 unsigned(it - live.begin())))
        return false;
      step.operands.push_back(it - live.begin());
      either |= tensors[id];
    }
    result = problem.emptySet();
    either.forEach([&](unsigned l) {
      unsigned inStep = 0;
      for (unsigned id : ids)
        inStep += tensors[id].contains(l);
      if (uses[l] > inStep)
        result.insert(l);
    });
    summed = result != either;
    step.size = problem.sizeOf(result);
    double loop = problem.sizeOf(either);
    step.flops = flopCount(loop, summed, ids.size());
    backward = 0;
    bool anyActive = false;
    for (unsigned id : ids)
      if (active[id]) {
        anyActive = true;
        backward += adjointFlops(loop, tensors[id] == either, ids.size());
      }
    step.result.clear();
    result.forEach([&](unsigned l) { step.result.push_back(problem.original[l]); });
    llvm::sort(step.operands);
    for (unsigned pos : llvm::reverse(step.operands))
      live.erase(live.begin() + pos);
    for (unsigned id : ids)
      tensors[id].forEach([&](unsigned l) { --uses[l]; });
    result.forEach([&](unsigned l) { ++uses[l]; });
    live.push_back(tensors.size());
    tensors.push_back(result);
    active.push_back(anyActive);
    return true;
  }

  size_t numLive() const { return live.size(); }

private:
  const DenseProblem &problem;
  std::vector<LabelSet> tensors;
  std::vector<unsigned> live;
  std::vector<unsigned> uses;
  /// Per SSA id: a gradient flows back through it.
  std::vector<bool> active;
};
} // namespace

Cost detail::evaluateSsa(const DenseProblem &problem, const SsaPath &path,
                         std::vector<Step> *steps) {
  Cost cost;
  Replay replay(problem);
  for (const SsaStep &ids : path) {
    Step step;
    LabelSet result;
    bool summed;
    double backward;
    if (ids.empty() || !replay.apply(ids, step, result, summed, backward))
      return Cost();
    cost.flops += step.flops;
    cost.backward += backward;
    cost.largest = std::max(cost.largest, step.size);
    cost.written += step.size;
    if (steps)
      steps->push_back(std::move(step));
  }
  cost.valid = !path.empty() && replay.numLive() == 1;
  return cost;
}

double detail::naiveFlops(const DenseProblem &problem) {
  LabelSet all = problem.emptySet();
  unsigned total = 0;
  for (const LabelSet &in : problem.inputs) {
    all |= in;
    total += in.count();
  }
  return flopCount(problem.sizeOf(all), total > all.count(),
                   problem.numInputs());
}

bool detail::fitsMemoryLimit(const DenseProblem &problem, const SsaPath &path,
                             const Options &options) {
  if (!options.memoryLimit)
    return true;
  std::vector<Step> steps;
  if (!evaluateSsa(problem, path, &steps).valid)
    return false;
  for (size_t k = 0; k + 1 < steps.size(); ++k)
    if (steps[k].size > *options.memoryLimit)
      return false;
  return true;
}

llvm::Expected<PathInfo>
mlir::ein::path::evaluatePath(const Problem &problem,
                              llvm::ArrayRef<llvm::SmallVector<unsigned, 2>>
                                  linearPath) {
  llvm::Expected<DenseProblem> dense = densify(problem);
  if (!dense)
    return dense.takeError();
  // Linear positions -> SSA ids.
  std::vector<unsigned> live;
  for (unsigned i = 0; i < dense->numInputs(); ++i)
    live.push_back(i);
  unsigned next = dense->numInputs();
  SsaPath ssa;
  for (const auto &positions : linearPath) {
    SsaStep step;
    llvm::SmallVector<unsigned, 2> sorted(positions);
    llvm::sort(sorted);
    if (sorted.empty() || std::adjacent_find(sorted.begin(), sorted.end()) !=
                              sorted.end())
      return problemError("a path step must name distinct operands");
    if (sorted.back() >= live.size())
      return problemError("path step names operand " +
                          llvm::Twine(sorted.back()) + " but only " +
                          llvm::Twine(live.size()) + " remain");
    for (unsigned pos : sorted)
      step.push_back(live[pos]);
    for (unsigned pos : llvm::reverse(sorted))
      live.erase(live.begin() + pos);
    live.push_back(next++);
    ssa.push_back(step);
  }
  if (live.size() != 1)
    return problemError("the path leaves " + llvm::Twine(live.size()) +
                        " operands; expected 1");
  return describeSsa(*dense, ssa);
}

PathInfo detail::describeSsa(const DenseProblem &problem, const SsaPath &path) {
  PathInfo info;
  Cost cost = evaluateSsa(problem, path, &info.steps);
  assert(cost.valid && "an incomplete path");
  info.flops = cost.flops;
  info.largestIntermediate = cost.largest;
  info.written = cost.written;
  info.backwardFlops = cost.backward;
  info.naiveFlops = naiveFlops(problem);
  return info;
}

std::string mlir::ein::path::formatCost(double value) {
  if (value >= 0 && value < 9007199254740992.0 && value == std::floor(value))
    return std::to_string(static_cast<uint64_t>(value));
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.17g", value);
  return text;
}

void mlir::ein::path::printPathJson(llvm::raw_ostream &os,
                                    const PathInfo &info) {
  os << '[';
  llvm::interleave(
      info.steps, os,
      [&](const Step &step) {
        os << '[';
        llvm::interleave(step.operands, os, ",");
        os << ']';
      },
      ",");
  os << ']';
}

void mlir::ein::path::printPathLinear(llvm::raw_ostream &os,
                                      const PathInfo &info) {
  os << '[';
  llvm::interleaveComma(info.steps, os, [&](const Step &step) {
    os << '(';
    llvm::interleaveComma(step.operands, os);
    os << (step.operands.size() == 1 ? ",)" : ")");
  });
  os << ']';
}
