//===- Differentiator.h - The reverse and forward sweeps --------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// The implementation of DiffContext: clones a function body in place
// (recording which values depend on the differentiated argument), then sweeps
// it backwards (reverse mode) or forwards (forward mode) calling each op's
// DifferentiableOpInterface rule. Zero (co)tangents (null values), cotangent
// accumulation (ein.add) and batch dimensions are handled here only.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_DIALECT_EIN_AUTODIFF_DIFFERENTIATOR_H
#define EIN_LIB_DIALECT_EIN_AUTODIFF_DIFFERENTIATOR_H

#include "ein/Dialect/Ein/IR/DifferentiableOpInterface.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/DenseSet.h"

namespace mlir::ein {

/// Builds a constant-filled tensor of the given sizes.
Value buildFilled(OpBuilder &builder, Location loc,
                  ArrayRef<OpFoldResult> sizes, Type elementType,
                  double value);

/// DiffContext::contract without a context (see there).
Value buildLabeledContraction(OpBuilder &builder, Location loc,
                              ArrayRef<LabeledValue> inputs,
                              ArrayRef<Label> output,
                              ArrayRef<OpFoldResult> outputSizes,
                              Type elementType);

/// The sizes of a ranked tensor's dimensions (tensor.dim where dynamic).
SmallVector<OpFoldResult> tensorSizes(OpBuilder &builder, Location loc,
                                      Value tensor);

/// A function body cloned in place.
struct ClonedBody {
  SmallVector<Operation *> ops;
  SmallVector<Value> results;
};

class Differentiator final : public DiffContext {
public:
  enum class Mode { Reverse, Forward };

  Differentiator(Mode mode, SymbolTableCollection &symbols)
      : mode(mode), symbols(symbols) {}

  void setBatchSizes(ArrayRef<OpFoldResult> sizes) {
    batchSizes.assign(sizes.begin(), sizes.end());
  }
  void markActive(Value value) { active.insert(value); }

  /// Clones `fn`'s body before the builder's insertion point with its
  /// arguments replaced by `args`; values depending on an active argument
  /// become active.
  ClonedBody cloneBody(OpBuilder &builder, func::FuncOp fn, ValueRange args);
  /// Propagates cotangents from `body`'s results to its inputs.
  LogicalResult reverse(OpBuilder &builder, const ClonedBody &body,
                        func::FuncOp fn);
  /// Propagates tangents from `body`'s inputs to its results.
  LogicalResult forward(OpBuilder &builder, const ClonedBody &body,
                        func::FuncOp fn);

  /// Adds `cotangent` to `value`'s outside a sweep (the seed).
  void seedCotangent(OpBuilder &builder, Value value, Value cotangent) {
    OpBuilder *outer = std::exchange(sweepBuilder, &builder);
    addCotangent(value, cotangent);
    sweepBuilder = outer;
  }
  /// The accumulated cotangent of `value` outside a sweep (null if zero).
  Value takeCotangent(OpBuilder &builder, Value value) {
    OpBuilder *outer = std::exchange(sweepBuilder, &builder);
    Value result = getCotangent(value);
    sweepBuilder = outer;
    return result;
  }

  // DiffContext.
  unsigned getBatchRank() const override { return batchSizes.size(); }
  ArrayRef<OpFoldResult> getBatchSizes() const override { return batchSizes; }
  bool isActive(Value value) const override { return active.contains(value); }
  Value getCotangent(Value result) override;
  void addCotangent(Value operand, Value cotangent) override;
  Value getTangent(Value operand) override { return tangents.lookup(operand); }
  void setTangent(Value result, Value tangent) override;
  Value scale(OpBuilder &builder, Location loc, Value batched,
              Value factor) override;
  Value sum(OpBuilder &builder, Location loc, ValueRange values) override;
  Value contract(OpBuilder &builder, Location loc,
                 ArrayRef<LabeledValue> inputs, ArrayRef<Label> output,
                 ArrayRef<OpFoldResult> outputSizes,
                 Type elementType) override {
    return buildLabeledContraction(builder, loc, inputs, output, outputSizes,
                                   elementType);
  }
  Value splat(OpBuilder &builder, Location loc, Value like,
              double value) override;
  Value zeros(OpBuilder &builder, Location loc, Value like) override;
  SmallVector<OpFoldResult> getSizes(OpBuilder &builder, Location loc,
                                     Value tensor) override {
    return tensorSizes(builder, loc, tensor);
  }
  LogicalResult differentiateCall(OpBuilder &builder, Operation *call) override;

private:
  /// Casts `value` to the batched type of `primal` where they differ only
  /// in static information.
  Value castToBatched(OpBuilder &builder, Value value, Value primal);
  /// The values of `body` that its results depend on.
  llvm::DenseSet<Value> usefulValues(const ClonedBody &body) const;
  LogicalResult applyRule(OpBuilder &builder, Operation *op, func::FuncOp fn);

  Mode mode;
  SymbolTableCollection &symbols;
  SmallVector<OpFoldResult> batchSizes;
  llvm::DenseSet<Value> active;
  /// Reverse mode: the contributions to each value's cotangent.
  llvm::DenseMap<Value, SmallVector<Value, 1>> cotangents;
  /// Forward mode: each value's tangent.
  llvm::DenseMap<Value, Value> tangents;
  /// The builder of the running sweep (to sum cotangent contributions).
  OpBuilder *sweepBuilder = nullptr;
  /// Functions being differentiated (to reject recursion).
  SmallVector<Operation *> callStack;
};

} // namespace mlir::ein

#endif // EIN_LIB_DIALECT_EIN_AUTODIFF_DIFFERENTIATOR_H
