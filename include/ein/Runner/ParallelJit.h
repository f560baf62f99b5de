//===- ParallelJit.h - LLVM IR compiled on several threads ------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// The CPU path of JitFunction: the module's LLVM IR is split into parts
// (functions spread by size), each part optimized (-O2) and compiled to
// machine code on its own thread in its own LLVMContext, and the objects
// linked in one LLJIT. On two cores this nearly halves the LLVM share of
// compile times for modules of several kernels (mlir::ExecutionEngine
// compiles one module on one thread).
//
//===----------------------------------------------------------------------===//

#ifndef EIN_RUNNER_PARALLELJIT_H
#define EIN_RUNNER_PARALLELJIT_H

#include "mlir/IR/BuiltinOps.h"

#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"

#include <memory>

namespace mlir::ein {

struct KernelPlan;

struct ParallelJitOptions {
  /// Where the target machines come from (CPU, features, opt level).
  llvm::orc::JITTargetMachineBuilder machine;
  /// Shared libraries the code calls into (loaded into the process).
  llvm::SmallVector<std::string, 1> libraries;
  /// Symbols defined for the code (they override the process's).
  std::function<llvm::orc::SymbolMap(llvm::orc::MangleAndInterner)> symbols;
  /// Compile threads at most (the parts of the module).
  unsigned threads = 2;
  /// The GEMM kernels that planKernels found (lib/Runner/KernelCache.h),
  /// if it ran.
  const KernelPlan *kernels = nullptr;
};

/// Compiled code and its packed entry `_mlir_ciface_<entry>(void **)`.
struct ParallelJit {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  void (*packed)(void **) = nullptr;
  /// Seconds spent translating to LLVM IR and splitting, and compiling
  /// (-O2 and machine code, on the threads) and linking.
  double translationSeconds = 0, codegenSeconds = 0;
};

/// An empty LLJIT for `machine`: objects linked in memory (RTDyld), the
/// process's symbols (libc, libm, loaded libraries) resolvable.
llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>>
createHostJit(const llvm::orc::JITTargetMachineBuilder &machine,
              const llvm::DataLayout &layout);

/// Translates `module` (in the LLVM dialect) and compiles it.
llvm::Expected<ParallelJit> compileParallel(ModuleOp module,
                                            llvm::StringRef entry,
                                            ParallelJitOptions options);

/// The process's cache of GEMM kernels (lib/Runner/KernelCache.h): how
/// many it holds, how many times a module took one from it instead of
/// compiling it, how many it loaded from the disk cache and how many from
/// the kernels built with ein (lib/Runner/KernelDiskCache.h).
/// EIN_KERNEL_CACHE=0 in the environment turns all of them off.
struct KernelCacheStats {
  size_t kernels = 0;
  uint64_t reuses = 0, loads = 0, bundled = 0;
};
KernelCacheStats kernelCacheStats();

} // namespace mlir::ein

#endif // EIN_RUNNER_PARALLELJIT_H
