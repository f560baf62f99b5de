//===- Cost.h - What a function's contractions cost -------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// The cost report of ein-cost-report and `ein-run --report`: per function,
// the contractions that will execute, their FLOPs (opt_einsum's convention),
// the largest intermediate and the bytes of forward values kept alive for
// derivative code.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_TRANSFORMS_COST_H
#define EIN_DIALECT_EIN_TRANSFORMS_COST_H

#include "ein/Dialect/Ein/Transforms/Passes.h"
#include "ein/Dialect/Ein/Transforms/Transforms.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::ein {

/// The cost of one function (calls included).
struct FunctionCost {
  std::string function;
  /// Contraction steps that execute: binary and unary `ein.contract`s, an
  /// n-ary one counting the steps of its planned path, and contraction-shaped
  /// linalg ops (a reduction, or a product of two or more inputs) where the
  /// IR is already lowered.
  int64_t contractions = 0;
  /// opt_einsum's FLOPs of those steps.
  double flops = 0;
  /// The largest result of any step, elements.
  double largestIntermediate = 0;
  /// Bytes of values computed by forward code and used by derivative code
  /// (see DerivativeMarks.h); function arguments and constants excluded.
  double storedBytes = 0;
  /// FLOPs of contractions that derivative code recomputes instead of
  /// storing (ein-reuse's max-stored-bytes).
  double recomputedFlops = 0;
};

/// Computes function costs, callee costs memoized.
class CostModel {
public:
  CostModel(SymbolTableCollection &symbols, const PathPlanOptions &options)
      : symbols(symbols), options(options) {}

  /// Fails with an error on `fn` for what cannot be costed: an `ein.grad`
  /// (run ein-differentiate first), recursion, a contraction whose path
  /// cannot be planned.
  FailureOr<FunctionCost> getCost(func::FuncOp fn);

private:
  SymbolTableCollection &symbols;
  const PathPlanOptions &options;
  llvm::DenseMap<Operation *, FunctionCost> memo;
  llvm::SmallPtrSet<Operation *, 4> inProgress;
};

/// Elements of a tensor or memref value (dynamic dimensions count as
/// `dynamicSize`).
double elementCount(Type type, double dynamicSize);

/// Bytes of a tensor or memref value (dynamic dimensions count as
/// `dynamicSize`).
double byteSize(Type type, double dynamicSize);

/// Prints `ein-cost: {...}` and a newline.
void printCostLine(llvm::raw_ostream &os, const FunctionCost &cost);

/// Prints a cost line for every function of `module` with a body, in order;
/// all lines or, on failure (an error is emitted), none.
LogicalResult printModuleCosts(ModuleOp module,
                               const PathPlanOptions &options,
                               llvm::raw_ostream &os);

/// Runs the ein-level pipeline with `core`'s options on a copy of `module`
/// and prints the copy's costs (printModuleCosts); `module` is unchanged.
/// Fails, with diagnostics saying why, if the pipeline or the costing does.
LogicalResult printCostsAfterPipeline(ModuleOp module,
                                      const EinCoreOptions &core,
                                      llvm::raw_ostream &os);

} // namespace mlir::ein

#endif // EIN_DIALECT_EIN_TRANSFORMS_COST_H
