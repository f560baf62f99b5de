//===- Checkpoint.cpp - Recomputing instead of storing --------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/Transforms/Cost.h"
#include "ein/Dialect/Ein/Transforms/Reuse.h"
#include "ein/Dialect/Ein/Utils/DerivativeMarks.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::ein;

/// A use that keeps a forward value alive for derivative code.
static bool isStoringUse(OpOperand &use) {
  Operation *user = use.getOwner();
  return isDerivative(user) && !isa<tensor::DimOp>(user);
}

SmallVector<Value> mlir::ein::storedValues(func::FuncOp fn) {
  SmallVector<Value> result;
  if (fn.isExternal())
    return result;
  for (Operation &op : fn.getBody().front()) {
    if (isDerivative(&op) || op.hasTrait<OpTrait::ConstantLike>())
      continue;
    for (Value v : op.getResults())
      if (llvm::any_of(v.getUses(), isStoringUse))
        result.push_back(v);
  }
  return result;
}

namespace {

/// What recomputing one stored value takes.
struct Recomputation {
  Value value;
  /// The ops to clone, in program order.
  SmallVector<Operation *> ops;
  double flops = 0;
};

} // namespace

/// The ops that recompute `value` from arguments, constants and the values
/// in `stored` (other than `value`); fails if one has side effects or is not
/// at the top level of the function.
static FailureOr<Recomputation>
planRecomputation(Value value, const llvm::DenseSet<Value> &stored,
                  Block &body, const PathPlanOptions &options) {
  Recomputation r;
  r.value = value;
  llvm::SetVector<Operation *> cone;
  SmallVector<Operation *> stack{value.getDefiningOp()};
  while (!stack.empty()) {
    Operation *op = stack.pop_back_val();
    if (!cone.insert(op))
      continue;
    if (op->getBlock() != &body || !isMemoryEffectFree(op))
      return failure();
    auto visit = [&](Value operand) {
      Operation *def = operand.getDefiningOp();
      if (!def || def->hasTrait<OpTrait::ConstantLike>() ||
          (operand != value && stored.contains(operand)))
        return;
      stack.push_back(def);
    };
    for (Value operand : op->getOperands())
      visit(operand);
    // Values captured by regions.
    op->walk([&](Operation *nested) {
      if (nested == op)
        return;
      for (Value operand : nested->getOperands())
        if (operand.getParentRegion()->isAncestor(op->getParentRegion()) &&
            !op->isAncestor(operand.getParentBlock()->getParentOp()))
          visit(operand);
    });
  }
  r.ops.assign(cone.begin(), cone.end());
  llvm::sort(r.ops, [](Operation *a, Operation *b) {
    return a->isBeforeInBlock(b);
  });
  for (Operation *op : r.ops)
    if (auto contract = dyn_cast<ContractOp>(op)) {
      FailureOr<path::PathInfo> plan = planContraction(contract, options);
      r.flops += succeeded(plan) ? plan->flops : 0;
    }
  return r;
}

CheckpointResult mlir::ein::checkpoint(func::FuncOp fn, double maxBytes,
                                       double dynamicSize) {
  CheckpointResult result;
  PathPlanOptions options;
  options.dynamicSize = dynamicSize;
  Block &body = fn.getBody().front();
  while (true) {
    SmallVector<Value> values = storedValues(fn);
    double total = 0;
    for (Value v : values)
      total += byteSize(v.getType(), dynamicSize);
    result.storedBytes = total;
    if (total <= maxBytes)
      return result;
    llvm::DenseSet<Value> stored(values.begin(), values.end());
    std::optional<Recomputation> best;
    double bestScore = -1;
    for (Value v : values) {
      FailureOr<Recomputation> r =
          planRecomputation(v, stored, body, options);
      if (failed(r))
        continue;
      double score = byteSize(v.getType(), dynamicSize) / (1 + r->flops);
      if (score > bestScore) {
        bestScore = score;
        best = std::move(*r);
      }
    }
    if (!best)
      return result;

    // Clone before the first derivative op that reads the value.
    Operation *first = nullptr;
    for (OpOperand &use : best->value.getUses()) {
      if (!isStoringUse(use))
        continue;
      Operation *user = body.findAncestorOpInBlock(*use.getOwner());
      if (user && (!first || user->isBeforeInBlock(first)))
        first = user;
    }
    OpBuilder builder(first);
    IRMapping mapping;
    for (Operation *op : best->ops) {
      Operation *clone = builder.clone(*op, mapping);
      clone->setAttr(kRecomputeAttrName, builder.getUnitAttr());
      markDerivative(clone);
    }
    Value copy = mapping.lookup(best->value);
    best->value.replaceUsesWithIf(copy, [&](OpOperand &use) {
      return isStoringUse(use) && use.getOwner() != copy.getDefiningOp() &&
             !copy.getDefiningOp()->isAncestor(use.getOwner());
    });
    ++result.recomputed;
  }
}
