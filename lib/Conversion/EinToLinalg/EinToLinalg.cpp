//===- EinToLinalg.cpp - Lower ein to linalg ------------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Conversion/EinToLinalg/EinToLinalg.h"
#include "ein/Conversion/Passes.h"
#include "ein/Dialect/Ein/Transforms/Transforms.h"
#include "ein/Dialect/Ein/Utils/LabelSizes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "llvm/ADT/SmallSet.h"

namespace mlir::ein {
#define GEN_PASS_DEF_CONVERTEINTOLINALG
#include "ein/Conversion/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;
using namespace mlir::ein;

static Value zeroOf(OpBuilder &b, Location loc, Type elementType) {
  return arith::ConstantOp::create(b, loc, b.getZeroAttr(elementType));
}

/// out[i, i, ...] = in[i, ...] on the diagonal of every repeated output label
/// and zero elsewhere. `uniqueOut` lists the output labels once each, in
/// the order of their first occurrence, which is `input`'s dimension order.
static FailureOr<Value> embedDiagonal(RewriterBase &rewriter, Location loc,
                                      const Term &output,
                                      ArrayRef<Label> uniqueOut, Value input,
                                      LabelSizes &sizes) {
  MLIRContext *ctx = rewriter.getContext();
  unsigned rank = output.axes.size();
  auto inputType = cast<RankedTensorType>(input.getType());
  DenseMap<Label, unsigned> firstPos;
  SmallVector<OpFoldResult> resultSizes;
  for (auto [pos, axis] : llvm::enumerate(output.axes)) {
    Label l = axis.labels.front();
    firstPos.try_emplace(l, pos);
    FailureOr<OpFoldResult> size = sizes.getSize(rewriter, loc, l);
    if (failed(size))
      return failure();
    resultSizes.push_back(*size);
  }
  SmallVector<AffineExpr> inExprs;
  for (Label l : uniqueOut)
    inExprs.push_back(getAffineDimExpr(firstPos[l], ctx));
  SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, inExprs, ctx),
                                 AffineMap::getMultiDimIdentityMap(rank, ctx)};
  Value init = tensor::EmptyOp::create(rewriter, loc, resultSizes,
                                       inputType.getElementType());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, TypeRange{init.getType()}, ValueRange{input},
      ValueRange{init}, maps, iterators,
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value onDiagonal;
        for (auto [pos, axis] : llvm::enumerate(output.axes)) {
          unsigned first = firstPos[axis.labels.front()];
          if (first == pos)
            continue;
          Value a = linalg::IndexOp::create(b, l, first);
          Value c = linalg::IndexOp::create(b, l, pos);
          Value eq =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, a, c);
          onDiagonal =
              onDiagonal ? arith::AndIOp::create(b, l, onDiagonal, eq) : eq;
        }
        Value zero = zeroOf(b, l, args[0].getType());
        Value result = arith::SelectOp::create(b, l, onDiagonal, args[0], zero);
        linalg::YieldOp::create(b, l, result);
      });
  return generic.getResult(0);
}

/// Dynamic dimensions do not broadcast: every dynamic occurrence of a label
/// must equal the label's size. Emits `cf.assert`s that say so at run time.
static LogicalResult assertEqualDynamicSizes(RewriterBase &rewriter,
                                             Location loc, ContractOp op,
                                             LabelSizes &sizes) {
  const Spec &spec = op.getSpec().getValue();
  DenseMap<Label, SmallVector<std::pair<unsigned, unsigned>>> occurrences;
  for (auto [k, term] : llvm::enumerate(spec.inputs))
    for (auto [axis, a] : llvm::enumerate(term.axes))
      if (!sizes.isBroadcast(k, axis))
        occurrences[a.labels.front()].push_back({k, axis});
  for (auto &[label, places] : occurrences) {
    if (places.size() < 2)
      continue;
    FailureOr<Value> reference;
    for (auto [k, axis] : places) {
      auto type = cast<RankedTensorType>(op.getInputs()[k].getType());
      if (!type.isDynamicDim(axis))
        continue;
      if (!succeeded(reference)) {
        reference = sizes.getSizeValue(rewriter, loc, label);
        if (failed(reference))
          return failure();
      }
      Value dim = tensor::DimOp::create(rewriter, loc, op.getInputs()[k], axis);
      if (dim == *reference)
        continue;
      Value same = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, dim, *reference);
      cf::AssertOp::create(
          rewriter, loc, same,
          "ein.contract '" + op.getSpec().str() + "': label " +
              std::string(1, labelToChar(label)) + " of operand #" +
              std::to_string(k) +
              " differs from its size elsewhere (dynamic sizes do not "
              "broadcast)");
    }
  }
  return success();
}

FailureOr<Value> mlir::ein::lowerContractToLinalg(RewriterBase &rewriter,
                                                  ContractOp op) {
  const Spec &spec = op.getSpec().getValue();
  if (spec.hasReshapes())
    return rewriter.notifyMatchFailure(
        op, "groups, '...' and '_' must be expanded first (ein-expand-groups)");
  auto resultType = cast<RankedTensorType>(op.getType());
  Type elementType = resultType.getElementType();
  if (!isa<FloatType>(elementType))
    return rewriter.notifyMatchFailure(
        op, "only floating-point element types are lowered to linalg");
  FailureOr<LabelSizes> sizes = LabelSizes::get(op);
  if (failed(sizes))
    return rewriter.notifyMatchFailure(op, "operand shapes do not fit");

  Location loc = op.getLoc();
  MLIRContext *ctx = op.getContext();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);

  // One loop per label: the output's (once each) first, then summed ones.
  SmallVector<Label> loops;
  DenseMap<Label, unsigned> loopOf;
  auto addLoop = [&](Label l) {
    if (loopOf.try_emplace(l, loops.size()).second)
      loops.push_back(l);
  };
  for (Label l : spec.output.allLabels())
    addLoop(l);
  unsigned numParallel = loops.size();
  for (const Term &term : spec.inputs)
    for (Label l : term.allLabels())
      addLoop(l);
  unsigned numLoops = loops.size();
  bool hasReduction = numLoops > numParallel;
  bool embedding = numParallel != spec.output.axes.size();

  // linalg.contract takes binary contractions whose maps are projected
  // permutations and whose every loop is shared by two of the three terms.
  bool contractShaped = spec.inputs.size() == 2 && hasReduction && !embedding;
  SmallVector<unsigned> termsPerLoop(numLoops, 0);
  SmallVector<AffineMap> maps;
  for (auto [k, term] : llvm::enumerate(spec.inputs)) {
    SmallVector<AffineExpr> exprs;
    llvm::SmallSet<Label, 8> seen;
    for (auto [axis, a] : llvm::enumerate(term.axes)) {
      Label l = a.labels.front();
      if (sizes->isBroadcast(k, axis)) {
        exprs.push_back(getAffineConstantExpr(0, ctx));
        contractShaped = false;
      } else {
        exprs.push_back(getAffineDimExpr(loopOf[l], ctx));
      }
      if (seen.insert(l).second)
        ++termsPerLoop[loopOf[l]];
      else
        contractShaped = false;
    }
    maps.push_back(AffineMap::get(numLoops, 0, exprs, ctx));
  }
  SmallVector<AffineExpr> outExprs;
  SmallVector<OpFoldResult> outSizes;
  for (unsigned i = 0; i < numParallel; ++i) {
    outExprs.push_back(getAffineDimExpr(i, ctx));
    ++termsPerLoop[i];
    FailureOr<OpFoldResult> size = sizes->getSize(rewriter, loc, loops[i]);
    if (failed(size))
      return rewriter.notifyMatchFailure(op, "an output size is unknown");
    outSizes.push_back(*size);
  }
  maps.push_back(AffineMap::get(numLoops, 0, outExprs, ctx));
  if (llvm::any_of(termsPerLoop, [](unsigned n) { return n < 2; }))
    contractShaped = false;

  if (failed(assertEqualDynamicSizes(rewriter, loc, op, *sizes)))
    return rewriter.notifyMatchFailure(op, "a label size is unknown");

  Value init = tensor::EmptyOp::create(rewriter, loc, outSizes, elementType);
  if (hasReduction)
    init = linalg::FillOp::create(rewriter, loc,
                                  zeroOf(rewriter, loc, elementType), init)
               .getResult(0);

  Value contracted;
  if (contractShaped) {
    contracted = linalg::ContractOp::create(
                     rewriter, loc, TypeRange{init.getType()}, op.getInputs(),
                     ValueRange{init}, rewriter.getAffineMapArrayAttr(maps))
                     .getResult(0);
  } else {
    SmallVector<utils::IteratorType> iterators(numParallel,
                                               utils::IteratorType::parallel);
    iterators.append(numLoops - numParallel, utils::IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{init.getType()}, op.getInputs(),
        ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value product = args[0];
          for (Value arg : args.drop_front().drop_back())
            product = arith::MulFOp::create(b, l, product, arg);
          if (hasReduction)
            product = arith::AddFOp::create(b, l, args.back(), product);
          linalg::YieldOp::create(b, l, product);
        });
    contracted = generic.getResult(0);
  }

  if (embedding) {
    FailureOr<Value> embedded = embedDiagonal(
        rewriter, loc, spec.output,
        ArrayRef<Label>(loops).take_front(numParallel), contracted, *sizes);
    if (failed(embedded))
      return rewriter.notifyMatchFailure(op, "an output size is unknown");
    contracted = *embedded;
  }
  if (contracted.getType() != resultType)
    contracted = tensor::CastOp::create(rewriter, loc, resultType, contracted);
  return contracted;
}

FailureOr<Value> mlir::ein::lowerAddToLinalg(RewriterBase &rewriter, AddOp op) {
  auto type = cast<RankedTensorType>(op.getType());
  if (!isa<FloatType>(type.getElementType()))
    return rewriter.notifyMatchFailure(
        op, "only floating-point element types are lowered to linalg");
  Location loc = op.getLoc();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Value first = op.getInputs().front();
  Value init = tensor::EmptyOp::create(
      rewriter, loc, tensor::getMixedSizes(rewriter, loc, first),
      type.getElementType());
  unsigned rank = type.getRank();
  SmallVector<AffineMap> maps(
      op.getInputs().size() + 1,
      AffineMap::getMultiDimIdentityMap(rank, rewriter.getContext()));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, TypeRange{type}, op.getInputs(), ValueRange{init}, maps,
      iterators, [&](OpBuilder &b, Location l, ValueRange args) {
        Value sum = args[0];
        for (Value arg : args.drop_front().drop_back())
          sum = arith::AddFOp::create(b, l, sum, arg);
        linalg::YieldOp::create(b, l, sum);
      });
  return generic.getResult(0);
}

namespace {

/// Replaces an ein op by what `lower` builds for it.
template <typename OpTy, FailureOr<Value> (*lower)(RewriterBase &, OpTy)>
struct LowerToLinalg : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    FailureOr<Value> result = lower(rewriter, op);
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }
};

/// Records why a transform failed, for the pass's error message.
struct FailureRecorder : RewriterBase::Listener {
  std::string reason;
  void
  notifyMatchFailure(Location loc,
                     function_ref<void(Diagnostic &)> reasonCallback) override {
    Diagnostic diag(loc, DiagnosticSeverity::Remark);
    reasonCallback(diag);
    reason = diag.str();
  }
};

struct ConvertEinToLinalgPass
    : ein::impl::ConvertEinToLinalgBase<ConvertEinToLinalgPass> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (isa<ContractOp, AddOp>(op))
        ops.push_back(op);
    });
    FailureRecorder recorder;
    IRRewriter rewriter(&getContext(), &recorder);
    for (Operation *op : ops) {
      FailureOr<Value> result = failure();
      if (auto add = dyn_cast<AddOp>(op)) {
        result = lowerAddToLinalg(rewriter, add);
      } else {
        auto contract = cast<ContractOp>(op);
        FailureOr<ContractOp> plain = expandGroups(rewriter, contract);
        if (succeeded(plain))
          result = lowerContractToLinalg(rewriter, *plain);
        op = succeeded(plain) ? plain->getOperation() : op;
      }
      if (failed(result)) {
        op->emitError("cannot lower to linalg: ") << recorder.reason;
        return signalPassFailure();
      }
      rewriter.replaceOp(op, *result);
    }
  }
};

} // namespace

void mlir::ein::populateEinToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerToLinalg<ContractOp, lowerContractToLinalg>,
               LowerToLinalg<AddOp, lowerAddToLinalg>>(patterns.getContext());
}
