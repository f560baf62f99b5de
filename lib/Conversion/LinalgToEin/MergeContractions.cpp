//===- MergeContractions.cpp - Chains of contractions as one --------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// A contraction whose only use is an operand of another contraction is folded
// into it: sums distribute over products, so
//   T[i,k] = sum_j A[i,j] B[j,k];  R[i,l] = sum_k T[i,k] C[k,l]
// is R = "ij,jk,kl->il"(A, B, C). ein-split then chooses the order again,
// with the whole chain in view.
//
//===----------------------------------------------------------------------===//

#include "ein/Conversion/LinalgToEin/LinalgToEin.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallBitVector.h"

using namespace mlir;
using namespace mlir::ein;

/// The labels of a term of plain labels, or failure for groups, `...`, `_`.
static FailureOr<SmallVector<Label>> plainLabels(const Term &term) {
  SmallVector<Label> labels;
  for (const Axis &axis : term.axes) {
    if (!axis.isLabel())
      return failure();
    labels.push_back(axis.labels.front());
  }
  return labels;
}

static bool hasRepeats(ArrayRef<Label> labels) {
  llvm::SmallBitVector seen(kNumTextLabels);
  for (Label l : labels) {
    if (seen.test(l))
      return true;
    seen.set(l);
  }
  return false;
}

FailureOr<ContractOp>
mlir::ein::mergeProducerContraction(RewriterBase &rewriter, ContractOp consumer,
                                    unsigned operandIndex) {
  if (operandIndex >= consumer.getInputs().size())
    return failure();
  auto producer = consumer.getInputs()[operandIndex].getDefiningOp<ContractOp>();
  if (!producer || !producer->hasOneUse())
    return failure();
  const Spec &outer = consumer.getSpec().getValue();
  const Spec &inner = producer.getSpec().getValue();
  if (outer.hasReshapes() || inner.hasReshapes() || outer.hasDerivative() ||
      inner.hasDerivative())
    return failure();
  FailureOr<SmallVector<Label>> innerOut = plainLabels(inner.output);
  FailureOr<SmallVector<Label>> outerTerm =
      plainLabels(outer.inputs[operandIndex]);
  if (failed(innerOut) || failed(outerTerm) || hasRepeats(*innerOut) ||
      hasRepeats(*outerTerm) || innerOut->size() != outerTerm->size())
    return failure();

  // The producer's output labels become the consumer's labels for it; its
  // summed labels get labels the consumer does not use.
  llvm::SmallBitVector used(kNumTextLabels);
  for (const Term &term : outer.inputs)
    for (Label l : term.allLabels())
      used.set(l);
  llvm::DenseMap<Label, Label> rename;
  for (auto [from, to] : llvm::zip(*innerOut, *outerTerm))
    rename[from] = to;
  Spec merged;
  auto renamed = [&](const Term &term) -> FailureOr<Term> {
    Term result;
    for (const Axis &axis : term.axes) {
      Label l = axis.labels.front();
      auto it = rename.find(l);
      if (it == rename.end()) {
        // Lower-case letters first, as the raised specs use them.
        int fresh = -1;
        for (unsigned i = 0; i < unsigned(kNumTextLabels) && fresh < 0; ++i) {
          Label candidate = Label((i + 26) % kNumTextLabels);
          if (!used.test(candidate))
            fresh = candidate;
        }
        if (fresh < 0)
          return failure();
        used.set(fresh);
        it = rename.try_emplace(l, Label(fresh)).first;
      }
      result.axes.push_back(Axis::label(it->second));
    }
    return result;
  };
  SmallVector<Value> operands;
  for (auto [index, term] : llvm::enumerate(outer.inputs)) {
    if (index != operandIndex) {
      merged.inputs.push_back(term);
      operands.push_back(consumer.getInputs()[index]);
      continue;
    }
    for (auto [innerTerm, innerOperand] :
         llvm::zip(inner.inputs, producer.getInputs())) {
      FailureOr<Term> term = renamed(innerTerm);
      if (failed(term))
        return failure();
      merged.inputs.push_back(std::move(*term));
      operands.push_back(innerOperand);
    }
  }
  merged.output = outer.output;
  if (llvm::Error error = verifySpec(merged)) {
    llvm::consumeError(std::move(error));
    return failure();
  }
  auto specAttr = SpecAttr::get(rewriter.getContext(), std::move(merged));
  FailureOr<RankedTensorType> type =
      ContractOp::inferResultType(specAttr, ValueRange(operands).getTypes());
  if (failed(type))
    return failure();

  rewriter.setInsertionPoint(consumer);
  auto mergedOp =
      ContractOp::create(rewriter, consumer.getLoc(), *type, specAttr, operands);
  Value result = mergedOp.getResult();
  if (result.getType() != consumer.getType())
    result = tensor::CastOp::create(rewriter, consumer.getLoc(),
                                    consumer.getType(), result);
  rewriter.replaceOp(consumer, result);
  rewriter.eraseOp(producer);
  return mergedOp;
}

namespace {
struct MergeProducerContraction : OpRewritePattern<ContractOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ContractOp op,
                                PatternRewriter &rewriter) const override {
    for (unsigned i = 0, e = op.getInputs().size(); i < e; ++i)
      if (succeeded(mergeProducerContraction(rewriter, op, i)))
        return success();
    return failure();
  }
};
} // namespace

void mlir::ein::populateMergeContractionPatterns(RewritePatternSet &patterns) {
  patterns.add<MergeProducerContraction>(patterns.getContext());
}
