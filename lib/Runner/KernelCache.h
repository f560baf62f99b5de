//===- KernelCache.h - Kernels compiled once per process --------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// The packed GEMM's shared functions (__ein_gemm_tiles_*, __ein_gemm_pack_*:
// GemmTiles.h, GemmEmitter.cpp) and the transposing copies' kernel
// (__ein_transpose_*: Transposes.cpp) depend only on the element type, the
// blocking and the operands' layout kind, not on the shapes (the names
// that isSharedKernelName accepts): the same few variants come back
// in module after module, and they are most of a GEMM's machine code (the
// tile and packing functions of a tensor network's forward + VJP took 150
// of its 200 ms of codegen). Each is compiled once per process, into a JIT
// that lives as long as the process, and later modules link that code: a
// function leaves a module right after vectorization when an identical one
// (the same MLIR, the pipeline options that act after vectorization,
// target, LLVM and ein build) was compiled before, by this process, by the
// build (the common variants: KernelDiskCache.h) or, through the disk
// cache, an earlier process. EIN_KERNEL_CACHE=0 turns all of them off.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_RUNNER_KERNELCACHE_H
#define EIN_LIB_RUNNER_KERNELCACHE_H

#include "mlir/IR/BuiltinOps.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir::ein {

/// A kernel of a module the cache did not have: its own module (as
/// bitcode, the function under a name unique in the process), to be
/// compiled and handed to addKernel.
struct MissingKernel {
  std::string name, key, uniqueName;
  uint64_t hash = 0;
  llvm::SmallVector<char, 0> bitcode;
  size_t instructions = 0;
};

/// What takeKernels took from a module: the kernels the cache had (name,
/// address) and those it did not.
struct TakenKernels {
  std::vector<std::pair<std::string, uint64_t>> cached;
  std::vector<MissingKernel> missing;
};

/// The GEMM kernels of a module as planKernels found them: those the cache
/// had (name, address; their bodies removed), and the keys of the others
/// with their hashes, by name.
struct KernelPlan {
  std::vector<std::pair<std::string, uint64_t>> cached;
  llvm::StringMap<std::pair<std::string, uint64_t>> keys;
};

/// False when EIN_KERNEL_CACHE=0 turns the kernel cache off (to measure
/// compile times as a new process without ein's kernels sees them).
bool kernelCacheEnabled();

/// In the MLIR pipeline right after vectorization (buildEinToLLVMPipeline's
/// afterKernels): each kernel function (isSharedKernelName) of `module`
/// that the cache holds (compiled by this process, or by an earlier one:
/// the disk cache, KernelDiskCache.h) loses its body, so that the rest of the pipeline and
/// LLVM skip it. A kernel's key is `context` (target, pipeline options) and
/// its MLIR. `machine` and `layout` make the kernel JIT when it does not
/// exist yet.
void planKernels(ModuleOp module, llvm::StringRef context,
                 const llvm::orc::JITTargetMachineBuilder &machine,
                 const llvm::DataLayout &layout, KernelPlan &plan);

/// After translation to LLVM IR: the cached kernels' declarations are
/// readied for linking (the caller defines them with their addresses); the
/// others that can be cached (they call intrinsics only and read no global
/// variable) move to modules of their own, to be compiled and added with
/// addKernel, leaving declarations in `module`.
TakenKernels takeKernels(llvm::Module &module, const KernelPlan &plan);

/// Links the compiled object of `kernel` into the process's kernel JIT and
/// returns its address (also cached for later modules, and on disk).
llvm::Expected<uint64_t>
addKernel(const MissingKernel &kernel,
          std::unique_ptr<llvm::MemoryBuffer> object,
          const llvm::orc::JITTargetMachineBuilder &machine,
          const llvm::DataLayout &layout);

} // namespace mlir::ein

#endif // EIN_LIB_RUNNER_KERNELCACHE_H
