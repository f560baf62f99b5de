//===- OpenMPRuntime.cpp - Calls into LLVM's OpenMP runtime ---------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "OpenMPRuntime.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <initializer_list>
#include <sched.h>

using namespace mlir::ein;

namespace {
/// libomp's entry points that the runner uses.
struct OpenMPEntries {
  int (*inParallel)() = nullptr;
  int (*threadNum)() = nullptr;
  int (*maxThreads)() = nullptr;
  /// libomp's GNU-compatible fork: runs fn(data) on a team of
  /// `threads` threads (0: the default count) and joins.
  void (*parallel)(void (*fn)(void *), void *data, unsigned threads,
                   unsigned flags) = nullptr;
};
} // namespace

/// libomp's entry points, or null while the process has not loaded it (it
/// stays loaded once it is: the JIT opens it permanently).
static const OpenMPEntries *openMP() {
  static std::atomic<const OpenMPEntries *> loaded{nullptr};
  if (const OpenMPEntries *entries = loaded.load(std::memory_order_acquire))
    return entries;
  void *handle = dlopen(EIN_OMP_LIBRARY, RTLD_LAZY | RTLD_NOLOAD);
  if (!handle)
    return nullptr;
  auto *entries = new OpenMPEntries();
  entries->inParallel =
      reinterpret_cast<int (*)()>(dlsym(handle, "omp_in_parallel"));
  entries->threadNum =
      reinterpret_cast<int (*)()>(dlsym(handle, "omp_get_thread_num"));
  entries->maxThreads =
      reinterpret_cast<int (*)()>(dlsym(handle, "omp_get_max_threads"));
  entries->parallel = reinterpret_cast<decltype(entries->parallel)>(
      dlsym(handle, "GOMP_parallel"));
  // The handle's reference keeps libomp loaded with the entries.
  const OpenMPEntries *expected = nullptr;
  if (!loaded.compare_exchange_strong(expected, entries))
    delete entries; // another thread loaded them first
  return loaded.load(std::memory_order_acquire);
}

bool mlir::ein::inOpenMPParallelRegion() {
  const OpenMPEntries *entries = openMP();
  return entries && entries->inParallel && entries->inParallel() != 0;
}

/// True when the user asked libomp for a thread binding of their own, or
/// asked ein not to place threads.
static bool placementDisabled() {
  static const bool disabled = [] {
    for (const char *name : {"OMP_PROC_BIND", "OMP_PLACES", "KMP_AFFINITY"})
      if (const char *value = std::getenv(name); value && *value)
        return true;
    const char *place = std::getenv("EIN_PLACE_THREADS");
    return place && std::strcmp(place, "0") == 0;
  }();
  return disabled;
}

namespace {
/// What the region that binds the workers needs.
struct Placement {
  const OpenMPEntries *entries;
  cpu_set_t workerCpus;
};
} // namespace

static void bindWorker(void *data) {
  auto *placement = static_cast<const Placement *>(data);
  if (placement->entries->threadNum() != 0)
    sched_setaffinity(0, sizeof(cpu_set_t), &placement->workerCpus);
}

void mlir::ein::placeOpenMPWorkers(int threads) {
  // Each calling thread has a team of its own (libomp's hot team): where
  // this thread last placed one, of which size.
  static thread_local int placedCpu = -1, placedThreads = -1;
  int cpu = sched_getcpu();
  if (cpu < 0 || (cpu == placedCpu && threads == placedThreads) ||
      placementDisabled())
    return;
  const OpenMPEntries *entries = openMP();
  if (!entries || !entries->inParallel || !entries->threadNum ||
      !entries->maxThreads || !entries->parallel || entries->inParallel())
    return;
  placedCpu = cpu;
  placedThreads = threads;
  int team = threads > 0 ? threads : entries->maxThreads();
  Placement placement{entries, {}};
  if (team < 2 || sched_getaffinity(0, sizeof(cpu_set_t),
                                    &placement.workerCpus) != 0)
    return;
  // With fewer CPUs than threads some must share one anyway.
  if (!CPU_ISSET(cpu, &placement.workerCpus) ||
      CPU_COUNT(&placement.workerCpus) < team)
    return;
  CPU_CLR(cpu, &placement.workerCpus);
  entries->parallel(bindWorker, &placement, unsigned(team), 0);
}
