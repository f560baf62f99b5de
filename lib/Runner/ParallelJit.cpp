//===- ParallelJit.cpp - LLVM IR compiled on several threads --------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Runner/ParallelJit.h"
#include "KernelCache.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/ExecutionEngine/Orc/CompileUtils.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

using namespace mlir;
using namespace mlir::ein;
using llvm::Twine;

/// Modules below this many LLVM IR instructions compile in one part (the
/// bitcode round trip and a thread cost more than they save).
static constexpr size_t kSplitMinInstructions = 1000;

static llvm::Error fail(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Defines `_mlir_<name>(void **args)`, which calls `name` with the
/// arguments *args[i] and stores a result at args[n] (mlir::ExecutionEngine's
/// packed interface).
static llvm::Error addPackedInterface(llvm::Module &module,
                                      llvm::StringRef name) {
  llvm::Function *fn = module.getFunction(name);
  if (!fn || fn->isDeclaration())
    return fail("the compiled module has no function " + name);
  llvm::LLVMContext &ctx = module.getContext();
  llvm::IRBuilder<> b(ctx);
  auto *type = llvm::FunctionType::get(b.getVoidTy(), b.getPtrTy(), false);
  auto *packed = llvm::Function::Create(type, llvm::Function::ExternalLinkage,
                                        "_mlir_" + name, module);
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", packed));
  llvm::Value *list = packed->arg_begin();
  llvm::SmallVector<llvm::Value *, 8> args;
  for (auto [i, arg] : llvm::enumerate(fn->args())) {
    llvm::Value *slot = b.CreateGEP(b.getPtrTy(), list, b.getInt64(i));
    args.push_back(
        b.CreateLoad(arg.getType(), b.CreateLoad(b.getPtrTy(), slot)));
  }
  llvm::Value *result = b.CreateCall(fn, args);
  if (!result->getType()->isVoidTy()) {
    llvm::Value *slot =
        b.CreateGEP(b.getPtrTy(), list, b.getInt64(fn->arg_size()));
    b.CreateStore(result, b.CreateLoad(b.getPtrTy(), slot));
  }
  b.CreateRetVoid();
  return llvm::Error::success();
}

/// -O2 and machine code: `module` as an object file.
static llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
compilePart(llvm::Module &module, llvm::TargetMachine &tm) {
  module.setDataLayout(tm.createDataLayout());
  module.setTargetTriple(tm.getTargetTriple());
  // -O2: the generated kernels are explicit vector code already; -O3's
  // extra loop passes doubled compile times (360 -> 140 ms for a 1024^2
  // matmul) without making them faster.
  if (llvm::Error err = makeOptimizingTransformer(2, 0, &tm)(&module))
    return std::move(err);
  llvm::orc::SimpleCompiler compile(tm);
  return compile(module);
}

static size_t instructionCount(const llvm::Module &module) {
  size_t count = 0;
  for (const llvm::Function &fn : module)
    count += fn.getInstructionCount();
  return count;
}

/// `module`'s functions spread over up to `count` modules (none when it has
/// fewer than two functions). Functions and mutable globals of local linkage
/// become external (another part may use them); local constants are copied
/// into every part.
static std::vector<std::unique_ptr<llvm::Module>>
splitByFunctions(llvm::Module &module, unsigned count) {
  std::vector<std::pair<size_t, llvm::Function *>> functions;
  for (llvm::Function &fn : module)
    if (!fn.isDeclaration())
      functions.push_back({fn.getInstructionCount(), &fn});
  if (functions.size() < 2)
    return {};
  llvm::sort(functions, [](const auto &x, const auto &y) {
    return x.first != y.first ? x.first > y.first
                              : x.second->getName() < y.second->getName();
  });
  llvm::DenseMap<const llvm::GlobalValue *, unsigned> partOf;
  std::vector<size_t> load(count, 0);
  for (auto &[size, fn] : functions) {
    unsigned least = std::min_element(load.begin(), load.end()) - load.begin();
    partOf[fn] = least;
    load[least] += size;
  }
  for (llvm::Function &fn : module)
    if (fn.hasLocalLinkage()) {
      fn.setLinkage(llvm::GlobalValue::ExternalLinkage);
      fn.setVisibility(llvm::GlobalValue::DefaultVisibility);
    }
  for (llvm::GlobalVariable &global : module.globals())
    if (global.hasLocalLinkage() && !global.isConstant()) {
      global.setLinkage(llvm::GlobalValue::ExternalLinkage);
      global.setVisibility(llvm::GlobalValue::DefaultVisibility);
    }
  std::vector<std::unique_ptr<llvm::Module>> parts;
  for (unsigned k = 0; k < count; ++k) {
    if (load[k] == 0)
      continue;
    bool first = parts.empty();
    llvm::ValueToValueMapTy map;
    parts.push_back(llvm::CloneModule(
        module, map, [&](const llvm::GlobalValue *value) {
          if (isa<llvm::Function>(value))
            return partOf.lookup(value) == k;
          if (value->hasLocalLinkage())
            return true;
          return first;
        }));
  }
  return parts;
}

llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>>
mlir::ein::createHostJit(const llvm::orc::JITTargetMachineBuilder &machine,
                         const llvm::DataLayout &layout) {
  auto jit =
      llvm::orc::LLJITBuilder()
          .setJITTargetMachineBuilder(machine)
          .setDataLayout(layout)
          .setObjectLinkingLayerCreator([](llvm::orc::ExecutionSession &es)
                                            -> llvm::Expected<std::unique_ptr<
                                                llvm::orc::ObjectLayer>> {
            return std::make_unique<llvm::orc::RTDyldObjectLinkingLayer>(
                es, [](const llvm::MemoryBuffer &) {
                  return std::make_unique<llvm::SectionMemoryManager>();
                });
          })
          .create();
  if (!jit)
    return jit.takeError();
  auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      layout.getGlobalPrefix());
  if (!process)
    return process.takeError();
  (*jit)->getMainJITDylib().addGenerator(std::move(*process));
  return std::move(*jit);
}

llvm::Expected<ParallelJit>
mlir::ein::compileParallel(ModuleOp module, llvm::StringRef entry,
                           ParallelJitOptions options) {
  using Clock = std::chrono::steady_clock;
  auto since = [](Clock::time_point from) {
    return std::chrono::duration<double>(Clock::now() - from).count();
  };
  ParallelJit result;
  auto start = Clock::now();
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, ctx);
  if (!llvmModule)
    return fail("could not translate the module to LLVM IR");
  if (llvmModule->getNamedGlobal("llvm.global_ctors"))
    return fail("static constructors are not supported by the parallel JIT");
  auto tm = options.machine.createTargetMachine();
  if (!tm)
    return tm.takeError();
  llvm::DataLayout layout = (*tm)->createDataLayout();
  llvmModule->setDataLayout(layout);
  llvmModule->setTargetTriple((*tm)->getTargetTriple());
  std::string packedName = ("_mlir_ciface_" + entry).str();
  if (llvm::Error err = addPackedInterface(*llvmModule, packedName))
    return std::move(err);

  // GEMM kernels compiled before come from the process's kernel cache;
  // the others are compiled below, each as a module of its own, and added
  // to it (KernelCache.h).
  TakenKernels kernels = options.kernels
                             ? takeKernels(*llvmModule, *options.kernels)
                             : TakenKernels();

  // The parts: each function in one of them (largest first, to the part
  // with the fewest instructions so far). The first part compiles in this
  // context; the other parts and the missing kernels move to their own
  // contexts as bitcode.
  std::vector<std::unique_ptr<llvm::Module>> parts;
  unsigned threads = std::max(1u, options.threads);
  if (threads > 1 && instructionCount(*llvmModule) >= kSplitMinInstructions)
    parts = splitByFunctions(*llvmModule, threads);
  if (parts.empty())
    parts.push_back(std::move(llvmModule));
  size_t partCount = parts.size();
  size_t taskCount = partCount + kernels.missing.size();
  std::vector<llvm::SmallVector<char, 0>> partBitcode(partCount);
  std::vector<llvm::StringRef> bitcode(taskCount);
  std::vector<size_t> sizes(taskCount, 0);
  for (size_t i = 1; i < partCount; ++i) {
    sizes[i] = instructionCount(*parts[i]);
    llvm::raw_svector_ostream os(partBitcode[i]);
    llvm::WriteBitcodeToFile(*parts[i], os);
    bitcode[i] = llvm::StringRef(partBitcode[i].data(), partBitcode[i].size());
  }
  for (auto [j, kernel] : llvm::enumerate(kernels.missing)) {
    sizes[partCount + j] = kernel.instructions;
    bitcode[partCount + j] =
        llvm::StringRef(kernel.bitcode.data(), kernel.bitcode.size());
  }
  result.translationSeconds = since(start);

  start = Clock::now();
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> objects(taskCount);
  std::vector<std::string> errors(taskCount);
  auto compileOne = [&](size_t i, llvm::Module &part,
                        llvm::TargetMachine &machine) {
    auto object = compilePart(part, machine);
    if (object)
      objects[i] = std::move(*object);
    else
      errors[i] = llvm::toString(object.takeError());
  };
  auto compileBitcode = [&](size_t i) {
    llvm::LLVMContext partContext;
    auto part = llvm::parseBitcodeFile(
        llvm::MemoryBufferRef(bitcode[i], "part"), partContext);
    if (!part) {
      errors[i] = llvm::toString(part.takeError());
      return;
    }
    auto machine = options.machine.createTargetMachine();
    if (!machine) {
      errors[i] = llvm::toString(machine.takeError());
      return;
    }
    compileOne(i, **part, **machine);
  };
  // The bitcode tasks, largest first, taken by the threads in turn.
  std::vector<size_t> order;
  for (size_t i = 1; i < taskCount; ++i)
    order.push_back(i);
  llvm::stable_sort(order, [&](size_t x, size_t y) {
    return sizes[x] > sizes[y];
  });
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t t = next++; t < order.size(); t = next++)
      compileBitcode(order[t]);
  };
  std::vector<std::thread> workers;
  for (size_t w = 1; w < std::min<size_t>(threads, taskCount); ++w)
    workers.emplace_back(work);
  // (The first part on this thread, with the module's target machine.)
  compileOne(0, *parts[0], **tm);
  work();
  for (std::thread &worker : workers)
    worker.join();
  for (const std::string &error : errors)
    if (!error.empty())
      return fail("compiling to machine code failed: " + error);

  auto jit = createHostJit(options.machine, layout);
  if (!jit)
    return jit.takeError();
  for (const std::string &library : options.libraries) {
    std::string error;
    if (llvm::sys::DynamicLibrary::LoadLibraryPermanently(library.c_str(),
                                                          &error))
      return fail("cannot load " + library + ": " + error);
  }
  llvm::orc::JITDylib &main = (*jit)->getMainJITDylib();
  llvm::orc::MangleAndInterner mangle((*jit)->getExecutionSession(), layout);
  if (options.symbols)
    if (llvm::Error err =
            main.define(llvm::orc::absoluteSymbols(options.symbols(mangle))))
      return std::move(err);
  // A debugging aid: EIN_JIT_OBJECTS=DIR writes each part's object file
  // there (DIR/part<i>.o, for objdump or perf; the kernels compiled now
  // after the parts).
  if (const char *dir = std::getenv("EIN_JIT_OBJECTS"))
    for (auto [i, object] : llvm::enumerate(objects)) {
      std::error_code ec;
      llvm::raw_fd_ostream os(
          (llvm::Twine(dir) + "/part" + llvm::Twine(i) + ".o").str(), ec);
      if (!ec)
        os << object->getBuffer();
    }
  // The kernels: the cached ones' addresses, the new ones' once added.
  llvm::orc::SymbolMap kernelSymbols;
  auto defineKernel = [&](llvm::StringRef name, uint64_t address) {
    kernelSymbols[mangle(name)] = llvm::orc::ExecutorSymbolDef(
        llvm::orc::ExecutorAddr(address),
        llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable);
  };
  for (auto &[name, address] : kernels.cached)
    defineKernel(name, address);
  for (auto [j, kernel] : llvm::enumerate(kernels.missing)) {
    auto address = addKernel(kernel, std::move(objects[partCount + j]),
                             options.machine, layout);
    if (!address)
      return address.takeError();
    defineKernel(kernel.name, *address);
  }
  if (!kernelSymbols.empty())
    if (llvm::Error err =
            main.define(llvm::orc::absoluteSymbols(std::move(kernelSymbols))))
      return std::move(err);
  for (size_t i = 0; i < partCount; ++i)
    if (llvm::Error err = (*jit)->addObjectFile(std::move(objects[i])))
      return std::move(err);
  auto symbol = (*jit)->lookup("_mlir_" + packedName);
  if (!symbol)
    return symbol.takeError();
  result.packed = symbol->toPtr<void (*)(void **)>();
  result.jit = std::move(*jit);
  result.codegenSeconds = since(start);
  return result;
}
