//===- GradExpansion.cpp - Expanding one ein.grad -------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
// `result[out] = sum  O_1[T_1] ... D[Ly, Lx] ... O_n[T_n]`, D = dY/dX.
//
// Reverse mode seeds Y's cotangent with the operands that share labels with
// Ly, contracted to S[B, Ly] where B are the labels still needed afterwards;
// one reverse sweep, batched over B, gives G[B, Lx] = S . D, and the other
// operands are contracted with G. Forward mode is the mirror image (seed
// T[B, Lx], sweep gives H[B, Ly] = D . T). A plain VJP (`i,i%j->j`) or JVP
// (`i%j,j->i`) has no batch labels on its natural side; a full Jacobian is
// batched over Y's labels (reverse) or X's (forward), whichever is smaller.
//
// A label in both Ly and Lx (`b%bj->bj`) reads D's diagonal. When the
// dependence analysis proves Y's slice b depends only on X's slice b, D is
// zero off that diagonal, so the label is left out of the batch (summed on
// the seeded side) and the pass is not batched over it. Otherwise it is
// batched over like any needed label (the dense answer) and a remark says so.
//
//===----------------------------------------------------------------------===//

#include "Differentiator.h"

#include "ein/Dialect/Ein/Autodiff/Autodiff.h"
#include "ein/Dialect/Ein/Utils/DerivativeMarks.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"

using namespace mlir;
using namespace mlir::ein;

namespace {

struct Operand {
  Value value;
  SmallVector<Label> labels;
};

/// Which side is seeded and what is batched.
struct SidePlan {
  bool reverse = true;
  SmallVector<unsigned> seed, rest;
  SmallVector<Label> batch;
  double cost = 1;
};

/// The labels of a term (plain labels only).
SmallVector<Label> labelsOf(ArrayRef<Axis> axes) {
  SmallVector<Label> labels;
  for (const Axis &axis : axes)
    labels.push_back(axis.labels.front());
  return labels;
}

class GradExpander {
public:
  GradExpander(GradOp op, func::FuncOp fn, SymbolTableCollection &symbols,
               const GradOptions &options)
      : op(op), fn(fn), symbols(symbols), options(options) {}

  FailureOr<GradExpansion> run();

private:
  LogicalResult collectOperands();
  SidePlan plan(bool reverse);
  /// A label's size where it is known statically.
  std::optional<int64_t> staticSize(Label label);
  /// A label's size as a value (tensor.dim where dynamic).
  OpFoldResult size(OpBuilder &builder, Label label);
  SmallVector<OpFoldResult> sizes(OpBuilder &builder, ArrayRef<Label> labels);
  FailureOr<Value> build(OpBuilder &builder, const SidePlan &side);

  GradOp op;
  func::FuncOp fn;
  SymbolTableCollection &symbols;
  const GradOptions &options;

  SmallVector<Operand> others;
  SmallVector<Label> ly, lx, out;
  llvm::SmallDenseSet<Label, 4> separable;
  /// Values with labels, for sizes: the operands, X, and (once cloned) Y.
  SmallVector<Operand> sized;
  /// The first op built (stands for X in the cloned body).
  Operation *placeholder = nullptr;
  /// The cloned forward ops.
  SmallVector<Operation *> forwardOps;
};

} // namespace

LogicalResult GradExpander::collectOperands() {
  const Spec &spec = op.getSpec().getValue();
  unsigned d = op.getDerivativeIndex();
  SmallVector<Value> values = op.getTermInputs();
  for (auto [i, term] : llvm::enumerate(spec.inputs)) {
    for (const Axis &axis : term.axes)
      if (!axis.isLabel())
        return op.emitOpError("expected plain labels in '")
               << op.getSpec().str()
               << "' to expand it ('...', groups and '_' are not supported "
                  "in ein.grad specs)";
    if (i == d) {
      ly = labelsOf(ArrayRef(term.axes).take_front(*term.derivativeSplit));
      lx = labelsOf(ArrayRef(term.axes).drop_front(*term.derivativeSplit));
      continue;
    }
    // A rank-0 term left out is 1: nothing to contract.
    if (values[i])
      others.push_back({values[i], labelsOf(term.axes)});
  }
  for (const Axis &axis : spec.output.axes)
    if (!axis.isLabel())
      return op.emitOpError("expected plain labels in the output of '")
             << op.getSpec().str() << "' to expand it";
  out = labelsOf(spec.output.axes);
  sized = others;
  sized.push_back({op.getArgs()[op.getWrt()], lx});
  return success();
}

std::optional<int64_t> GradExpander::staticSize(Label label) {
  bool dynamic = false;
  auto fromType = [&](Type type, ArrayRef<Label> labels)
      -> std::optional<int64_t> {
    auto shape = cast<RankedTensorType>(type).getShape();
    for (auto [axis, l] : llvm::enumerate(labels)) {
      if (l != label)
        continue;
      if (ShapedType::isDynamic(shape[axis]))
        dynamic = true;
      else if (shape[axis] != 1)
        return shape[axis];
    }
    return std::nullopt;
  };
  for (const Operand &o : sized)
    if (auto s = fromType(o.value.getType(), o.labels))
      return s;
  if (auto s = fromType(fn.getFunctionType().getResult(0), ly))
    return s;
  if (auto s = fromType(op.getType(), out))
    return s;
  // Unknown, or 1 everywhere.
  if (dynamic)
    return std::nullopt;
  return 1;
}

OpFoldResult GradExpander::size(OpBuilder &builder, Label label) {
  for (const Operand &o : sized) {
    auto shape = cast<RankedTensorType>(o.value.getType()).getShape();
    for (auto [axis, l] : llvm::enumerate(o.labels))
      if (l == label && !ShapedType::isDynamic(shape[axis]) &&
          shape[axis] != 1)
        return builder.getIndexAttr(shape[axis]);
  }
  for (const Operand &o : sized) {
    auto shape = cast<RankedTensorType>(o.value.getType()).getShape();
    for (auto [axis, l] : llvm::enumerate(o.labels))
      if (l == label && ShapedType::isDynamic(shape[axis]))
        return tensor::DimOp::create(builder, op.getLoc(), o.value,
                                     int64_t(axis))
            .getResult();
  }
  return builder.getIndexAttr(1);
}

SmallVector<OpFoldResult> GradExpander::sizes(OpBuilder &builder,
                                              ArrayRef<Label> labels) {
  SmallVector<OpFoldResult> result;
  for (Label l : labels)
    result.push_back(size(builder, l));
  return result;
}

SidePlan GradExpander::plan(bool reverse) {
  SidePlan p;
  p.reverse = reverse;
  ArrayRef<Label> side = reverse ? ly : lx, other = reverse ? lx : ly;
  llvm::SmallDenseSet<Label, 8> needed(out.begin(), out.end());
  needed.insert(other.begin(), other.end());
  for (auto [k, o] : llvm::enumerate(others)) {
    bool touches = llvm::any_of(
        o.labels, [&](Label l) { return llvm::is_contained(side, l); });
    (touches ? p.seed : p.rest).push_back(k);
    if (!touches)
      needed.insert(o.labels.begin(), o.labels.end());
  }
  SmallVector<Label> candidates;
  for (unsigned k : p.seed)
    llvm::append_range(candidates, others[k].labels);
  llvm::append_range(candidates, side);
  for (Label l : candidates)
    if (needed.contains(l) && !separable.contains(l) &&
        !llvm::is_contained(p.batch, l)) {
      p.batch.push_back(l);
      std::optional<int64_t> s = staticSize(l);
      p.cost *= s ? double(*s) : options.dynamicSize;
    }
  return p;
}

FailureOr<Value> GradExpander::build(OpBuilder &builder,
                                     const SidePlan &side) {
  Location loc = op.getLoc();
  Value x = op.getArgs()[op.getWrt()];
  Type element = op.getType().getElementType();
  // X gets a distinct value, so that only its uses as argument #wrt are
  // differentiated even if the same value is passed twice.
  placeholder = UnrealizedConversionCastOp::create(
      builder, loc, TypeRange{x.getType()}, ValueRange{x});
  Value xp = placeholder->getResult(0);
  SmallVector<Value> args(op.getArgs());
  args[op.getWrt()] = xp;

  Differentiator diff(side.reverse ? Differentiator::Mode::Reverse
                                   : Differentiator::Mode::Forward,
                      symbols);
  diff.markActive(xp);
  ClonedBody body = diff.cloneBody(builder, fn, args);
  forwardOps = body.ops;
  Value y = body.results.front();
  sized.push_back({y, ly});
  diff.setBatchSizes(sizes(builder, side.batch));

  auto withBatch = [&](ArrayRef<Label> labels) {
    SmallVector<Label> result(side.batch);
    llvm::append_range(result, labels);
    return result;
  };
  auto operandsAt = [&](ArrayRef<unsigned> indices) {
    SmallVector<LabeledValue> result;
    for (unsigned k : indices)
      result.push_back({others[k].value, others[k].labels});
    return result;
  };

  SmallVector<LabeledValue> finalInputs = operandsAt(side.rest);
  LogicalResult swept = success();
  if (side.reverse) {
    Value seed = diff.contract(builder, loc, operandsAt(side.seed),
                               withBatch(ly), sizes(builder, withBatch(ly)),
                               element);
    if (diff.isActive(y)) {
      diff.seedCotangent(builder, y, seed);
      swept = diff.reverse(builder, body, fn);
    }
    Value g = succeeded(swept) ? diff.takeCotangent(builder, xp) : Value();
    if (succeeded(swept) && !g)
      g = diff.zeros(builder, loc, xp);
    if (succeeded(swept))
      finalInputs.push_back({g, withBatch(lx)});
  } else {
    Value seed = diff.contract(builder, loc, operandsAt(side.seed),
                               withBatch(lx), sizes(builder, withBatch(lx)),
                               element);
    diff.setTangent(xp, seed);
    swept = diff.forward(builder, body, fn);
    Value h = diff.getTangent(y);
    if (succeeded(swept) && !h)
      h = diff.zeros(builder, loc, y);
    if (succeeded(swept))
      finalInputs.push_back({h, withBatch(ly)});
  }
  if (failed(swept))
    return failure();
  Value result = diff.contract(builder, loc, finalInputs, out,
                               sizes(builder, out), element);
  if (result.getType() != op.getType())
    result = tensor::CastOp::create(builder, loc, op.getType(), result);
  return result;
}

FailureOr<GradExpansion> GradExpander::run() {
  for (Type type : {Type(op.getType()), op.getArgs()[op.getWrt()].getType(),
                    fn.getFunctionType().getResult(0)})
    if (!isa<FloatType>(getElementTypeOrSelf(type)))
      return op.emitOpError("expected real floating-point X, Y and result "
                            "to differentiate, but found ")
             << type << " (complex derivatives are not supported)";
  if (failed(collectOperands()))
    return failure();

  for (Label b : ly) {
    if (!llvm::is_contained(lx, b) || separable.contains(b))
      continue;
    auto yAxis = llvm::find(ly, b) - ly.begin();
    auto xAxis = llvm::find(lx, b) - lx.begin();
    if (llvm::count(ly, b) == 1 && llvm::count(lx, b) == 1 &&
        isBatchSeparable(fn, op.getWrt(), xAxis, yAxis, symbols)) {
      separable.insert(b);
      continue;
    }
    op.emitRemark("cannot prove that Y = @")
        << fn.getSymName() << "(...) at label '" << labelToChar(b)
        << "' depends only on the same '" << labelToChar(b)
        << "' slice of X; computing the dense derivative and taking its "
           "diagonal";
  }

  SidePlan reverse = plan(true), forward = plan(false);
  const SidePlan &side = forward.cost < reverse.cost ? forward : reverse;

  OpBuilder builder(op);
  FailureOr<Value> result = build(builder, side);
  if (failed(result)) {
    // Leave the IR as it was: erase what was built, last first.
    SmallVector<Operation *> created;
    for (Operation *it = placeholder; it != op.getOperation();
         it = it->getNextNode())
      created.push_back(it);
    for (Operation *c : llvm::reverse(created)) {
      c->dropAllUses();
      c->erase();
    }
    return failure();
  }
  // Everything built but the cloned forward is derivative code.
  llvm::SmallPtrSet<Operation *, 32> cloned(forwardOps.begin(),
                                             forwardOps.end());
  for (Operation *it = placeholder->getNextNode(); it != op.getOperation();
       it = it->getNextNode())
    if (!cloned.contains(it))
      markDerivative(it);
  op.getResult().replaceAllUsesWith(*result);
  placeholder->getResult(0).replaceAllUsesWith(placeholder->getOperand(0));
  placeholder->erase();
  op.erase();
  return GradExpansion{side.reverse, side.batch};
}

FailureOr<GradExpansion> mlir::ein::expandGrad(GradOp op,
                                               SymbolTableCollection &symbols,
                                               const GradOptions &options) {
  auto fn = symbols.lookupNearestSymbolFrom<func::FuncOp>(op, op.getCalleeAttr());
  if (!fn || fn.isExternal())
    return op.emitOpError("expected @")
           << op.getCallee() << " to be a func.func with a body";
  return GradExpander(op, fn, symbols, options).run();
}
