//===- KernelDiskCache.h - GEMM kernels' machine code on disk ---*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// The kernel cache (KernelCache.h) also keeps each kernel's object file on
// disk, so that a new process links the GEMM kernels that an earlier one
// compiled instead of compiling them again (as ccache, or JAX's and
// PyTorch Inductor's compilation caches, do). The directory:
// EIN_KERNEL_CACHE_DIR, else $XDG_CACHE_HOME/ein/kernels, else
// $HOME/.cache/ein/kernels (EIN_KERNEL_CACHE=0 turns the kernel cache off,
// this part included). A file holds its key (KernelCache.cpp's keyOf:
// ein's build, LLVM's version, the target, the pipeline options, the
// function's MLIR) and a hash of its object; a file that does not match
// both is ignored (and replaced when the kernel is compiled again). Files
// are written to a temporary name and renamed into place, so no reader
// sees a partial one; a directory that cannot be written just means no
// disk cache.
//
// Kernels built with ein (the build compiles the common variants: see
// utils/bundle_kernels.py) sit next to the binary that holds ein's code, in
// its directory's ein-kernels/: the same files, read only, looked up before
// the cache directory (EIN_KERNEL_BUNDLE=0 ignores them).
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_RUNNER_KERNELDISKCACHE_H
#define EIN_LIB_RUNNER_KERNELDISKCACHE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <string>

namespace mlir::ein {

/// The cache directory, or empty when there is none.
std::string kernelCacheDirectory();

/// The file (executable or shared object) that holds ein's code, or empty
/// when unknown.
const std::string &einBinaryPath();

/// The kernels built with ein (`ein-kernels` next to einBinaryPath()), or
/// empty when unknown or EIN_KERNEL_BUNDLE=0.
std::string bundledKernelDirectory();

/// The object file stored for `key` (whose hash is `hash`) in `directory`,
/// or null when there is none or it does not match.
std::unique_ptr<llvm::MemoryBuffer> loadKernelObject(llvm::StringRef directory,
                                                     llvm::StringRef key,
                                                     uint64_t hash);

/// Stores `object` for `key` in `directory` (best effort: errors leave no
/// file).
void storeKernelObject(llvm::StringRef directory, llvm::StringRef key,
                       uint64_t hash, llvm::StringRef object);

} // namespace mlir::ein

#endif // EIN_LIB_RUNNER_KERNELDISKCACHE_H
