//===- ApproximateMath.cpp - The ein-approximate-math pass ----------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// f32 tanh, exp and expm1 as MLIR's polynomial approximations: arithmetic
// that stays in vector registers, where libm would be called once per
// element.
//
//===----------------------------------------------------------------------===//

#include "ein/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::ein {
#define GEN_PASS_DEF_APPROXIMATEMATH
#include "ein/Conversion/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;

namespace {
struct ApproximateMathPass
    : ein::impl::ApproximateMathBase<ApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(
        patterns, [](StringRef name) {
          return name == "math.tanh" || name == "math.exp" ||
                 name == "math.expm1";
        });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
