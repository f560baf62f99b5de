//===- Kernel.h - Compiled ein functions for Python -------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// A Kernel is one function of an MLIR module (ein IR text written by the
// Python front), lowered with ein-to-llvm and JIT-compiled once; calling it
// runs it on C-contiguous NumPy arrays of its argument types and returns new
// arrays. Errors are Python ValueErrors carrying the library's message.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_PYTHON_KERNEL_H
#define EIN_PYTHON_KERNEL_H

#include "ein/Runner/Runner.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <memory>
#include <string>

namespace ein_python {

/// The options of the pipeline a kernel is compiled with.
struct CompileOptions {
  std::string algorithm = "auto";
  std::string objective = "flops";
  int64_t memoryLimit = 0;
  int64_t maxStoredBytes = 0;
  int64_t threads = 1;
};

class Kernel {
public:
  /// Parses `text`, lowers and compiles `entry`; throws ValueError.
  Kernel(const std::string &text, const std::string &entry,
         const CompileOptions &options);

  /// Runs on `arrays` (exactly the argument types, C-contiguous); returns
  /// the results as a list of new arrays. Throws ValueError on a mismatch.
  pybind11::list call(const pybind11::args &arrays) const;

  double getCompileSeconds() const { return fn->getCompileSeconds(); }
  /// Argument and result types as MLIR text (`tensor<2x3xf32>`).
  pybind11::list getArgumentTypes() const;
  pybind11::list getResultTypes() const;

private:
  std::unique_ptr<mlir::ein::JitFunction> fn;
};

/// Registers the Kernel class.
void bindKernel(pybind11::module_ &m);

/// Registers spec checking and path planning.
void bindPaths(pybind11::module_ &m);

/// Throws ValueError with the error's message.
[[noreturn]] void throwValueError(llvm::Error error);

} // namespace ein_python

#endif // EIN_PYTHON_KERNEL_H
