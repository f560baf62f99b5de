//===- Buffers.h - Memory for compiled code and its results -----*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Compiled code calls these for malloc and free. Buffers of 128 KiB and up
// are kept for reuse when freed (like PyTorch's caching allocator): glibc
// would map each one afresh, and every freshly touched page costs a fault,
// ~10 microseconds each on virtual machines. From 4 MiB on they are also
// aligned to 2 MiB and marked for transparent huge pages, as NumPy does for
// its arrays. Buffers handed to callers as results are released with
// releaseBuffer. bufferLimit() bounds what compiled code may allocate.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_RUNNER_BUFFERS_H
#define EIN_RUNNER_BUFFERS_H

#include <cstddef>
#include <cstdint>

namespace mlir::ein {

/// The machine's physical memory in bytes (0 if unknown).
int64_t physicalMemoryBytes();

/// The largest buffer compiled code may allocate: static intermediates and
/// results above it fail compilation (ein-check-buffers), dynamic ones fail
/// at run time with an error. Default: the physical memory.
int64_t bufferLimit();
/// Sets bufferLimit(); 0 restores the default.
void setBufferLimit(int64_t bytes);

/// malloc for compiled code.
void *allocateBuffer(size_t size);

/// free for compiled code and for the owners of results.
void releaseBuffer(void *pointer);

} // namespace mlir::ein

#endif // EIN_RUNNER_BUFFERS_H
