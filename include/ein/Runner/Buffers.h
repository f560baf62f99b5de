//===- Buffers.h - Memory for compiled code and its results -----*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Compiled code calls these for malloc and free. Large buffers (32 MiB and
// up) are aligned to 2 MiB and marked for transparent huge pages, as NumPy
// does for its arrays, and when freed are kept for reuse (like PyTorch's
// caching allocator): a fresh large buffer costs one page fault per page
// touched, tens of microseconds each on virtual machines. Buffers handed
// to callers as results are released with releaseBuffer.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_RUNNER_BUFFERS_H
#define EIN_RUNNER_BUFFERS_H

#include <cstddef>

namespace mlir::ein {

/// malloc for compiled code.
void *allocateBuffer(size_t size);

/// free for compiled code and for the owners of results.
void releaseBuffer(void *pointer);

} // namespace mlir::ein

#endif // EIN_RUNNER_BUFFERS_H
