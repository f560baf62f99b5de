//===- Differentiate.cpp - The ein-differentiate pass ---------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/Autodiff/Autodiff.h"
#include "ein/Dialect/Ein/Transforms/Passes.h"
#include "ein/Dialect/Ein/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::ein {
#define GEN_PASS_DEF_EINDIFFERENTIATE
#include "ein/Dialect/Ein/Transforms/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;
using namespace mlir::ein;

namespace {

/// Whether a function (or one it calls) still contains an ein.grad. A call
/// cycle alone adds nothing (the differentiator rejects recursion).
class GradFinder {
public:
  explicit GradFinder(SymbolTableCollection &symbols) : symbols(symbols) {}

  bool contains(func::FuncOp fn) {
    auto [it, inserted] = memo.try_emplace(fn, false);
    if (!inserted)
      return it->second;
    bool found = false;
    fn.walk([&](Operation *op) {
      if (isa<GradOp>(op)) {
        found = true;
        return WalkResult::interrupt();
      }
      if (auto call = dyn_cast<func::CallOp>(op))
        if (auto callee = symbols.lookupNearestSymbolFrom<func::FuncOp>(
                call, call.getCalleeAttr());
            callee && contains(callee)) {
          found = true;
          return WalkResult::interrupt();
        }
      return WalkResult::advance();
    });
    memo[fn] = found;
    return found;
  }

private:
  SymbolTableCollection &symbols;
  llvm::DenseMap<Operation *, bool> memo;
};

struct DifferentiatePass
    : public ein::impl::EinDifferentiateBase<DifferentiatePass> {
  using EinDifferentiateBase::EinDifferentiateBase;

  /// Derivative rules need plain labels.
  LogicalResult expandAllGroups() {
    SmallVector<ContractOp> ops;
    getOperation()->walk([&](ContractOp op) {
      if (op.getSpec().getValue().hasReshapes())
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (ContractOp op : ops) {
      std::string spec = op.getSpec().str();
      if (failed(expandGroups(rewriter, op)))
        return op.emitError("cannot expand '")
               << spec << "' into plain labels to differentiate it";
    }
    return success();
  }

  void runOnOperation() override {
    GradOptions options;
    options.dynamicSize = double(dynamicSize);
    while (true) {
      SmallVector<GradOp> grads;
      getOperation()->walk([&](GradOp op) { grads.push_back(op); });
      if (grads.empty())
        return;
      if (failed(expandAllGroups()))
        return signalPassFailure();
      SymbolTableCollection symbols;
      GradFinder finder(symbols);
      SmallVector<GradOp> ready;
      for (GradOp op : grads) {
        auto fn = symbols.lookupNearestSymbolFrom<func::FuncOp>(
            op, op.getCalleeAttr());
        if (fn && !finder.contains(fn))
          ready.push_back(op);
      }
      if (ready.empty()) {
        grads.front().emitOpError("cannot be expanded: @")
            << grads.front().getCallee()
            << " (or a function it calls) depends on its own derivative";
        return signalPassFailure();
      }
      for (GradOp op : ready) {
        Location loc = op.getLoc();
        std::string spec = op.getSpec().str();
        std::string callee = op.getCallee().str();
        FailureOr<GradExpansion> done = expandGrad(op, symbols, options);
        if (failed(done))
          return signalPassFailure();
        if (!emitRemarks)
          continue;
        InFlightDiagnostic remark = emitRemark(loc);
        remark << "ein.grad '" << spec << "' of @" << callee << ": "
               << (done->reverse ? "reverse" : "forward") << " mode";
        if (!done->batchLabels.empty()) {
          remark << ", batched over '";
          for (Label l : done->batchLabels)
            remark << labelToChar(l);
          remark << "'";
        }
      }
    }
  }
};

} // namespace
