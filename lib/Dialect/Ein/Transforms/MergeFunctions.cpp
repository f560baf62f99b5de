//===- MergeFunctions.cpp - The ein-merge-functions pass ------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::ein {
#define GEN_PASS_DEF_EINMERGEFUNCTIONS
#include "ein/Dialect/Ein/Transforms/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;
using namespace mlir::ein;

/// Same signature, attributes (but the name and visibility) and body.
static bool identical(func::FuncOp a, func::FuncOp b) {
  if (a.getFunctionType() != b.getFunctionType() ||
      a.getArgAttrsAttr() != b.getArgAttrsAttr() ||
      a.getResAttrsAttr() != b.getResAttrsAttr() ||
      a->getDiscardableAttrDictionary() != b->getDiscardableAttrDictionary())
    return false;
  return OperationEquivalence::isRegionEquivalentTo(
      &a.getBody(), &b.getBody(), OperationEquivalence::IgnoreLocations);
}

namespace {

struct MergeFunctionsPass
    : public ein::impl::EinMergeFunctionsBase<MergeFunctionsPass> {
  using EinMergeFunctionsBase::EinMergeFunctionsBase;

  /// One round: merges the private copies of each function into it; true
  /// if any was (their callers may now be identical too).
  bool mergeOnce(ModuleOp module) {
    SmallVector<func::FuncOp> kept;
    SmallVector<std::pair<func::FuncOp, func::FuncOp>> merges;
    for (auto fn : module.getOps<func::FuncOp>()) {
      if (fn.isExternal())
        continue;
      func::FuncOp *same = fn.isPrivate()
                               ? llvm::find_if(kept,
                                               [&](func::FuncOp other) {
                                                 return identical(other, fn);
                                               })
                               : kept.end();
      if (same != kept.end())
        merges.push_back({fn, *same});
      else
        kept.push_back(fn);
    }
    for (auto [copy, into] : merges) {
      if (failed(SymbolTable::replaceAllSymbolUses(
              copy, into.getSymNameAttr(), module)))
        continue;
      copy.erase();
    }
    return !merges.empty();
  }

  void runOnOperation() override {
    while (mergeOnce(getOperation())) {
    }
  }
};

} // namespace
