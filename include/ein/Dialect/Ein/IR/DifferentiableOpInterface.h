//===- DifferentiableOpInterface.h - derivative rules -----------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// The op interface carrying derivative rules (VJP and JVP) and the context a
// rule builds with. The context is abstract here: the differentiation driver
// (ein/Dialect/Ein/Autodiff) implements it, and it is the one place where
// zero (co)tangents, accumulation and batch dimensions are handled.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_IR_DIFFERENTIABLEOPINTERFACE_H
#define EIN_DIALECT_EIN_IR_DIFFERENTIABLEOPINTERFACE_H

#include "ein/Spec/Spec.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"

namespace mlir::ein {

/// A value with one label per axis, for building contractions.
struct LabeledValue {
  Value value;
  SmallVector<Label> labels;
};

/// `count` labels that are not in `used` (text-printable ones first), or
/// failure when fewer than `count` are left.
FailureOr<SmallVector<Label>> freshLabels(ArrayRef<Label> used,
                                          unsigned count);

/// What a derivative rule builds with: the (co)tangents of the values being
/// differentiated, and builders that know about the batch dimensions.
class DiffContext {
public:
  virtual ~DiffContext();

  /// The number and sizes of the leading batch dimensions of every tangent
  /// and cotangent (0 for a plain VJP or JVP).
  virtual unsigned getBatchRank() const = 0;
  virtual ArrayRef<OpFoldResult> getBatchSizes() const = 0;
  /// The type of a (co)tangent of a primal of type `primal`: the batch
  /// dimensions, then the primal's shape.
  RankedTensorType getBatchedType(Type primal) const;

  /// True if `value` depends on the value being differentiated.
  virtual bool isActive(Value value) const = 0;

  /// Reverse mode: the cotangent of a result of the op being
  /// differentiated, or null when it is zero.
  virtual Value getCotangent(Value result) = 0;
  /// Reverse mode: adds `cotangent` (batched shape of `operand`) to
  /// `operand`'s. Does nothing for inactive operands.
  virtual void addCotangent(Value operand, Value cotangent) = 0;

  /// Forward mode: the tangent of an operand, or null when it is zero.
  virtual Value getTangent(Value operand) = 0;
  /// Forward mode: sets the tangent of a result (null means zero).
  virtual void setTangent(Value result, Value tangent) = 0;

  /// `batched` (batch dimensions, then `factor`'s shape) times `factor`
  /// broadcast over the batch dimensions.
  virtual Value scale(OpBuilder &builder, Location loc, Value batched,
                      Value factor) = 0;
  /// The sum of the non-null `values` (all of one type), or null if none.
  virtual Value sum(OpBuilder &builder, Location loc, ValueRange values) = 0;
  /// An `ein.contract` of `inputs` into a tensor labelled `output` with
  /// dimension sizes `outputSizes`. Unlike a plain spec, `output` may repeat
  /// a label (an identity is contracted in), name labels no input has (the
  /// result is constant along them), and ask for size 1 where the label is
  /// larger (the label is summed into a unit axis, undoing a broadcast).
  virtual Value contract(OpBuilder &builder, Location loc,
                         ArrayRef<LabeledValue> inputs,
                         ArrayRef<Label> output,
                         ArrayRef<OpFoldResult> outputSizes,
                         Type elementType) = 0;
  /// A tensor with the shape of `like` filled with `value`.
  virtual Value splat(OpBuilder &builder, Location loc, Value like,
                      double value) = 0;
  /// Zeros with the batched shape of the primal `like`.
  virtual Value zeros(OpBuilder &builder, Location loc, Value like) = 0;
  /// The dimension sizes of a ranked tensor (constants where static).
  virtual SmallVector<OpFoldResult> getSizes(OpBuilder &builder, Location loc,
                                             Value tensor) = 0;
  /// Differentiates a call by differentiating its callee's body, cloned at
  /// the builder's insertion point, in the current mode.
  virtual LogicalResult differentiateCall(OpBuilder &builder,
                                          Operation *call) = 0;
};

} // namespace mlir::ein

#include "ein/Dialect/Ein/IR/DifferentiableOpInterface.h.inc"

#endif // EIN_DIALECT_EIN_IR_DIFFERENTIABLEOPINTERFACE_H
