//===- RaiseLinalg.cpp - Contraction-shaped linalg ops to ein.contract ----===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Conversion/LinalgToEin/LinalgToEin.h"
#include "ein/Conversion/Passes.h"
#include "ein/Dialect/Ein/IR/EinDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"

namespace mlir::ein {
#define GEN_PASS_DEF_EINRAISELINALG
#include "ein/Conversion/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;
using namespace mlir::ein;

/// Loop `d` is named `a`..`z`, then `A`..`Z`.
static Label labelOfLoop(unsigned d) {
  return d < 26 ? Label(26 + d) : Label(d - 26);
}

static bool isMul(Operation *op) { return isa<arith::MulFOp, complex::MulOp>(op); }
static bool isAdd(Operation *op) { return isa<arith::AddFOp, complex::AddOp>(op); }

/// Collects the block arguments multiplied together by the product tree
/// rooted at `v`; fails on anything else.
static LogicalResult collectFactors(Value v, Block &body,
                                    SmallVectorImpl<unsigned> &factors) {
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    if (arg.getOwner() != &body)
      return failure();
    factors.push_back(arg.getArgNumber());
    return success();
  }
  Operation *def = v.getDefiningOp();
  if (!def || def->getBlock() != &body || !isMul(def))
    return failure();
  return success(succeeded(collectFactors(def->getOperand(0), body, factors)) &&
                 succeeded(collectFactors(def->getOperand(1), body, factors)));
}

/// How the body combines the inputs: `out + x_1 * ... * x_n` (accumulates)
/// or `x_1 * ... * x_n` (does not read `out`).
enum class BodyKind { Accumulate, Overwrite };

static FailureOr<BodyKind> matchBody(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  unsigned numInputs = op.getNumDpsInputs();
  if (!body || numInputs == 0 || body->getNumArguments() != numInputs + 1)
    return failure();
  // Only multiplications and one addition: nothing else is dropped silently.
  for (Operation &inner : body->without_terminator())
    if (!isMul(&inner) && !isAdd(&inner))
      return failure();
  auto yield = dyn_cast<linalg::YieldOp>(body->getTerminator());
  if (!yield || yield.getNumOperands() != 1)
    return failure();

  Value result = yield.getOperand(0);
  BlockArgument out = body->getArgument(numInputs);
  BodyKind kind = BodyKind::Overwrite;
  Value product = result;
  if (Operation *def = result.getDefiningOp(); def && isAdd(def)) {
    if (def->getOperand(0) == out)
      product = def->getOperand(1);
    else if (def->getOperand(1) == out)
      product = def->getOperand(0);
    else
      return failure();
    kind = BodyKind::Accumulate;
  }
  SmallVector<unsigned> factors;
  if (failed(collectFactors(product, *body, factors)))
    return failure();
  // Each input exactly once.
  llvm::sort(factors);
  if (!llvm::equal(factors, llvm::seq<unsigned>(0, numInputs)))
    return failure();
  return kind;
}

/// True for a complex zero: `complex.constant [0.0, 0.0]` or a splat of it.
static bool isComplexZero(Attribute attr) {
  if (auto pair = dyn_cast<ArrayAttr>(attr))
    return pair.size() == 2 && llvm::all_of(pair, [](Attribute part) {
             auto f = dyn_cast<FloatAttr>(part);
             return f && f.getValue().isZero();
           });
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat() || !isa<ComplexType>(dense.getElementType()))
    return false;
  auto c = dense.getSplatValue<std::complex<APFloat>>();
  return c.real().isZero() && c.imag().isZero();
}

/// True if `v` is a tensor of zeros: a constant or a linalg.fill of one.
static bool isZeroTensor(Value v) {
  if (auto fill = v.getDefiningOp<linalg::FillOp>())
    v = fill.getInputs()[0];
  if (matchPattern(v, m_AnyZeroFloat()))
    return true;
  Attribute attr;
  return matchPattern(v, m_Constant(&attr)) && isComplexZero(attr);
}

FailureOr<Value> mlir::ein::raiseToContraction(RewriterBase &rewriter,
                                               linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
      op->getNumResults() != 1 || op.hasIndexSemantics() ||
      op.getNumLoops() > unsigned(kNumTextLabels))
    return failure();
  auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!resultType)
    return failure();
  Type elementType = resultType.getElementType();
  if (!isa<FloatType, ComplexType>(elementType))
    return failure();
  for (OpOperand *input : op.getDpsInputOperands()) {
    auto type = dyn_cast<RankedTensorType>(input->get().getType());
    if (!type || type.getElementType() != elementType)
      return failure();
  }
  FailureOr<BodyKind> kind = matchBody(op);
  if (failed(kind))
    return failure();

  // Indexing maps: loop dimensions only; the output names each parallel loop
  // once and no reduction loop; every loop is read by some input.
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  unsigned numLoops = op.getNumLoops();
  SmallVector<bool> readByInput(numLoops, false);
  Spec spec;
  for (auto [index, map] : llvm::enumerate(maps)) {
    bool isOutput = index == maps.size() - 1;
    if (map.getNumSymbols() != 0)
      return failure();
    Term term;
    SmallVector<bool> seen(numLoops, false);
    for (AffineExpr expr : map.getResults()) {
      auto dim = dyn_cast<AffineDimExpr>(expr);
      if (!dim)
        return failure();
      unsigned d = dim.getPosition();
      if (isOutput && (seen[d] || iterators[d] != utils::IteratorType::parallel))
        return failure();
      seen[d] = true;
      if (!isOutput)
        readByInput[d] = true;
      term.axes.push_back(Axis::label(labelOfLoop(d)));
    }
    if (isOutput) {
      for (unsigned d = 0; d < numLoops; ++d)
        if (iterators[d] == utils::IteratorType::parallel && !seen[d])
          return failure();
      spec.output = std::move(term);
    } else {
      spec.inputs.push_back(std::move(term));
    }
  }
  if (!llvm::all_of(readByInput, [](bool b) { return b; }))
    return failure();
  bool hasReduction = llvm::any_of(iterators, [](utils::IteratorType t) {
    return t == utils::IteratorType::reduction;
  });
  // Without `out +`, a reduction would keep only its last term.
  if (*kind == BodyKind::Overwrite && hasReduction)
    return failure();
  if (llvm::Error error = verifySpec(spec)) {
    llvm::consumeError(std::move(error));
    return failure();
  }

  SmallVector<Value> inputs = llvm::map_to_vector(
      op.getDpsInputOperands(), [](OpOperand *o) { return o->get(); });
  auto specAttr = SpecAttr::get(rewriter.getContext(), std::move(spec));
  FailureOr<RankedTensorType> contractType =
      ContractOp::inferResultType(specAttr, ValueRange(inputs).getTypes());
  if (failed(contractType))
    return failure();

  Location loc = op.getLoc();
  Value init = op.getDpsInitOperand(0)->get();
  Value result =
      ContractOp::create(rewriter, loc, *contractType, specAttr, inputs);
  if (result.getType() != resultType)
    result = tensor::CastOp::create(rewriter, loc, resultType, result);
  if (*kind == BodyKind::Accumulate && !isZeroTensor(init))
    result = AddOp::create(rewriter, loc, resultType, ValueRange{init, result});
  rewriter.replaceOp(op, result);
  return result;
}

namespace {
struct RaiseLinalgOp : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;
  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    return raiseToContraction(rewriter, op);
  }
};

struct EinRaiseLinalgPass
    : ein::impl::EinRaiseLinalgBase<EinRaiseLinalgPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateRaiseLinalgToEinPatterns(patterns);
    if (mergeChains)
      populateMergeContractionPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

void mlir::ein::populateRaiseLinalgToEinPatterns(RewritePatternSet &patterns) {
  patterns.add<RaiseLinalgOp>(patterns.getContext());
}
