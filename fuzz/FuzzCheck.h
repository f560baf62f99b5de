//===- FuzzCheck.h - Property checks of the fuzz targets --------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_FUZZ_FUZZCHECK_H
#define EIN_FUZZ_FUZZCHECK_H

#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

/// Aborts (a crash libFuzzer records) with "<target> fuzzer: <what>" unless
/// `condition` holds.
inline void fuzzCheck(bool condition, const char *target, const char *what) {
  if (condition)
    return;
  llvm::errs() << target << " fuzzer: " << what << "\n";
  std::abort();
}

#endif // EIN_FUZZ_FUZZCHECK_H
