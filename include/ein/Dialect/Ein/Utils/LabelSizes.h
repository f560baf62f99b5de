//===- LabelSizes.h - Sizes of a contraction's labels as values -*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// The static size of every label of an `ein.contract` (from the spec
// library's inference) and, on demand, an `index` value for it: a constant,
// a `tensor.dim` of an operand that holds the label at full size, or a
// group's size divided by its other labels' sizes.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_UTILS_LABELSIZES_H
#define EIN_DIALECT_EIN_UTILS_LABELSIZES_H

#include "ein/Dialect/Ein/IR/EinOps.h"
#include "ein/Spec/ShapeInference.h"

#include "mlir/IR/Builders.h"

namespace mlir::ein {

class LabelSizes {
public:
  /// Fails (with a remark on `op`) if the operand shapes do not fit.
  static FailureOr<LabelSizes> get(ContractOp op);

  /// The label's static size, or ShapedType::kDynamic.
  int64_t getStaticSize(Label label) const { return info.getLabelSize(label); }

  /// True if axis `axis` (a plain label, in a term without `...`, so axis i
  /// is dimension i) of operand `operand` is a size-1
  /// dimension broadcast against a larger or dynamic label size.
  bool isBroadcast(unsigned operand, unsigned axis) const;

  /// An index value holding the label's size, created at `b`'s insertion
  /// point. Fails if nothing determines it (a label seen only in a group with
  /// other dynamic labels).
  FailureOr<Value> getSizeValue(OpBuilder &b, Location loc, Label label);

  /// The label's size as an attribute (static) or value (dynamic).
  FailureOr<OpFoldResult> getSize(OpBuilder &b, Location loc, Label label);

  const ShapeInfo &getInfo() const { return info; }

private:
  /// (operand, axis) of a plain, non-broadcast occurrence of `label`.
  std::optional<std::pair<unsigned, unsigned>> findPlainAxis(Label label) const;

  LabelSizes(ContractOp op, ShapeInfo info) : op(op), info(std::move(info)) {}

  mutable ContractOp op;
  ShapeInfo info;
  llvm::DenseMap<Label, Value> cache;
};

} // namespace mlir::ein

#endif // EIN_DIALECT_EIN_UTILS_LABELSIZES_H
