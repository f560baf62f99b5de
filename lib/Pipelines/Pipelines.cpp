//===- Pipelines.cpp - ein pass pipelines ---------------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Pipelines/Pipelines.h"
#include "ein/Conversion/Passes.h"
#include "ein/Dialect/Ein/Transforms/Passes.h"

#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <cstdlib>
#include <mutex>

using namespace mlir;
using namespace mlir::ein;

/// Appends upstream passes given as pipeline text (the registered names keep
/// this readable and stable across MLIR's C++ API changes).
static void addPipeline(OpPassManager &pm, StringRef text) {
  // Tools that only build pipelines (ein-run, Python) have not registered
  // the upstream passes by name; registering twice is harmless.
  static std::once_flag once;
  std::call_once(once, [] { registerAllPasses(); });
  std::string error;
  llvm::raw_string_ostream os(error);
  if (failed(parsePassPipeline(text, pm, os)))
    llvm::report_fatal_error(llvm::Twine("ein: bad built-in pipeline: ") +
                             error);
}

/// One-shot bufferization of whole programs, function boundaries with
/// identity layouts (the runner passes contiguous arrays).
static constexpr const char *kBufferize =
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map}";

/// The ein-level passes (ein-opt --ein-core), and the cost report when
/// asked for.
static void buildEinCore(OpPassManager &pm,
                         const EinPipelineOptions &options) {
  EinCoreOptions core;
  core.algorithm = options.algorithm;
  core.objective = options.objective;
  core.memoryLimit = options.memoryLimit;
  core.dynamicSize = options.dynamicSize;
  core.maxStoredBytes = options.maxStoredBytes;
  buildEinCorePipeline(pm, core);
  if (options.bufferLimit > 0) {
    EinCheckBuffersOptions check;
    check.maxBytes = options.bufferLimit;
    pm.addPass(createEinCheckBuffers(check));
  }
  if (options.costReport) {
    EinCostReportOptions report;
    report.algorithm = options.algorithm;
    report.objective = options.objective;
    report.memoryLimit = options.memoryLimit;
    report.dynamicSize = options.dynamicSize;
    pm.addPass(createEinCostReport(report));
  }
}

void mlir::ein::buildEinToLinalgPipeline(OpPassManager &pm,
                                         const EinPipelineOptions &options) {
  buildEinCore(pm, options);
  pm.addPass(createConvertEinToLinalg());
  pm.addPass(createConvertElementwiseToLinalgPass());
  pm.addPass(createCanonicalizerPass());
}

namespace {
/// Runs a callback on the module (buildEinToLLVMPipeline's afterKernels).
struct ModuleCallbackPass
    : PassWrapper<ModuleCallbackPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ModuleCallbackPass)
  explicit ModuleCallbackPass(std::function<void(ModuleOp)> callback)
      : callback(std::move(callback)) {}
  StringRef getArgument() const override { return "ein-module-callback"; }
  void runOnOperation() override { callback(getOperation()); }
  std::function<void(ModuleOp)> callback;
};
} // namespace

void mlir::ein::buildEinToLLVMPipeline(
    OpPassManager &pm, const EinToLLVMPipelineOptions &options,
    std::function<void(ModuleOp)> afterKernels) {
  buildEinToLinalgPipeline(pm, options);
  if (options.vectorize)
    pm.addNestedPass<func::FuncOp>(createFuseElementwise());
  // symbol-dce: callees that ein-reuse inlined everywhere would still be
  // compiled.
  addPipeline(pm, std::string("symbol-dce,") + kBufferize +
                      ",buffer-deallocation-pipeline,"
                      "convert-bufferization-to-memref,canonicalize");
  if (options.vectorize) {
    VectorizeContractionsOptions vectorize;
    vectorize.parallel = options.threads != 1;
    vectorize.vectorBytes =
        options.vectorBytes ? int64_t(options.vectorBytes) : hostVectorBytes();
    // A kernel cache (afterKernels) supplies the shared GEMM functions
    // compiled, single-use ones too: inlined, they would compile each time.
    vectorize.inlineSingleUse = !afterKernels;
    pm.addPass(createVectorizeContractions(vectorize));
    pm.addPass(createCanonicalizerPass());
    if (afterKernels)
      pm.addPass(std::make_unique<ModuleCallbackPass>(std::move(afterKernels)));
    if (options.threads != 1) {
      addPipeline(pm, "convert-scf-to-openmp{num-threads=" +
                          std::to_string(int64_t(options.threads)) +
                          "},canonicalize");
      pm.addNestedPass<func::FuncOp>(createInlineAllocaScopes());
      pm.addPass(createLoopSchedule());
    }
  }
  if (options.vectorize)
    pm.addNestedPass<func::FuncOp>(createApproximateMath());
  addPipeline(pm,
              "func.func(convert-linalg-to-loops),lower-affine,"
              "convert-vector-to-scf,convert-scf-to-cf,"
              "expand-strided-metadata,lower-affine,"
              "convert-vector-to-llvm,"
              "finalize-memref-to-llvm,convert-math-to-llvm,"
              "convert-math-to-libm,convert-arith-to-llvm");
  std::string bits = std::to_string(options.indexBitwidth);
  addPipeline(pm, "convert-index-to-llvm{index-bitwidth=" + bits +
                      "},convert-func-to-llvm{index-bitwidth=" + bits +
                      " use-bare-ptr-memref-call-conv=" +
                      (options.useBarePtrCallConv ? "true" : "false") +
                      "},convert-cf-to-llvm,convert-openmp-to-llvm,"
                      "reconcile-unrealized-casts");
}

std::string mlir::ein::findPtxas() {
  for (const char *variable : {"CUDA_ROOT", "CUDA_HOME", "CUDA_PATH"}) {
    if (std::optional<std::string> root = llvm::sys::Process::GetEnv(variable)) {
      llvm::SmallString<128> path(*root);
      llvm::sys::path::append(path, "bin", "ptxas");
      if (llvm::sys::fs::can_execute(path))
        return std::string(path);
    }
  }
  if (llvm::sys::fs::can_execute("/usr/local/cuda/bin/ptxas"))
    return "/usr/local/cuda/bin/ptxas";
  if (llvm::ErrorOr<std::string> path = llvm::sys::findProgramByName("ptxas"))
    return *path;
  return "";
}

void mlir::ein::registerEinToNVVMDependencies(DialectRegistry &registry) {
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  gpu::registerOffloadingLLVMTranslationInterfaceExternalModels(registry);
}

std::string
mlir::ein::checkEinPipelineOptions(const EinPipelineOptions &options) {
  if (options.threads < 0 || options.threads > kMaxThreads)
    return "threads: expected 0 (the OpenMP runtime's count) to " +
           std::to_string(kMaxThreads) + ", but found " +
           std::to_string(int64_t(options.threads));
  int64_t bytes = options.vectorBytes;
  if (bytes != 0 && bytes != 16 && bytes != 32 && bytes != 64)
    return "vector-bytes: expected 0 (this CPU's widest), 16, 32 or 64, but "
           "found " + std::to_string(bytes);
  // (option, what it counts, its least value)
  struct Bound {
    const mlir::detail::PassOptions::Option<int64_t> &option;
    const char *what;
    int64_t least;
  };
  for (const Bound &bound :
       {Bound{options.memoryLimit, "a number of elements", 0},
        Bound{options.maxStoredBytes, "a number of bytes", 0},
        Bound{options.bufferLimit, "a number of bytes", 0},
        Bound{options.dynamicSize, "a size", 1}})
    if (bound.option < bound.least)
      return bound.option.getArgStr().str() + ": expected " + bound.what +
             " >= " + std::to_string(bound.least) + ", but found " +
             std::to_string(int64_t(bound.option));
  return "";
}

int64_t mlir::ein::hostVectorBytes() {
  if (const char *env = std::getenv("EIN_VECTOR_BYTES")) {
    StringRef text(env);
    if (text == "16" || text == "32" || text == "64")
      return std::stoi(env);
  }
  static const int64_t host = [] {
    llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
    if (features.lookup("avx512f"))
      return int64_t(64);
    if (features.lookup("avx2") && features.lookup("fma"))
      return int64_t(32);
    return int64_t(16);
  }();
  return host;
}

std::string
mlir::ein::checkEinToNVVMOptions(const EinToNVVMPipelineOptions &options) {
  if (std::string error = checkEinPipelineOptions(options); !error.empty())
    return "ein-to-nvvm: " + error;
  StringRef format = options.format;
  if (format != "isa" && format != "bin" && format != "fatbin")
    return ("ein-to-nvvm: format must be isa, bin or fatbin, but is '" +
            format + "'")
        .str();
  if (format != "isa" && findPtxas().empty())
    return ("ein-to-nvvm: format=" + format +
            " needs the CUDA toolkit's ptxas, which was not found (searched "
            "$CUDA_ROOT, $CUDA_HOME, $CUDA_PATH, /usr/local/cuda and PATH); "
            "use format=isa for PTX without it")
        .str();
  return "";
}

void mlir::ein::buildEinToNVVMPipeline(
    OpPassManager &pm, const EinToNVVMPipelineOptions &options) {
  buildEinToLinalgPipeline(pm, options);
  // Device code cannot call host functions: inline everything first.
  // No deallocation pipeline: ein-gpu-device-buffers places the frees.
  addPipeline(pm, std::string("inline,symbol-dce,") + kBufferize +
                      ",convert-bufferization-to-memref,canonicalize");
  pm.addNestedPass<func::FuncOp>(createGpuTileContractions());
  pm.addNestedPass<func::FuncOp>(createGpuDeviceBuffers());
  addPipeline(pm, "func.func(convert-linalg-to-parallel-loops),canonicalize");
  pm.addNestedPass<func::FuncOp>(createGpuMapLoops());
  addPipeline(pm, "lower-affine,canonicalize");
  gpu::GPUToNVVMPipelineOptions gpu;
  gpu.cubinChip = options.chip;
  gpu.cubinFeatures = options.features;
  gpu.cubinFormat = options.format;
  gpu.optLevel = options.optLevel;
  gpu.indexBitWidth = options.indexBitwidth;
  gpu::buildLowerToNVVMPassPipeline(pm, gpu);
}

/// Registers a pipeline over EinPipelineOptions whose option values are
/// checked (checkEinPipelineOptions) before it is built.
static void registerChecked(
    StringRef name, StringRef description,
    void (*build)(OpPassManager &, const EinPipelineOptions &)) {
  registerPassPipeline(
      name, description,
      [build, name](OpPassManager &pm, StringRef text,
                    function_ref<LogicalResult(const Twine &)> errorHandler) {
        EinPipelineOptions options;
        if (failed(options.parseFromString(text)))
          return failure();
        std::string error = checkEinPipelineOptions(options);
        if (!error.empty())
          return errorHandler(name + ": " + error);
        build(pm, options);
        return success();
      },
      [](function_ref<void(const mlir::detail::PassOptions &)> handler) {
        handler(EinPipelineOptions());
      });
}

void mlir::ein::registerEinPipelines() {
  registerChecked("ein-core",
                  "The ein-level passes of ein-to-linalg: merge functions, "
                  "simplify, split, "
                  "differentiate, again, reuse (the IR stays in the ein "
                  "dialect)",
                  buildEinCore);
  registerChecked("ein-to-linalg",
                  "Lower ein (and arith/math on tensors) to linalg on tensors",
                  buildEinToLinalgPipeline);
  registerChecked("ein-to-llvm",
                  "Lower ein to the LLVM dialect: linalg, bufferization, "
                  "loops, LLVM",
                  [](OpPassManager &pm, const EinPipelineOptions &options) {
                    buildEinToLLVMPipeline(pm, options);
                  });
  registerPassPipeline(
      "ein-to-nvvm",
      "Lower ein to GPU kernels in NVVM serialized into a gpu.binary (PTX by "
      "default) and a host function in the LLVM dialect that launches them",
      [](OpPassManager &pm, StringRef text,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        EinToNVVMPipelineOptions options;
        if (failed(options.parseFromString(text)))
          return failure();
        std::string error = checkEinToNVVMOptions(options);
        if (!error.empty())
          return errorHandler(error);
        buildEinToNVVMPipeline(pm, options);
        return success();
      },
      [](function_ref<void(const mlir::detail::PassOptions &)> handler) {
        handler(EinToNVVMPipelineOptions());
      });
}
