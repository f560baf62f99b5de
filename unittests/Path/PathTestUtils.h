//===- PathTestUtils.h - Helpers for the path unit tests --------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_UNITTESTS_PATH_PATHTESTUTILS_H
#define EIN_UNITTESTS_PATH_PATHTESTUTILS_H

#include "ein/Path/Path.h"
#include "ein/Path/SpecProblem.h"
#include "ein/Spec/SpecError.h"

#include <gtest/gtest.h>

namespace mlir::ein::test {

/// The path problem of `spec` on `shapes`; fails the test on error.
inline path::Problem problemOf(llvm::StringRef spec,
                               llvm::ArrayRef<Shape> shapes) {
  llvm::Expected<Spec> parsed = parseSpec(spec);
  if (!parsed) {
    ADD_FAILURE() << takeErrorMessage(parsed.takeError());
    return {};
  }
  llvm::Expected<path::Problem> problem = path::problemFromSpec(*parsed, shapes);
  if (!problem) {
    ADD_FAILURE() << takeErrorMessage(problem.takeError());
    return {};
  }
  return std::move(*problem);
}

/// Plans `spec` on `shapes` with `algorithm`; fails the test on error.
inline path::PathInfo plan(llvm::StringRef spec, llvm::ArrayRef<Shape> shapes,
                           path::Algorithm algorithm,
                           path::Options options = {}) {
  options.algorithm = algorithm;
  llvm::Expected<path::PathInfo> info =
      path::optimizePath(problemOf(spec, shapes), options);
  if (!info) {
    ADD_FAILURE() << llvm::toString(info.takeError());
    return {};
  }
  return std::move(*info);
}

inline std::string linear(const path::PathInfo &info) {
  std::string text;
  llvm::raw_string_ostream os(text);
  path::printPathLinear(os, info);
  return text;
}

} // namespace mlir::ein::test

#endif // EIN_UNITTESTS_PATH_PATHTESTUTILS_H
