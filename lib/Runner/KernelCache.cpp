//===- KernelCache.cpp - GEMM kernels compiled once per process ------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "KernelCache.h"
#include "ein/Runner/ParallelJit.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Instructions.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

using namespace mlir;
using namespace mlir::ein;

namespace {
/// The process's kernels: their addresses by key (target and LLVM IR), and
/// the JIT that holds their code.
struct Cache {
  std::mutex mutex;
  llvm::StringMap<uint64_t> addresses;
  std::unique_ptr<llvm::orc::LLJIT> jit;
  unsigned next = 0;
  uint64_t reuses = 0;
};
} // namespace

/// Never destroyed: compiled code may still run while the process exits.
static Cache &cache() {
  static Cache *instance = new Cache;
  return *instance;
}

/// EIN_KERNEL_CACHE=0 turns the cache off (to measure compile times as a
/// fresh process sees them).
static bool enabled() {
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
  if (fn.isDeclaration() || !fn.getName().starts_with("__ein_gemm_"))
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

/// What makes two kernels the same code: the target, the function's
/// attributes and its LLVM IR (its name included).
static std::string keyOf(const llvm::Function &fn,
                         const llvm::TargetMachine &machine) {
  std::string key;
  llvm::raw_string_ostream os(key);
  os << machine.getTargetTriple().str() << '\n'
     << machine.getTargetCPU() << '\n'
     << machine.getTargetFeatureString() << '\n';
  llvm::AttributeList attributes = fn.getAttributes();
  for (unsigned i : attributes.indexes())
    os << i << ':' << attributes.getAsString(i) << '\n';
  fn.print(os);
  return key;
}

TakenKernels mlir::ein::takeKernels(llvm::Module &module,
                                    const llvm::TargetMachine &machine) {
  TakenKernels taken;
  if (!enabled())
    return taken;
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  for (llvm::Function &fn : module) {
    if (!isCacheable(fn))
      continue;
    std::string key = keyOf(fn, machine);
    if (auto it = c.addresses.find(key); it != c.addresses.end()) {
      taken.cached.push_back({fn.getName().str(), it->second});
      ++c.reuses;
    } else {
      MissingKernel kernel;
      kernel.name = fn.getName().str();
      kernel.key = std::move(key);
      kernel.uniqueName = "__ein_kernel_" + std::to_string(c.next++);
      kernel.instructions = fn.getInstructionCount();
      llvm::ValueToValueMapTy map;
      std::unique_ptr<llvm::Module> own = llvm::CloneModule(
          module, map,
          [&](const llvm::GlobalValue *value) { return value == &fn; });
      llvm::Function *copy = own->getFunction(kernel.name);
      copy->setName(kernel.uniqueName);
      copy->setLinkage(llvm::GlobalValue::ExternalLinkage);
      copy->setVisibility(llvm::GlobalValue::DefaultVisibility);
      llvm::raw_svector_ostream os(kernel.bitcode);
      llvm::WriteBitcodeToFile(*own, os);
      taken.missing.push_back(std::move(kernel));
    }
    fn.deleteBody();
    fn.setLinkage(llvm::GlobalValue::ExternalLinkage);
    fn.setVisibility(llvm::GlobalValue::DefaultVisibility);
    fn.setDSOLocal(false);
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
  if (!c.jit) {
    auto jit =
        llvm::orc::LLJITBuilder()
            .setJITTargetMachineBuilder(machine)
            .setDataLayout(layout)
            .setObjectLinkingLayerCreator(
                [](llvm::orc::ExecutionSession &es)
                    -> llvm::Expected<
                        std::unique_ptr<llvm::orc::ObjectLayer>> {
                  return std::make_unique<
                      llvm::orc::RTDyldObjectLinkingLayer>(es, [](const auto &) {
                    return std::make_unique<llvm::SectionMemoryManager>();
                  });
                })
            .create();
    if (!jit)
      return jit.takeError();
    // Code generation may call memset, memcpy or libm.
    auto process =
        llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
            layout.getGlobalPrefix());
    if (!process)
      return process.takeError();
    (*jit)->getMainJITDylib().addGenerator(std::move(*process));
    c.jit = std::move(*jit);
  }
  if (llvm::Error err = c.jit->addObjectFile(std::move(object)))
    return std::move(err);
  auto symbol = c.jit->lookup(kernel.uniqueName);
  if (!symbol)
    return symbol.takeError();
  uint64_t address = symbol->getValue();
  c.addresses[kernel.key] = address;
  return address;
}

KernelCacheStats mlir::ein::kernelCacheStats() {
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  return {c.addresses.size(), c.reuses};
}
