//===- GradientFlow.cpp - Values that gradients flow back through ---------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/Transforms/Transforms.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace mlir::ein;

GradientFlow::GradientFlow(Operation *root) {
  SymbolTableCollection symbols;
  // (function, argument) pairs still to propagate.
  SmallVector<std::pair<func::FuncOp, unsigned>> worklist;
  auto activate = [&](func::FuncOp fn, unsigned arg) {
    if (!fn || fn.isExternal() || arg >= fn.getNumArguments())
      return;
    if (active.insert(fn.getArgument(arg)).second)
      worklist.push_back({fn, arg});
  };
  root->walk([&](GradOp op) {
    activate(symbols.lookupNearestSymbolFrom<func::FuncOp>(
                 op, op.getCalleeAttr()),
             op.getWrt());
  });
  while (!worklist.empty()) {
    func::FuncOp fn = worklist.pop_back_val().first;
    // Forward dataflow over the body (in order; regions see captures).
    fn.walk<WalkOrder::PreOrder>([&](Operation *op) {
      bool any = llvm::any_of(op->getOperands(),
                              [&](Value v) { return active.contains(v); });
      if (!any)
        return;
      for (Value result : op->getResults())
        active.insert(result);
      if (auto call = dyn_cast<func::CallOp>(op))
        for (auto [k, operand] : llvm::enumerate(call.getOperands()))
          if (active.contains(operand))
            activate(symbols.lookupNearestSymbolFrom<func::FuncOp>(
                         call, call.getCalleeAttr()),
                     k);
    });
  }
}

/// Ops created after the analysis (reshapes, pre-reductions) are followed
/// back this far.
static constexpr unsigned kMaxNewOpDepth = 8;

static bool reaches(const llvm::DenseSet<Value> &active, Value value,
                    unsigned depth) {
  if (active.contains(value))
    return true;
  Operation *def = value.getDefiningOp();
  if (!def || depth == 0)
    return false;
  return llvm::any_of(def->getOperands(), [&](Value operand) {
    return reaches(active, operand, depth - 1);
  });
}

bool GradientFlow::contains(Value value) const {
  return reaches(active, value, kMaxNewOpDepth);
}

SmallVector<bool> GradientFlow::flags(ValueRange values) const {
  SmallVector<bool> flags;
  for (Value v : values)
    flags.push_back(contains(v));
  if (!llvm::is_contained(flags, true))
    flags.clear();
  return flags;
}
