//===- Split.cpp - Contractions along an optimised path -------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/Transforms/Passes.h"
#include "ein/Dialect/Ein/Transforms/Transforms.h"

namespace mlir::ein {
#define GEN_PASS_DEF_EINSPLIT
#include "ein/Dialect/Ein/Transforms/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;
using namespace mlir::ein;

FailureOr<Value> mlir::ein::splitContraction(RewriterBase &rewriter,
                                             ContractOp op,
                                             const path::PathInfo &plan) {
  const Spec &spec = op.getSpec().getValue();
  if (spec.hasReshapes() || plan.steps.size() < 2)
    return failure();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);

  SmallVector<TermOperand> operands;
  for (auto [value, term] : llvm::zip(op.getInputs(), spec.inputs))
    operands.push_back({value, term});
  for (auto [k, step] : llvm::enumerate(plan.steps)) {
    bool last = k + 1 == plan.steps.size();
    SmallVector<TermOperand> inputs;
    for (unsigned pos : step.operands) {
      if (pos >= operands.size())
        return failure();
      inputs.push_back(operands[pos]);
    }
    Term output = spec.output;
    if (!last) {
      output = Term();
      for (path::LabelId l : step.result)
        output.axes.push_back(Axis::label(l));
    }
    FailureOr<TermOperand> result =
        createContraction(rewriter, op.getLoc(), inputs, std::move(output),
                          last ? op.getType() : Type());
    if (failed(result))
      return failure();
    for (unsigned pos : llvm::reverse(step.operands))
      operands.erase(operands.begin() + pos);
    operands.push_back(*result);
  }
  return operands.front().value;
}

/// Every input has the same labels, none repeated (`i,i,i->`,
/// `ij,ij,ij->ij`, `bi,bi,bi->b`): every path multiplies as often as the
/// single loop nest, which needs no intermediates and runs as one vector
/// pass (i,i,i-> with 2^20 elements: 0.235 ms split, 0.111 ms whole).
static bool sameLabelsInEveryInput(const Spec &spec) {
  SmallVector<Label> first;
  for (auto [k, input] : llvm::enumerate(spec.inputs)) {
    SmallVector<Label> labels = input.allLabels();
    llvm::sort(labels);
    if (std::adjacent_find(labels.begin(), labels.end()) != labels.end())
      return false;
    if (k == 0)
      first = labels;
    else if (labels != first)
      return false;
  }
  return true;
}

namespace {

struct EinSplitPass : ein::impl::EinSplitBase<EinSplitPass> {
  using EinSplitBase::EinSplitBase;

  void runOnOperation() override {
    std::string error;
    FailureOr<PathPlanOptions> options = PathPlanOptions::parse(
        algorithm, objective, memoryLimit, dynamicSize, error);
    if (failed(options)) {
      getOperation()->emitError("ein-split: ") << error;
      return signalPassFailure();
    }
    SmallVector<ContractOp> ops;
    getOperation()->walk([&](ContractOp op) { ops.push_back(op); });
    GradientFlow flow(getOperation());
    IRRewriter rewriter(&getContext());
    for (ContractOp op : ops) {
      if (op.getSpec().getValue().hasReshapes() ||
          op.getInputs().size() < 2 ||
          sameLabelsInEveryInput(op.getSpec().getValue()) ||
          options->path.algorithm == path::Algorithm::None)
        continue;
      FailureOr<path::PathInfo> plan =
          planContraction(op, *options, flow.flags(op.getInputs()));
      if (failed(plan))
        continue;
      if (emitRemarks)
        op.emitRemark() << describePlan(*plan);
      FailureOr<Value> result = splitContraction(rewriter, op, *plan);
      if (succeeded(result))
        rewriter.replaceOp(op, *result);
    }
  }
};

} // namespace
