//===- MergeSiblingMaps.cpp - Elementwise siblings as one op --------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Elementwise ops (all-parallel linalg.generic on tensors) over the same
// static loops that read one input alike and write outputs laid out alike
// become one op with several results: one pass over the shared inputs. The
// forward and VJPs of a Hadamard product (ij,ij->ij: a*b, g*b, g*a) read
// six arrays and write three as three ops, two reads and a write each; as
// one op they read three.
//
//===----------------------------------------------------------------------===//

#include "MergeSiblingMaps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

/// An elementwise op whose body ignores its outputs' values, on tensors.
static bool isPlainMap(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInits() == 0 ||
      op.getNumParallelLoops() != op.getNumLoops() || op.getNumLoops() == 0)
    return false;
  for (OpOperand &init : op.getDpsInitsMutable())
    if (op.payloadUsesValueFromOperand(&init))
      return false;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  return llvm::none_of(ranges, ShapedType::isDynamic);
}

/// `a` and `b` (a before b) can become one op: plain maps over the same
/// loops whose outputs all share one indexing map and element type, with an
/// input read alike by both.
static bool siblings(linalg::GenericOp a, linalg::GenericOp b) {
  if (!isPlainMap(a) || !isPlainMap(b) ||
      a.getStaticLoopRanges() != b.getStaticLoopRanges())
    return false;
  AffineMap outMap = a.getMatchingIndexingMap(a.getDpsInitOperand(0));
  Type element = getElementTypeOrSelf(a.getDpsInits()[0].getType());
  for (linalg::GenericOp op : {a, b})
    for (OpOperand &init : op.getDpsInitsMutable())
      if (op.getMatchingIndexingMap(&init) != outMap ||
          getElementTypeOrSelf(init.get().getType()) != element)
        return false;
  for (OpOperand *x : a.getDpsInputOperands())
    for (OpOperand *y : b.getDpsInputOperands())
      if (x->get() == y->get() &&
          a.getMatchingIndexingMap(x) == b.getMatchingIndexingMap(y))
        return true;
  return false;
}

/// `a` and `b` as one op at `at` (a's or b's place), their results replaced.
static void merge(RewriterBase &rewriter, linalg::GenericOp a,
                  linalg::GenericOp b, Operation *at) {
  SmallVector<Value> inputs, outputs;
  SmallVector<AffineMap> inputMaps, outputMaps;
  // Inputs of b that a reads alike are one operand.
  auto inputIndex = [&](Value value, AffineMap map) -> int64_t {
    for (auto [i, input] : llvm::enumerate(inputs))
      if (input == value && inputMaps[i] == map)
        return i;
    inputs.push_back(value);
    inputMaps.push_back(map);
    return inputs.size() - 1;
  };
  SmallVector<SmallVector<int64_t>> argOf(2);
  for (auto [k, op] : llvm::enumerate(SmallVector<linalg::GenericOp>{a, b}))
    for (OpOperand *input : op.getDpsInputOperands())
      argOf[k].push_back(
          inputIndex(input->get(), op.getMatchingIndexingMap(input)));
  for (linalg::GenericOp op : {a, b})
    for (OpOperand &init : op.getDpsInitsMutable()) {
      outputs.push_back(init.get());
      outputMaps.push_back(op.getMatchingIndexingMap(&init));
    }
  SmallVector<AffineMap> maps(inputMaps);
  maps.append(outputMaps);

  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(at);
  Location loc = rewriter.getFusedLoc({a.getLoc(), b.getLoc()});
  SmallVector<Type> resultTypes(a.getResultTypes());
  llvm::append_range(resultTypes, b.getResultTypes());
  auto merged = linalg::GenericOp::create(
      rewriter, loc, resultTypes, inputs, outputs, maps,
      a.getIteratorTypesArray(),
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        SmallVector<Value> yields;
        int64_t outputArg = inputs.size();
        for (auto [k, op] :
             llvm::enumerate(SmallVector<linalg::GenericOp>{a, b})) {
          Block *body = op.getBlock();
          IRMapping mapping;
          for (auto [i, arg] : llvm::enumerate(argOf[k]))
            mapping.map(body->getArgument(i), args[arg]);
          for (int64_t i = 0, e = op.getNumDpsInits(); i < e; ++i)
            mapping.map(body->getArgument(op.getNumDpsInputs() + i),
                        args[outputArg++]);
          for (Operation &inner : body->without_terminator())
            nb.clone(inner, mapping);
          for (Value yielded : body->getTerminator()->getOperands())
            yields.push_back(mapping.lookupOrDefault(yielded));
        }
        linalg::YieldOp::create(nb, nl, yields);
      });
  // (a's result count is read before replaceOp erases a.)
  ValueRange results = merged.getResults();
  unsigned numA = a.getNumResults();
  rewriter.replaceOp(a, results.take_front(numA));
  rewriter.replaceOp(b, results.drop_front(numA));
}

/// Merges one pair of siblings in `block`; false when there is none.
static bool mergeOnePair(RewriterBase &rewriter, Block &block,
                         DominanceInfo &dominance) {
  SmallVector<linalg::GenericOp> maps;
  for (auto op : block.getOps<linalg::GenericOp>())
    if (isPlainMap(op))
      maps.push_back(op);
  for (size_t i = 0; i < maps.size(); ++i)
    for (linalg::GenericOp b : ArrayRef(maps).drop_front(i + 1)) {
      linalg::GenericOp a = maps[i];
      if (!siblings(a, b))
        continue;
      // At b's place when a's results are used after b only; else at a's
      // when b's operands are all defined before a.
      bool atB = llvm::all_of(a->getUsers(), [&](Operation *user) {
        return dominance.properlyDominates(b.getOperation(), user);
      });
      bool atA = llvm::all_of(b->getOperands(), [&](Value operand) {
        return dominance.properlyDominates(operand, a.getOperation());
      });
      if (!atA && !atB)
        continue;
      merge(rewriter, a, b, atB ? b.getOperation() : a.getOperation());
      return true;
    }
  return false;
}

void mlir::ein::mergeSiblingMaps(Operation *root) {
  IRRewriter rewriter(root->getContext());
  SmallVector<Block *> blocks;
  root->walk([&](Block *block) { blocks.push_back(block); });
  for (Block *block : blocks) {
    // (Each merge changes dominance only within the block's own ops.)
    while (true) {
      DominanceInfo dominance(root);
      if (!mergeOnePair(rewriter, *block, dominance))
        break;
    }
  }
}
