//===- PathConformanceTest.cpp - Paths against opt_einsum's costs ---------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// forward.json carries opt_einsum's costs (greedy, optimal, auto, auto-hq)
// for its public cases. ein's greedy must not be worse than opt_einsum's
// greedy, optimal and dp not worse than the best opt_einsum found, auto not
// worse than auto-hq; naive costs must be equal (same convention).
//
//===----------------------------------------------------------------------===//

#include "PathTestUtils.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir::ein;
using namespace mlir::ein::test;
using path::Algorithm;

namespace {

TEST(PathConformance, ForwardCasesAgainstOptEinsum) {
  auto buffer = llvm::MemoryBuffer::getFile(EIN_CONFORMANCE_DIR
                                            "/forward.json");
  ASSERT_TRUE(bool(buffer));
  llvm::Expected<llvm::json::Value> value =
      llvm::json::parse((*buffer)->getBuffer());
  ASSERT_TRUE(bool(value));
  unsigned checked = 0;
  for (const llvm::json::Value &v : *value->getAsArray()) {
    const llvm::json::Object &c = *v.getAsObject();
    const llvm::json::Object *oe = c.getObject("opt_einsum");
    if (!oe)
      continue;
    std::string eq = c.getString("eq")->str();
    std::vector<Shape> shapes;
    for (const llvm::json::Value &s : *c.getArray("shapes")) {
      Shape shape;
      for (const llvm::json::Value &d : *s.getAsArray())
        shape.push_back(*d.getAsInteger());
      shapes.push_back(shape);
    }
    auto oeFlops = [&](llvm::StringRef algo) {
      return double(*oe->getObject(algo)->getInteger("flops"));
    };
    double best = std::min({oeFlops("greedy"), oeFlops("optimal"),
                            oeFlops("auto"), oeFlops("auto-hq")});
    double naive =
        double(*oe->getObject("greedy")->getInteger("naive_flops"));
    SCOPED_TRACE(eq);
    path::PathInfo greedy = plan(eq, shapes, Algorithm::Greedy);
    EXPECT_LE(greedy.flops, oeFlops("greedy"));
    EXPECT_EQ(greedy.naiveFlops, naive);
    EXPECT_LE(plan(eq, shapes, Algorithm::Optimal).flops, best);
    EXPECT_LE(plan(eq, shapes, Algorithm::DP).flops, best);
    EXPECT_LE(plan(eq, shapes, Algorithm::Auto).flops, oeFlops("auto-hq"));
    ++checked;
  }
  EXPECT_EQ(checked, 58u);
}

/// A case where opt_einsum's own `optimal` (9240) is worse than its greedy
/// (7080): ein's exhaustive search finds at most the greedy's cost.
TEST(PathConformance, OptimalIsExhaustive) {
  path::PathInfo info =
      plan("bde,cdh,agdb,hica,ibd,hgicd,hiac",
           {{3, 5, 4}, {4, 5, 6}, {2, 2, 5, 3}, {6, 5, 4, 2}, {5, 3, 5},
            {6, 2, 5, 4, 5}, {6, 5, 2, 4}},
           Algorithm::Optimal);
  EXPECT_LE(info.flops, 7080.0);
}

} // namespace
