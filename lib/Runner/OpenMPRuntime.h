//===- OpenMPRuntime.h - Calls into LLVM's OpenMP runtime -------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Threaded kernels (omp.parallel) run on LLVM's OpenMP runtime, libomp,
// which the JIT loads for them. The runner calls into it too: to tell
// whether a thread is inside a parallel region, and to keep the calling
// thread's workers off the core it runs on (placeOpenMPWorkers). The entry
// points come from libomp itself, not from the process's first definition:
// PyTorch loads GNU libgomp, whose omp_* functions know nothing of
// libomp's threads.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_RUNNER_OPENMPRUNTIME_H
#define EIN_LIB_RUNNER_OPENMPRUNTIME_H

namespace mlir::ein {

/// True on a thread inside one of libomp's parallel regions; false when
/// libomp is not loaded.
bool inOpenMPParallelRegion();

/// Before a call of threaded compiled code on the calling thread, with
/// teams of `threads` threads (0: libomp's default count): binds the
/// thread's OpenMP workers to the CPUs the caller may run on except the
/// one it runs on now. Without it, when another process's or library's
/// thread keeps a core busy (OpenBLAS's workers spin for a while after
/// each BLAS call), Linux may put the caller and its worker on the same
/// core, and a two-thread kernel takes twice its time. Does nothing when
/// the caller has not moved since its last placement with this count,
/// inside a parallel region, when the caller may run on fewer CPUs than
/// `threads`, or when the user chose a binding (OMP_PROC_BIND, OMP_PLACES,
/// KMP_AFFINITY) or turned this off (EIN_PLACE_THREADS=0).
void placeOpenMPWorkers(int threads);

} // namespace mlir::ein

#endif // EIN_LIB_RUNNER_OPENMPRUNTIME_H
