//===- ProgramGenerator.h - MLIR programs around a fuzzed spec --*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Writes an MLIR program around an einsum spec for the pipeline fuzzer:
// operand shapes consistent with the spec (label sizes from control bytes,
// some dimensions dynamic), f32 or f64, and one of several program shapes.
// Some control bytes deliberately break the program (a wrong result type, a
// wrong operand size) so that the verifiers' error paths run too.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_FUZZ_PROGRAMGENERATOR_H
#define EIN_FUZZ_PROGRAMGENERATOR_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace mlir::ein::fuzz {

struct ProgramChoice {
  /// 0 contraction, 1 with math.exp and ein.add, 2 chained with a second
  /// contraction, 3 vector-Jacobian product, 4 Jacobian.
  unsigned kind = 0;
  /// Index into the fuzzer's pipeline list.
  unsigned pipeline = 0;
  bool f64 = false;
  /// Operands whose dimensions are all dynamic (bit i: operand i).
  unsigned dynamicOperands = 0;
  /// Break the program: 1 a wrong result type, 2 a wrong operand size.
  unsigned breakage = 0;
  /// Label sizes and `...` ranks, consumed in order.
  llvm::SmallVector<uint8_t> sizes;
};

/// Decodes control bytes (missing ones default to a plain contraction).
ProgramChoice chooseProgram(llvm::StringRef bytes);

/// The program's text, or "" when `specText` is not a spec without `%`.
std::string generateProgram(llvm::StringRef specText,
                            const ProgramChoice &choice);

} // namespace mlir::ein::fuzz

#endif // EIN_FUZZ_PROGRAMGENERATOR_H
