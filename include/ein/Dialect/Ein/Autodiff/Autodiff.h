//===- Autodiff.h - Differentiation of ein programs -------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Automatic differentiation of functions built from ein contractions and
// elementwise arith/math ops: the derivative rules of upstream ops (external
// models of DifferentiableOpInterface), the expansion of one `ein.grad`, and
// the dependence analysis that proves batched gradients separable.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_AUTODIFF_AUTODIFF_H
#define EIN_DIALECT_EIN_AUTODIFF_AUTODIFF_H

#include "ein/Dialect/Ein/IR/EinOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"

namespace mlir::ein {

/// Attaches derivative rules to arith (addf, subf, mulf, divf, negf,
/// maximumf, minimumf, select, constant), math (exp, log, log1p, expm1, tanh,
/// sqrt, rsqrt, sin, cos, absf, powf, erf), tensor (expand_shape,
/// collapse_shape, extract_slice, insert_slice, empty, cast), linalg.fill and
/// func.call.
void registerDerivativeModels(DialectRegistry &registry);

/// How ein.grad is expanded.
struct GradOptions {
  /// Size assumed for dynamic dimensions when choosing between batched
  /// reverse and batched forward mode.
  double dynamicSize = 64;
};

/// Which way an ein.grad was computed (for tests and reports).
struct GradExpansion {
  bool reverse = true;
  /// The batch dimensions of the pass (empty for a plain VJP/JVP).
  SmallVector<Label> batchLabels;
};

/// Replaces `op` by the forward computation of its callee (cloned in place)
/// followed by one reverse or forward sweep and a final contraction. The
/// callee (and what it calls) must contain no ein.grad. Emits an error on
/// failure (e.g. an op without a derivative rule, naming op and function);
/// the IR is then unchanged.
FailureOr<GradExpansion> expandGrad(GradOp op, SymbolTableCollection &symbols,
                                    const GradOptions &options = {});

/// True if it can be proven from the IR that for `fn`'s result Y and its
/// argument X = #argument, Y's slice at index b along axis `yAxis` depends
/// only on X's slice at b along `xAxis`: the axis is carried through every
/// op without being summed, sliced, reshaped or mixed.
bool isBatchSeparable(func::FuncOp fn, unsigned argument, unsigned xAxis,
                      unsigned yAxis, SymbolTableCollection &symbols);

} // namespace mlir::ein

#endif // EIN_DIALECT_EIN_AUTODIFF_AUTODIFF_H
