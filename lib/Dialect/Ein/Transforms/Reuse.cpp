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

namespace {

/// A contraction in canonical form: equal keys mean the same value up to a
/// permutation of the result's axes.
struct Canonical {
  std::string key;
  /// The canonical label number of each output axis (plain specs).
  SmallVector<unsigned> outputLabels;
};

} // namespace

/// The spec with operands in the order `order`, labels renamed by first
/// appearance, the output's labels sorted (plain specs), as text.
static Canonical renamedSpec(const Spec &spec, ArrayRef<unsigned> order) {
  llvm::DenseMap<Label, unsigned> names;
  Canonical result;
  llvm::raw_string_ostream os(result.key);
  auto printAxis = [&](const Axis &axis) {
    os << "[" << int(axis.kind);
    for (Label l : axis.labels)
      os << " " << names.try_emplace(l, names.size()).first->second;
    os << "]";
  };
  for (unsigned k : order) {
    for (const Axis &axis : spec.inputs[k].axes)
      printAxis(axis);
    os << ",";
  }
  os << "->";
  if (spec.hasReshapes()) {
    for (const Axis &axis : spec.output.axes)
      printAxis(axis);
    return result;
  }
  for (const Axis &axis : spec.output.axes)
    result.outputLabels.push_back(
        names.try_emplace(axis.labels[0], names.size()).first->second);
  SmallVector<unsigned> sorted(result.outputLabels);
  llvm::sort(sorted);
  for (unsigned l : sorted)
    os << "[0 " << l << "]";
  return result;
}

/// The canonical form of `op`: the operands sorted, and the smallest renamed
/// spec over the orders that permute equal operands; the key also holds the
/// element type and the operands.
static Canonical canonicalize(ContractOp op) {
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
  Canonical best = renamedSpec(spec, order);
  SmallVector<unsigned> candidate(order);
  // Next permutation within runs of equal operands (bounded).
  for (unsigned tries = 0; tries < 720; ++tries) {
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
    Canonical other = renamedSpec(spec, candidate);
    if (other.key < best.key)
      best = std::move(other);
  }
  std::string prefix;
  llvm::raw_string_ostream os(prefix);
  os << op.getType().getElementType() << "|";
  for (unsigned k : order)
    os << pointer(k) << ",";
  os << "|";
  best.key = prefix + best.key;
  return best;
}

/// For each axis of `later`'s result, the axis of `earlier`'s holding the
/// same label; empty if the shapes disagree.
static SmallVector<unsigned> matchAxes(ContractOp earlier,
                                       const Canonical &e, ContractOp later,
                                       const Canonical &l) {
  SmallVector<unsigned> perm;
  SmallVector<bool> taken(e.outputLabels.size(), false);
  for (auto [p, label] : llvm::enumerate(l.outputLabels)) {
    unsigned q = 0;
    while (q < taken.size() && (taken[q] || e.outputLabels[q] != label))
      ++q;
    if (q == taken.size())
      return {};
    taken[q] = true;
    if (earlier.getType().getDimSize(q) != later.getType().getDimSize(p))
      return {};
    perm.push_back(q);
  }
  return perm;
}

/// Replaces `later` by `earlier`, whose axis perm[p] is `later`'s axis p:
/// contraction users read `earlier` with their term permuted, others a
/// transpose of it.
static void replaceTransposed(RewriterBase &rewriter, ContractOp later,
                              ContractOp earlier, ArrayRef<unsigned> perm) {
  Value result = later.getResult();
  for (OpOperand &use : llvm::make_early_inc_range(result.getUses())) {
    auto user = dyn_cast<ContractOp>(use.getOwner());
    if (!user)
      continue;
    Spec spec = user.getSpec().getValue();
    Term &term = spec.inputs[use.getOperandNumber()];
    if (spec.hasReshapes() || term.axes.size() != perm.size())
      continue;
    Term permuted = term;
    for (auto [p, q] : llvm::enumerate(perm))
      permuted.axes[q] = term.axes[p];
    term = permuted;
    rewriter.modifyOpInPlace(user, [&] {
      user.setSpecAttr(SpecAttr::get(user.getContext(), spec));
      use.set(earlier.getResult());
    });
  }
  if (result.use_empty()) {
    rewriter.eraseOp(later);
    return;
  }
  Spec transpose;
  Term in, out;
  for (unsigned q = 0; q < perm.size(); ++q)
    in.axes.push_back(Axis::label(Label(q)));
  for (unsigned q : perm)
    out.axes.push_back(Axis::label(Label(q)));
  transpose.inputs.push_back(in);
  transpose.output = out;
  rewriter.setInsertionPoint(later);
  Value transposed = ContractOp::create(
      rewriter, later.getLoc(), later.getType(),
      SpecAttr::get(later.getContext(), transpose),
      ValueRange{earlier.getResult()});
  rewriter.replaceOp(later, transposed);
}

bool mlir::ein::mergeEqualContractions(Operation *root,
                                       DominanceInfo &dominance,
                                       RewriterBase &rewriter) {
  struct Seen {
    ContractOp op;
    Canonical form;
  };
  llvm::StringMap<SmallVector<Seen, 1>> seen;
  struct Replacement {
    ContractOp later, earlier;
    SmallVector<unsigned> perm;
  };
  SmallVector<Replacement> replacements;
  root->walk<WalkOrder::PreOrder>([&](ContractOp op) {
    Canonical form = canonicalize(op);
    SmallVector<Seen, 1> &equal = seen[form.key];
    for (Seen &earlier : equal) {
      if (!dominance.properlyDominates(earlier.op.getOperation(), op))
        continue;
      if (earlier.op.getType() == op.getType() &&
          earlier.form.outputLabels == form.outputLabels) {
        replacements.push_back({op, earlier.op, {}});
        return;
      }
      SmallVector<unsigned> perm =
          matchAxes(earlier.op, earlier.form, op, form);
      if (!perm.empty()) {
        replacements.push_back({op, earlier.op, std::move(perm)});
        return;
      }
    }
    equal.push_back({op, std::move(form)});
  });
  for (Replacement &r : replacements) {
    if (r.perm.empty())
      rewriter.replaceOp(r.later, r.earlier.getResult());
    else
      replaceTransposed(rewriter, r.later, r.earlier, r.perm);
  }
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
          << int64_t(maxStoredBytes) << " and " << int64_t(dynamicSize);
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
            << " bytes for its derivatives (max-stored-bytes="
            << int64_t(maxStoredBytes)
            << "): what is left cannot be recomputed";
    }
  }
};

} // namespace
