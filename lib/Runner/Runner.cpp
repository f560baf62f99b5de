//===- Runner.cpp - JIT-compile and run ein functions ---------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Runner/Runner.h"
#include "ein/Runner/Buffers.h"
#include "ein/Runner/CudaRuntime.h"
#include "ein/Runner/ParallelJit.h"
#include "KernelCache.h"
#include "OpenMPRuntime.h"
#include "ein/Pipelines/Pipelines.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csetjmp>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

using namespace mlir;
using namespace mlir::ein;
using llvm::Twine;

static RuntimeErrorHandler runtimeErrorHandler = [](const char *message) {
  llvm::errs() << "ein: error: " << message << "\n";
  std::exit(1);
};
static thread_local std::string runtimeMessage;

void mlir::ein::setRuntimeErrorHandler(RuntimeErrorHandler handler) {
  runtimeErrorHandler = handler;
}

/// While compiled code runs on this thread (JitFunction::call), where a
/// failed runtime check jumps back to; null elsewhere (OpenMP workers).
static thread_local jmp_buf *runtimeTrap = nullptr;

namespace {
/// One call of compiled code in flight: an error that a parallel region
/// could not report at once (a buffer over the limit) waits here until the
/// call returns.
struct CallInFlight {
  /// The call's place in the order in which calls started (from 1).
  uint64_t ticket = 0;
  std::string deferredError;
};
} // namespace

/// The call this thread runs, and the tickets handed out so far.
static thread_local CallInFlight *currentCall = nullptr;
static std::atomic<uint64_t> callTickets{0};
/// The last error an OpenMP worker deferred, and the last ticket handed out
/// when it did: it belongs to every call of that ticket or before that is
/// still in flight (a worker cannot tell whose team it is in). Calls check
/// the ticket, an atomic load, as they end; nothing is locked per call.
static std::mutex workerErrorMutex;
static std::string workerError;
static std::atomic<uint64_t> workerErrorTicket{0};

/// Defers `message` to the call that the running thread works for: its own
/// when it is the calling thread (the first error of a call wins), else
/// every call in flight.
static void deferRuntimeError(const std::string &message) {
  if (currentCall) {
    if (currentCall->deferredError.empty())
      currentCall->deferredError = message;
    return;
  }
  std::lock_guard<std::mutex> lock(workerErrorMutex);
  workerError = message;
  workerErrorTicket.store(callTickets.load());
}

/// The end of the process for an error no call can return: one thread
/// prints it and leaves without running exit handlers (std::exit with other
/// threads still running compiled code crashes); the others wait.
[[noreturn]] static void runtimeErrorFatal(const char *message) {
  static std::mutex fatalMutex;
  fatalMutex.lock();
  if (!inOpenMPParallelRegion()) {
    runtimeErrorHandler(message);
    std::abort(); // the handler must not return
  }
  llvm::errs() << "ein: error: " << message << "\n";
  llvm::errs().flush();
  std::_Exit(1);
}

/// A failed runtime check: back to JitFunction::call as an error when the
/// thread is running compiled code outside a parallel region, else the
/// end of the process (runtimeErrorFatal).
static void raiseRuntimeError(const char *message) {
  if (runtimeTrap && !inOpenMPParallelRegion()) {
    runtimeMessage = message;
    std::longjmp(*runtimeTrap, 1);
  }
  runtimeErrorFatal(message);
}

/// What compiled code calls for puts/abort (the lowering of cf.assert).
extern "C" {
static int einPuts(const char *message) {
  runtimeMessage = message ? message : "";
  return 0;
}
static void einAbort() {
  std::string message =
      runtimeMessage.empty() ? "runtime check failed" : runtimeMessage;
  raiseRuntimeError(message.c_str());
}
static void einCudaError(const char *message) {
  std::string copy = message ? message : "CUDA error";
  raiseRuntimeError(copy.c_str());
}
}

/// Calls compiled code; a failed runtime check comes back as an error, as
/// does one deferred by a parallel region. (Buffers the code allocated
/// before a check failed outside a parallel region are not freed.)
static llvm::Error invokeTrapped(void (*function)(void **), void **args) {
  CallInFlight call;
  call.ticket = ++callTickets;
  CallInFlight *outerCall = currentCall;
  currentCall = &call;
  jmp_buf trap;
  jmp_buf *outer = runtimeTrap;
  runtimeTrap = &trap;
  if (setjmp(trap) != 0) {
    runtimeTrap = outer;
    currentCall = outerCall;
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   runtimeMessage);
  }
  function(args);
  runtimeTrap = outer;
  currentCall = outerCall;
  if (call.deferredError.empty() && workerErrorTicket.load() >= call.ticket) {
    std::lock_guard<std::mutex> lock(workerErrorMutex);
    call.deferredError = workerError;
  }
  if (!call.deferredError.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   call.deferredError);
  return llvm::Error::success();
}

/// What compiled code calls for malloc: allocateBuffer within the buffer
/// limit, a runtime error (not a null pointer) beyond it or when memory is
/// exhausted. (Aligned memref.allocs ask for their alignment on top of the
/// buffer's size: that much slack is allowed.) Inside a parallel region,
/// where the error cannot unwind, a buffer over the limit is still
/// allocated and the error is deferred to the end of the call; only
/// exhausted memory there ends the process.
static void *einMalloc(size_t size) {
  constexpr uint64_t alignmentSlack = 4096;
  int64_t limit = bufferLimit();
  if (size > uint64_t(limit) &&
      size - uint64_t(limit) > alignmentSlack) {
    std::string message = "a buffer of " + std::to_string(size) +
                          " bytes is needed, more than the buffer limit of " +
                          std::to_string(limit) + " bytes";
    if (!inOpenMPParallelRegion()) {
      runtimeMessage = message;
      einAbort();
    }
    deferRuntimeError(message);
  }
  void *pointer = allocateBuffer(size);
  if (!pointer && size != 0) {
    runtimeMessage = "out of memory: could not allocate a buffer of " +
                     std::to_string(size) + " bytes";
    einAbort();
  }
  return pointer;
}

static llvm::Error fail(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string TensorSignature::str() const {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s +=
        (ShapedType::isDynamic(d) ? std::string("?") : std::to_string(d)) + "x";
  return s + (dtype == DType::F32 ? "f32>" : "f64>");
}

static llvm::Expected<TensorSignature> signatureOf(Type type,
                                                   const Twine &what) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  Type element = tensor ? tensor.getElementType() : Type();
  if (!tensor || !(element.isF32() || element.isF64())) {
    std::string found;
    llvm::raw_string_ostream os(found);
    os << type;
    return fail(what + " must be a ranked tensor of f32 or f64, but is " +
                found);
  }
  TensorSignature sig;
  sig.dtype = element.isF32() ? DType::F32 : DType::F64;
  sig.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  return sig;
}

static func::FuncOp findEntry(ModuleOp module, llvm::StringRef entry) {
  return module.lookupSymbol<func::FuncOp>(entry);
}

llvm::Error
mlir::ein::getSignature(ModuleOp module, llvm::StringRef entry,
                        llvm::SmallVectorImpl<TensorSignature> &args,
                        llvm::SmallVectorImpl<TensorSignature> &results) {
  func::FuncOp func = findEntry(module, entry);
  if (!func || func.isExternal())
    return fail("no function @" + entry + " with a body in the module");
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
    auto sig = signatureOf(type, "argument #" + Twine(i) + " of @" + entry);
    if (!sig)
      return sig.takeError();
    args.push_back(*sig);
  }
  for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
    auto sig = signatureOf(type, "result #" + Twine(i) + " of @" + entry);
    if (!sig)
      return sig.takeError();
    results.push_back(*sig);
  }
  return llvm::Error::success();
}

std::string mlir::ein::describeDiagnostic(Diagnostic &diag) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto loc = dyn_cast<FileLineColLoc>(diag.getLocation()))
    os << loc.getFilename().getValue() << ":" << loc.getLine() << ":"
       << loc.getColumn() << ": ";
  os << diag.str();
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

llvm::Error mlir::ein::lowerForJit(ModuleOp module, llvm::StringRef entry,
                                   const EinPipelineOptions *pipeline,
                                   const EinToNVVMPipelineOptions *gpu,
                                   KernelHook afterKernels) {
  func::FuncOp func = findEntry(module, entry);
  if (!func)
    return fail("no function @" + entry + " in the module");
  MLIRContext *ctx = module.getContext();
  func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                UnitAttr::get(ctx));
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    func.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                    BoolAttr::get(ctx, false));

  std::string firstError;
  ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error && firstError.empty())
      firstError = describeDiagnostic(diag);
    return success();
  });
  PassManager pm(ctx);
  // Every pass must leave valid IR: a pass that does not fails the lowering
  // with the verifier's diagnostic instead of miscompiling.
  pm.enableVerifier(true);
  // Intermediates and results larger than the buffer limit are compile
  // errors (ein-check-buffers) unless the caller set its own bound.
  auto withLimit = [](auto &options) {
    if (options.bufferLimit == 0)
      options.bufferLimit = bufferLimit();
  };
  if (!gpu && pipeline) {
    std::string error = checkEinPipelineOptions(*pipeline);
    if (!error.empty())
      return fail(error);
  }
  if (gpu) {
    std::string error = checkEinToNVVMOptions(*gpu);
    if (!error.empty())
      return fail(error);
    DialectRegistry registry;
    registerEinToNVVMDependencies(registry);
    ctx->appendDialectRegistry(registry);
    EinToNVVMPipelineOptions options;
    options.copyOptionValuesFrom(*gpu);
    withLimit(options);
    buildEinToNVVMPipeline(pm, options);
  } else {
    EinPipelineOptions options;
    if (pipeline)
      options.copyOptionValuesFrom(*pipeline);
    withLimit(options);
    std::function<void(ModuleOp)> hook;
    if (afterKernels) {
      // The options that act on a kernel after vectorization (the thread
      // count too, which planKernels handles: kernels have no parallel
      // loops); the others shape only what comes before.
      std::string text =
          "index-bitwidth=" + std::to_string(options.indexBitwidth) +
          " use-bare-ptr-call-conv=" +
          std::to_string(bool(options.useBarePtrCallConv));
      hook = [afterKernels, text](ModuleOp m) { afterKernels(m, text); };
    }
    buildEinToLLVMPipeline(pm, options, std::move(hook));
  }
  if (failed(pm.run(module)))
    return fail("lowering failed: " + (firstError.empty()
                                           ? std::string("unknown error")
                                           : firstError));
  return llvm::Error::success();
}

llvm::SmallVector<std::pair<std::string, std::string>>
mlir::ein::getGpuBinaries(ModuleOp module) {
  llvm::SmallVector<std::pair<std::string, std::string>> binaries;
  module.walk([&](gpu::BinaryOp binary) {
    for (Attribute object : binary.getObjects())
      if (auto o = dyn_cast<gpu::ObjectAttr>(object))
        binaries.push_back(
            {binary.getSymName().str(), o.getObject().getValue().str()});
  });
  return binaries;
}

/// What compiled code calls instead of the process's functions.
static llvm::orc::SymbolMap runtimeSymbols(llvm::orc::MangleAndInterner interner) {
  llvm::orc::SymbolMap symbols;
  auto define = [&](const char *name, auto *address) {
    symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(address),
                               llvm::JITSymbolFlags::Exported};
  };
  // A failed runtime check (cf.assert lowers to puts(message); abort())
  // reports through the runtime error handler instead of aborting.
  define("puts", &einPuts);
  define("malloc", &einMalloc);
  define("free", &releaseBuffer);
  define("abort", &einAbort);
  // Copies between strided buffers (slices) call MLIR's C runner utils.
  define("memrefCopy", &memrefCopy);
  return symbols;
}

llvm::Expected<std::unique_ptr<JitFunction>>
JitFunction::compile(ModuleOp module, llvm::StringRef entry,
                     const EinPipelineOptions *pipeline,
                     const EinToNVVMPipelineOptions *gpu) {
  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<JitFunction> fn(new JitFunction());
  fn->name = entry.str();
  fn->gpu = gpu != nullptr;
  if (llvm::Error err = getSignature(module, entry, fn->args, fn->results))
    return std::move(err);
  // The JIT links no user code: a called declaration would fail to link
  // with LLVM's own multi-line report.
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isDeclaration() && !SymbolTable::symbolKnownUseEmpty(func, module))
      return fail("@" + func.getSymName() +
                  " is declared and called but has no body (compiled code "
                  "cannot call external functions)");
  if (gpu) {
    // Fail before compiling when the code could not run.
    char reason[512];
    if (!einCudaProbe(reason, sizeof(reason)))
      return fail(llvm::Twine("cannot run on the GPU: ") + reason);
    einCudaSetErrorHandler(einCudaError);
  }
  auto since = [](std::chrono::steady_clock::time_point from) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         from)
        .count();
  };
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  // Strided loops (traces, diagonals) vectorized with gathers ran several
  // times slower than scalar code on the development machine (AMD Zen 5;
  // Intel's gathers are microcoded since the Downfall mitigation): keep
  // LLVM from emitting them.
  builder->getFeatures().AddFeature("prefer-no-gather");
  builder->getFeatures().AddFeature("prefer-no-scatter");
  // The GEMM kernels compiled before (by this process, or one before it,
  // or with ein) leave the module after vectorization
  // (lib/Runner/KernelCache.h); with the cache on, GEMMs keep calling
  // their shared kernels instead of inlined copies.
  KernelPlan kernels;
  KernelHook afterKernels;
  std::optional<llvm::DataLayout> layout;
  if (!gpu && kernelCacheEnabled()) {
    auto machine = builder->createTargetMachine();
    if (!machine)
      return machine.takeError();
    layout = (*machine)->createDataLayout();
    std::string target = (*machine)->getTargetTriple().str() + "\n" +
                         (*machine)->getTargetCPU().str() + "\n" +
                         (*machine)->getTargetFeatureString().str() + "\n";
    afterKernels = [&, target](ModuleOp m, llvm::StringRef options) {
      planKernels(m, target + options.str(), *builder, *layout, kernels);
    };
  }
  auto phase = std::chrono::steady_clock::now();
  if (llvm::Error err =
          lowerForJit(module, entry, pipeline, gpu, std::move(afterKernels)))
    return std::move(err);
  fn->loweringSeconds = since(phase);

  registerBuiltinDialectTranslation(*module.getContext());
  registerLLVMDialectTranslation(*module.getContext());
  registerOpenMPDialectTranslation(*module.getContext());
  registerGPUDialectTranslation(*module.getContext());
  // Threaded loops (omp.parallel) call the OpenMP runtime.
  bool threaded = false;
  module.walk([&](Operation *op) {
    if (op->getDialect() &&
        op->getDialect()->getNamespace() == "omp")
      threaded = true;
  });

  llvm::SmallVector<std::string, 1> libraries;
  if (threaded) {
    libraries.push_back(EIN_OMP_LIBRARY);
    fn->threads = pipeline ? int(pipeline->threads) : 0;
  }
  if (!gpu) {
    // On the CPU: LLVM -O2 and machine code in parts on threads.
    ParallelJitOptions options{*builder, libraries, runtimeSymbols,
                               std::max(1u, std::thread::hardware_concurrency()),
                               &kernels};
    auto compiled = compileParallel(module, fn->name, std::move(options));
    if (!compiled)
      return compiled.takeError();
    fn->jit = std::move(compiled->jit);
    fn->packed = compiled->packed;
    fn->translationSeconds = compiled->translationSeconds;
    fn->codegenSeconds = compiled->codegenSeconds;
    fn->compileSeconds = since(start);
    return fn;
  }
  auto machine = builder->createTargetMachine();
  if (!machine)
    return machine.takeError();
  // `options.transformer` is a function_ref: keep the function alive.
  std::function<llvm::Error(llvm::Module *)> transformer =
      // -O2 (see ParallelJit.cpp).
      makeOptimizingTransformer(2, 0, machine->get());
  ExecutionEngineOptions options;
  options.transformer = transformer;
  llvm::SmallVector<llvm::StringRef, 1> paths(libraries.begin(),
                                              libraries.end());
  options.sharedLibPaths = paths;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  phase = std::chrono::steady_clock::now();
  auto engine = ExecutionEngine::create(module, options, std::move(*machine));
  if (!engine)
    return engine.takeError();
  fn->translationSeconds = since(phase);
  phase = std::chrono::steady_clock::now();
  fn->engine = std::move(*engine);
  fn->engine->registerSymbols(runtimeSymbols);
  // Compile now, so that run times exclude compilation.
  auto symbol = fn->engine->lookupPacked("_mlir_ciface_" + fn->name);
  if (!symbol)
    return symbol.takeError();
  fn->packed = *symbol;
  // Static constructors (the GPU module loads) run before the first call;
  // ExecutionEngine::invokePacked would run them, the direct call does not.
  fn->engine->initialize();
  fn->codegenSeconds = since(phase);
  fn->compileSeconds = since(start);
  return fn;
}

llvm::Error JitFunction::checkInputs(llvm::ArrayRef<HostArray> inputs) const {
  if (inputs.size() != args.size())
    return fail("@" + name + " takes " + Twine(args.size()) +
                " argument(s), but " + Twine(inputs.size()) +
                " input(s) were given");
  for (auto [i, pair] : llvm::enumerate(llvm::zip(inputs, args))) {
    const auto &[input, sig] = pair;
    if (input.dtype != sig.dtype)
      return fail("argument #" + Twine(i) + " of @" + name + " is " +
                  sig.str() + ", but input #" + Twine(i) + " is " +
                  dtypeName(input.dtype));
    bool fits = input.shape.size() == sig.shape.size();
    for (size_t d = 0; fits && d < sig.shape.size(); ++d)
      fits =
          ShapedType::isDynamic(sig.shape[d]) || sig.shape[d] == input.shape[d];
    if (!fits)
      return fail("argument #" + Twine(i) + " of @" + name + " is " +
                  sig.str() + ", but input #" + Twine(i) + " has shape " +
                  input.shapeString());
  }
  return llvm::Error::success();
}

/// A memref descriptor: allocated, aligned, offset, sizes, strides.
static std::vector<int64_t> descriptorOf(const void *data,
                                         llvm::ArrayRef<int64_t> shape) {
  size_t rank = shape.size();
  std::vector<int64_t> words(3 + 2 * rank);
  words[0] = words[1] = reinterpret_cast<int64_t>(data);
  words[2] = 0;
  int64_t stride = 1;
  for (size_t d = rank; d-- > 0;) {
    words[3 + d] = shape[d];
    words[3 + rank + d] = stride;
    stride *= shape[d];
  }
  return words;
}

llvm::Error JitFunction::call(llvm::ArrayRef<const void *> data,
                              llvm::ArrayRef<llvm::ArrayRef<int64_t>> shapes,
                              std::vector<int64_t> &resultWords,
                              double *seconds) {
  size_t words = 0;
  for (const TensorSignature &r : results)
    words += 3 + 2 * r.shape.size();
  resultWords.assign(words, 0);

  llvm::SmallVector<std::vector<int64_t>, 4> descriptors;
  for (auto [d, shape] : llvm::zip_equal(data, shapes))
    descriptors.push_back(descriptorOf(d, shape));
  llvm::SmallVector<void *, 4> pointers;
  void *resultPointer = resultWords.data();
  for (auto &d : descriptors)
    pointers.push_back(d.data());
  llvm::SmallVector<void *, 5> packed;
  if (!results.empty())
    packed.push_back(&resultPointer);
  for (void *&p : pointers)
    packed.push_back(&p);

  auto start = std::chrono::steady_clock::now();
  if (threads != 1)
    placeOpenMPWorkers(threads);
  llvm::Error err = invokeTrapped(this->packed, packed.data());
  if (seconds)
    *seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
  return err;
}

void JitFunction::collect(
    std::vector<int64_t> &resultWords, llvm::ArrayRef<const void *> inputs,
    llvm::function_ref<char *(unsigned, llvm::ArrayRef<int64_t>)>
        destination) {
  llvm::SmallPtrSet<void *, 8> notOurs, freed;
  for (const void *input : inputs)
    notOurs.insert(const_cast<void *>(input));
  // Globals (memref.get_global) carry this marker as their allocation.
  notOurs.insert(reinterpret_cast<void *>(0xdeadbeef));
  size_t offset = 0;
  for (auto [k, sig] : llvm::enumerate(results)) {
    size_t rank = sig.shape.size();
    int64_t *w = resultWords.data() + offset;
    offset += 3 + 2 * rank;
    auto *allocated = reinterpret_cast<void *>(w[0]);
    auto *aligned = reinterpret_cast<char *>(w[1]);
    llvm::SmallVector<int64_t, 4> shape(w + 3, w + 3 + rank);
    if (char *out = destination(k, shape)) {
      size_t elem = dtypeSize(sig.dtype);
      int64_t n = 1;
      for (int64_t d : shape)
        n *= d;
      // Contiguous results (the usual case) are one copy.
      bool contiguous = true;
      int64_t stride = 1;
      for (size_t d = rank; d-- > 0;) {
        contiguous &= shape[d] == 1 || w[3 + rank + d] == stride;
        stride *= shape[d];
      }
      if (contiguous) {
        if (n > 0)
          std::memcpy(out, aligned + w[2] * elem, n * elem);
      } else {
        llvm::SmallVector<int64_t, 4> index(rank, 0);
        for (int64_t c = 0; c < n; ++c) {
          int64_t src = w[2];
          for (size_t d = 0; d < rank; ++d)
            src += index[d] * w[3 + rank + d];
          std::memcpy(out + c * elem, aligned + src * elem, elem);
          for (size_t d = rank; d-- > 0;) {
            if (++index[d] < shape[d])
              break;
            index[d] = 0;
          }
        }
      }
    }
    if (allocated && !notOurs.contains(allocated) &&
        freed.insert(allocated).second)
      releaseBuffer(allocated);
  }
}

/// The data pointers and shapes of host arrays.
static void viewsOf(llvm::ArrayRef<HostArray> inputs,
                    llvm::SmallVectorImpl<const void *> &data,
                    llvm::SmallVectorImpl<llvm::ArrayRef<int64_t>> &shapes) {
  for (const HostArray &input : inputs) {
    data.push_back(input.data.data());
    shapes.push_back(input.shape);
  }
}

llvm::Expected<std::vector<HostArray>>
JitFunction::run(llvm::ArrayRef<HostArray> inputs) {
  if (llvm::Error err = checkInputs(inputs))
    return std::move(err);
  llvm::SmallVector<const void *, 4> data;
  llvm::SmallVector<llvm::ArrayRef<int64_t>, 4> shapes;
  viewsOf(inputs, data, shapes);
  std::vector<int64_t> words;
  if (llvm::Error err = call(data, shapes, words, nullptr))
    return std::move(err);
  std::vector<HostArray> out;
  collect(words, data, [&](unsigned k, llvm::ArrayRef<int64_t> shape) {
    // The shape was validated when the function was built; sizes are
    // non-negative and bounded by what the function allocated.
    out.push_back(cantFail(makeArray(results[k].dtype, shape)));
    return out.back().data.data();
  });
  return out;
}

llvm::SmallVector<JitFunction::OwnedResult, 2>
JitFunction::adoptable(const std::vector<int64_t> &resultWords,
                       llvm::ArrayRef<const void *> inputs) const {
  llvm::SmallPtrSet<void *, 8> taken;
  for (const void *input : inputs)
    taken.insert(const_cast<void *>(input));
  taken.insert(reinterpret_cast<void *>(0xdeadbeef)); // globals
  llvm::SmallVector<OwnedResult, 2> owned;
  size_t offset = 0;
  for (const TensorSignature &sig : results) {
    size_t rank = sig.shape.size();
    const int64_t *w = resultWords.data() + offset;
    offset += 3 + 2 * rank;
    auto *allocated = reinterpret_cast<void *>(w[0]);
    bool contiguous = true;
    int64_t stride = 1;
    for (size_t d = rank; d-- > 0;) {
      contiguous &= w[3 + d] == 1 || w[3 + rank + d] == stride;
      stride *= w[3 + d];
    }
    OwnedResult result;
    if (allocated && contiguous && taken.insert(allocated).second) {
      result.owner = allocated;
      result.data = reinterpret_cast<char *>(w[1]) + w[2] * dtypeSize(sig.dtype);
    }
    owned.push_back(result);
  }
  return owned;
}

llvm::Error
JitFunction::runOwned(llvm::ArrayRef<const void *> inputs,
                      llvm::SmallVectorImpl<OwnedResult> &outputs) {
  if (inputs.size() != args.size())
    return fail("@" + name + " takes " + Twine(args.size()) +
                " argument(s), but " + Twine(inputs.size()) + " were given");
  llvm::SmallVector<llvm::ArrayRef<int64_t>, 4> shapes;
  for (const TensorSignature &sig : args)
    shapes.push_back(sig.shape);
  for (const TensorSignature &sig : llvm::concat<const TensorSignature>(
           llvm::ArrayRef(args), llvm::ArrayRef(results)))
    for (int64_t d : sig.shape)
      if (ShapedType::isDynamic(d))
        return fail("@" + name + " has dynamic shapes: " + sig.str());
  std::vector<int64_t> words;
  if (llvm::Error err = call(inputs, shapes, words, nullptr))
    return err;
  outputs.assign(adoptable(words, inputs));
  // The others are copied into new buffers; collect() frees what is
  // neither an input nor handed over.
  llvm::SmallVector<const void *, 6> keep(inputs);
  llvm::SmallVector<bool, 2> copy;
  for (auto [k, out] : llvm::enumerate(outputs)) {
    copy.push_back(!out.owner);
    if (out.owner) {
      keep.push_back(out.owner);
      continue;
    }
    int64_t n = 1;
    for (int64_t d : results[k].shape)
      n *= d;
    out.owner = allocateBuffer(
        std::max<int64_t>(1, n * dtypeSize(results[k].dtype)));
    out.data = static_cast<char *>(out.owner);
  }
  collect(words, keep, [&](unsigned k, llvm::ArrayRef<int64_t>) {
    return copy[k] ? outputs[k].data : nullptr;
  });
  return llvm::Error::success();
}

llvm::Expected<double> JitFunction::time(llvm::ArrayRef<HostArray> inputs,
                                         double *kernelSeconds) {
  if (llvm::Error err = checkInputs(inputs))
    return std::move(err);
  llvm::SmallVector<const void *, 4> data;
  llvm::SmallVector<llvm::ArrayRef<int64_t>, 4> shapes;
  viewsOf(inputs, data, shapes);
  std::vector<int64_t> words;
  double seconds = 0;
  if (gpu) {
    einCudaSetTiming(1);
    einCudaTakeKernelSeconds();
  }
  llvm::Error err = call(data, shapes, words, &seconds);
  if (gpu) {
    einCudaSetTiming(0);
    double kernels = einCudaTakeKernelSeconds();
    if (kernelSeconds)
      *kernelSeconds = kernels;
  }
  if (err)
    return std::move(err);
  collect(words, data,
          [](unsigned, llvm::ArrayRef<int64_t>) -> char * { return nullptr; });
  return seconds;
}
