//===- Reuse.cpp - The ein-reuse pass -------------------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/Transforms/Passes.h"
#include "ein/Dialect/Ein/Transforms/Reuse.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/CSE.h"

#include "llvm/ADT/StringMap.h"

namespace mlir::ein {
#define GEN_PASS_DEF_EINREUSE
#include "ein/Dialect/Ein/Transforms/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;
using namespace mlir::ein;

//===----------------------------------------------------------------------===//
// Inlining
//===----------------------------------------------------------------------===//

/// Functions that can reach themselves through calls.
static llvm::DenseSet<Operation *> recursiveFunctions(ModuleOp module,
                                                      SymbolTableCollection &symbols) {
  llvm::DenseMap<Operation *, SmallVector<Operation *>> callees;
  for (auto fn : module.getOps<func::FuncOp>())
    fn.walk([&](func::CallOp call) {
      if (auto callee = symbols.lookupNearestSymbolFrom<func::FuncOp>(
              call, call.getCalleeAttr()))
        callees[fn].push_back(callee);
    });
  llvm::DenseSet<Operation *> result;
  for (auto fn : module.getOps<func::FuncOp>()) {
    // Depth-first search for a path back to fn.
    SmallVector<Operation *> stack(callees[fn]);
    llvm::DenseSet<Operation *> seen;
    while (!stack.empty()) {
      Operation *f = stack.pop_back_val();
      if (f == fn.getOperation()) {
        result.insert(fn);
        break;
      }
      if (seen.insert(f).second)
        llvm::append_range(stack, callees[f]);
    }
  }
  return result;
}

bool mlir::ein::inlineCalls(ModuleOp module) {
  SymbolTableCollection symbols;
  llvm::DenseSet<Operation *> recursive = recursiveFunctions(module, symbols);
  bool changed = false;
  SmallVector<func::CallOp> worklist;
  module.walk([&](func::CallOp call) { worklist.push_back(call); });
  while (!worklist.empty()) {
    func::CallOp call = worklist.pop_back_val();
    auto callee = symbols.lookupNearestSymbolFrom<func::FuncOp>(
        call, call.getCalleeAttr());
    if (!callee || callee.isExternal() || recursive.contains(callee) ||
        !callee.getBody().hasOneBlock())
      continue;
    IRMapping mapping;
    Block &body = callee.getBody().front();
    mapping.map(body.getArguments(), call.getOperands());
    OpBuilder builder(call);
    for (Operation &op : body.without_terminator()) {
      Operation *clone = builder.clone(op, mapping);
      clone->walk([&](func::CallOp nested) { worklist.push_back(nested); });
    }
    SmallVector<Value> results;
    for (Value v : body.getTerminator()->getOperands())
      results.push_back(mapping.lookupOrDefault(v));
    call.replaceAllUsesWith(results);
    call.erase();
    changed = true;
  }
  return changed;
}

//===----------------------------------------------------------------------===//
// Merging equal contractions
//===----------------------------------------------------------------------===//

/// The spec with operands in the order `order`, labels renamed by first
/// appearance, as text (any number of labels).
static std::string renamedSpec(const Spec &spec, ArrayRef<unsigned> order) {
  llvm::DenseMap<Label, unsigned> names;
  std::string text;
  llvm::raw_string_ostream os(text);
  auto printTerm = [&](const Term &term) {
    for (const Axis &axis : term.axes) {
      os << "[" << int(axis.kind);
      for (Label l : axis.labels)
        os << " " << names.try_emplace(l, names.size()).first->second;
      os << "]";
    }
  };
  for (unsigned k : order) {
    printTerm(spec.inputs[k]);
    os << ",";
  }
  os << "->";
  printTerm(spec.output);
  return text;
}

/// A key equal for two contractions exactly when they compute the same
/// value up to operand order and label renaming: the result type, the
/// operands sorted, and the smallest renamed spec over the orders that
/// permute equal operands.
static std::string contractionKey(ContractOp op) {
  const Spec &spec = op.getSpec().getValue();
  unsigned n = op.getInputs().size();
  SmallVector<unsigned> order(n);
  for (unsigned k = 0; k < n; ++k)
    order[k] = k;
  auto pointer = [&](unsigned k) {
    return op.getInputs()[k].getAsOpaquePointer();
  };
  llvm::sort(order, [&](unsigned a, unsigned b) {
    return std::less<const void *>()(pointer(a), pointer(b));
  });
  // Among orders that keep the operand values sorted, take the smallest
  // renamed spec (ties are equal operands; bounded enumeration).
  std::string best = renamedSpec(spec, order);
  SmallVector<unsigned> candidate(order);
  unsigned tries = 0;
  while (tries++ < 720) {
    // Next permutation within runs of equal operands.
    bool advanced = false;
    for (unsigned begin = 0; begin < n && !advanced;) {
      unsigned end = begin + 1;
      while (end < n && pointer(candidate[end]) == pointer(candidate[begin]))
        ++end;
      if (end - begin > 1 &&
          std::next_permutation(candidate.begin() + begin,
                                candidate.begin() + end))
        advanced = true;
      begin = end;
    }
    if (!advanced)
      break;
    best = std::min(best, renamedSpec(spec, candidate));
  }
  std::string key;
  llvm::raw_string_ostream os(key);
  os << op.getType() << "|";
  for (unsigned k : order)
    os << pointer(k) << ",";
  os << "|" << best;
  return key;
}

bool mlir::ein::mergeEqualContractions(Operation *root,
                                       DominanceInfo &dominance,
                                       RewriterBase &rewriter) {
  llvm::StringMap<SmallVector<ContractOp, 1>> seen;
  SmallVector<std::pair<ContractOp, ContractOp>> replacements;
  root->walk<WalkOrder::PreOrder>([&](ContractOp op) {
    SmallVector<ContractOp, 1> &equal = seen[contractionKey(op)];
    for (ContractOp earlier : equal)
      if (dominance.properlyDominates(earlier.getOperation(), op)) {
        replacements.push_back({op, earlier});
        return;
      }
    equal.push_back(op);
  });
  for (auto [op, earlier] : replacements)
    rewriter.replaceOp(op, earlier.getResult());
  return !replacements.empty();
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {

struct ReusePass : ein::impl::EinReuseBase<ReusePass> {
  using EinReuseBase::EinReuseBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (maxStoredBytes < 0 || dynamicSize < 1) {
      module.emitError("ein-reuse: expected max-stored-bytes >= 0 and "
                       "dynamic-size >= 1, found ")
          << maxStoredBytes << " and " << dynamicSize;
      return signalPassFailure();
    }
    if (inlineCalls)
      ein::inlineCalls(module);
    IRRewriter rewriter(&getContext());
    // Merging contractions makes their users equal, and the other way round.
    for (unsigned round = 0; round < 32; ++round) {
      DominanceInfo dominance(module);
      bool merged = mergeEqualContractions(module, dominance, rewriter);
      bool eliminated = false;
      eliminateCommonSubExpressions(rewriter, dominance, module, &eliminated);
      if (!merged && !eliminated)
        break;
    }
    if (maxStoredBytes == 0)
      return;
    for (auto fn : module.getOps<func::FuncOp>()) {
      if (fn.isExternal())
        continue;
      CheckpointResult result =
          checkpoint(fn, double(maxStoredBytes), double(dynamicSize));
      if (result.storedBytes > double(maxStoredBytes))
        fn.emitWarning("ein-reuse: @")
            << fn.getSymName() << " keeps " << int64_t(result.storedBytes)
            << " bytes for its derivatives (max-stored-bytes=" << maxStoredBytes
            << "): what is left cannot be recomputed";
    }
  }
};

} // namespace
