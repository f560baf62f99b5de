//===- Spec.cpp - Einsum specification model and printer ------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Spec/Spec.h"
#include "SpecDetail.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"

using namespace mlir::ein;
using llvm::Twine;

//===----------------------------------------------------------------------===//
// Labels
//===----------------------------------------------------------------------===//

std::optional<Label> mlir::ein::labelFromChar(char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return 26 + (c - 'a');
  return std::nullopt;
}

char mlir::ein::labelToChar(Label label) {
  if (label >= 0 && label < 26)
    return static_cast<char>('A' + label);
  if (label >= 26 && label < kNumTextLabels)
    return static_cast<char>('a' + (label - 26));
  return '?';
}

std::string detail::quoteLabel(Label label) {
  if (label >= 0 && label < kNumTextLabels)
    return std::string("'") + labelToChar(label) + "'";
  return "#" + std::to_string(label);
}

//===----------------------------------------------------------------------===//
// Model
//===----------------------------------------------------------------------===//

bool Term::hasEllipsis() const {
  return llvm::any_of(axes, [](const Axis &a) { return a.isEllipsis(); });
}

unsigned Term::numFixedAxes() const {
  return llvm::count_if(axes, [](const Axis &a) { return !a.isEllipsis(); });
}

llvm::SmallVector<Label> Term::allLabels() const {
  llvm::SmallVector<Label> result;
  for (const Axis &axis : axes)
    result.append(axis.labels.begin(), axis.labels.end());
  return result;
}

bool Spec::hasDerivative() const {
  return llvm::any_of(
      inputs, [](const Term &t) { return t.derivativeSplit.has_value(); });
}

bool Spec::hasReshapes() const {
  auto termHas = [](const Term &t) {
    return llvm::any_of(t.axes, [](const Axis &a) { return !a.isLabel(); });
  };
  return termHas(output) || llvm::any_of(inputs, termHas);
}

bool Spec::isIdentity() const {
  if (inputs.size() != 1 || inputs[0] != output || output.derivativeSplit)
    return false;
  llvm::SmallSet<Label, 8> seen;
  for (Label l : output.allLabels())
    if (!seen.insert(l).second)
      return false;
  return true;
}

llvm::hash_code mlir::ein::hash_value(const Axis &axis) {
  return llvm::hash_combine(
      static_cast<uint8_t>(axis.kind),
      llvm::hash_combine_range(axis.labels.begin(), axis.labels.end()));
}

llvm::hash_code mlir::ein::hash_value(const Term &term) {
  return llvm::hash_combine(
      llvm::hash_combine_range(term.axes.begin(), term.axes.end()),
      term.derivativeSplit.value_or(~0u));
}

llvm::hash_code mlir::ein::hash_value(const Spec &spec) {
  return llvm::hash_combine(
      llvm::hash_combine_range(spec.inputs.begin(), spec.inputs.end()),
      spec.output);
}

//===----------------------------------------------------------------------===//
// Printer
//===----------------------------------------------------------------------===//

void mlir::ein::printTerm(llvm::raw_ostream &os, const Term &term) {
  for (auto [index, axis] : llvm::enumerate(term.axes)) {
    if (term.derivativeSplit == index)
      os << '%';
    switch (axis.kind) {
    case Axis::Kind::Label:
      os << labelToChar(axis.labels.front());
      break;
    case Axis::Kind::Group:
      os << '(';
      for (Label l : axis.labels)
        os << labelToChar(l);
      os << ')';
      break;
    case Axis::Kind::Ellipsis:
      os << "...";
      break;
    case Axis::Kind::Unit:
      os << '_';
      break;
    }
  }
  if (term.derivativeSplit == term.axes.size())
    os << '%';
}

void mlir::ein::printSpec(llvm::raw_ostream &os, const Spec &spec) {
  llvm::interleave(
      spec.inputs, os, [&](const Term &t) { printTerm(os, t); }, ",");
  os << "->";
  printTerm(os, spec.output);
}

std::string mlir::ein::toString(const Spec &spec) {
  std::string text;
  llvm::raw_string_ostream os(text);
  printSpec(os, spec);
  return text;
}

std::string mlir::ein::toString(const Term &term) {
  std::string text;
  llvm::raw_string_ostream os(text);
  printTerm(os, term);
  return text;
}

//===----------------------------------------------------------------------===//
// Structural rules
//===----------------------------------------------------------------------===//

llvm::Error detail::makeSpecError(SpecError::Kind kind, llvm::StringRef text,
                                  std::optional<unsigned> column,
                                  const Twine &what) {
  std::string escaped;
  for (unsigned char c : text) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      escaped += static_cast<char>(c);
    } else {
      static const char *hex = "0123456789abcdef";
      escaped += "\\x";
      escaped += hex[c >> 4];
      escaped += hex[c & 15];
    }
  }
  std::string message =
      ("invalid einsum spec '" + escaped + "': " + what).str();
  if (column)
    message += " at column " + std::to_string(*column);
  auto err = std::make_unique<SpecError>(kind, message);
  err->spec = text.str();
  err->column = column;
  return llvm::Error(std::move(err));
}

llvm::Error detail::checkStructure(const Spec &spec, llvm::StringRef text,
                                   const AxisColumns *columns) {
  unsigned numTerms = spec.inputs.size() + 1;
  auto termAt = [&](unsigned t) -> const Term & {
    return t < spec.inputs.size() ? spec.inputs[t] : spec.output;
  };
  auto columnOf = [&](unsigned t, unsigned a) -> std::optional<unsigned> {
    if (!columns || t >= columns->size() || a >= (*columns)[t].size())
      return std::nullopt;
    return (*columns)[t][a];
  };
  auto fail = [&](std::optional<unsigned> column, const Twine &what) {
    return makeSpecError(SpecError::Kind::Structure, text, column, what);
  };

  if (spec.inputs.empty())
    return fail(std::nullopt, "expected at least one operand");

  bool sawDerivative = false;
  for (unsigned t = 0; t < numTerms; ++t) {
    const Term &term = termAt(t);
    bool isOutput = t == spec.inputs.size();
    bool sawEllipsis = false;
    for (auto [a, axis] : llvm::enumerate(term.axes)) {
      for (Label l : axis.labels)
        if (l < 0 || l >= kNumTextLabels)
          return fail(columnOf(t, a), "label #" + Twine(l) +
                                          " has no letter (einsum text names "
                                          "at most 52 labels, a-z and A-Z)");
      if (axis.isLabel() && axis.labels.size() != 1)
        return fail(columnOf(t, a), "a label axis must hold one label");
      if (!axis.isLabel() && !axis.isGroup() && !axis.labels.empty())
        return fail(columnOf(t, a), "'...' and '_' axes hold no labels");
      if (axis.isGroup()) {
        if (axis.labels.empty())
          return fail(columnOf(t, a), "empty group '()'");
        llvm::SmallSet<Label, 4> inGroup;
        for (Label l : axis.labels)
          if (!inGroup.insert(l).second)
            return fail(columnOf(t, a),
                        "label " + quoteLabel(l) + " repeats inside a group");
      }
      if (axis.isEllipsis()) {
        if (sawEllipsis)
          return fail(columnOf(t, a), "second '...' in one term");
        sawEllipsis = true;
      }
    }
    if (term.derivativeSplit) {
      if (isOutput)
        return fail(std::nullopt, "the derivative marker '%' is not allowed "
                                  "in the output");
      if (sawDerivative)
        return fail(std::nullopt, "more than one derivative marker '%'");
      if (*term.derivativeSplit > term.axes.size())
        return fail(std::nullopt, "derivative marker position out of range");
      sawDerivative = true;
    }
  }

  // Output labels must come from the inputs.
  llvm::SmallSet<Label, 16> inputLabels;
  for (const Term &term : spec.inputs)
    for (Label l : term.allLabels())
      inputLabels.insert(l);
  llvm::DenseMap<Label, unsigned> outputCount;
  llvm::SmallVector<Label> outputOrder;
  for (auto [a, axis] : llvm::enumerate(spec.output.axes)) {
    for (Label l : axis.labels) {
      if (!inputLabels.contains(l))
        return fail(columnOf(numTerms - 1, a),
                    "output label " + quoteLabel(l) +
                        " does not occur in any input");
      if (outputCount[l]++ == 0)
        outputOrder.push_back(l);
    }
  }

  auto times = [](unsigned n) -> std::string {
    return n == 1 ? "once" : n == 2 ? "twice" : std::to_string(n) + " times";
  };
  // A diagonal embedding (`i->ii`, `ij->jiji`) repeats every output label
  // the same number of times; anything else (`ij->jij`) is rejected, as numpy
  // rejects every repeated output subscript.
  for (Label l : outputOrder) {
    unsigned first = outputCount[outputOrder.front()];
    if (outputCount[l] != first) {
      Label more = outputCount[l] > first ? l : outputOrder.front();
      Label fewer = more == l ? outputOrder.front() : l;
      return fail(std::nullopt,
                  "output label " + quoteLabel(more) + " appears " +
                      times(outputCount[more]) + " but " + quoteLabel(fewer) +
                      " appears " + times(outputCount[fewer]) +
                      "; an output label may repeat only in a diagonal "
                      "embedding that repeats every output label equally "
                      "(e.g. 'i->ii', 'ij->ijij')");
    }
  }
  return llvm::Error::success();
}

llvm::Error mlir::ein::verifySpec(const Spec &spec) {
  return detail::checkStructure(spec, toString(spec), nullptr);
}
