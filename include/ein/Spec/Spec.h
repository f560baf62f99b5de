//===- Spec.h - Einsum specifications ---------------------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// The data model of an einsum specification and its text form (parser and
// printer). This library depends on LLVM Support only; the `ein` dialect, the
// command-line tools and the Python package all use it, so there is one
// grammar and one set of error messages.
//
// Grammar (spaces are ignored everywhere):
//
//   spec   ::= term (',' term)* ('->' term)?
//   term   ::= axis* with at most one '...' and, in ein.grad specs, one '%'
//   axis   ::= label | '(' label+ ')' | '...' | '_'
//   label  ::= [a-zA-Z]
//
// Labels are stored as integers: 'A'..'Z' are 0..25 and 'a'..'z' are 26..51,
// so that sorting labels sorts them as numpy sorts subscript characters.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_SPEC_SPEC_H
#define EIN_SPEC_SPEC_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir::ein {

/// A label is an integer; the text form can name labels 0..kNumTextLabels-1.
using Label = int32_t;
inline constexpr Label kNumTextLabels = 52;

/// Returns the label named by `c`, or std::nullopt if `c` is not a letter.
std::optional<Label> labelFromChar(char c);
/// Returns the letter that names `label` (which must be < kNumTextLabels).
char labelToChar(Label label);

/// One axis of a term.
struct Axis {
  enum class Kind : uint8_t {
    Label,    ///< one label: `i`
    Group,    ///< a row-major flattened group of labels: `(ij)`
    Ellipsis, ///< `...`: zero or more broadcast dimensions
    Unit,     ///< `_`: an axis of size 1 (new in outputs, dropped in inputs)
  };

  Kind kind = Kind::Label;
  /// One label for Kind::Label, one or more for Kind::Group, none otherwise.
  llvm::SmallVector<Label, 2> labels;

  static Axis label(Label l) { return {Kind::Label, {l}}; }
  static Axis group(llvm::ArrayRef<Label> ls) {
    return {Kind::Group, llvm::SmallVector<Label, 2>(ls)};
  }
  static Axis ellipsis() { return {Kind::Ellipsis, {}}; }
  static Axis unit() { return {Kind::Unit, {}}; }

  bool isLabel() const { return kind == Kind::Label; }
  bool isGroup() const { return kind == Kind::Group; }
  bool isEllipsis() const { return kind == Kind::Ellipsis; }
  bool isUnit() const { return kind == Kind::Unit; }

  bool operator==(const Axis &other) const {
    return kind == other.kind && labels == other.labels;
  }
  bool operator!=(const Axis &other) const { return !(*this == other); }
};

/// The subscripts of one operand or of the result.
struct Term {
  llvm::SmallVector<Axis, 4> axes;
  /// For an eingrad term `Y%X`: the index in `axes` where X's axes start
  /// (axes before it are Y's).
  std::optional<unsigned> derivativeSplit;

  bool hasEllipsis() const;
  /// The number of axes other than `...` (the rank when there is no `...`).
  unsigned numFixedAxes() const;
  /// Every label of the term in order, group labels included.
  llvm::SmallVector<Label> allLabels() const;

  bool operator==(const Term &other) const {
    return axes == other.axes && derivativeSplit == other.derivativeSplit;
  }
  bool operator!=(const Term &other) const { return !(*this == other); }
};

/// A whole specification. The output is always explicit here: the parser
/// resolves an implicit output with numpy's rule.
struct Spec {
  llvm::SmallVector<Term, 2> inputs;
  Term output;

  unsigned getNumInputs() const { return inputs.size(); }
  /// True if some input carries the eingrad marker `%`.
  bool hasDerivative() const;
  /// True if the spec uses `...`, `(..)` or `_` anywhere.
  bool hasReshapes() const;
  /// True for a one-operand spec whose output equals its input and that has
  /// no repeated label: the contraction is the identity.
  bool isIdentity() const;

  bool operator==(const Spec &other) const {
    return inputs == other.inputs && output == other.output;
  }
  bool operator!=(const Spec &other) const { return !(*this == other); }
};

llvm::hash_code hash_value(const Axis &axis);
llvm::hash_code hash_value(const Term &term);
llvm::hash_code hash_value(const Spec &spec);

/// What the caller of the parser permits beyond numpy's einsum.
struct ParseOptions {
  /// Allow the eingrad derivative marker `%` (once, in an input).
  bool allowDerivative = false;
};

/// Parses einsum text. Errors are SpecError values naming the spec and the
/// column (1-based) of the problem.
llvm::Expected<Spec> parseSpec(llvm::StringRef text,
                               const ParseOptions &options = {});

/// Prints the canonical text: no spaces, explicit output, e.g. `ij,jk->ik`.
void printSpec(llvm::raw_ostream &os, const Spec &spec);
void printTerm(llvm::raw_ostream &os, const Term &term);
std::string toString(const Spec &spec);
std::string toString(const Term &term);

/// Checks the rules that do not depend on how a spec was written (the parser
/// applies them too; builders of Spec values call this): every label can be
/// printed, groups are non-empty with distinct labels, at most one `...` per
/// term, `%` only in inputs and at most once, every output label occurs in an
/// input, and repeated output labels (diagonal embedding) repeat every output
/// label equally.
llvm::Error verifySpec(const Spec &spec);

} // namespace mlir::ein

#endif // EIN_SPEC_SPEC_H
