//===- PathBench.cpp - Path-search time and chosen FLOPs ------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// ein-path-bench FORWARD.json: for every case with opt_einsum's numbers, plus
// opt_einsum issue 132 (18 operands), a random 20-operand network and a
// 300-matrix chain, prints each algorithm's chosen FLOPs (and opt_einsum's)
// and the search time (median of repeated runs). Not a test: numbers are
// for the record (docs/Benchmarks.md).
//
//===----------------------------------------------------------------------===//

#include "ein/Path/Path.h"
#include "ein/Path/SpecProblem.h"
#include "ein/Spec/SpecError.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <random>

using namespace mlir::ein;
namespace path = mlir::ein::path;

namespace {

struct Case {
  std::string name;
  path::Problem problem;
  std::optional<double> oeGreedy, oeBest;
};

/// Median seconds of `optimizePath` over enough runs to take ~0.2 s.
double timeSearch(const path::Problem &p, path::Algorithm a, double &flops) {
  path::Options options;
  options.algorithm = a;
  std::vector<double> times;
  double total = 0;
  while (times.size() < 5 || (total < 0.2 && times.size() < 1000)) {
    auto start = std::chrono::steady_clock::now();
    llvm::Expected<path::PathInfo> info = path::optimizePath(p, options);
    double t = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                             start)
                   .count();
    if (!info) {
      llvm::consumeError(info.takeError());
      flops = -1;
      return -1;
    }
    flops = info->flops;
    times.push_back(t);
    total += t;
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

std::optional<Case> fromSpec(std::string name, llvm::StringRef spec,
                             std::vector<Shape> shapes) {
  llvm::Expected<Spec> parsed = parseSpec(spec);
  if (!parsed) {
    llvm::errs() << takeErrorMessage(parsed.takeError()) << "\n";
    return std::nullopt;
  }
  llvm::Expected<path::Problem> p = path::problemFromSpec(*parsed, shapes);
  if (!p) {
    llvm::errs() << takeErrorMessage(p.takeError()) << "\n";
    return std::nullopt;
  }
  return Case{std::move(name), std::move(*p), std::nullopt, std::nullopt};
}

std::vector<Case> loadCases(const char *file) {
  std::vector<Case> cases;
  auto buffer = llvm::MemoryBuffer::getFile(file);
  if (!buffer) {
    llvm::errs() << "ein-path-bench: cannot read " << file << "\n";
    return cases;
  }
  llvm::Expected<llvm::json::Value> value =
      llvm::json::parse((*buffer)->getBuffer());
  if (!value) {
    llvm::errs() << llvm::toString(value.takeError()) << "\n";
    return cases;
  }
  for (const llvm::json::Value &v : *value->getAsArray()) {
    const llvm::json::Object &c = *v.getAsObject();
    const llvm::json::Object *oe = c.getObject("opt_einsum");
    if (!oe)
      continue;
    std::vector<Shape> shapes;
    for (const llvm::json::Value &s : *c.getArray("shapes")) {
      Shape shape;
      for (const llvm::json::Value &d : *s.getAsArray())
        shape.push_back(*d.getAsInteger());
      shapes.push_back(shape);
    }
    std::optional<Case> k = fromSpec(c.getString("eq")->str(),
                                     *c.getString("eq"), shapes);
    if (!k)
      continue;
    k->oeGreedy = double(*oe->getObject("greedy")->getInteger("flops"));
    k->oeBest = double(*c.getInteger("opt_einsum_best_flops"));
    cases.push_back(std::move(*k));
  }
  return cases;
}

/// A random network of `n` operands with 2-4 labels each over 2n labels.
Case randomNetwork(unsigned n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Case c{"random network, " + std::to_string(n) + " operands", {}, {}, {}};
  unsigned numLabels = 2 * n;
  for (unsigned i = 0; i < n; ++i) {
    llvm::SmallVector<path::LabelId, 4> term;
    unsigned rank = 2 + rng() % 3;
    while (term.size() < rank) {
      path::LabelId l = rng() % numLabels;
      if (!llvm::is_contained(term, l))
        term.push_back(l);
    }
    c.problem.inputs.push_back(term);
  }
  for (unsigned l = 0; l < numLabels; ++l)
    c.problem.sizes.push_back({path::LabelId(l), double(2 + rng() % 7)});
  c.problem.output = {c.problem.inputs[0][0]};
  return c;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    llvm::errs() << "usage: ein-path-bench FORWARD.json\n";
    return 1;
  }
  std::vector<Case> cases = loadCases(argv[1]);
  {
    std::vector<Shape> shapes(9, Shape{512, 2});
    shapes.push_back({2, 7});
    for (int i = 0; i < 3; ++i)
      shapes.push_back({7, 2, 7});
    shapes.push_back({7, 2, 10, 7});
    for (int i = 0; i < 3; ++i)
      shapes.push_back({7, 2, 7});
    shapes.push_back({7, 2});
    if (std::optional<Case> c = fromSpec(
            "opt_einsum issue 132 (18 operands)",
            "bc,bd,be,bf,bg,bh,bi,bj,bk,cm,mdn,neo,ofp,pgzq,qhr,ris,sjt,tk->bz",
            shapes)) {
      c->oeGreedy = 1.06e7;
      c->oeBest = 1.60e6;
      cases.push_back(std::move(*c));
    }
  }
  cases.push_back(randomNetwork(20, 7));
  Case chain{"chain of 300 matrices (8x8)", {}, {}, {}};
  for (int i = 0; i < 300; ++i)
    chain.problem.inputs.push_back({i, i + 1});
  chain.problem.output = {0, 300};
  for (int i = 0; i <= 300; ++i)
    chain.problem.sizes.push_back({i, 8});
  cases.push_back(std::move(chain));

  const path::Algorithm algorithms[] = {
      path::Algorithm::Greedy, path::Algorithm::Optimal, path::Algorithm::DP,
      path::Algorithm::Auto};
  llvm::outs() << "| case | opt_einsum greedy | opt_einsum best |"
               << " greedy | optimal | dp | auto |\n"
               << "|---|---|---|---|---|---|---|\n";
  double worst[4] = {0, 0, 0, 0};
  for (const Case &c : cases) {
    llvm::outs() << "| `" << c.name << "` | "
                 << (c.oeGreedy ? path::formatCost(*c.oeGreedy) : "-") << " | "
                 << (c.oeBest ? path::formatCost(*c.oeBest) : "-") << " |";
    for (auto [k, a] : llvm::enumerate(algorithms)) {
      bool big = c.problem.inputs.size() > 20;
      if (big && a != path::Algorithm::Greedy && a != path::Algorithm::Auto) {
        llvm::outs() << " - |";
        continue;
      }
      double flops;
      double seconds = timeSearch(c.problem, a, flops);
      worst[k] = std::max(worst[k], seconds);
      llvm::outs() << " " << path::formatCost(flops)
                   << llvm::format(" (%.3g ms)", seconds * 1e3) << " |";
    }
    llvm::outs() << "\n";
  }
  llvm::outs() << "\nslowest search: ";
  for (auto [k, a] : llvm::enumerate(algorithms))
    llvm::outs() << path::toString(a) << llvm::format(" %.3g ms", worst[k] * 1e3)
                 << (k + 1 < 4 ? ", " : "\n");
  return 0;
}
