//===- EinModule.cpp - The `ein._ein` extension module --------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "Kernel.h"

namespace py = pybind11;

PYBIND11_MODULE(_ein, m) {
  m.doc() = "ein's C++ library: spec checks, contraction paths and "
            "JIT-compiled kernels (used by the `ein` package)";
  ein_python::bindPaths(m);
  ein_python::bindKernel(m);
}
