//===- CudaRuntime.h - ein's CUDA runtime for compiled code -----*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// libein_cuda_runtime implements the `mgpu*` entry points that MLIR's
// gpu-to-llvm lowering calls (module load, function lookup, launch, memory,
// copies, streams, events) on the CUDA driver API. The driver
// (libcuda.so.1) is opened with dlopen on first use, so building needs no
// CUDA toolkit and loading the library on a machine without a GPU is
// harmless; only running GPU code there fails, through the error handler.
//
// These functions are ein's own additions, for the runner.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_RUNNER_CUDARUNTIME_H
#define EIN_RUNNER_CUDARUNTIME_H

#include <stddef.h>

extern "C" {

/// Opens the driver and the first device. Returns 1 when GPU code can run;
/// otherwise 0, with a one-line reason in `reason` (may be null).
int einCudaProbe(char *reason, size_t reasonSize);

/// The device's name (empty when there is none).
const char *einCudaDeviceName();

/// Called on a failed driver call in compiled code; must not return. The
/// default prints `ein: error: MESSAGE` and exits with status 1.
void einCudaSetErrorHandler(void (*handler)(const char *message));

/// When on, each kernel launch is timed with CUDA events (and waited for);
/// einCudaTakeKernelSeconds returns the sum since the last call.
void einCudaSetTiming(int on);
double einCudaTakeKernelSeconds();

} // extern "C"

#endif // EIN_RUNNER_CUDARUNTIME_H
