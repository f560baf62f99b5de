//===- Kernel.cpp - Compiled ein functions for Python ---------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "Kernel.h"
#include "ein/Runner/Buffers.h"
#include "ein/Runner/ParallelJit.h"

#include "ein/InitAll.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"

#include <mutex>

namespace py = pybind11;
using namespace mlir;
using namespace ein_python;

/// ValueError with `message`, or MemoryError when it is ein-check-buffers'
/// (an intermediate or result above the buffer limit).
[[noreturn]] static void throwCompileError(const std::string &message) {
  if (message.find("more than the buffer limit") != std::string::npos) {
    PyErr_SetString(PyExc_MemoryError, message.c_str());
    throw py::error_already_set();
  }
  throw py::value_error(message);
}

void ein_python::throwValueError(llvm::Error error) {
  throwCompileError(llvm::toString(std::move(error)));
}

namespace {

/// The process's one context (every kernel is compiled in it, one at a
/// time) and the lock that serialises compilation.
struct CompilerState {
  CompilerState() {
    DialectRegistry registry;
    registerAllDialects(registry);
    registerAllExtensions(registry);
    ein::registerAllDialects(registry);
    context = std::make_unique<MLIRContext>(registry);
    context->loadAllAvailableDialects();
  }
  std::unique_ptr<MLIRContext> context;
  std::mutex mutex;
};

CompilerState &compilerState() {
  static CompilerState *state = new CompilerState();
  return *state;
}

} // namespace

Kernel::Kernel(const std::string &text, const std::string &entry,
               const CompileOptions &options) {
  CompilerState &state = compilerState();
  std::string firstError;
  llvm::Expected<std::unique_ptr<ein::JitFunction>> compiled =
      llvm::createStringError("not compiled");
  {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(state.mutex);
    ScopedDiagnosticHandler handler(state.context.get(), [&](Diagnostic &d) {
      if (d.getSeverity() == DiagnosticSeverity::Error && firstError.empty())
        firstError = ein::describeDiagnostic(d);
      return success();
    });
    OwningOpRef<ModuleOp> module =
        parseSourceString<ModuleOp>(text, state.context.get(), "ein.mlir");
    if (module) {
      ein::EinPipelineOptions pipeline;
      pipeline.algorithm = options.algorithm;
      pipeline.objective = options.objective;
      pipeline.memoryLimit = options.memoryLimit;
      pipeline.maxStoredBytes = options.maxStoredBytes;
      pipeline.threads = options.threads;
      llvm::consumeError(compiled.takeError());
      compiled = ein::JitFunction::compile(*module, entry, &pipeline);
    }
  }
  if (!firstError.empty() && !compiled) {
    llvm::consumeError(compiled.takeError());
    throwCompileError(firstError);
  }
  if (!compiled)
    throwValueError(compiled.takeError());
  fn = std::move(*compiled);
}

static py::dtype dtypeOf(ein::DType dtype) {
  return dtype == ein::DType::F32 ? py::dtype::of<float>()
                                  : py::dtype::of<double>();
}

py::list Kernel::call(const py::args &arrays) const {
  auto args = fn->getArguments();
  if (arrays.size() != args.size())
    throw py::value_error("expected " + std::to_string(args.size()) +
                          " arrays, found " + std::to_string(arrays.size()));
  llvm::SmallVector<const void *, 4> inputs;
  llvm::SmallVector<py::array, 4> keep;
  for (auto [k, sig] : llvm::enumerate(args)) {
    py::handle object = arrays[k];
    if (!py::isinstance<py::array>(object))
      throw py::type_error("expected a numpy.ndarray for argument #" +
                           std::to_string(k));
    auto array = py::reinterpret_borrow<py::array>(object);
    bool fits = array.dtype().is(dtypeOf(sig.dtype)) &&
                (array.flags() & py::array::c_style) &&
                size_t(array.ndim()) == sig.shape.size();
    for (size_t d = 0; fits && d < sig.shape.size(); ++d)
      fits = array.shape(d) == sig.shape[d];
    if (!fits)
      throw py::value_error("argument #" + std::to_string(k) +
                            " must be a C-contiguous " + sig.str());
    inputs.push_back(array.data());
    keep.push_back(std::move(array));
  }
  llvm::SmallVector<ein::JitFunction::OwnedResult, 2> outputs;
  llvm::Error error = llvm::Error::success();
  {
    py::gil_scoped_release release;
    error = fn->runOwned(inputs, outputs);
  }
  if (error)
    throwValueError(std::move(error));
  // NumPy arrays over the buffers the compiled code returned: no copy.
  py::list results;
  for (auto [sig, out] : llvm::zip_equal(fn->getResults(), outputs)) {
    py::capsule owner(out.owner, [](void *p) { ein::releaseBuffer(p); });
    results.append(py::array(
        dtypeOf(sig.dtype),
        std::vector<py::ssize_t>(sig.shape.begin(), sig.shape.end()),
        out.data, owner));
  }
  return results;
}

static py::list typesOf(llvm::ArrayRef<ein::TensorSignature> signatures) {
  py::list types;
  for (const ein::TensorSignature &sig : signatures)
    types.append(sig.str());
  return types;
}

py::list Kernel::getArgumentTypes() const {
  return typesOf(fn->getArguments());
}
py::list Kernel::getResultTypes() const { return typesOf(fn->getResults()); }

void ein_python::bindKernel(py::module_ &m) {
  py::class_<CompileOptions>(m, "CompileOptions")
      .def(py::init<>())
      .def_readwrite("algorithm", &CompileOptions::algorithm)
      .def_readwrite("objective", &CompileOptions::objective)
      .def_readwrite("memory_limit", &CompileOptions::memoryLimit)
      .def_readwrite("max_stored_bytes", &CompileOptions::maxStoredBytes)
      .def_readwrite("threads", &CompileOptions::threads);
  py::class_<Kernel>(m, "Kernel")
      .def(py::init<const std::string &, const std::string &,
                    const CompileOptions &>(),
           py::arg("text"), py::arg("entry"), py::arg("options"))
      .def("__call__", &Kernel::call)
      .def_property_readonly("compile_seconds", &Kernel::getCompileSeconds)
      .def_property_readonly("argument_types", &Kernel::getArgumentTypes)
      .def_property_readonly("result_types", &Kernel::getResultTypes);
  m.def("set_buffer_limit", &ein::setBufferLimit, py::arg("nbytes"));
  m.def("buffer_limit", &ein::bufferLimit);
  m.def("physical_memory", &ein::physicalMemoryBytes);
  m.def("gemm_kernel_cache", [] {
    mlir::ein::KernelCacheStats stats = mlir::ein::kernelCacheStats();
    return py::make_tuple(stats.kernels, stats.reuses, stats.loads,
                         stats.bundled);
  });
}
