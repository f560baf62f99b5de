//===- Runner.h - JIT-compile and run ein functions -------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Lowers a module with the ein-to-llvm pipeline, JIT-compiles it with
// mlir::ExecutionEngine and calls one function on host arrays: tensors in,
// tensors out, through the C interface (memref descriptors).
//
//===----------------------------------------------------------------------===//

#ifndef EIN_RUNNER_RUNNER_H
#define EIN_RUNNER_RUNNER_H

#include "ein/Pipelines/Pipelines.h"
#include "ein/Runner/Npy.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"

#include <memory>

namespace mlir::ein {

/// A function argument or result: element type and shape (ShapedType's
/// kDynamic for dynamic dimensions).
struct TensorSignature {
  DType dtype;
  llvm::SmallVector<int64_t, 4> shape;
  /// `tensor<2x?xf32>`.
  std::string str() const;
};

/// Checks that `entry` in `module` is a func.func on ranked f32/f64 tensors
/// and returns its argument and result signatures.
llvm::Error getSignature(ModuleOp module, llvm::StringRef entry,
                         llvm::SmallVectorImpl<TensorSignature> &args,
                         llvm::SmallVectorImpl<TensorSignature> &results);

/// A diagnostic as one line: `file:line:col: message` (newlines become
/// spaces).
std::string describeDiagnostic(Diagnostic &diag);

/// Lowers `module` in place to the LLVM dialect with ein-to-llvm, after
/// marking `entry` for the C interface and its arguments read-only.
/// Diagnostics are turned into the returned error's one-line message.
/// `pipeline` selects the path options (default: ein-to-llvm's defaults).
/// With `gpu`, lowers with ein-to-nvvm instead (path options from `gpu`).
/// `afterKernels` (CPU only) runs where buildEinToLLVMPipeline's does, with
/// the options that act after it as text (index bit width, calling
/// convention; the thread count acts on parallel loops only).
using KernelHook = std::function<void(ModuleOp, llvm::StringRef)>;
llvm::Error lowerForJit(ModuleOp module, llvm::StringRef entry,
                        const EinPipelineOptions *pipeline = nullptr,
                        const EinToNVVMPipelineOptions *gpu = nullptr,
                        KernelHook afterKernels = nullptr);

/// The GPU code (PTX text for format=isa) of each gpu.binary in a module
/// that ein-to-nvvm lowered, as (binary name, code) pairs.
llvm::SmallVector<std::pair<std::string, std::string>>
getGpuBinaries(ModuleOp module);

/// Called when a runtime check of compiled code fails (for example dynamic
/// sizes that disagree) where the failure cannot come back from
/// JitFunction's run/time calls as an error: on a thread that is not
/// running a JitFunction call. Must not return. The default prints
/// `ein: error: MESSAGE` and exits with status 1. Inside an OpenMP parallel
/// region a buffer above bufferLimit() is still allocated and comes back as
/// the call's error when it returns (with several calls in flight at once,
/// an error on a worker thread comes back from all of them); any other
/// failure there prints `ein: error: MESSAGE` and ends the process with
/// status 1 at once, without the handler (exit handlers would run while
/// other threads still run compiled code).
using RuntimeErrorHandler = void (*)(const char *message);
void setRuntimeErrorHandler(RuntimeErrorHandler handler);

class JitFunction {
public:
  /// Lowers `module` (see lowerForJit) and compiles `entry`. With `gpu`,
  /// the function runs on the GPU through libein_cuda_runtime (inputs
  /// copied in, results copied out); fails when no GPU can be used.
  static llvm::Expected<std::unique_ptr<JitFunction>>
  compile(ModuleOp module, llvm::StringRef entry,
          const EinPipelineOptions *pipeline = nullptr,
          const EinToNVVMPipelineOptions *gpu = nullptr);

  /// Checks `inputs` against the signature, runs the function and returns
  /// its results as C-order arrays.
  llvm::Expected<std::vector<HostArray>> run(llvm::ArrayRef<HostArray> inputs);

  /// A result handed over to the caller: `data` is C-contiguous with the
  /// result signature's shape and lives until the caller calls
  /// releaseBuffer(owner) (ein/Runner/Buffers.h).
  struct OwnedResult {
    void *owner = nullptr;
    char *data = nullptr;
  };

  /// Runs on caller-owned inputs, for bindings: `inputs` are C-contiguous
  /// arrays of the argument signatures, which must all be static (dtype and
  /// shape are the caller's to check; no other checks or copies). Results
  /// are handed over without copies where possible: a contiguous result
  /// buffer that the compiled code allocated as is; others (aliases of
  /// inputs, constants, strided views) copied into a new buffer.
  llvm::Error runOwned(llvm::ArrayRef<const void *> inputs,
                       llvm::SmallVectorImpl<OwnedResult> &outputs);

  /// Runs once and returns the seconds spent in the compiled code alone;
  /// for GPU code, `kernelSeconds` (if given) receives the time of the
  /// kernels alone, measured with CUDA events.
  llvm::Expected<double> time(llvm::ArrayRef<HostArray> inputs,
                              double *kernelSeconds = nullptr);

  bool isGpu() const { return gpu; }

  /// Seconds spent lowering and compiling.
  double getCompileSeconds() const { return compileSeconds; }
  /// Of those: the MLIR pipeline (ein's passes and the lowering to the
  /// LLVM dialect), the translation to LLVM IR with LLVM's -O2 passes, and
  /// the machine-code generation.
  double getLoweringSeconds() const { return loweringSeconds; }
  double getTranslationSeconds() const { return translationSeconds; }
  double getCodegenSeconds() const { return codegenSeconds; }
  llvm::ArrayRef<TensorSignature> getArguments() const { return args; }
  llvm::ArrayRef<TensorSignature> getResults() const { return results; }

private:
  JitFunction() = default;
  llvm::Error checkInputs(llvm::ArrayRef<HostArray> inputs) const;
  /// Calls the function on C-contiguous buffers of the given shapes;
  /// `resultWords` receives the result descriptors.
  llvm::Error call(llvm::ArrayRef<const void *> data,
                   llvm::ArrayRef<llvm::ArrayRef<int64_t>> shapes,
                   std::vector<int64_t> &resultWords, double *seconds);
  /// Copies each result out of its descriptor into `destination(k, shape)`
  /// (when it gives a buffer) and frees the buffers the function allocated
  /// (not `inputs`).
  /// The buffers a call returned that can be handed over as they are.
  llvm::SmallVector<OwnedResult, 2>
  adoptable(const std::vector<int64_t> &resultWords,
            llvm::ArrayRef<const void *> inputs) const;
  void collect(std::vector<int64_t> &resultWords,
               llvm::ArrayRef<const void *> inputs,
               llvm::function_ref<char *(unsigned, llvm::ArrayRef<int64_t>)>
                   destination);

  /// The compiled code: a ParallelJit's LLJIT (CPU) or an ExecutionEngine
  /// (GPU, whose module loads are static constructors).
  std::unique_ptr<llvm::orc::LLJIT> jit;
  std::unique_ptr<ExecutionEngine> engine;
  /// The compiled entry's packed interface (_mlir_ciface_<name>).
  void (*packed)(void **) = nullptr;
  std::string name;
  llvm::SmallVector<TensorSignature> args, results;
  double compileSeconds = 0;
  double loweringSeconds = 0, translationSeconds = 0, codegenSeconds = 0;
  bool gpu = false;
  /// The team size of the code's parallel regions (0: the OpenMP runtime's
  /// count); 1 when it has none.
  int threads = 1;
};

} // namespace mlir::ein

#endif // EIN_RUNNER_RUNNER_H
