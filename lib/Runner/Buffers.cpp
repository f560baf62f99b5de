//===- Buffers.cpp - Memory for compiled code and its results -------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Runner/Buffers.h"

#include "llvm/ADT/DenseMap.h"

#include <atomic>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <sys/mman.h>
#include <unistd.h>

using namespace mlir::ein;

namespace {
constexpr size_t hugePage = size_t(2) << 20;
/// glibc maps allocations from 128 KiB up freshly (and trims freed heap
/// memory), so every such buffer would be faulted in again on each call:
/// these are kept for reuse.
constexpr size_t largeBuffer = size_t(128) << 10;
/// From 4 MiB on (NumPy's threshold) buffers are 2 MiB-aligned and marked
/// for transparent huge pages.
constexpr size_t hugeBuffer = size_t(4) << 20;
/// Freed large buffers kept for reuse, at most.
constexpr size_t keptBuffers = 64;
constexpr size_t keptBytes = size_t(1) << 30;

struct LargeBuffers {
  std::mutex mutex;
  /// Large buffers handed out, with their capacity.
  llvm::DenseMap<void *, size_t> live;
  /// Freed ones, oldest first.
  std::deque<std::pair<void *, size_t>> idle;
  size_t idleBytes = 0;
};

LargeBuffers &largeBuffers() {
  static LargeBuffers *buffers = new LargeBuffers();
  return *buffers;
}
} // namespace

int64_t mlir::ein::physicalMemoryBytes() {
  // sysconf(_SC_PHYS_PAGES) is a sysinfo system call: asked once, not on
  // every allocation of compiled code.
  static const int64_t bytes = [] {
    long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
    return pages <= 0 || pageSize <= 0 ? int64_t(0)
                                       : int64_t(pages) * int64_t(pageSize);
  }();
  return bytes;
}

static std::atomic<int64_t> limitSetting{0};

int64_t mlir::ein::bufferLimit() {
  int64_t limit = limitSetting.load();
  if (limit > 0)
    return limit;
  int64_t physical = physicalMemoryBytes();
  return physical > 0 ? physical : INT64_MAX;
}

void mlir::ein::setBufferLimit(int64_t bytes) {
  limitSetting.store(bytes > 0 ? bytes : 0);
}

void *mlir::ein::allocateBuffer(size_t size) {
  if (size < largeBuffer)
    return std::malloc(size);
  LargeBuffers &buffers = largeBuffers();
  {
    std::lock_guard<std::mutex> lock(buffers.mutex);
    // The smallest idle buffer that fits without wasting half of it.
    auto best = buffers.idle.end();
    for (auto it = buffers.idle.begin(); it != buffers.idle.end(); ++it)
      if (it->second >= size && it->second / 2 <= size &&
          (best == buffers.idle.end() || it->second < best->second))
        best = it;
    if (best != buffers.idle.end()) {
      auto [pointer, capacity] = *best;
      buffers.idle.erase(best);
      buffers.idleBytes -= capacity;
      buffers.live[pointer] = capacity;
      return pointer;
    }
  }
  void *pointer = nullptr;
  if (size < hugeBuffer) {
    pointer = std::malloc(size);
    if (!pointer)
      return nullptr;
  } else {
    if (posix_memalign(&pointer, hugePage, size) != 0)
      return nullptr;
    madvise(pointer, size / hugePage * hugePage, MADV_HUGEPAGE);
  }
  std::lock_guard<std::mutex> lock(buffers.mutex);
  buffers.live[pointer] = size;
  return pointer;
}

void mlir::ein::releaseBuffer(void *pointer) {
  if (!pointer)
    return;
  LargeBuffers &buffers = largeBuffers();
  std::unique_lock<std::mutex> lock(buffers.mutex);
  auto it = buffers.live.find(pointer);
  if (it == buffers.live.end()) {
    lock.unlock();
    std::free(pointer);
    return;
  }
  size_t capacity = it->second;
  buffers.live.erase(it);
  buffers.idle.emplace_back(pointer, capacity);
  buffers.idleBytes += capacity;
  while (buffers.idle.size() > keptBuffers || buffers.idleBytes > keptBytes) {
    auto [oldest, bytes] = buffers.idle.front();
    buffers.idle.pop_front();
    buffers.idleBytes -= bytes;
    std::free(oldest);
  }
}
