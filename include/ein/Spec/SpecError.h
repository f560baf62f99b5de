//===- SpecError.h - Structured einsum errors -------------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Errors of the spec library are values: a kind, a one-line message and the
// facts behind it (spec text, column, label, operands and sizes), so callers
// can render them as MLIR diagnostics, Python exceptions or CLI errors.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_SPEC_SPECERROR_H
#define EIN_SPEC_SPECERROR_H

#include "ein/Spec/Spec.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace mlir::ein {

class SpecError : public llvm::ErrorInfo<SpecError> {
public:
  enum class Kind {
    Syntax,       ///< malformed text (has a column)
    Structure,    ///< well-formed text breaking a rule (output label, ...)
    OperandCount, ///< number of operands differs from the spec's
    Rank,         ///< an operand's rank does not fit its term
    LabelSize,    ///< one label with two incompatible sizes
    GroupSize,    ///< a flattened group's size is not its labels' product
    UnitSize,     ///< a `_` axis whose size is not 1
    Broadcast,    ///< ellipsis dimensions that do not broadcast
    Overflow,     ///< a size that does not fit in 64 bits
  };

  static char ID;

  SpecError(Kind kind, std::string message) : kind(kind), message(message) {}

  Kind kind;
  std::string message;
  /// The spec text as written (syntax errors) or printed.
  std::string spec;
  /// 1-based column in `spec`, for syntax errors.
  std::optional<unsigned> column;
  std::optional<Label> label;
  /// Operand numbers (0-based) and sizes involved, where meaningful.
  std::optional<unsigned> operandA, operandB;
  std::optional<int64_t> sizeA, sizeB;

  void log(llvm::raw_ostream &os) const override { os << message; }
  std::error_code convertToErrorCode() const override {
    return llvm::inconvertibleErrorCode();
  }
};

/// Consumes `err` (which must be a failure) and returns it as a SpecError;
/// errors of other classes become SpecError::Kind::Structure with their text.
SpecError takeSpecError(llvm::Error err);

/// Consumes `err` and returns its one-line message ("" for success).
std::string takeErrorMessage(llvm::Error err);

} // namespace mlir::ein

#endif // EIN_SPEC_SPECERROR_H
