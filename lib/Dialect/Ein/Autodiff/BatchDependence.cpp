//===- BatchDependence.cpp - Proving batched gradients separable ----------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
// A forward dataflow over a function body. Each value is either independent
// of X, "carried" at one axis (its slice b along that axis depends only on
// X's slice b along the batch axis), or mixed (anything else). Ops that keep
// the axis as a free, unsummed, unreshaped index carry it; everything else
// mixes.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/Autodiff/Autodiff.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace mlir::ein;

namespace {

/// Independent: no entry; carried: the axis; mixed: kMixed.
constexpr int64_t kMixed = -1;
using States = llvm::DenseMap<Value, int64_t>;

struct Analysis {
  SymbolTableCollection &symbols;
  unsigned depth = 0;

  /// The state of `fn`'s results given its arguments' states.
  SmallVector<std::optional<int64_t>>
  run(func::FuncOp fn, ArrayRef<std::optional<int64_t>> args);

  int64_t transfer(Operation *op, const States &states, unsigned result);
};

/// The one axis label of a carried operand in a plain contraction term.
static std::optional<Label> carriedLabel(const Term &term, int64_t axis) {
  if (axis < 0 || size_t(axis) >= term.axes.size() ||
      !term.axes[axis].isLabel())
    return std::nullopt;
  Label label = term.axes[axis].labels.front();
  unsigned count = 0;
  for (const Axis &a : term.axes)
    count += llvm::count(a.labels, label);
  if (count != 1)
    return std::nullopt;
  return label;
}

int64_t Analysis::transfer(Operation *op, const States &states,
                           unsigned resultIndex) {
  SmallVector<std::pair<unsigned, int64_t>> carried;
  for (auto [i, operand] : llvm::enumerate(op->getOperands()))
    if (auto it = states.find(operand); it != states.end()) {
      if (it->second == kMixed)
        return kMixed;
      carried.push_back({unsigned(i), it->second});
    }

  if (auto contract = dyn_cast<ContractOp>(op)) {
    const Spec &spec = contract.getSpec().getValue();
    if (spec.hasReshapes())
      return kMixed;
    std::optional<Label> label;
    for (auto [i, axis] : carried) {
      std::optional<Label> l = carriedLabel(spec.inputs[i], axis);
      if (!l || (label && *label != *l))
        return kMixed;
      label = l;
    }
    std::optional<Label> out;
    for (auto [pos, axis] : llvm::enumerate(spec.output.axes))
      if (axis.isLabel() && axis.labels.front() == *label) {
        if (out)
          return kMixed;
        out = pos;
      }
    return out ? int64_t(*out) : kMixed;
  }
  if (isa<AddOp, tensor::CastOp>(op) ||
      op->hasTrait<OpTrait::Elementwise>()) {
    int64_t axis = carried.front().second;
    for (auto [i, a] : carried)
      if (a != axis)
        return kMixed;
    if (!isa<RankedTensorType>(op->getResult(resultIndex).getType()))
      return kMixed;
    return axis;
  }
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
    for (auto [g, group] :
         llvm::enumerate(collapse.getReassociationIndices()))
      if (llvm::is_contained(group, carried.front().second))
        return group.size() == 1 ? int64_t(g) : kMixed;
    return kMixed;
  }
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
    auto groups = expand.getReassociationIndices();
    int64_t axis = carried.front().second;
    if (size_t(axis) < groups.size() && groups[axis].size() == 1)
      return groups[axis].front();
    return kMixed;
  }
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
    if (carried.size() != 1 || carried.front().first != 0)
      return kMixed;
    int64_t axis = carried.front().second;
    auto source = slice.getSourceType();
    if (source.isDynamicDim(axis) || slice.getStaticOffsets()[axis] != 0 ||
        slice.getStaticSizes()[axis] != source.getDimSize(axis) ||
        slice.getStaticStrides()[axis] != 1)
      return kMixed;
    // Count the dimensions before `axis` that the slice drops.
    llvm::SmallBitVector dropped = slice.getDroppedDims();
    int64_t result = axis;
    for (int64_t i = 0; i < axis; ++i)
      result -= dropped.test(i);
    return result;
  }
  if (auto call = dyn_cast<func::CallOp>(op)) {
    auto fn = symbols.lookupNearestSymbolFrom<func::FuncOp>(
        call, call.getCalleeAttr());
    if (!fn || fn.isExternal() || depth > 32)
      return kMixed;
    SmallVector<std::optional<int64_t>> args(call.getNumOperands());
    for (auto [i, axis] : carried)
      args[i] = axis;
    ++depth;
    auto results = run(fn, args);
    --depth;
    return results[resultIndex].value_or(kMixed);
  }
  return kMixed;
}

SmallVector<std::optional<int64_t>>
Analysis::run(func::FuncOp fn, ArrayRef<std::optional<int64_t>> args) {
  States states;
  Block &entry = fn.getBody().front();
  for (auto [arg, state] : llvm::zip(entry.getArguments(), args))
    if (state)
      states[arg] = *state;
  for (Operation &op : entry.without_terminator()) {
    // Sizes do not depend on values.
    if (isa<tensor::DimOp>(op))
      continue;
    bool dependent = llvm::any_of(op.getOperands(), [&](Value v) {
      return states.count(v);
    });
    // Values used inside regions count too: be conservative.
    op.walk([&](Operation *nested) {
      if (nested != &op)
        for (Value v : nested->getOperands())
          if (states.count(v))
            dependent = true;
    });
    if (!dependent)
      continue;
    bool viaRegion = op.getNumRegions() > 0;
    for (auto [i, result] : llvm::enumerate(op.getResults()))
      states[result] = viaRegion && !isa<func::CallOp>(op)
                           ? kMixed
                           : transfer(&op, states, i);
  }
  SmallVector<std::optional<int64_t>> results;
  for (Value v : entry.getTerminator()->getOperands()) {
    auto it = states.find(v);
    results.push_back(it == states.end() ? std::optional<int64_t>()
                                         : std::optional<int64_t>(it->second));
  }
  return results;
}

} // namespace

bool mlir::ein::isBatchSeparable(func::FuncOp fn, unsigned argument,
                                 unsigned xAxis, unsigned yAxis,
                                 SymbolTableCollection &symbols) {
  if (fn.isExternal() || fn.getNumResults() != 1)
    return false;
  Analysis analysis{symbols};
  SmallVector<std::optional<int64_t>> args(fn.getNumArguments());
  args[argument] = xAxis;
  auto results = analysis.run(fn, args);
  // Y independent of X: its derivative is zero, trivially separable.
  return !results.front() || *results.front() == int64_t(yAxis);
}
