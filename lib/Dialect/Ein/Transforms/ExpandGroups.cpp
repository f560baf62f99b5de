//===- ExpandGroups.cpp - Plain labels for '...', groups and '_' ----------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/Transforms/Passes.h"
#include "ein/Dialect/Ein/Transforms/Transforms.h"
#include "ein/Dialect/Ein/Utils/LabelSizes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "llvm/ADT/SmallSet.h"

namespace mlir::ein {
#define GEN_PASS_DEF_EINEXPANDGROUPS
#include "ein/Dialect/Ein/Transforms/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;
using namespace mlir::ein;

/// Replaces `...` by fresh labels, given the operands' ranks.
static FailureOr<Spec> expandEllipses(const Spec &spec, TypeRange inputs) {
  llvm::SmallSet<Label, 16> used;
  for (const Term &t : spec.inputs)
    for (Label l : t.allLabels())
      used.insert(l);
  unsigned ellipsisRank = 0;
  SmallVector<unsigned> ranks;
  for (auto [term, type] : llvm::zip(spec.inputs, inputs)) {
    unsigned rank = cast<RankedTensorType>(type).getRank();
    unsigned e = term.hasEllipsis() ? rank - term.numFixedAxes() : 0;
    ranks.push_back(e);
    ellipsisRank = std::max(ellipsisRank, e);
  }
  SmallVector<Label> fresh;
  for (Label l = 0; l < kNumTextLabels && fresh.size() < ellipsisRank; ++l)
    if (!used.contains(l))
      fresh.push_back(l);
  if (fresh.size() < ellipsisRank)
    return failure();
  auto replace = [&](const Term &term, unsigned e) {
    Term result;
    for (const Axis &axis : term.axes) {
      if (!axis.isEllipsis()) {
        result.axes.push_back(axis);
        continue;
      }
      for (Label l : ArrayRef<Label>(fresh).take_back(e))
        result.axes.push_back(Axis::label(l));
    }
    return result;
  };
  Spec result;
  for (auto [term, e] : llvm::zip(spec.inputs, ranks))
    result.inputs.push_back(replace(term, e));
  result.output = replace(spec.output, ellipsisRank);
  return result;
}

/// Reassociation that merges every `_` dimension into a neighbour (the next
/// non-unit dimension, or the previous one for trailing units).
static SmallVector<ReassociationIndices> unitReassociation(const Term &term) {
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  for (auto [dim, axis] : llvm::enumerate(term.axes)) {
    pending.push_back(dim);
    if (!axis.isUnit()) {
      groups.push_back(pending);
      pending.clear();
    }
  }
  if (!groups.empty())
    groups.back().append(pending.begin(), pending.end());
  return groups;
}

static bool hasUnit(const Term &term) {
  return llvm::any_of(term.axes, [](const Axis &a) { return a.isUnit(); });
}
static bool hasGroup(const Term &term) {
  return llvm::any_of(term.axes, [](const Axis &a) { return a.isGroup(); });
}
static Term withoutUnits(const Term &term) {
  Term result;
  for (const Axis &axis : term.axes)
    if (!axis.isUnit())
      result.axes.push_back(axis);
  return result;
}
static Term flattened(const Term &term) {
  Term result;
  for (Label l : term.allLabels())
    result.axes.push_back(Axis::label(l));
  return result;
}

/// Drops the `_` axes of `value`, whose term is `term`.
static Value dropUnits(RewriterBase &rewriter, Location loc, Value value,
                       const Term &term) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(type.getShape());
  for (auto [dim, axis] : llvm::enumerate(term.axes))
    if (axis.isUnit())
      shape[dim] = 1;
  auto unitType = RankedTensorType::get(shape, type.getElementType());
  if (unitType != type)
    value = tensor::CastOp::create(rewriter, loc, unitType, value);
  return tensor::CollapseShapeOp::create(rewriter, loc, value,
                                         unitReassociation(term));
}

FailureOr<ContractOp> mlir::ein::expandGroups(RewriterBase &rewriter,
                                              ContractOp op) {
  Spec spec = op.getSpec().getValue();
  if (!spec.hasReshapes())
    return op;
  Location loc = op.getLoc();
  MLIRContext *ctx = op.getContext();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);

  // 1. `...` -> fresh labels: the same operands, only the spec changes.
  if (llvm::any_of(spec.inputs,
                   [](const Term &t) { return t.hasEllipsis(); }) ||
      spec.output.hasEllipsis()) {
    FailureOr<Spec> plain = expandEllipses(spec, op.getInputs().getTypes());
    if (failed(plain))
      return rewriter.notifyMatchFailure(
          op, "'...' needs more labels than the 52 einsum text can name");
    spec = std::move(*plain);
    auto replaced = ContractOp::create(
        rewriter, loc, op.getType(), SpecAttr::get(ctx, spec), op.getInputs());
    rewriter.replaceOp(op, replaced.getResult());
    op = replaced;
    if (!spec.hasReshapes())
      return op;
  }

  FailureOr<LabelSizes> sizes = LabelSizes::get(op);
  if (failed(sizes))
    return rewriter.notifyMatchFailure(op, "operand shapes do not fit");

  // 2. Inputs: drop `_` axes, then split groups.
  Spec plainSpec;
  SmallVector<Value> operands;
  for (auto [index, term] : llvm::enumerate(spec.inputs)) {
    Value value = op.getInputs()[index];
    Term current = term;
    if (hasUnit(current)) {
      value = dropUnits(rewriter, loc, value, current);
      current = withoutUnits(current);
    }
    if (hasGroup(current)) {
      // A dynamic group axis whose labels all have static sizes is cast to
      // their product first (expand_shape wants the static size then).
      auto sourceType = cast<RankedTensorType>(value.getType());
      SmallVector<int64_t> sourceShape(sourceType.getShape());
      for (auto [dim, axis] : llvm::enumerate(current.axes)) {
        if (!axis.isGroup())
          continue;
        int64_t product = 1;
        for (Label l : axis.labels) {
          int64_t size = sizes->getStaticSize(l);
          product =
              ShapedType::isDynamic(size) || ShapedType::isDynamic(product)
                  ? ShapedType::kDynamic
                  : product * size;
        }
        if (!ShapedType::isDynamic(product))
          sourceShape[dim] = product;
      }
      auto castType =
          RankedTensorType::get(sourceShape, sourceType.getElementType());
      if (castType != sourceType)
        value = tensor::CastOp::create(rewriter, loc, castType, value);
      SmallVector<ReassociationIndices> reassociation;
      SmallVector<OpFoldResult> outputShape;
      SmallVector<int64_t> staticShape;
      int64_t next = 0;
      for (auto [dim, axis] : llvm::enumerate(current.axes)) {
        ReassociationIndices group;
        if (axis.isLabel()) {
          group.push_back(next++);
          OpFoldResult size = tensor::getMixedSize(rewriter, loc, value, dim);
          outputShape.push_back(size);
          staticShape.push_back(
              cast<RankedTensorType>(value.getType()).getDimSize(dim));
          reassociation.push_back(group);
          continue;
        }
        for (Label l : axis.labels) {
          group.push_back(next++);
          FailureOr<OpFoldResult> size = sizes->getSize(rewriter, loc, l);
          if (failed(size))
            return rewriter.notifyMatchFailure(
                op, "the sizes of the labels of group '" +
                        toString(Term{{axis}, std::nullopt}) +
                        "' cannot be determined");
          outputShape.push_back(*size);
          staticShape.push_back(sizes->getStaticSize(l));
        }
        reassociation.push_back(group);
      }
      auto type = RankedTensorType::get(
          staticShape,
          cast<RankedTensorType>(value.getType()).getElementType());
      // MLIR 22's expand-strided-metadata crashes on an expand_shape group
      // with two or more dynamic sizes; use tensor.reshape (also free) then.
      bool manyDynamic = llvm::any_of(reassociation, [&](const auto &group) {
        return llvm::count_if(group, [&](int64_t d) {
                 return ShapedType::isDynamic(staticShape[d]);
               }) > 1;
      });
      if (manyDynamic) {
        SmallVector<Value> dims;
        for (OpFoldResult size : outputShape)
          dims.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, size));
        Value shape = tensor::FromElementsOp::create(rewriter, loc, dims);
        value = tensor::ReshapeOp::create(rewriter, loc, type, value, shape);
      } else {
        value = tensor::ExpandShapeOp::create(rewriter, loc, type, value,
                                              reassociation, outputShape);
      }
      current = flattened(current);
    }
    plainSpec.inputs.push_back(current);
    operands.push_back(value);
  }

  // 3. The contraction on plain labels.
  Term outputNoUnits = withoutUnits(spec.output);
  plainSpec.output = flattened(outputNoUnits);
  std::string error;
  SpecAttr plainAttr = SpecAttr::get(ctx, plainSpec);
  FailureOr<RankedTensorType> plainType = ContractOp::inferResultType(
      plainAttr, TypeRange(ValueRange(operands)), &error);
  if (failed(plainType))
    return rewriter.notifyMatchFailure(op, error);
  auto plainOp =
      ContractOp::create(rewriter, loc, *plainType, plainAttr, operands);
  Value result = plainOp.getResult();

  // 4. The output: form groups, then add `_` axes.
  if (hasGroup(outputNoUnits)) {
    SmallVector<ReassociationIndices> reassociation;
    int64_t next = 0;
    for (const Axis &axis : outputNoUnits.axes) {
      ReassociationIndices group;
      for (size_t i = 0; i < axis.labels.size(); ++i)
        group.push_back(next++);
      reassociation.push_back(group);
    }
    result =
        tensor::CollapseShapeOp::create(rewriter, loc, result, reassociation);
  }
  auto resultType = cast<RankedTensorType>(op.getType());
  if (hasUnit(spec.output)) {
    SmallVector<OpFoldResult> outputShape;
    SmallVector<OpFoldResult> collapsed =
        tensor::getMixedSizes(rewriter, loc, result);
    unsigned source = 0;
    for (const Axis &axis : spec.output.axes)
      outputShape.push_back(axis.isUnit() ? rewriter.getIndexAttr(1)
                                          : collapsed[source++]);
    SmallVector<int64_t> staticShape;
    for (OpFoldResult s : outputShape)
      staticShape.push_back(
          getConstantIntValue(s).value_or(ShapedType::kDynamic));
    auto type = RankedTensorType::get(staticShape, resultType.getElementType());
    result = tensor::ExpandShapeOp::create(rewriter, loc, type, result,
                                           unitReassociation(spec.output),
                                           outputShape);
  }
  if (result.getType() != resultType)
    result = tensor::CastOp::create(rewriter, loc, resultType, result);
  rewriter.replaceOp(op, result);
  return plainOp;
}

namespace {

struct ExpandGroupsPattern : OpRewritePattern<ContractOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ContractOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getSpec().getValue().hasReshapes())
      return failure();
    return success(succeeded(expandGroups(rewriter, op)));
  }
};

struct EinExpandGroupsPass
    : ein::impl::EinExpandGroupsBase<EinExpandGroupsPass> {
  void runOnOperation() override {
    SmallVector<ContractOp> ops;
    getOperation()->walk([&](ContractOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (ContractOp op : ops) {
      std::string spec = op.getSpec().str();
      if (failed(expandGroups(rewriter, op))) {
        op.emitError("cannot expand '") << spec << "' into plain labels";
        return signalPassFailure();
      }
    }
  }
};

} // namespace

void mlir::ein::populateEinExpandGroupsPatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandGroupsPattern>(patterns.getContext());
}
