//===- PathTest.cpp - Contraction-path algorithms and costs ---------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "PathTestUtils.h"

using namespace mlir::ein;
using namespace mlir::ein::test;
using path::Algorithm;

namespace {

const Algorithm kAll[] = {Algorithm::Greedy, Algorithm::Optimal,
                          Algorithm::DP, Algorithm::Auto};

TEST(PathCost, BatchedMatrixChain) {
  // Two batched matrix products of 32x64x64x64, 2 FLOPs per multiply-add.
  for (Algorithm a : kAll) {
    path::PathInfo info = plan("bij,bjk,bkl->bil",
                               {{32, 64, 64}, {32, 64, 64}, {32, 64, 64}}, a);
    EXPECT_EQ(info.flops, 2.0 * 2 * 32 * 64 * 64 * 64) << toString(a).str();
    EXPECT_EQ(info.naiveFlops, 3.0 * 32 * 64 * 64 * 64 * 64);
    EXPECT_EQ(info.largestIntermediate, 32.0 * 64 * 64);
    EXPECT_EQ(info.steps.size(), 2u);
  }
}

TEST(PathCost, NoneIsOneStep) {
  path::PathInfo info = plan("bij,bjk,bkl->bil",
                             {{2, 3, 4}, {2, 4, 5}, {2, 5, 6}},
                             Algorithm::None);
  EXPECT_EQ(linear(info), "[(0, 1, 2)]");
  // One loop nest over b,i,j,k,l: 720 points x (3 - 1 + 1).
  EXPECT_EQ(info.flops, 720.0 * 3);
}

TEST(PathCost, PreReductionOfOwnLabels) {
  // opt_einsum contracts both at once: 2 * 512^4 = 1.37e11 FLOPs. Summing
  // each operand first costs 2 * 512^2 each, and the scalar product 1.
  for (Algorithm a : kAll) {
    path::PathInfo info = plan("ij,kl->", {{512, 512}, {512, 512}}, a);
    EXPECT_EQ(info.flops, 2.0 * 2 * 512 * 512 + 1) << toString(a).str();
    EXPECT_EQ(linear(info), "[(0,), (0,), (0, 1)]");
    EXPECT_EQ(info.naiveFlops, 512.0 * 512 * 512 * 512);
    EXPECT_EQ(info.largestIntermediate, 1.0);
  }
}

TEST(PathCost, PreReductionOnlyWhenCheaper) {
  // Summing `a` first (2ab) then `b,b->` (2b) is worse than `ab,b->` (2ab).
  path::PathInfo info = plan("ab,b->", {{3, 4}, {4}}, Algorithm::Auto);
  EXPECT_EQ(linear(info), "[(0, 1)]");
  EXPECT_EQ(info.flops, 24.0);
}

TEST(PathCost, SingleOperand) {
  path::PathInfo info = plan("ij->i", {{3, 4}}, Algorithm::Auto);
  EXPECT_EQ(linear(info), "[(0,)]");
  EXPECT_EQ(info.flops, 24.0);
  EXPECT_EQ(info.naiveFlops, 12.0);
}

TEST(PathCost, EvaluateExplicitPath) {
  path::Problem p = problemOf("ij,jk,kl->il", {{10, 100}, {100, 5}, {5, 50}});
  llvm::Expected<path::PathInfo> left = path::evaluatePath(p, {{0, 1}, {0, 1}});
  ASSERT_TRUE(bool(left));
  // (ij,jk) 10*100*5*2, then (ik,kl) 10*5*50*2.
  EXPECT_EQ(left->flops, 10000.0 + 5000.0);
  llvm::Expected<path::PathInfo> right = path::evaluatePath(p, {{1, 2}, {0, 1}});
  ASSERT_TRUE(bool(right));
  EXPECT_EQ(right->flops, 100.0 * 5 * 50 * 2 + 10.0 * 100 * 50 * 2);
  // The planner finds the cheaper one.
  for (Algorithm a : kAll)
    EXPECT_EQ(plan("ij,jk,kl->il", {{10, 100}, {100, 5}, {5, 50}}, a).flops,
              15000.0);

  llvm::Expected<path::PathInfo> bad = path::evaluatePath(p, {{0, 3}});
  ASSERT_FALSE(bool(bad));
  EXPECT_EQ(llvm::toString(bad.takeError()),
            "path step names operand 3 but only 3 remain");
  llvm::Expected<path::PathInfo> partial = path::evaluatePath(p, {{0, 1}});
  ASSERT_FALSE(bool(partial));
  EXPECT_EQ(llvm::toString(partial.takeError()),
            "the path leaves 2 operands; expected 1");
}

TEST(PathCost, MalformedProblems) {
  path::Problem p;
  EXPECT_EQ(llvm::toString(path::optimizePath(p).takeError()),
            "a contraction path needs at least one operand");
  p.inputs = {{0, 1}};
  p.output = {2};
  p.sizes = {{0, 2}, {1, 2}, {2, 2}};
  EXPECT_EQ(llvm::toString(path::optimizePath(p).takeError()),
            "output label 2 occurs in no operand");
  p.output = {0};
  p.sizes = {{0, 2}};
  EXPECT_EQ(llvm::toString(path::optimizePath(p).takeError()),
            "label 1 has no size");
}

TEST(PathObjective, MemoryLimitBoundsIntermediates) {
  // The cheapest order for a,ab,bc,c-> ... goes through a 1000-element
  // intermediate; with a limit of 100 elements it must avoid it.
  const char *spec = "ai,bi,ci,abc->";
  std::vector<Shape> shapes = {{10, 40}, {10, 40}, {10, 40}, {10, 10, 10}};
  path::Options limited;
  limited.memoryLimit = 100;
  for (Algorithm a : kAll) {
    path::PathInfo info = plan(spec, shapes, a, limited);
    for (size_t k = 0; k + 1 < info.steps.size(); ++k)
      EXPECT_LE(info.steps[k].size, 100.0) << toString(a).str();
  }
  // Nothing fits 5 elements: one step over everything.
  limited.memoryLimit = 5;
  EXPECT_EQ(linear(plan(spec, shapes, Algorithm::Optimal, limited)),
            "[(0, 1, 2, 3)]");
}

TEST(PathObjective, SizeMinimisesTheLargestIntermediate) {
  const char *spec = "ab,bc,cd,de->ae";
  std::vector<Shape> shapes = {{2, 50}, {50, 2}, {2, 50}, {50, 2}};
  path::Options bySize;
  bySize.objective = path::Objective::Size;
  path::PathInfo flops = plan(spec, shapes, Algorithm::Optimal);
  path::PathInfo size = plan(spec, shapes, Algorithm::Optimal, bySize);
  EXPECT_LE(size.largestIntermediate, flops.largestIntermediate);
  EXPECT_EQ(size.largestIntermediate, 4.0);
  path::Options byWrite;
  byWrite.objective = path::Objective::Write;
  EXPECT_LE(plan(spec, shapes, Algorithm::DP, byWrite).written, flops.written);
}

TEST(PathAlgorithms, OptEinsumIssue132) {
  // opt_einsum issue 132: its greedy finds 1.06e7 FLOPs, its dp 1.60e6.
  const char *spec = "bc,bd,be,bf,bg,bh,bi,bj,bk,cm,mdn,neo,ofp,pgzq,qhr,ris,"
                     "sjt,tk->bz";
  std::vector<Shape> shapes(9, Shape{512, 2});
  shapes.push_back({2, 7});
  for (int i = 0; i < 3; ++i)
    shapes.push_back({7, 2, 7});
  shapes.push_back({7, 2, 10, 7});
  for (int i = 0; i < 3; ++i)
    shapes.push_back({7, 2, 7});
  shapes.push_back({7, 2});
  EXPECT_LE(plan(spec, shapes, Algorithm::Greedy).flops, 1.06e7);
  EXPECT_LE(plan(spec, shapes, Algorithm::DP).flops, 1.60e6);
  EXPECT_LE(plan(spec, shapes, Algorithm::Auto).flops, 1.60e6);
}

TEST(PathAlgorithms, LongChain) {
  // A chain of 300 square matrices: every order costs 299 products.
  path::Problem p;
  for (int i = 0; i < 300; ++i)
    p.inputs.push_back({i, i + 1});
  p.output = {0, 300};
  for (int i = 0; i <= 300; ++i)
    p.sizes.push_back({i, 8});
  for (Algorithm a : {Algorithm::Greedy, Algorithm::Auto}) {
    path::Options options;
    options.algorithm = a;
    llvm::Expected<path::PathInfo> info = path::optimizePath(p, options);
    ASSERT_TRUE(bool(info));
    EXPECT_EQ(info->steps.size(), 299u);
    EXPECT_EQ(info->flops, 299 * 2.0 * 8 * 8 * 8);
  }
}

TEST(PathFormat, Names) {
  EXPECT_EQ(path::parseAlgorithm("dp"), Algorithm::DP);
  EXPECT_EQ(path::parseAlgorithm("fast"), std::nullopt);
  EXPECT_EQ(path::parseObjective("combo"), path::Objective::Combo);
  EXPECT_EQ(path::formatCost(33554432), "33554432");
  EXPECT_EQ(path::formatCost(1e300), "1.0000000000000001e+300");
}

} // namespace
