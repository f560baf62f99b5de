//===- SpecTestUtils.h - Helpers for the spec unit tests --------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_UNITTESTS_SPEC_SPECTESTUTILS_H
#define EIN_UNITTESTS_SPEC_SPECTESTUTILS_H

#include "ein/Spec/ShapeInference.h"
#include "ein/Spec/Spec.h"
#include "ein/Spec/SpecError.h"

#include <gtest/gtest.h>

namespace mlir::ein::test {

/// Parses `text`, failing the test (with the library's message) on error.
inline Spec parseOrFail(llvm::StringRef text, bool allowDerivative = false) {
  ParseOptions options;
  options.allowDerivative = allowDerivative;
  llvm::Expected<Spec> spec = parseSpec(text, options);
  if (!spec) {
    ADD_FAILURE() << "parsing '" << text.str()
                  << "' failed: " << takeErrorMessage(spec.takeError());
    return Spec();
  }
  return std::move(*spec);
}

/// Parses `text`, expecting failure; returns the error.
inline SpecError parseError(llvm::StringRef text,
                            bool allowDerivative = false) {
  ParseOptions options;
  options.allowDerivative = allowDerivative;
  llvm::Expected<Spec> spec = parseSpec(text, options);
  if (spec) {
    ADD_FAILURE() << "parsing '" << text.str() << "' succeeded as '"
                  << toString(*spec) << "'";
    return SpecError(SpecError::Kind::Structure, "");
  }
  return takeSpecError(spec.takeError());
}

/// The canonical text of `text`.
inline std::string canonical(llvm::StringRef text,
                             bool allowDerivative = false) {
  return toString(parseOrFail(text, allowDerivative));
}

/// Infers the result shape; on error returns {-1} and records the message.
inline Shape resultShape(llvm::StringRef text, llvm::ArrayRef<Shape> shapes,
                         std::string *error = nullptr) {
  Spec spec = parseOrFail(text, /*allowDerivative=*/true);
  llvm::Expected<ShapeInfo> info = inferShapes(spec, shapes);
  if (!info) {
    std::string message = takeErrorMessage(info.takeError());
    if (error)
      *error = message;
    else
      ADD_FAILURE() << "shape inference for '" << text.str()
                    << "' failed: " << message;
    return {-1};
  }
  return info->resultShape;
}

/// Infers shapes expecting failure; returns the error.
inline SpecError shapeError(llvm::StringRef text,
                            llvm::ArrayRef<Shape> shapes) {
  Spec spec = parseOrFail(text, /*allowDerivative=*/true);
  llvm::Expected<ShapeInfo> info = inferShapes(spec, shapes);
  if (info) {
    ADD_FAILURE() << "shape inference for '" << text.str()
                  << "' succeeded with " << shapeToString(info->resultShape);
    return SpecError(SpecError::Kind::Structure, "");
  }
  return takeSpecError(info.takeError());
}

inline Label L(char c) { return *labelFromChar(c); }

} // namespace mlir::ein::test

#endif // EIN_UNITTESTS_SPEC_SPECTESTUTILS_H
