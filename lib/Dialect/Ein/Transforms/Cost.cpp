//===- Cost.cpp - What a function's contractions cost ---------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/Transforms/Cost.h"
#include "ein/Dialect/Ein/Transforms/Reuse.h"
#include "ein/Dialect/Ein/Utils/DerivativeMarks.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace mlir::ein;


double mlir::ein::elementCount(Type type, double dynamicSize) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasRank())
    return 0;
  double elements = 1;
  for (int64_t d : shaped.getShape())
    elements *= ShapedType::isDynamic(d) ? dynamicSize : double(d);
  return elements;
}

double mlir::ein::byteSize(Type type, double dynamicSize) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasRank())
    return 0;
  double elements = elementCount(type, dynamicSize);
  Type element = shaped.getElementType();
  unsigned bits = 0;
  if (auto complex = dyn_cast<ComplexType>(element))
    bits = 2 * complex.getElementType().getIntOrFloatBitWidth();
  else if (element.isIntOrFloat())
    bits = element.getIntOrFloatBitWidth();
  return elements * double((bits + 7) / 8);
}

/// opt_einsum's flop_count.
static double flopCount(double size, bool summed, unsigned numTerms) {
  double factor = numTerms > 1 ? numTerms - 1 : 1;
  return size * (factor + (summed ? 1 : 0));
}

/// A contraction-shaped linalg op: a reduction, or a product of two or more
/// inputs (elementwise and copy-like ops do not count).
static bool isContractionLike(linalg::LinalgOp op) {
  if (isa<linalg::FillOp>(op.getOperation()))
    return false;
  if (op.getNumReductionLoops() > 0)
    return true;
  if (op.getNumDpsInputs() < 2)
    return false;
  bool multiplies = false;
  op->walk([&](Operation *nested) {
    multiplies |= isa<arith::MulFOp, arith::MulIOp>(nested);
  });
  return multiplies;
}

namespace {
/// Accumulates the costs of ops into a FunctionCost.
struct Accumulator {
  FunctionCost &cost;
  void add(double flops, double size, bool recomputed, int64_t steps = 1) {
    cost.contractions += steps;
    cost.flops += flops;
    if (recomputed)
      cost.recomputedFlops += flops;
    cost.largestIntermediate = std::max(cost.largestIntermediate, size);
  }
};
} // namespace

FailureOr<FunctionCost> CostModel::getCost(func::FuncOp fn) {
  if (auto it = memo.find(fn); it != memo.end())
    return it->second;
  if (!inProgress.insert(fn).second)
    return fn.emitError("cannot cost @")
           << fn.getSymName() << ": it calls itself";
  FunctionCost cost;
  cost.function = fn.getSymName().str();
  Accumulator acc{cost};
  WalkResult walked = fn.walk([&](Operation *op) -> WalkResult {
    bool recomputed = op->hasAttr(kRecomputeAttrName);
    if (auto contract = dyn_cast<ContractOp>(op)) {
      FailureOr<path::PathInfo> plan = planContraction(contract, options);
      if (failed(plan)) {
        contract.emitError("cannot cost '")
            << contract.getSpec().str() << "': its path cannot be planned";
        return WalkResult::interrupt();
      }
      for (const path::Step &step : plan->steps)
        acc.add(step.flops, step.size, recomputed);
      return WalkResult::advance();
    }
    if (isa<GradOp>(op)) {
      op->emitError("cannot cost an ein.grad: run ein-differentiate first");
      return WalkResult::interrupt();
    }
    if (auto call = dyn_cast<func::CallOp>(op)) {
      auto callee = symbols.lookupNearestSymbolFrom<func::FuncOp>(
          call, call.getCalleeAttr());
      if (!callee || callee.isExternal())
        return WalkResult::advance();
      FailureOr<FunctionCost> inner = getCost(callee);
      if (failed(inner))
        return WalkResult::interrupt();
      acc.add(inner->flops, inner->largestIntermediate, recomputed,
              inner->contractions);
      cost.storedBytes += inner->storedBytes;
      return WalkResult::advance();
    }
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
      if (!isContractionLike(linalgOp))
        return WalkResult::advance();
      double size = 1;
      for (int64_t r : linalgOp.getStaticLoopRanges())
        size *= ShapedType::isDynamic(r) ? options.dynamicSize : double(r);
      double result = 0;
      for (OpOperand &init : linalgOp.getDpsInitsMutable())
        result = std::max(result, elementCount(init.get().getType(),
                                               options.dynamicSize));
      acc.add(flopCount(size, linalgOp.getNumReductionLoops() > 0,
                        linalgOp.getNumDpsInputs()),
              result, recomputed);
      return WalkResult::skip();
    }
    return WalkResult::advance();
  });
  inProgress.erase(fn);
  if (walked.wasInterrupted())
    return failure();

  for (Value v : storedValues(fn))
    cost.storedBytes += byteSize(v.getType(), options.dynamicSize);
  memo[fn] = cost;
  return cost;
}

/// Costs are integers in opt_einsum; keep them integers in JSON when exact.
static void writeNumber(llvm::json::OStream &json, llvm::StringRef key,
                        double value) {
  json.attributeBegin(key);
  if (value >= 0 && value < 9.2e18 && value == double(int64_t(value)))
    json.value(int64_t(value));
  else
    json.value(value);
  json.attributeEnd();
}

void mlir::ein::printCostLine(llvm::raw_ostream &os,
                              const FunctionCost &cost) {
  os << "ein-cost: ";
  llvm::json::OStream json(os);
  json.object([&] {
    json.attribute("function", cost.function);
    json.attribute("contractions", cost.contractions);
    writeNumber(json, "flops", cost.flops);
    writeNumber(json, "largest_intermediate", cost.largestIntermediate);
    writeNumber(json, "stored_bytes", cost.storedBytes);
    writeNumber(json, "recomputed_flops", cost.recomputedFlops);
  });
  os << "\n";
}

LogicalResult mlir::ein::printModuleCosts(ModuleOp module,
                                          const PathPlanOptions &options,
                                          llvm::raw_ostream &os) {
  SymbolTableCollection symbols;
  CostModel model(symbols, options);
  std::string text;
  llvm::raw_string_ostream lines(text);
  for (auto fn : module.getOps<func::FuncOp>()) {
    if (fn.isExternal())
      continue;
    FailureOr<FunctionCost> cost = model.getCost(fn);
    if (failed(cost))
      return failure();
    printCostLine(lines, *cost);
  }
  os << text;
  os.flush();
  return success();
}

LogicalResult mlir::ein::printCostsAfterPipeline(ModuleOp module,
                                                 const EinCoreOptions &core,
                                                 llvm::raw_ostream &os) {
  std::string error;
  FailureOr<PathPlanOptions> options = PathPlanOptions::parse(
      core.algorithm, core.objective, core.memoryLimit, core.dynamicSize,
      error);
  if (failed(options))
    return module.emitError(error);
  OwningOpRef<ModuleOp> copy = module.clone();
  PassManager pm(module.getContext(), ModuleOp::getOperationName());
  buildEinCorePipeline(pm, core);
  if (failed(pm.run(*copy)))
    return failure();
  return printModuleCosts(*copy, *options, os);
}
