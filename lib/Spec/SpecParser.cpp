//===- SpecParser.cpp - Einsum text parser --------------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "SpecDetail.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir::ein;
using llvm::Twine;

namespace {

/// A character for an error message: `'x'`, or `byte 0xNN` if unprintable.
std::string describeChar(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f)
    return std::string("'") + c + "'";
  static const char *hex = "0123456789abcdef";
  return std::string("byte 0x") + hex[u >> 4] + hex[u & 15];
}

class SpecParser {
public:
  SpecParser(llvm::StringRef text, const ParseOptions &options)
      : text(text), options(options) {}

  llvm::Expected<Spec> parse();

private:
  llvm::Error syntax(size_t pos, const Twine &what) {
    return detail::makeSpecError(SpecError::Kind::Syntax, text, pos + 1, what);
  }
  llvm::Error unexpected(size_t pos, const std::string &why = "") {
    std::string what = "unexpected " + describeChar(text[pos]);
    if (!why.empty())
      what += " (" + why + ")";
    return syntax(pos, what);
  }
  void finishTerm();
  void resolveImplicitOutput();

  llvm::StringRef text;
  const ParseOptions &options;
  Spec spec;
  detail::AxisColumns columns;
  Term current;
  llvm::SmallVector<unsigned, 4> currentColumns;
  bool inOutput = false;
  bool sawArrow = false;
};

} // namespace

void SpecParser::finishTerm() {
  if (inOutput) {
    spec.output = std::move(current);
  } else {
    spec.inputs.push_back(std::move(current));
  }
  columns.push_back(std::move(currentColumns));
  current = Term();
  currentColumns.clear();
}

/// numpy's rule: the labels that occur exactly once, sorted, after `...` if
/// any input has one.
void SpecParser::resolveImplicitOutput() {
  llvm::DenseMap<Label, unsigned> count;
  bool anyEllipsis = false;
  for (const Term &term : spec.inputs) {
    anyEllipsis |= term.hasEllipsis();
    for (Label l : term.allLabels())
      ++count[l];
  }
  llvm::SmallVector<Label> once;
  for (auto [label, n] : count)
    if (n == 1)
      once.push_back(label);
  llvm::sort(once);
  Term output;
  if (anyEllipsis)
    output.axes.push_back(Axis::ellipsis());
  for (Label l : once)
    output.axes.push_back(Axis::label(l));
  spec.output = std::move(output);
  columns.push_back({});
}

llvm::Expected<Spec> SpecParser::parse() {
  if (llvm::all_of(text, [](char c) { return c == ' ' || c == '\t'; }))
    return detail::makeSpecError(
        SpecError::Kind::Syntax, text, std::nullopt,
        "empty spec (write '->' for a scalar operand and result)");

  std::optional<size_t> groupStart;
  llvm::SmallVector<Label, 4> groupLabels;
  std::optional<size_t> derivativePos;

  for (size_t pos = 0; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == ' ' || c == '\t')
      continue;
    if (std::optional<Label> label = labelFromChar(c)) {
      if (groupStart) {
        groupLabels.push_back(*label);
      } else {
        current.axes.push_back(Axis::label(*label));
        currentColumns.push_back(pos + 1);
      }
      continue;
    }
    if (groupStart && c != ')')
      return unexpected(pos, "a group holds only labels");
    switch (c) {
    case '(':
      groupStart = pos;
      groupLabels.clear();
      break;
    case ')': {
      if (!groupStart)
        return unexpected(pos, "no group is open");
      if (groupLabels.empty())
        return syntax(*groupStart, "empty group '()'");
      for (auto [i, l] : llvm::enumerate(groupLabels))
        if (llvm::is_contained(llvm::ArrayRef(groupLabels).take_front(i), l))
          return syntax(*groupStart, "label '" + Twine(labelToChar(l)) +
                                         "' repeats inside the group");
      current.axes.push_back(Axis::group(groupLabels));
      currentColumns.push_back(*groupStart + 1);
      groupStart.reset();
      break;
    }
    case '.':
      if (!text.substr(pos).starts_with("..."))
        return syntax(pos, "'.' that is not part of an ellipsis '...'");
      if (current.hasEllipsis())
        return syntax(pos, "second '...' in one term");
      current.axes.push_back(Axis::ellipsis());
      currentColumns.push_back(pos + 1);
      pos += 2;
      break;
    case '_':
      current.axes.push_back(Axis::unit());
      currentColumns.push_back(pos + 1);
      break;
    case '%':
      if (!options.allowDerivative)
        return unexpected(pos, "the derivative marker '%' is only allowed in "
                               "ein.grad specs");
      if (inOutput)
        return unexpected(pos, "the derivative marker '%' is not allowed in "
                               "the output");
      if (derivativePos)
        return unexpected(pos, "a spec has at most one '%'; the first is at "
                               "column " +
                                   std::to_string(*derivativePos + 1));
      derivativePos = pos;
      current.derivativeSplit = current.axes.size();
      break;
    case ',':
      if (inOutput)
        return unexpected(pos, "the output is a single term");
      finishTerm();
      break;
    case '-':
      if (pos + 1 >= text.size() || text[pos + 1] != '>')
        return unexpected(pos, "expected '->'");
      if (sawArrow)
        return unexpected(pos, "a spec has one '->'");
      finishTerm();
      inOutput = sawArrow = true;
      ++pos;
      break;
    default:
      return unexpected(pos);
    }
  }
  if (groupStart)
    return syntax(*groupStart, "group '(' is never closed");
  finishTerm();
  if (!sawArrow)
    resolveImplicitOutput();

  if (llvm::Error err = detail::checkStructure(spec, text, &columns))
    return std::move(err);
  return std::move(spec);
}

llvm::Expected<Spec> mlir::ein::parseSpec(llvm::StringRef text,
                                          const ParseOptions &options) {
  return SpecParser(text, options).parse();
}
