//===- Differentiator.cpp - The reverse and forward sweeps ----------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "Differentiator.h"

#include "ein/Dialect/Ein/IR/EinOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::ein;

/// Values that can carry a derivative: floating-point tensors and scalars.
static bool isDifferentiableType(Type type) {
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    type = tensor.getElementType();
  return isa<FloatType, ComplexType>(type);
}

ClonedBody Differentiator::cloneBody(OpBuilder &builder, func::FuncOp fn,
                                     ValueRange args) {
  IRMapping mapping;
  Block &entry = fn.getBody().front();
  mapping.map(entry.getArguments(), args);
  ClonedBody body;
  for (Operation &op : entry.without_terminator()) {
    Operation *clone = builder.clone(op, mapping);
    body.ops.push_back(clone);
    bool anyActive = llvm::any_of(clone->getOperands(),
                                  [&](Value v) { return isActive(v); });
    // Values captured by regions count as operands.
    clone->walk([&](Operation *nested) {
      if (nested != clone)
        for (Value v : nested->getOperands())
          anyActive |= isActive(v);
    });
    if (anyActive)
      for (Value result : clone->getResults())
        if (isDifferentiableType(result.getType()))
          markActive(result);
  }
  for (Value result : entry.getTerminator()->getOperands())
    body.results.push_back(mapping.lookupOrDefault(result));
  return body;
}

llvm::DenseSet<Value>
Differentiator::usefulValues(const ClonedBody &body) const {
  llvm::DenseSet<Value> useful(body.results.begin(), body.results.end());
  for (Operation *op : llvm::reverse(body.ops)) {
    if (llvm::none_of(op->getResults(),
                      [&](Value v) { return useful.contains(v); }))
      continue;
    useful.insert(op->getOperands().begin(), op->getOperands().end());
  }
  return useful;
}

LogicalResult Differentiator::applyRule(OpBuilder &builder, Operation *op,
                                        func::FuncOp fn) {
  auto rule = dyn_cast<DifferentiableOpInterface>(op);
  if (!rule)
    return op->emitError("no derivative rule for '")
           << op->getName() << "' in @" << fn.getSymName();
  LogicalResult result = mode == Mode::Reverse
                             ? rule.buildVJP(builder, *this)
                             : rule.buildJVP(builder, *this);
  if (failed(result))
    return op->emitError("cannot differentiate '")
           << op->getName() << "' in @" << fn.getSymName();
  return success();
}

LogicalResult Differentiator::reverse(OpBuilder &builder,
                                      const ClonedBody &body,
                                      func::FuncOp fn) {
  OpBuilder *outer = sweepBuilder;
  sweepBuilder = &builder;
  llvm::DenseSet<Value> useful = usefulValues(body);
  LogicalResult result = success();
  for (Operation *op : llvm::reverse(body.ops)) {
    bool needed = llvm::any_of(op->getResults(), [&](Value v) {
      return isActive(v) && useful.contains(v) && cotangents.count(v);
    });
    if (needed && failed(applyRule(builder, op, fn))) {
      result = failure();
      break;
    }
    for (Value v : op->getResults())
      cotangents.erase(v);
  }
  sweepBuilder = outer;
  return result;
}

LogicalResult Differentiator::forward(OpBuilder &builder,
                                      const ClonedBody &body,
                                      func::FuncOp fn) {
  llvm::DenseSet<Value> useful = usefulValues(body);
  for (Operation *op : body.ops) {
    bool needed = llvm::any_of(op->getResults(), [&](Value v) {
      return isActive(v) && useful.contains(v);
    });
    if (needed && failed(applyRule(builder, op, fn)))
      return failure();
  }
  return success();
}

LogicalResult Differentiator::differentiateCall(OpBuilder &builder,
                                                Operation *op) {
  auto call = dyn_cast<func::CallOp>(op);
  if (!call)
    return op->emitError("expected a func.call to differentiate");
  auto fn = symbols.lookupNearestSymbolFrom<func::FuncOp>(
      call, call.getCalleeAttr());
  if (!fn || fn.isExternal())
    return call.emitError("cannot differentiate the call of @")
           << call.getCallee() << ": no function body to differentiate";
  if (llvm::is_contained(callStack, fn.getOperation()))
    return call.emitError("cannot differentiate the recursive call of @")
           << call.getCallee();
  callStack.push_back(fn);
  ClonedBody body = cloneBody(builder, fn, call.getOperands());
  LogicalResult result = success();
  if (mode == Mode::Reverse) {
    for (auto [callResult, bodyResult] :
         llvm::zip_equal(call.getResults(), body.results))
      if (Value cotangent = getCotangent(callResult))
        addCotangent(bodyResult, cotangent);
    result = reverse(builder, body, fn);
  } else {
    result = forward(builder, body, fn);
    for (auto [callResult, bodyResult] :
         llvm::zip_equal(call.getResults(), body.results))
      setTangent(callResult, getTangent(bodyResult));
  }
  callStack.pop_back();
  return result;
}

Value Differentiator::castToBatched(OpBuilder &builder, Value value,
                                    Value primal) {
  RankedTensorType type = getBatchedType(primal.getType());
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(builder, value.getLoc(), type, value);
}

Value Differentiator::getCotangent(Value result) {
  auto it = cotangents.find(result);
  if (it == cotangents.end() || it->second.empty())
    return {};
  if (it->second.size() > 1) {
    Value total = sum(*sweepBuilder, result.getLoc(), it->second);
    it->second.assign(1, total);
  }
  return it->second.front();
}

void Differentiator::addCotangent(Value operand, Value cotangent) {
  if (!cotangent || !isActive(operand))
    return;
  cotangents[operand].push_back(
      castToBatched(*sweepBuilder, cotangent, operand));
}

void Differentiator::setTangent(Value result, Value tangent) {
  if (!tangent || !isActive(result))
    return;
  OpBuilder builder(result.getContext());
  builder.setInsertionPointAfterValue(tangent);
  tangents[result] = castToBatched(builder, tangent, result);
}

Value Differentiator::scale(OpBuilder &builder, Location loc, Value batched,
                            Value factor) {
  if (getBatchRank() == 0) {
    if (batched.getType() != factor.getType())
      batched = tensor::CastOp::create(builder, loc, factor.getType(), batched);
    return arith::MulFOp::create(builder, loc, batched, factor);
  }
  Label rank = cast<RankedTensorType>(factor.getType()).getRank();
  Label batch = getBatchRank();
  SmallVector<Label> primal, all;
  for (Label l = 0; l < rank + batch; ++l)
    (l < batch ? all : primal).push_back(l);
  llvm::append_range(all, primal);
  SmallVector<OpFoldResult> sizes(batchSizes);
  llvm::append_range(sizes, tensorSizes(builder, loc, factor));
  return buildLabeledContraction(
      builder, loc, {{batched, all}, {factor, primal}}, all, sizes,
      cast<RankedTensorType>(factor.getType()).getElementType());
}

Value Differentiator::sum(OpBuilder &builder, Location loc,
                          ValueRange values) {
  SmallVector<Value> terms;
  for (Value v : values)
    if (v)
      terms.push_back(v);
  if (terms.empty())
    return {};
  if (terms.size() == 1)
    return terms.front();
  Type type = terms.front().getType();
  for (Value &term : terms)
    if (term.getType() != type)
      term = tensor::CastOp::create(builder, loc, type, term);
  return AddOp::create(builder, loc, type, terms);
}

Value Differentiator::splat(OpBuilder &builder, Location loc, Value like,
                            double value) {
  auto type = cast<RankedTensorType>(like.getType());
  return buildFilled(builder, loc, tensorSizes(builder, loc, like),
                     type.getElementType(), value);
}

Value Differentiator::zeros(OpBuilder &builder, Location loc, Value like) {
  SmallVector<OpFoldResult> sizes(batchSizes);
  llvm::append_range(sizes, tensorSizes(builder, loc, like));
  return castToBatched(
      builder,
      buildFilled(builder, loc, sizes,
                  getElementTypeOrSelf(like.getType()), 0.0),
      like);
}
