//===- KernelCache.h - GEMM kernels compiled once per process ---*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// The packed GEMM's shared functions (__ein_gemm_tiles_*, __ein_gemm_pack_*:
// GemmTiles.h, GemmEmitter.cpp) depend only on the blocking and the
// operands' layout kind, not on the shapes: the same few variants come back
// in module after module, and they are most of a GEMM's machine code (the
// tile and packing functions of a tensor network's forward + VJP took 150
// of its 200 ms of codegen). The parallel JIT compiles each of them once
// per process, into a JIT that lives as long as the process, and links
// later modules against that code: a function is taken from a module when
// an identical one (the same LLVM IR, for the same target) was compiled
// before.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_RUNNER_KERNELCACHE_H
#define EIN_LIB_RUNNER_KERNELCACHE_H

#include "llvm/ADT/SmallVector.h"
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
  llvm::SmallVector<char, 0> bitcode;
  size_t instructions = 0;
};

/// What takeKernels took from a module: the kernels the cache had (name,
/// address) and those it did not.
struct TakenKernels {
  std::vector<std::pair<std::string, uint64_t>> cached;
  std::vector<MissingKernel> missing;
};

/// Takes the cacheable kernels out of `module` (compiled for `machine`):
/// their bodies are removed, leaving external declarations that the caller
/// defines with the cached addresses and those of the missing kernels.
TakenKernels takeKernels(llvm::Module &module,
                         const llvm::TargetMachine &machine);

/// Links the compiled object of `kernel` into the process's kernel JIT and
/// returns its address (also cached for later modules).
llvm::Expected<uint64_t>
addKernel(const MissingKernel &kernel,
          std::unique_ptr<llvm::MemoryBuffer> object,
          const llvm::orc::JITTargetMachineBuilder &machine,
          const llvm::DataLayout &layout);

} // namespace mlir::ein

#endif // EIN_LIB_RUNNER_KERNELCACHE_H
