//===- KernelCache.cpp - GEMM kernels compiled once per process ------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "KernelCache.h"
#include "KernelDiskCache.h"
#include "ein/Conversion/ContractionToVector/ContractionToVector.h"
#include "ein/Runner/ParallelJit.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Instructions.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/xxhash.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

using namespace mlir;
using namespace mlir::ein;

namespace {
/// The process's kernels: their addresses by key (keyOf), the JIT that
/// holds their code, the hashes of the keys seen (a kernel is
/// __ein_kernel_<hash> there and in the disk cache; a key seen before but
/// not cached, such as one whose stored object did not link or whose hash
/// another key has, stays uncached).
struct Cache {
  std::mutex mutex;
  llvm::StringMap<uint64_t> addresses;
  llvm::DenseSet<uint64_t> hashes;
  std::unique_ptr<llvm::orc::LLJIT> jit;
  uint64_t reuses = 0, loads = 0, bundled = 0;
};
} // namespace

/// Never destroyed: compiled code may still run while the process exits.
static Cache &cache() {
  static Cache *instance = new Cache;
  return *instance;
}

bool mlir::ein::kernelCacheEnabled() {
  const char *value = std::getenv("EIN_KERNEL_CACHE");
  return !value || std::strcmp(value, "0") != 0;
}

/// True if `value` is, or is a constant built from, a global variable.
static bool refersToGlobalVariable(const llvm::Value *value) {
  if (isa<llvm::GlobalVariable>(value))
    return true;
  if (const auto *constant = dyn_cast<llvm::Constant>(value))
    if (!isa<llvm::GlobalValue>(constant))
      for (const llvm::Use &use : constant->operands())
        if (refersToGlobalVariable(use.get()))
          return true;
  return false;
}

/// A GEMM kernel whose code depends on nothing but its own body: it calls
/// intrinsics only (not malloc, which the JIT binds to ein's allocator) and
/// reads no global variable.
static bool isCacheable(const llvm::Function &fn) {
  if (fn.isDeclaration())
    return false;
  for (const llvm::BasicBlock &block : fn)
    for (const llvm::Instruction &inst : block) {
      if (const auto *call = dyn_cast<llvm::CallBase>(&inst)) {
        const llvm::Function *callee = call->getCalledFunction();
        if (!callee || !callee->isIntrinsic())
          return false;
      }
      for (const llvm::Use &use : inst.operands())
        if (refersToGlobalVariable(use.get()))
          return false;
    }
  return true;
}

/// The binary that holds this code (its size and a hash of its bytes; empty
/// when unknown, which keeps kernels off the disk): the
/// rest of ein's pipeline after vectorization is part of what makes a
/// kernel's machine code, so a rebuilt ein must not reuse the kernels of
/// the build before it. (Its contents, not its path or time, so that the
/// kernels built with ein stay valid where the binary is copied.)
static const std::string &buildStamp() {
  static const std::string stamp = [] {
    const std::string &path = einBinaryPath();
    if (path.empty())
      return std::string();
    auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
    if (!file)
      return std::string();
    llvm::StringRef bytes = (*file)->getBuffer();
    return "ein binary " + std::to_string(bytes.size()) + " " +
           llvm::utohexstr(llvm::xxh3_64bits(bytes));
  }();
  return stamp;
}

/// What makes two kernels the same code: ein's build, LLVM's version, the
/// target and the pipeline's options (`context`), and the function's MLIR
/// after vectorization (its name included), from which the rest of the
/// pipeline and LLVM derive its machine code alone.
static std::string keyOf(func::FuncOp fn, llvm::StringRef context) {
  std::string key;
  llvm::raw_string_ostream os(key);
  os << buildStamp() << "\nLLVM " LLVM_VERSION_STRING "\n" << context << '\n';
  fn->print(os, OpPrintingFlags().useLocalScope());
  return key;
}

static std::string uniqueNameOf(uint64_t hash) {
  return "__ein_kernel_" + llvm::utohexstr(hash, /*LowerCase=*/true, 16);
}

/// The process's kernel JIT, created on first use.
static llvm::Expected<llvm::orc::LLJIT &>
kernelJit(Cache &c, const llvm::orc::JITTargetMachineBuilder &machine,
          const llvm::DataLayout &layout) {
  if (!c.jit) {
    auto jit = createHostJit(machine, layout);
    if (!jit)
      return jit.takeError();
    c.jit = std::move(*jit);
  }
  return *c.jit;
}

/// Links `object`, which defines `name`, into the kernel JIT: its address.
static llvm::Expected<uint64_t>
link(Cache &c, std::unique_ptr<llvm::MemoryBuffer> object,
     llvm::StringRef name, const llvm::orc::JITTargetMachineBuilder &machine,
     const llvm::DataLayout &layout) {
  auto jit = kernelJit(c, machine, layout);
  if (!jit)
    return jit.takeError();
  if (llvm::Error err = jit->addObjectFile(std::move(object)))
    return std::move(err);
  auto symbol = jit->lookup(name);
  if (!symbol)
    return symbol.takeError();
  return symbol->getValue();
}

/// True if `fn`'s lowering after vectorization depends on pipeline options
/// that its key leaves out (the thread count: scf-to-openmp and
/// ein-inline-alloca-scopes; kernels have neither today).
static bool dependsOnThreads(func::FuncOp fn) {
  return fn.walk([](Operation *op) {
             return isa<scf::ParallelOp, memref::AllocaScopeOp>(op)
                        ? WalkResult::interrupt()
                        : WalkResult::advance();
           })
      .wasInterrupted();
}

void mlir::ein::planKernels(ModuleOp module, llvm::StringRef context,
                            const llvm::orc::JITTargetMachineBuilder &machine,
                            const llvm::DataLayout &layout, KernelPlan &plan) {
  if (!kernelCacheEnabled())
    return;
  // Without a known build, kernels stay in this process.
  bool disk = !buildStamp().empty();
  std::string bundle = disk ? bundledKernelDirectory() : "";
  std::string directory = disk ? kernelCacheDirectory() : "";
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  for (auto fn : module.getOps<func::FuncOp>()) {
    if (fn.isDeclaration() || !isSharedKernelName(fn.getSymName()) ||
        dependsOnThreads(fn))
      continue;
    std::string key = keyOf(fn, context);
    uint64_t hash = llvm::xxh3_64bits(key);
    auto it = c.addresses.find(key);
    if (it == c.addresses.end()) {
      if (c.hashes.contains(hash))
        continue; // another key's hash, or not to be cached
      c.hashes.insert(hash);
      // Built with ein, or compiled by an earlier process?
      bool bundled = false;
      std::unique_ptr<llvm::MemoryBuffer> object;
      if (!bundle.empty())
        object = loadKernelObject(bundle, key, hash);
      if (object)
        bundled = true;
      else if (!directory.empty())
        object = loadKernelObject(directory, key, hash);
      if (object) {
        auto address =
            link(c, std::move(object), uniqueNameOf(hash), machine, layout);
        if (!address) {
          llvm::consumeError(address.takeError());
          continue;
        }
        ++(bundled ? c.bundled : c.loads);
        it = c.addresses.insert({key, *address}).first;
      }
    }
    if (it == c.addresses.end()) {
      plan.keys[fn.getSymName()] = {std::move(key), hash};
      continue;
    }
    ++c.reuses;
    plan.cached.push_back({fn.getSymName().str(), it->second});
    fn.eraseBody();
  }
}

TakenKernels mlir::ein::takeKernels(llvm::Module &module,
                                    const KernelPlan &plan) {
  TakenKernels taken;
  auto declare = [](llvm::Function &fn) {
    fn.deleteBody();
    fn.setLinkage(llvm::GlobalValue::ExternalLinkage);
    fn.setVisibility(llvm::GlobalValue::DefaultVisibility);
    fn.setDSOLocal(false);
  };
  for (auto &[name, address] : plan.cached)
    if (llvm::Function *fn = module.getFunction(name)) {
      declare(*fn);
      taken.cached.push_back({name, address});
    }
  for (auto &entry : plan.keys) {
    llvm::Function *fn = module.getFunction(entry.getKey());
    if (!fn || !isCacheable(*fn))
      continue;
    MissingKernel kernel;
    kernel.name = entry.getKey().str();
    kernel.key = entry.getValue().first;
    kernel.hash = entry.getValue().second;
    kernel.uniqueName = uniqueNameOf(kernel.hash);
    kernel.instructions = fn->getInstructionCount();
    llvm::ValueToValueMapTy map;
    std::unique_ptr<llvm::Module> own = llvm::CloneModule(
        module, map,
        [&](const llvm::GlobalValue *value) { return value == fn; });
    llvm::Function *copy = own->getFunction(kernel.name);
    copy->setName(kernel.uniqueName);
    copy->setLinkage(llvm::GlobalValue::ExternalLinkage);
    copy->setVisibility(llvm::GlobalValue::DefaultVisibility);
    llvm::raw_svector_ostream os(kernel.bitcode);
    llvm::WriteBitcodeToFile(*own, os);
    taken.missing.push_back(std::move(kernel));
    declare(*fn);
  }
  return taken;
}

llvm::Expected<uint64_t>
mlir::ein::addKernel(const MissingKernel &kernel,
                     std::unique_ptr<llvm::MemoryBuffer> object,
                     const llvm::orc::JITTargetMachineBuilder &machine,
                     const llvm::DataLayout &layout) {
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  // (Another module may have compiled the same kernel meanwhile.)
  if (auto it = c.addresses.find(kernel.key); it != c.addresses.end())
    return it->second;
  // (The object moves into the JIT: the disk cache gets a copy.)
  std::string directory = buildStamp().empty() ? "" : kernelCacheDirectory();
  std::string bytes = directory.empty() ? "" : object->getBuffer().str();
  auto address = link(c, std::move(object), kernel.uniqueName, machine, layout);
  if (!address)
    return address.takeError();
  c.addresses[kernel.key] = *address;
  if (!directory.empty())
    storeKernelObject(directory, kernel.key, kernel.hash, bytes);
  return *address;
}

KernelCacheStats mlir::ein::kernelCacheStats() {
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  return {c.addresses.size(), c.reuses, c.loads, c.bundled};
}
