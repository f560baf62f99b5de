//===- Simplify.cpp - Canonical pre-steps of contractions -----------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/Transforms/Passes.h"
#include "ein/Dialect/Ein/Transforms/Transforms.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include "llvm/ADT/SetVector.h"

namespace mlir::ein {
#define GEN_PASS_DEF_EINSIMPLIFY
#include "ein/Dialect/Ein/Transforms/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;
using namespace mlir::ein;

namespace {


Term plainTerm(ArrayRef<Label> labels) {
  Term term;
  for (Label l : labels)
    term.axes.push_back(Axis::label(l));
  return term;
}

SmallVector<Label> uniqueLabels(const Term &term) {
  llvm::SetVector<Label> set;
  for (Label l : term.allLabels())
    set.insert(l);
  return SmallVector<Label>(set.begin(), set.end());
}

/// Groups each dropped (unit) dimension with the next kept one (the last
/// kept one for trailing units); no groups when every dimension is dropped.
SmallVector<ReassociationIndices> unitReassociation(ArrayRef<bool> drop) {
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  for (auto [d, dropped] : llvm::enumerate(drop)) {
    pending.push_back(d);
    if (!dropped) {
      groups.push_back(pending);
      pending.clear();
    }
  }
  if (!groups.empty())
    groups.back().append(pending.begin(), pending.end());
  return groups;
}

/// A constant whose elements are all exactly one.
bool isConstantOnes(Value value) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.isSplat())
    return false;
  if (auto floats = dyn_cast<DenseFPElementsAttr>(attr))
    return floats.getSplatValue<APFloat>().isExactlyValue(1.0);
  if (auto ints = dyn_cast<DenseIntElementsAttr>(attr))
    return ints.getSplatValue<APInt>().isOne();
  return false;
}

/// A rank-0 constant equal to one.
bool isScalarOne(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.getRank() == 0 && isConstantOnes(value);
}

/// A Kronecker delta: `ein.contract "a->aa"` of a constant of ones (the
/// identity matrix, as derivatives of diagonals and of identity maps make
/// it).
bool isDelta(Value value) {
  auto op = value.getDefiningOp<ContractOp>();
  if (!op || op.getInputs().size() != 1)
    return false;
  const Spec &spec = op.getSpec().getValue();
  const Term &in = spec.inputs[0], &out = spec.output;
  if (in.axes.size() != 1 || !in.axes[0].isLabel() || out.axes.size() != 2 ||
      out.axes[0] != in.axes[0] || out.axes[1] != in.axes[0])
    return false;
  return isConstantOnes(op.getInputs()[0]);
}

/// Which operands the planner sums first (its leading unary steps).
SmallVector<bool> preReducedOperands(ArrayRef<TermOperand> operands,
                                     const Term &output,
                                     const PathPlanOptions &options,
                                     const GradientFlow *flow) {
  SmallVector<bool> result(operands.size(), false);
  Spec spec;
  SmallVector<Type> types;
  for (const TermOperand &o : operands) {
    spec.inputs.push_back(o.term);
    types.push_back(o.value.getType());
  }
  spec.output = output;
  SmallVector<Value> values;
  for (const TermOperand &o : operands)
    values.push_back(o.value);
  SmallVector<bool> needsGradient;
  if (flow)
    needsGradient = flow->flags(values);
  FailureOr<path::PathInfo> plan =
      planContraction(spec, types, options, needsGradient);
  if (failed(plan))
    return result;
  SmallVector<int> live;
  for (unsigned i = 0; i < operands.size(); ++i)
    live.push_back(i);
  for (const path::Step &step : plan->steps) {
    if (step.operands.size() != 1 || live[step.operands[0]] < 0)
      break;
    result[live[step.operands[0]]] = true;
    live.erase(live.begin() + step.operands[0]);
    live.push_back(-1);
  }
  return result;
}

} // namespace

FailureOr<Value> mlir::ein::simplifyContraction(
    RewriterBase &rewriter, ContractOp op, const PathPlanOptions &options,
    const llvm::DenseMap<Value, unsigned> &valueOrder, bool renameLabels,
    const GradientFlow *flow) {
  const Spec &spec = op.getSpec().getValue();
  if (spec.hasReshapes() || spec.inputs.size() < 2)
    return failure();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  bool changed = false;

  SmallVector<TermOperand> operands;
  for (auto [value, term] : llvm::zip(op.getInputs(), spec.inputs))
    operands.push_back({value, term});

  // 1. Canonical operand order.
  auto rank = [&](Value v) {
    auto it = valueOrder.find(v);
    return it == valueOrder.end() ? ~0u : it->second;
  };
  SmallVector<unsigned> perm = llvm::to_vector(
      llvm::seq<unsigned>(0, operands.size()));
  llvm::sort(perm, [&](unsigned a, unsigned b) {
    return std::make_pair(rank(operands[a].value), a) <
           std::make_pair(rank(operands[b].value), b);
  });
  SmallVector<TermOperand> sorted;
  for (auto [k, i] : llvm::enumerate(perm)) {
    sorted.push_back(operands[i]);
    changed |= k != i;
  }
  operands = std::move(sorted);

  // 2. Size-1 axes. A label of size 1 everywhere leaves the output too.
  llvm::DenseMap<Label, bool> allUnit;
  for (const TermOperand &o : operands) {
    auto shape = cast<RankedTensorType>(o.value.getType()).getShape();
    for (auto [d, axis] : llvm::enumerate(o.term.axes)) {
      auto [it, inserted] = allUnit.try_emplace(axis.labels[0], true);
      it->second &= shape[d] == 1;
    }
  }
  for (TermOperand &o : operands) {
    auto type = cast<RankedTensorType>(o.value.getType());
    SmallVector<bool> drop;
    Term kept;
    for (auto [d, axis] : llvm::enumerate(o.term.axes)) {
      drop.push_back(type.getShape()[d] == 1);
      if (!drop.back())
        kept.axes.push_back(axis);
    }
    if (!llvm::is_contained(drop, true))
      continue;
    SmallVector<int64_t> shape;
    for (auto [d, size] : llvm::enumerate(type.getShape()))
      if (!drop[d])
        shape.push_back(size);
    o.value = tensor::CollapseShapeOp::create(
        rewriter, loc, RankedTensorType::get(shape, type.getElementType()),
        o.value, unitReassociation(drop));
    o.term = kept;
    changed = true;
  }
  Term output;
  SmallVector<bool> outputDrop;
  for (const Axis &axis : spec.output.axes) {
    outputDrop.push_back(allUnit.lookup(axis.labels[0]));
    if (!outputDrop.back())
      output.axes.push_back(axis);
  }

  // 3. Rank-0 factors of exactly one go (x * 1 == x for every float, -0
  // and NaN included), as long as an operand is left; the others first.
  if (llvm::any_of(operands, [](const TermOperand &o) {
        return !isScalarOne(o.value);
      })) {
    size_t before = operands.size();
    llvm::erase_if(operands,
                   [](const TermOperand &o) { return isScalarOne(o.value); });
    changed |= operands.size() != before;
  }
  // 3b. Factors delta(x, y) (x != y) go, y renamed to x everywhere else,
  // as long as another operand has x or y: a sum over y of delta(x, y) *
  // t(y) is t(x), and an output with both keeps x twice (a diagonal). The
  // derivative of a diagonal (`i,ia->ia` with delta(i, a)) becomes the
  // seed's diagonal embedding (`i->ii`) instead of a product with an n x n
  // identity.
  for (unsigned i = 0; i < operands.size() && operands.size() >= 2;) {
    const Term &term = operands[i].term;
    if (!isDelta(operands[i].value) || term.axes.size() != 2 ||
        !term.axes[0].isLabel() || !term.axes[1].isLabel() ||
        term.axes[0] == term.axes[1]) {
      ++i;
      continue;
    }
    Label x = term.axes[0].labels[0], y = term.axes[1].labels[0];
    bool used = false;
    for (unsigned j = 0; j < operands.size(); ++j)
      if (j != i)
        used |= llvm::is_contained(operands[j].term.allLabels(), x) ||
                llvm::is_contained(operands[j].term.allLabels(), y);
    if (!used) {
      ++i;
      continue;
    }
    auto renameY = [&](Term &t) {
      for (Axis &axis : t.axes)
        for (Label &l : axis.labels)
          if (l == y)
            l = x;
    };
    operands.erase(operands.begin() + i);
    for (TermOperand &o : operands)
      renameY(o.term);
    renameY(output);
    changed = true;
  }

  if (operands.size() == 1 && operands[0].value.getType() == op.getType() &&
      !llvm::is_contained(outputDrop, true)) {
    Spec rest;
    rest.inputs.push_back(operands[0].term);
    rest.output = output;
    if (rest.isIdentity())
      return operands[0].value;
  }
  SmallVector<TermOperand> scalars;
  for (const TermOperand &o : operands)
    if (o.term.axes.empty())
      scalars.push_back(o);
  if (scalars.size() >= 2) {
    FailureOr<TermOperand> product = createContraction(rewriter, loc, scalars, Term());
    if (failed(product))
      return failure();
    auto first = llvm::find_if(operands, [](const TermOperand &o) {
      return o.term.axes.empty();
    });
    *first = *product;
    operands.erase(std::remove_if(first + 1, operands.end(),
                                  [](const TermOperand &o) {
                                    return o.term.axes.empty();
                                  }),
                   operands.end());
    changed = true;
  }

  // 4. Pre-reductions the planner finds cheaper; diagonals.
  if (operands.size() >= 2) {
    SmallVector<bool> reduce =
        preReducedOperands(operands, output, options, flow);
    for (unsigned i = 0; i < operands.size(); ++i) {
      llvm::SmallDenseSet<Label> needed;
      for (Label l : output.allLabels())
        needed.insert(l);
      for (unsigned j = 0; j < operands.size(); ++j)
        if (j != i)
          for (Label l : operands[j].term.allLabels())
            needed.insert(l);
      SmallVector<Label> keep;
      for (Label l : uniqueLabels(operands[i].term))
        if (!reduce[i] || needed.contains(l))
          keep.push_back(l);
      if (keep.size() == operands[i].term.axes.size())
        continue;
      FailureOr<TermOperand> reduced =
          createContraction(rewriter, loc, {operands[i]}, plainTerm(keep));
      if (failed(reduced))
        return failure();
      operands[i] = *reduced;
      changed = true;
    }
  }

  // 5. Canonical label names: a, b, c, ... in order of first appearance.
  llvm::DenseMap<Label, Label> rename;
  auto nameOf = [&](Label l) {
    auto [it, inserted] = rename.try_emplace(l, 0);
    if (inserted) {
      unsigned k = rename.size() - 1;
      it->second = k < 26 ? Label(26 + k) : Label(k - 26);
    }
    return it->second;
  };
  auto renameTerm = [&](Term &term) {
    for (Axis &axis : term.axes)
      for (Label &l : axis.labels) {
        Label n = nameOf(l);
        changed |= n != l;
        l = n;
      }
  };
  if (renameLabels) {
    for (TermOperand &o : operands)
      renameTerm(o.term);
    renameTerm(output);
  }

  if (!changed)
    return failure();
  FailureOr<TermOperand> result = createContraction(rewriter, loc, operands, output);
  if (failed(result))
    return failure();
  Value value = result->value;
  auto resultType = cast<RankedTensorType>(value.getType());
  if (llvm::is_contained(outputDrop, true)) {
    SmallVector<int64_t> shape;
    SmallVector<OpFoldResult> sizes;
    unsigned src = 0;
    for (bool dropped : outputDrop) {
      if (dropped) {
        shape.push_back(1);
        sizes.push_back(rewriter.getIndexAttr(1));
        continue;
      }
      int64_t size = resultType.getShape()[src];
      shape.push_back(size);
      if (ShapedType::isDynamic(size))
        sizes.push_back(
            tensor::DimOp::create(rewriter, loc, value, src).getResult());
      else
        sizes.push_back(rewriter.getIndexAttr(size));
      ++src;
    }
    value = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(shape, resultType.getElementType()),
        value, unitReassociation(outputDrop), sizes);
  }
  if (value.getType() != op.getType())
    value = tensor::CastOp::create(rewriter, loc, op.getType(), value);
  return value;
}

namespace {

struct EinSimplifyPass : ein::impl::EinSimplifyBase<EinSimplifyPass> {
  using EinSimplifyBase::EinSimplifyBase;

  void runOnOperation() override {
    std::string error;
    FailureOr<PathPlanOptions> options = PathPlanOptions::parse(
        algorithm, objective, memoryLimit, dynamicSize, error);
    if (failed(options)) {
      getOperation()->emitError("ein-simplify: ") << error;
      return signalPassFailure();
    }
    // Program order: block arguments, then results, in a pre-order walk.
    llvm::DenseMap<Value, unsigned> order;
    getOperation()->walk<WalkOrder::PreOrder>([&](Operation *op) {
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            order.try_emplace(arg, order.size());
      for (Value result : op->getResults())
        order.try_emplace(result, order.size());
    });
    SmallVector<ContractOp> ops;
    getOperation()->walk([&](ContractOp op) { ops.push_back(op); });
    GradientFlow flow(getOperation());
    IRRewriter rewriter(&getContext());
    for (ContractOp op : ops) {
      FailureOr<Value> result = simplifyContraction(rewriter, op, *options,
                                                    order, renameLabels,
                                                    &flow);
      if (succeeded(result))
        rewriter.replaceOp(op, *result);
    }
  }
};

} // namespace
