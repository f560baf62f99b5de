//===- SpecError.cpp - Structured einsum errors ---------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Spec/SpecError.h"

using namespace mlir::ein;

char SpecError::ID = 0;

SpecError mlir::ein::takeSpecError(llvm::Error err) {
  std::optional<SpecError> result;
  llvm::handleAllErrors(
      std::move(err), [&](const SpecError &e) { result = e; },
      [&](const llvm::ErrorInfoBase &e) {
        result = SpecError(SpecError::Kind::Structure, e.message());
      });
  if (!result)
    return SpecError(SpecError::Kind::Structure, "unknown error");
  return *result;
}

std::string mlir::ein::takeErrorMessage(llvm::Error err) {
  if (!err)
    return "";
  return takeSpecError(std::move(err)).message;
}
