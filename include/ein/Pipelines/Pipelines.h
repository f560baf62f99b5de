//===- Pipelines.h - ein pass pipelines -------------------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Pipelines live in the library so that ein-opt, ein-run, Python and tests all
// run the same passes.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_PIPELINES_PIPELINES_H
#define EIN_PIPELINES_PIPELINES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <functional>

namespace mlir::ein {

/// Options of the `ein-to-linalg` and `ein-to-llvm` pipelines (the first
/// ignores the LLVM ones).
struct EinPipelineOptions : public PassPipelineOptions<EinPipelineOptions> {
  PassOptions::Option<std::string> algorithm{
      *this, "algorithm",
      llvm::cl::desc("Contraction-path algorithm of ein-simplify/ein-split: "
                     "greedy, optimal, dp, auto, or none (no simplify, no "
                     "split: one loop nest per contraction)"),
      llvm::cl::init("auto")};
  PassOptions::Option<std::string> objective{
      *this, "objective",
      llvm::cl::desc("What paths minimise: flops, size, write or combo"),
      llvm::cl::init("flops")};
  PassOptions::Option<int64_t> memoryLimit{
      *this, "memory-limit",
      llvm::cl::desc("Largest intermediate, in elements (0: no limit)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> dynamicSize{
      *this, "dynamic-size",
      llvm::cl::desc("Size assumed for dynamic dimensions in path costs"),
      llvm::cl::init(64)};
  PassOptions::Option<int64_t> maxStoredBytes{
      *this, "max-stored-bytes",
      llvm::cl::desc("ein-reuse: recompute forward values instead of "
                     "keeping more than this many bytes for derivative code "
                     "(0: no bound)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> bufferLimit{
      *this, "buffer-limit",
      llvm::cl::desc("Fail (ein-check-buffers) when a static intermediate "
                     "or result needs more than this many bytes (0: no "
                     "check; ein-run and Python use the physical memory)"),
      llvm::cl::init(0)};
  PassOptions::Option<bool> costReport{
      *this, "cost-report",
      llvm::cl::desc("Print the ein-cost-report lines after the ein-level "
                     "passes"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Generate packed, register-tiled vector code for "
                     "GEMM-like contractions (ein-vectorize-contractions); "
                     "false: plain loops"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> vectorBytes{
      *this, "vector-bytes",
      llvm::cl::desc("Bytes per vector of the generated CPU code: 64 "
                     "(AVX-512), 32 (AVX2), 16, or 0 for the widest that "
                     "this machine's CPU has"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> threads{
      *this, "threads",
      llvm::cl::desc("Threads for the outer loops of contractions: 1 runs "
                     "serially, 0 uses the OpenMP runtime's count (see "
                     "ein-run --threads / ein.set_num_threads)"),
      llvm::cl::init(1)};
  PassOptions::Option<unsigned> indexBitwidth{
      *this, "index-bitwidth",
      llvm::cl::desc("Bitwidth of the index type in the generated code"),
      llvm::cl::init(64)};
  PassOptions::Option<bool> useBarePtrCallConv{
      *this, "use-bare-ptr-call-conv",
      llvm::cl::desc("Pass static-shaped memrefs to functions as bare "
                     "pointers instead of memref descriptors"),
      llvm::cl::init(false)};
};
using EinToLLVMPipelineOptions = EinPipelineOptions;

/// Options of `ein-to-nvvm`: the ein-level ones (the vectorize, threads and
/// LLVM options do not apply) and the GPU target's.
struct EinToNVVMPipelineOptions : public EinPipelineOptions {
  PassOptions::Option<std::string> chip{
      *this, "chip", llvm::cl::desc("GPU architecture to compile for"),
      llvm::cl::init("sm_90")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX features (the PTX ISA version)"),
      llvm::cl::init("+ptx80")};
  PassOptions::Option<std::string> format{
      *this, "format",
      llvm::cl::desc("What gpu.binary holds: isa (PTX text, needs no CUDA "
                     "toolkit), bin (cubin, needs ptxas) or fatbin (needs "
                     "ptxas and fatbinary)"),
      llvm::cl::init("isa")};
  PassOptions::Option<int> optLevel{
      *this, "opt-level",
      llvm::cl::desc("LLVM optimization level of the GPU code"),
      llvm::cl::init(3)};
};

/// ein -> linalg on tensors: the ein-level pipeline (buildEinCorePipeline:
/// expand-groups, simplify, split, differentiate, again, ein-reuse), the
/// cost report if asked for, convert-ein-to-linalg,
/// convert-elementwise-to-linalg (arith/math on tensors), canonicalize.
void buildEinToLinalgPipeline(OpPassManager &pm,
                              const EinPipelineOptions &options);

/// ein -> LLVM dialect: the linalg pipeline, ein-fuse-elementwise (unless
/// `vectorize=false`), symbol-dce, then one-shot bufferization (function boundaries included, identity layouts),
/// ownership-based buffer deallocation, ein-vectorize-contractions (unless
/// `vectorize=false`; with scf.parallel lowered to OpenMP worksharing loops
/// of guided schedule (ein-loop-schedule), and the scopes around parallel
/// bodies that allocate nothing inlined, unless `threads=1`), loops, and conversion of every dialect to LLVM. The result
/// runs under mlir-runner and ExecutionEngine (threaded code needs libomp).
/// `afterKernels`, when given, runs on the module right after
/// ein-vectorize-contractions (the JIT's kernel cache takes the GEMM
/// kernels it has compiled before there, lib/Runner/KernelCache.h).
void buildEinToLLVMPipeline(
    OpPassManager &pm, const EinToLLVMPipelineOptions &options,
    std::function<void(ModuleOp)> afterKernels = nullptr);

/// ein -> NVVM and a gpu.binary (PTX, cubin or fatbin): the linalg
/// pipeline, inline, symbol-dce, one-shot bufferization without
/// deallocation, ein-gpu-tile-contractions (shared-memory GEMM kernels),
/// ein-gpu-device-buffers (device memory, copies at the function boundary),
/// convert-linalg-to-parallel-loops, ein-gpu-map-loops (other loop nests as
/// kernels), then MLIR's gpu-lower-to-nvvm-pipeline (outlining, NVVM,
/// gpu-to-llvm, gpu-module-to-binary). The host function keeps host memrefs
/// in and out; it runs under ExecutionEngine with libein_cuda_runtime.
/// Check the options with checkEinToNVVMOptions first.
void buildEinToNVVMPipeline(OpPassManager &pm,
                            const EinToNVVMPipelineOptions &options);

/// What ein-to-nvvm needs in the context beyond the dialects it lowers:
/// the NVVM target attribute's serializer and the LLVM IR translations of
/// the builtin, LLVM, NVVM and GPU dialects (gpu.binary's object
/// selection included).
void registerEinToNVVMDependencies(DialectRegistry &registry);

/// Most threads a pipeline may ask for (OpenMP would try to start them all).
inline constexpr int64_t kMaxThreads = 1024;

/// The widest vectors of this machine's CPU, in bytes: 64 with AVX-512
/// (avx512f), 32 with AVX2 and FMA, else 16. EIN_VECTOR_BYTES=16, 32 or 64
/// overrides it (to run narrower code on a wider machine).
int64_t hostVectorBytes();

/// A one-line error when an option is out of range (threads outside
/// [0, kMaxThreads], negative limits, vector-bytes other than 0, 16, 32,
/// 64); empty when usable.
std::string checkEinPipelineOptions(const EinPipelineOptions &options);

/// A one-line error when `format` is not isa, bin or fatbin, or when
/// bin/fatbin is asked for and ptxas cannot be found; empty when usable.
std::string checkEinToNVVMOptions(const EinToNVVMPipelineOptions &options);

/// Where ptxas is (searched as MLIR's NVVM target does: $CUDA_ROOT,
/// $CUDA_HOME, $CUDA_PATH, /usr/local/cuda, then PATH); empty if nowhere.
std::string findPtxas();

/// Registers `ein-to-linalg`, `ein-to-llvm` and `ein-to-nvvm`
/// (ein-opt --ein-to-llvm).
void registerEinPipelines();

} // namespace mlir::ein

#endif // EIN_PIPELINES_PIPELINES_H
