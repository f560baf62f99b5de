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

/// The static size of `label` in one of `inputs`, or -1.
static int64_t labelSize(ArrayRef<TermOperand> inputs, Label label) {
  for (const TermOperand &o : inputs) {
    auto type = dyn_cast<RankedTensorType>(o.value.getType());
    if (!type || int64_t(o.term.axes.size()) != type.getRank())
      continue;
    for (auto [axis, size] : llvm::zip(o.term.axes, type.getShape()))
      if (axis.isLabel() && axis.labels.front() == label)
        return ShapedType::isDynamic(size) ? -1 : size;
  }
  return -1;
}

/// An intermediate of two inputs keeps the plan's label order unless that
/// puts a group of its labels narrower than a vector innermost next to a
/// much wider one (labels of the first input only, of the second only):
/// then the narrow group goes first, so that the GEMM that writes it runs
/// its vectors along the wide one (ba,cb->ac with a = 1024, c = 10: ca,
/// 0.57 -> 0.31 ms, the whole chain ba,cb,dc->ad 0.60 -> 0.36-0.40 ms;
/// chain_unbalanced's forward + VJP 0.76 -> 0.62 ms on one thread).
static void orderIntermediate(Term &output, ArrayRef<TermOperand> inputs) {
  if (inputs.size() != 2 || output.axes.empty())
    return;
  auto in = [&](unsigned k, Label l) {
    return llvm::any_of(inputs[k].term.axes, [&](const Axis &a) {
      return llvm::is_contained(a.labels, l);
    });
  };
  // 0: both inputs (batch), 1: the first only, 2: the second only.
  auto groupOf = [&](Label l) {
    return in(0, l) && in(1, l) ? 0 : in(0, l) ? 1 : 2;
  };
  int64_t sizes[3] = {1, 1, 1};
  for (const Axis &axis : output.axes) {
    if (!axis.isLabel())
      return;
    int64_t size = labelSize(inputs, axis.labels.front());
    if (size < 0)
      return;
    sizes[groupOf(axis.labels.front())] *= size;
  }
  int inner = groupOf(output.axes.back().labels.front());
  if (inner == 0)
    return;
  int64_t narrow = sizes[inner], wide = sizes[3 - inner];
  constexpr int64_t kVector = 16;
  if (narrow >= kVector || wide < 64 || wide < 4 * narrow)
    return;
  Term ordered;
  for (int group : {0, inner, 3 - inner})
    for (const Axis &axis : output.axes)
      if (groupOf(axis.labels.front()) == group)
        ordered.axes.push_back(axis);
  output = std::move(ordered);
}

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
      orderIntermediate(output, inputs);
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
