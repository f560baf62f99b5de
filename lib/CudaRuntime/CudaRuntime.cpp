//===- CudaRuntime.cpp - mgpu* entry points on a dlopen'ed driver ---------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// What compiled GPU code calls (see ein/Runner/CudaRuntime.h). The driver
// API is declared here by hand, as the few C types and functions used, so
// that no CUDA header or toolkit is needed to build. All work goes to the
// device's legacy default stream: compiled code waits for every operation,
// so separate streams would buy nothing and cost a create/destroy per
// launch.
//
//===----------------------------------------------------------------------===//

#include "ein/Runner/CudaRuntime.h"

#include <dlfcn.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

namespace {
using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = void *;
using CUmodule = void *;
using CUfunction = void *;
using CUstream = void *;
using CUevent = void *;
constexpr int kJitOptimizationLevel = 7; // CU_JIT_OPTIMIZATION_LEVEL

/// The driver functions used, resolved once.
struct Driver {
  CUresult (*cuInit)(unsigned);
  CUresult (*cuDeviceGetCount)(int *);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDeviceGetName)(char *, int, CUdevice);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuCtxSetCurrent)(CUcontext);
  CUresult (*cuGetErrorName)(CUresult, const char **);
  CUresult (*cuModuleLoadData)(CUmodule *, const void *);
  CUresult (*cuModuleLoadDataEx)(CUmodule *, const void *, unsigned, int *,
                                 void **);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, unsigned, CUstream,
                             void **, void **);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuStreamWaitEvent)(CUstream, CUevent, unsigned);
  CUresult (*cuEventCreate)(CUevent *, unsigned);
  CUresult (*cuEventDestroy)(CUevent);
  CUresult (*cuEventRecord)(CUevent, CUstream);
  CUresult (*cuEventSynchronize)(CUevent);
  CUresult (*cuEventElapsedTime)(float *, CUevent, CUevent);
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemAllocManaged)(CUdeviceptr *, size_t, unsigned);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemcpy)(CUdeviceptr, CUdeviceptr, size_t);
  CUresult (*cuMemsetD32)(CUdeviceptr, unsigned, size_t);
  CUresult (*cuMemsetD16)(CUdeviceptr, unsigned short, size_t);

  CUcontext context = nullptr;
  std::string deviceName;
  /// Empty when the driver and a device are usable.
  std::string failure;
};

void defaultErrorHandler(const char *message) {
  std::fprintf(stderr, "ein: error: %s\n", message);
  std::exit(1);
}
void (*errorHandler)(const char *) = defaultErrorHandler;

[[noreturn]] void fail(const std::string &message) {
  errorHandler(message.c_str());
  std::abort(); // the handler must not return
}

template <typename F>
bool resolve(void *library, const char *name, F &slot) {
  slot = reinterpret_cast<F>(dlsym(library, name));
  return slot != nullptr;
}

Driver &driver() {
  static Driver d;
  static std::once_flag once;
  std::call_once(once, [] {
    void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      const char *why = dlerror();
      d.failure = std::string("no NVIDIA driver: cannot load libcuda.so.1 (") +
                  (why ? why : "unknown reason") + ")";
      return;
    }
    bool ok = true;
#define EIN_RESOLVE(field, symbol) ok = resolve(library, symbol, d.field) && ok
    EIN_RESOLVE(cuInit, "cuInit");
    EIN_RESOLVE(cuDeviceGetCount, "cuDeviceGetCount");
    EIN_RESOLVE(cuDeviceGet, "cuDeviceGet");
    EIN_RESOLVE(cuDeviceGetName, "cuDeviceGetName");
    EIN_RESOLVE(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
    EIN_RESOLVE(cuCtxSetCurrent, "cuCtxSetCurrent");
    EIN_RESOLVE(cuGetErrorName, "cuGetErrorName");
    EIN_RESOLVE(cuModuleLoadData, "cuModuleLoadData");
    EIN_RESOLVE(cuModuleLoadDataEx, "cuModuleLoadDataEx");
    EIN_RESOLVE(cuModuleUnload, "cuModuleUnload");
    EIN_RESOLVE(cuModuleGetFunction, "cuModuleGetFunction");
    EIN_RESOLVE(cuLaunchKernel, "cuLaunchKernel");
    EIN_RESOLVE(cuStreamSynchronize, "cuStreamSynchronize");
    EIN_RESOLVE(cuStreamWaitEvent, "cuStreamWaitEvent");
    EIN_RESOLVE(cuEventCreate, "cuEventCreate");
    EIN_RESOLVE(cuEventDestroy, "cuEventDestroy_v2");
    EIN_RESOLVE(cuEventRecord, "cuEventRecord");
    EIN_RESOLVE(cuEventSynchronize, "cuEventSynchronize");
    EIN_RESOLVE(cuEventElapsedTime, "cuEventElapsedTime");
    EIN_RESOLVE(cuMemAlloc, "cuMemAlloc_v2");
    EIN_RESOLVE(cuMemAllocManaged, "cuMemAllocManaged");
    EIN_RESOLVE(cuMemFree, "cuMemFree_v2");
    EIN_RESOLVE(cuMemcpy, "cuMemcpy");
    EIN_RESOLVE(cuMemsetD32, "cuMemsetD32_v2");
    EIN_RESOLVE(cuMemsetD16, "cuMemsetD16_v2");
#undef EIN_RESOLVE
    if (!ok) {
      d.failure = "libcuda.so.1 lacks a driver API function ein needs (driver "
                  "too old?)";
      return;
    }
    auto check = [&](CUresult r, const char *what) {
      if (r == 0)
        return true;
      const char *name = nullptr;
      d.cuGetErrorName(r, &name);
      d.failure = std::string(what) + " failed with " +
                  (name ? name : std::to_string(r));
      return false;
    };
    int count = 0;
    CUdevice device = 0;
    if (!check(d.cuInit(0), "cuInit") ||
        !check(d.cuDeviceGetCount(&count), "cuDeviceGetCount"))
      return;
    if (count == 0) {
      d.failure = "the NVIDIA driver reports no GPU";
      return;
    }
    char name[256] = {0};
    if (!check(d.cuDeviceGet(&device, 0), "cuDeviceGet") ||
        !check(d.cuDeviceGetName(name, sizeof(name) - 1, device),
               "cuDeviceGetName") ||
        !check(d.cuDevicePrimaryCtxRetain(&d.context, device),
               "cuDevicePrimaryCtxRetain"))
      return;
    d.deviceName = name;
  });
  return d;
}

/// The driver with the device's context current on this thread; a missing
/// driver or device is reported as `what` failing.
Driver &ready(const char *what) {
  Driver &d = driver();
  if (!d.failure.empty())
    fail(std::string("CUDA: cannot run ") + what + ": " + d.failure);
  d.cuCtxSetCurrent(d.context);
  return d;
}

void check(CUresult result, const char *call) {
  if (result == 0)
    return;
  const char *name = nullptr;
  driver().cuGetErrorName(result, &name);
  fail(std::string("CUDA: ") + call + " failed with " +
       (name ? name : std::to_string(result)));
}

bool timing = false;
double kernelSeconds = 0;
} // namespace

extern "C" {

int einCudaProbe(char *reason, size_t reasonSize) {
  Driver &d = driver();
  if (d.failure.empty())
    return 1;
  if (reason && reasonSize) {
    std::snprintf(reason, reasonSize, "%s", d.failure.c_str());
  }
  return 0;
}

const char *einCudaDeviceName() { return driver().deviceName.c_str(); }

void einCudaSetErrorHandler(void (*handler)(const char *)) {
  errorHandler = handler ? handler : defaultErrorHandler;
}

void einCudaSetTiming(int on) { timing = on != 0; }

double einCudaTakeKernelSeconds() {
  double seconds = kernelSeconds;
  kernelSeconds = 0;
  return seconds;
}

// The entry points of MLIR 22's gpu-to-llvm lowering and gpu.binary
// translation (SelectObjectAttr), with their signatures.

void *mgpuModuleLoad(void *data, size_t /*size*/) {
  Driver &d = ready("a GPU kernel");
  CUmodule module = nullptr;
  check(d.cuModuleLoadData(&module, data), "cuModuleLoadData");
  return module;
}

void *mgpuModuleLoadJIT(void *data, int optLevel) {
  Driver &d = ready("a GPU kernel");
  CUmodule module = nullptr;
  int options[] = {kJitOptimizationLevel};
  void *values[] = {reinterpret_cast<void *>(static_cast<intptr_t>(optLevel))};
  check(d.cuModuleLoadDataEx(&module, data, 1, options, values),
        "cuModuleLoadDataEx (PTX JIT)");
  return module;
}

void mgpuModuleUnload(void *module) {
  // Runs from static destructors: never fail the process there.
  Driver &d = driver();
  if (d.failure.empty() && module)
    d.cuModuleUnload(module);
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  Driver &d = ready("a GPU kernel");
  CUfunction function = nullptr;
  check(d.cuModuleGetFunction(&function, module, name),
        "cuModuleGetFunction");
  return function;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *stream,
                      void **params, void **extra, size_t /*paramsCount*/) {
  Driver &d = ready("a GPU kernel");
  if (gridX <= 0 || gridY <= 0 || gridZ <= 0)
    return; // empty grids (zero-size tensors) launch nothing
  CUevent start = nullptr, stop = nullptr;
  if (timing) {
    check(d.cuEventCreate(&start, 0), "cuEventCreate");
    check(d.cuEventCreate(&stop, 0), "cuEventCreate");
    check(d.cuEventRecord(start, stream), "cuEventRecord");
  }
  check(d.cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ,
                         smem, stream, params, extra),
        "cuLaunchKernel");
  if (timing) {
    check(d.cuEventRecord(stop, stream), "cuEventRecord");
    check(d.cuEventSynchronize(stop), "kernel execution");
    float ms = 0;
    check(d.cuEventElapsedTime(&ms, start, stop), "cuEventElapsedTime");
    kernelSeconds += ms * 1e-3;
    d.cuEventDestroy(start);
    d.cuEventDestroy(stop);
  }
}

void *mgpuStreamCreate() {
  ready("GPU code");
  return nullptr; // the default stream
}

void mgpuStreamDestroy(void * /*stream*/) {}

void mgpuStreamSynchronize(void *stream) {
  check(ready("GPU code").cuStreamSynchronize(stream), "kernel execution");
}

void mgpuStreamWaitEvent(void *stream, void *event) {
  check(ready("GPU code").cuStreamWaitEvent(stream, event, 0),
        "cuStreamWaitEvent");
}

void *mgpuEventCreate() {
  CUevent event = nullptr;
  check(ready("GPU code").cuEventCreate(&event, /*disable timing*/ 2),
        "cuEventCreate");
  return event;
}

void mgpuEventDestroy(void *event) {
  check(ready("GPU code").cuEventDestroy(event), "cuEventDestroy");
}

void mgpuEventSynchronize(void *event) {
  check(ready("GPU code").cuEventSynchronize(event), "cuEventSynchronize");
}

void mgpuEventRecord(void *event, void *stream) {
  check(ready("GPU code").cuEventRecord(event, stream), "cuEventRecord");
}

void *mgpuMemAlloc(uint64_t sizeBytes, void * /*stream*/, bool hostShared) {
  Driver &d = ready("GPU code");
  CUdeviceptr ptr = 0;
  if (sizeBytes == 0)
    sizeBytes = 1; // a distinct pointer for empty buffers
  if (hostShared)
    check(d.cuMemAllocManaged(&ptr, sizeBytes, /*CU_MEM_ATTACH_GLOBAL*/ 1),
          "cuMemAllocManaged");
  else
    check(d.cuMemAlloc(&ptr, sizeBytes),
          ("cuMemAlloc of " + std::to_string(sizeBytes) + " bytes").c_str());
  return reinterpret_cast<void *>(ptr);
}

void mgpuMemFree(void *ptr, void * /*stream*/) {
  check(ready("GPU code").cuMemFree(reinterpret_cast<CUdeviceptr>(ptr)),
        "cuMemFree");
}

void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void * /*stream*/) {
  if (sizeBytes == 0)
    return;
  // Unified addressing: the driver tells host from device pointers.
  check(ready("GPU code").cuMemcpy(reinterpret_cast<CUdeviceptr>(dst),
                                   reinterpret_cast<CUdeviceptr>(src),
                                   sizeBytes),
        "cuMemcpy");
}

void mgpuMemset32(void *dst, unsigned value, size_t count, void * /*stream*/) {
  check(ready("GPU code").cuMemsetD32(reinterpret_cast<CUdeviceptr>(dst),
                                      value, count),
        "cuMemsetD32");
}

void mgpuMemset16(void *dst, unsigned short value, size_t count,
                  void * /*stream*/) {
  check(ready("GPU code").cuMemsetD16(reinterpret_cast<CUdeviceptr>(dst),
                                      value, count),
        "cuMemsetD16");
}

void mgpuSetDefaultDevice(int32_t device) {
  if (device != 0)
    fail("CUDA: ein runs on device 0 only, but device " +
         std::to_string(device) + " was asked for");
}

} // extern "C"
