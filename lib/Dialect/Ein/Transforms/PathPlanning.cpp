//===- PathPlanning.cpp - Contraction paths of ein.contract ops -----------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/Transforms/Transforms.h"
#include "ein/Path/SpecProblem.h"
#include "ein/Spec/SpecError.h"

using namespace mlir;
using namespace mlir::ein;

FailureOr<TermOperand> mlir::ein::createContraction(
    OpBuilder &builder, Location loc, ArrayRef<TermOperand> inputs,
    Term output, Type resultType) {
  Spec spec;
  SmallVector<Value> values;
  for (const TermOperand &o : inputs) {
    spec.inputs.push_back(o.term);
    values.push_back(o.value);
  }
  spec.output = std::move(output);
  auto attr = SpecAttr::get(builder.getContext(), spec);
  if (!resultType) {
    FailureOr<RankedTensorType> inferred = ContractOp::inferResultType(
        attr, TypeRange(ValueRange(values)), nullptr);
    if (failed(inferred))
      return failure();
    resultType = *inferred;
  }
  auto op = ContractOp::create(builder, loc, resultType, attr, values);
  return TermOperand{op.getResult(), spec.output};
}

FailureOr<PathPlanOptions>
PathPlanOptions::parse(StringRef algorithm, StringRef objective,
                       int64_t memoryLimit, int64_t dynamicSize,
                       std::string &error) {
  PathPlanOptions options;
  std::optional<path::Algorithm> a = path::parseAlgorithm(algorithm);
  if (!a) {
    error = "expected algorithm none, greedy, optimal, dp or auto, found '" +
            algorithm.str() + "'";
    return failure();
  }
  std::optional<path::Objective> o = path::parseObjective(objective);
  if (!o) {
    error = "expected objective flops, size, write or combo, found '" +
            objective.str() + "'";
    return failure();
  }
  if (memoryLimit < 0) {
    error = "expected a memory limit >= 0 elements, found " +
            std::to_string(memoryLimit);
    return failure();
  }
  if (dynamicSize < 1) {
    error = "expected a dynamic size >= 1, found " +
            std::to_string(dynamicSize);
    return failure();
  }
  options.path.algorithm = *a;
  options.path.objective = *o;
  if (memoryLimit > 0)
    options.path.memoryLimit = double(memoryLimit);
  options.dynamicSize = double(dynamicSize);
  return options;
}

FailureOr<path::PathInfo>
mlir::ein::planContraction(ContractOp op, const PathPlanOptions &options,
                           ArrayRef<bool> needsGradient) {
  return planContraction(op.getSpec().getValue(), op.getInputs().getTypes(),
                         options, needsGradient);
}

FailureOr<path::PathInfo>
mlir::ein::planContraction(const Spec &spec, TypeRange operandTypes,
                           const PathPlanOptions &options,
                           ArrayRef<bool> needsGradient) {
  std::vector<Shape> shapes;
  for (Type type : operandTypes) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor)
      return failure();
    shapes.push_back(Shape(tensor.getShape()));
  }
  llvm::Expected<path::Problem> problem =
      path::problemFromSpec(spec, shapes, options.dynamicSize);
  if (!problem) {
    llvm::consumeError(problem.takeError());
    return failure();
  }
  problem->needsGradient.assign(needsGradient.begin(), needsGradient.end());
  llvm::Expected<path::PathInfo> plan =
      path::optimizePath(*problem, options.path);
  if (!plan) {
    llvm::consumeError(plan.takeError());
    return failure();
  }
  return std::move(*plan);
}

std::string mlir::ein::describePlan(const path::PathInfo &plan) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "contraction path ";
  path::printPathLinear(os, plan);
  os << ": " << path::formatCost(plan.flops) << " FLOPs (one loop nest: "
     << path::formatCost(plan.naiveFlops) << "), largest intermediate "
     << path::formatCost(plan.largestIntermediate) << " elements";
  if (plan.backwardFlops > 0)
    os << "; chosen for forward + backward: "
       << path::formatCost(plan.flops + plan.backwardFlops) << " FLOPs";
  return text;
}
