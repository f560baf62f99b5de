//===- ShapeInference.cpp - Result shapes of einsum specs -----------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Spec/ShapeInference.h"
#include "SpecDetail.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>

using namespace mlir::ein;
using llvm::Twine;

std::string mlir::ein::shapeToString(llvm::ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string result;
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (i)
      result += 'x';
    result += d == kDynamic ? std::string("?") : std::to_string(d);
  }
  return result;
}

namespace {

std::string sizeToString(int64_t size) {
  return size == kDynamic ? std::string("?") : std::to_string(size);
}

llvm::Error shapeError(SpecError::Kind kind, const Twine &message) {
  return llvm::Error(std::make_unique<SpecError>(kind, message.str()));
}

/// What is known of one size and which operand said so.
struct Known {
  int64_t size = kDynamic;
  unsigned operand = 0;
  bool known = false;
};

/// Merges `size` (from `operand`) into `state` with numpy's broadcasting:
/// equal sizes agree, 1 yields to anything, a static size refines a dynamic
/// one (except 1, which leaves the result dynamic).
/// Returns false on a conflict of two static sizes.
bool mergeBroadcast(Known &state, int64_t size, unsigned operand) {
  if (!state.known || state.size == size) {
    if (!state.known)
      state = {size, operand, true};
    return true;
  }
  if (state.size == kDynamic) {
    if (size != 1)
      state = {size, operand, true};
    return true;
  }
  if (size == kDynamic) {
    if (state.size == 1)
      state = {size, operand, true};
    return true;
  }
  if (state.size == 1) {
    state = {size, operand, true};
    return true;
  }
  return size == 1;
}

/// A flattened group's axis: its size must be the product of its labels'.
struct GroupConstraint {
  llvm::ArrayRef<Label> labels;
  int64_t size;
  std::string where; // "axis 1 '(ij)' of operand #0"
};

class ShapeInferrer {
public:
  ShapeInferrer(const Spec &spec) : spec(spec) {}

  llvm::Expected<ShapeInfo>
  run(llvm::ArrayRef<Shape> operands,
      std::optional<llvm::ArrayRef<int64_t>> resultShape);

private:
  llvm::Error visitOperand(unsigned index, llvm::ArrayRef<int64_t> shape);
  llvm::Error solveGroups();
  llvm::Expected<int64_t> product(llvm::ArrayRef<Label> labels,
                                  const Twine &where);
  void useResultHint(llvm::ArrayRef<int64_t> resultShape);
  llvm::Expected<Shape> resultShape();

  const Spec &spec;
  llvm::DenseMap<Label, Known> labels;
  /// Ellipsis dimensions, right-aligned: ellipsis[0] is the last one.
  llvm::SmallVector<Known> ellipsis;
  llvm::SmallVector<GroupConstraint> groups;
};

} // namespace

llvm::Error ShapeInferrer::visitOperand(unsigned index,
                                        llvm::ArrayRef<int64_t> shape) {
  const Term &term = spec.inputs[index];
  unsigned fixed = term.numFixedAxes();
  bool hasEllipsis = term.hasEllipsis();
  if (shape.size() < fixed || (!hasEllipsis && shape.size() != fixed)) {
    auto err = std::make_unique<SpecError>(
        SpecError::Kind::Rank,
        ("expected operand #" + Twine(index) + " to have rank " +
         (hasEllipsis ? "at least " : "") + Twine(fixed) + " for '" +
         toString(term) + "', but found rank " + Twine(shape.size()))
            .str());
    err->operandA = index;
    return llvm::Error(std::move(err));
  }
  unsigned ellipsisRank = shape.size() - fixed;

  llvm::DenseMap<Label, int64_t> local;
  unsigned dim = 0;
  for (const Axis &axis : term.axes) {
    if (axis.isEllipsis()) {
      for (unsigned e = 0; e < ellipsisRank; ++e, ++dim) {
        unsigned fromRight = ellipsisRank - 1 - e;
        if (ellipsis.size() <= fromRight)
          ellipsis.resize(fromRight + 1);
        Known &state = ellipsis[fromRight];
        Known before = state;
        if (!mergeBroadcast(state, shape[dim], index))
          return shapeError(SpecError::Kind::Broadcast,
                            "'...' dimension " + Twine(fromRight) +
                                " (counted from the right) has size " +
                                sizeToString(before.size) + " in operand #" +
                                Twine(before.operand) + " but " +
                                sizeToString(shape[dim]) + " in operand #" +
                                Twine(index) + ", which do not broadcast");
      }
      continue;
    }
    int64_t size = shape[dim];
    if (axis.isUnit()) {
      if (size != 1 && size != kDynamic)
        return shapeError(
            SpecError::Kind::UnitSize,
            "axis " + Twine(dim) + " of operand #" + Twine(index) +
                " is '_' and must have size 1, but has size " + Twine(size));
    } else if (axis.isGroup()) {
      groups.push_back(
          {axis.labels, size,
           ("axis " + Twine(dim) + " '" + toString(Term{{axis}, std::nullopt}) +
            "' of operand #" + Twine(index))
               .str()});
      for (Label l : axis.labels)
        labels.try_emplace(l);
    } else {
      Label l = axis.labels.front();
      auto [it, inserted] = local.try_emplace(l, size);
      if (!inserted && it->second != size && it->second != kDynamic &&
          size != kDynamic) {
        auto err = std::make_unique<SpecError>(
            SpecError::Kind::LabelSize,
            ("label " + detail::quoteLabel(l) + " has sizes " +
             Twine(it->second) + " and " + Twine(size) + " in operand #" +
             Twine(index) + ", but a repeated label needs equal sizes")
                .str());
        err->label = l;
        err->operandA = err->operandB = index;
        err->sizeA = it->second;
        err->sizeB = size;
        return llvm::Error(std::move(err));
      }
      Known &state = labels[l];
      Known before = state;
      if (!mergeBroadcast(state, size, index)) {
        auto err = std::make_unique<SpecError>(
            SpecError::Kind::LabelSize,
            ("label " + detail::quoteLabel(l) + " has size " +
             Twine(before.size) + " in operand #" + Twine(before.operand) +
             " but " + Twine(size) + " in operand #" + Twine(index))
                .str());
        err->label = l;
        err->operandA = before.operand;
        err->operandB = index;
        err->sizeA = before.size;
        err->sizeB = size;
        return llvm::Error(std::move(err));
      }
    }
    ++dim;
  }
  return llvm::Error::success();
}

llvm::Expected<int64_t> ShapeInferrer::product(llvm::ArrayRef<Label> ls,
                                               const Twine &where) {
  int64_t result = 1;
  for (Label l : ls) {
    const Known &k = labels.lookup(l);
    if (!k.known || k.size == kDynamic)
      return kDynamic;
    if (__builtin_mul_overflow(result, k.size, &result))
      return shapeError(SpecError::Kind::Overflow,
                        "the size of " + where +
                            " (the product of its labels' sizes) overflows "
                            "64 bits");
  }
  return result;
}

llvm::Error ShapeInferrer::solveGroups() {
  bool progress = true;
  while (progress) {
    progress = false;
    for (const GroupConstraint &g : groups) {
      llvm::SmallVector<Label> unknown;
      int64_t knownProduct = 1;
      bool anyDynamic = false;
      for (Label l : g.labels) {
        const Known &k = labels[l];
        if (!k.known)
          unknown.push_back(l);
        else if (k.size == kDynamic)
          anyDynamic = true;
        else if (__builtin_mul_overflow(knownProduct, k.size, &knownProduct))
          return shapeError(SpecError::Kind::Overflow,
                            "the size of " + g.where + " overflows 64 bits");
      }
      if (anyDynamic || g.size == kDynamic)
        continue;
      if (unknown.empty()) {
        if (knownProduct != g.size) {
          std::string factors;
          for (Label l : g.labels)
            factors += (factors.empty() ? "" : ", ") +
                       std::string(1, labelToChar(l)) + "=" +
                       std::to_string(labels[l].size);
          auto err = std::make_unique<SpecError>(
              SpecError::Kind::GroupSize,
              (g.where + " has size " + Twine(g.size) +
               ", but the product of its labels' sizes (" + factors + ") is " +
               Twine(knownProduct))
                  .str());
          err->sizeA = g.size;
          err->sizeB = knownProduct;
          return llvm::Error(std::move(err));
        }
      } else if (unknown.size() == 1 && knownProduct != 0) {
        if (g.size % knownProduct != 0)
          return shapeError(SpecError::Kind::GroupSize,
                            g.where + " has size " + Twine(g.size) +
                                ", which is not a multiple of " +
                                Twine(knownProduct) +
                                ", the product of its other labels' sizes");
        labels[unknown.front()] = {g.size / knownProduct, 0, true};
        progress = true;
      }
    }
  }
  return llvm::Error::success();
}

void ShapeInferrer::useResultHint(llvm::ArrayRef<int64_t> result) {
  const Term &out = spec.output;
  unsigned fixed = out.numFixedAxes();
  if (result.size() < fixed || (!out.hasEllipsis() && result.size() != fixed))
    return; // the caller reports the rank mismatch
  unsigned ellipsisRank = result.size() - fixed;
  unsigned dim = 0;
  for (const Axis &axis : out.axes) {
    if (axis.isEllipsis()) {
      dim += ellipsisRank;
      continue;
    }
    if (axis.isLabel()) {
      Known &k = labels[axis.labels.front()];
      if (!k.known)
        k = {result[dim], 0, true};
    }
    ++dim;
  }
}

llvm::Expected<Shape> ShapeInferrer::resultShape() {
  Shape result;
  for (const Axis &axis : spec.output.axes) {
    switch (axis.kind) {
    case Axis::Kind::Ellipsis:
      for (const Known &k : llvm::reverse(ellipsis))
        result.push_back(k.size);
      break;
    case Axis::Kind::Unit:
      result.push_back(1);
      break;
    case Axis::Kind::Label:
      result.push_back(labels.lookup(axis.labels.front()).size);
      break;
    case Axis::Kind::Group: {
      auto size = product(axis.labels,
                          "output group '" + toString(Term{{axis}, {}}) + "'");
      if (!size)
        return size.takeError();
      // Labels seen only inside groups have no size of their own; an input
      // group over the same labels still gives the product.
      if (*size == kDynamic)
        for (const GroupConstraint &g : groups)
          if (g.labels.size() == axis.labels.size() &&
              std::is_permutation(g.labels.begin(), g.labels.end(),
                                  axis.labels.begin()))
            size = g.size;
      result.push_back(*size);
      break;
    }
    }
  }
  return result;
}

llvm::Expected<ShapeInfo>
ShapeInferrer::run(llvm::ArrayRef<Shape> operands,
                   std::optional<llvm::ArrayRef<int64_t>> hint) {
  if (operands.size() != spec.inputs.size()) {
    auto err = std::make_unique<SpecError>(
        SpecError::Kind::OperandCount,
        ("expected " + Twine(spec.inputs.size()) + " operand" +
         (spec.inputs.size() == 1 ? "" : "s") + " for '" + toString(spec) +
         "', but found " + Twine(operands.size()))
            .str());
    return llvm::Error(std::move(err));
  }
  for (auto [index, shape] : llvm::enumerate(operands))
    if (llvm::Error err = visitOperand(index, shape))
      return std::move(err);
  if (llvm::Error err = solveGroups())
    return std::move(err);
  if (hint) {
    useResultHint(*hint);
    if (llvm::Error err = solveGroups())
      return std::move(err);
  }
  auto result = resultShape();
  if (!result)
    return result.takeError();

  ShapeInfo info;
  for (auto &[label, k] : labels)
    info.labelSizes[label] = k.known ? k.size : kDynamic;
  for (const Known &k : llvm::reverse(ellipsis))
    info.ellipsisShape.push_back(k.size);
  info.resultShape = std::move(*result);
  return info;
}

llvm::Expected<ShapeInfo>
mlir::ein::inferShapes(const Spec &spec, llvm::ArrayRef<Shape> operandShapes,
                       std::optional<llvm::ArrayRef<int64_t>> resultShape) {
  return ShapeInferrer(spec).run(operandShapes, resultShape);
}
