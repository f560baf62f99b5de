//===- SplitGreedy.cpp - Pairwise contraction order (greedy) --------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Rewrites an n-ary ein.contract (plain labels) into unary pre-reductions
// and a tree of binary contractions chosen greedily, as opt_einsum's greedy
// does: first sum every label that only one operand needs, then repeatedly
// contract the pair whose result is smallest relative to its inputs.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/Transforms/Passes.h"
#include "ein/Dialect/Ein/Transforms/Transforms.h"
#include "ein/Dialect/Ein/Utils/LabelSizes.h"

#include "llvm/ADT/SetVector.h"

namespace mlir::ein {
#define GEN_PASS_DEF_EINSPLIT
#include "ein/Dialect/Ein/Transforms/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;
using namespace mlir::ein;

namespace {

struct Operand {
  Value value;
  Term term;
};

/// Labels of `term`, once each, in order.
llvm::SmallVector<Label> uniqueLabels(const Term &term) {
  llvm::SetVector<Label> set;
  for (Label l : term.allLabels())
    set.insert(l);
  return llvm::SmallVector<Label>(set.begin(), set.end());
}

} // namespace

/// Builds `ein.contract` of `inputs` keeping `keep` (in order).
static FailureOr<Operand> contractTo(RewriterBase &rewriter, Location loc,
                                     ArrayRef<Operand> inputs,
                                     ArrayRef<Label> keep) {
  Spec spec;
  SmallVector<Value> values;
  for (const Operand &o : inputs) {
    spec.inputs.push_back(o.term);
    values.push_back(o.value);
  }
  for (Label l : keep)
    spec.output.axes.push_back(Axis::label(l));
  auto attr = SpecAttr::get(rewriter.getContext(), spec);
  std::string error;
  FailureOr<RankedTensorType> type =
      ContractOp::inferResultType(attr, TypeRange(ValueRange(values)), &error);
  if (failed(type))
    return failure();
  auto op = ContractOp::create(rewriter, loc, *type, attr, values);
  return Operand{op.getResult(), spec.output};
}

static double sizeOf(ArrayRef<Label> labels, const LabelSizes &sizes) {
  double size = 1;
  for (Label l : labels) {
    int64_t s = sizes.getStaticSize(l);
    size *= ShapedType::isDynamic(s) ? 64.0 : double(std::max<int64_t>(s, 1));
  }
  return size;
}

FailureOr<Value> mlir::ein::splitGreedy(RewriterBase &rewriter, ContractOp op) {
  const Spec &spec = op.getSpec().getValue();
  if (spec.hasReshapes() || spec.inputs.size() < 3)
    return failure();
  FailureOr<LabelSizes> sizes = LabelSizes::get(op);
  if (failed(sizes))
    return failure();
  Location loc = op.getLoc();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);

  SmallVector<Operand> operands;
  for (auto [value, term] : llvm::zip(op.getInputs(), spec.inputs))
    operands.push_back({value, term});
  llvm::SmallVector<Label> outputLabels = uniqueLabels(spec.output);

  // Labels that something other than operand `skip` needs.
  auto neededElsewhere = [&](ArrayRef<size_t> skip) {
    llvm::SmallSetVector<Label, 16> needed(outputLabels.begin(),
                                           outputLabels.end());
    for (size_t k = 0; k < operands.size(); ++k)
      if (!llvm::is_contained(skip, k))
        for (Label l : operands[k].term.allLabels())
          needed.insert(l);
    return needed;
  };

  // 1. Pre-reduce: sum labels only one operand has, take diagonals.
  for (size_t k = 0; k < operands.size(); ++k) {
    auto needed = neededElsewhere({k});
    llvm::SmallVector<Label> keep;
    for (Label l : uniqueLabels(operands[k].term))
      if (needed.contains(l))
        keep.push_back(l);
    if (keep.size() == operands[k].term.axes.size())
      continue;
    FailureOr<Operand> reduced = contractTo(rewriter, loc, {operands[k]}, keep);
    if (failed(reduced))
      return failure();
    operands[k] = *reduced;
  }

  // 2. Greedy pairs until two operands remain.
  while (operands.size() > 2) {
    double bestCost = 0;
    std::pair<size_t, size_t> best = {0, 1};
    llvm::SmallVector<Label> bestKeep;
    bool found = false;
    for (size_t a = 0; a < operands.size(); ++a) {
      for (size_t b = a + 1; b < operands.size(); ++b) {
        auto needed = neededElsewhere({a, b});
        llvm::SmallSetVector<Label, 16> both;
        for (Label l : uniqueLabels(operands[a].term))
          both.insert(l);
        for (Label l : uniqueLabels(operands[b].term))
          both.insert(l);
        llvm::SmallVector<Label> keep;
        for (Label l : both)
          if (needed.contains(l))
            keep.push_back(l);
        bool shares = false;
        for (Label l : uniqueLabels(operands[a].term))
          shares |= llvm::is_contained(operands[b].term.allLabels(), l);
        double cost = sizeOf(keep, *sizes) -
                      sizeOf(uniqueLabels(operands[a].term), *sizes) -
                      sizeOf(uniqueLabels(operands[b].term), *sizes);
        // Outer products only when nothing else is left.
        if (!shares)
          cost += 1e300;
        if (!found || cost < bestCost) {
          found = true;
          bestCost = cost;
          best = {a, b};
          bestKeep = keep;
        }
      }
    }
    FailureOr<Operand> pair = contractTo(
        rewriter, loc, {operands[best.first], operands[best.second]}, bestKeep);
    if (failed(pair))
      return failure();
    operands.erase(operands.begin() + best.second);
    operands[best.first] = *pair;
  }

  // 3. The last contraction produces the real output.
  Spec last;
  SmallVector<Value> values;
  for (const Operand &o : operands) {
    last.inputs.push_back(o.term);
    values.push_back(o.value);
  }
  last.output = spec.output;
  auto result =
      ContractOp::create(rewriter, loc, op.getType(),
                         SpecAttr::get(op.getContext(), last), values);
  return result.getResult();
}

namespace {

struct EinSplitPass : ein::impl::EinSplitBase<EinSplitPass> {
  void runOnOperation() override {
    SmallVector<ContractOp> ops;
    getOperation()->walk([&](ContractOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (ContractOp op : ops) {
      if (op.getSpec().getValue().hasReshapes())
        continue;
      FailureOr<Value> result = splitGreedy(rewriter, op);
      if (succeeded(result))
        rewriter.replaceOp(op, *result);
    }
  }
};

} // namespace
