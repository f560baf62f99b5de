//===- LinalgToEin.h - Raise linalg contractions into ein -------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// The inverse of ein-to-linalg, for compilers whose front ends emit linalg:
// contraction-shaped linalg ops on tensors become ein.contract, so that ein's
// simplification, path optimisation and differentiation apply to them.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_CONVERSION_LINALGTOEIN_LINALGTOEIN_H
#define EIN_CONVERSION_LINALGTOEIN_LINALGTOEIN_H

#include "ein/Dialect/Ein/IR/EinOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::ein {

/// Rewrites `op` into ein.contract (plus ein.add of the init when the init is
/// not known to be zero) and returns the value replacing its result. `op`
/// must be a linalg op on tensors with one init, floating-point or complex
/// element types shared by every operand, indexing maps whose results are
/// loop dimensions (repeats allowed in inputs: diagonals), every loop
/// dimension read by some input, the output indexed by exactly the parallel
/// loops, and a body that is `out + x_1 * ... * x_n` (each input once, in
/// any order and association) or, with no reduction loop, `x_1 * ... * x_n`.
/// That covers linalg.generic, linalg.contract, linalg.matmul,
/// batch_matmul, matvec, vecmat, dot, ... Fails, changing nothing,
/// otherwise.
FailureOr<Value> raiseToContraction(RewriterBase &rewriter,
                                    linalg::LinalgOp op);

/// Folds the contraction producing operand `operandIndex` of `consumer` into
/// `consumer` when that is its only use: `ij,jk->ik` feeding `ik,kl->il`
/// becomes `ij,jk,kl->il`, with the producer's summed labels renamed apart.
/// Both specs must have plain labels only (run ein-expand-groups first) and
/// neither the producer's output term nor the consumer's term for it may
/// repeat a label. Returns the merged contraction.
FailureOr<ContractOp> mergeProducerContraction(RewriterBase &rewriter,
                                               ContractOp consumer,
                                               unsigned operandIndex);

/// Patterns applying raiseToContraction to every linalg op.
void populateRaiseLinalgToEinPatterns(RewritePatternSet &patterns);

/// Patterns applying mergeProducerContraction to every operand.
void populateMergeContractionPatterns(RewritePatternSet &patterns);

} // namespace mlir::ein

#endif // EIN_CONVERSION_LINALGTOEIN_LINALGTOEIN_H
