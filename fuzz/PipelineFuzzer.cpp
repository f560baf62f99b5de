//===- PipelineFuzzer.cpp - libFuzzer target: ein-opt's parse, verify, lower -===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Input: einsum text, optionally followed by '\n' and control bytes. The
// target writes an MLIR program around the spec (ProgramGenerator.h: a
// contraction, a contraction with elementwise work and ein.add, a chain of
// two, or the vector-Jacobian product / Jacobian of a function), parses
// it, verifies it and runs one of ein's pipelines on it with the verifier
// after every pass, as `ein-opt --verify-each` would. Besides the
// sanitizers' checks it asserts that
//
// - a program that does not parse or verify, or a pipeline that fails,
//   has reported an error diagnostic (never a silent failure);
// - a pipeline that succeeds leaves verified IR, and `ein-to-llvm` leaves
//   only LLVM-dialect operations.
//
//===----------------------------------------------------------------------===//

#include "ProgramGenerator.h"

#include "ein/InitAll.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include "FuzzCheck.h"

#include <cstdlib>

using namespace mlir;

static void check(bool condition, const char *what) {
  fuzzCheck(condition, "pipeline", what);
}

/// The pipelines the fuzzer runs (chosen by a control byte).
static const char *const kPipelines[] = {
    "ein-to-llvm",
    "ein-to-llvm{threads=2}",
    "ein-to-llvm{algorithm=none}",
    "ein-to-llvm{vectorize=false algorithm=greedy objective=size}",
    "ein-to-llvm{algorithm=optimal max-stored-bytes=64}",
    "ein-to-linalg{algorithm=dp objective=combo memory-limit=16}",
    "ein-core",
};

static MLIRContext &context() {
  static MLIRContext *ctx = [] {
    registerAllPasses();
    ein::registerAllPasses();
    ein::registerAllPipelines();
    DialectRegistry registry;
    registerAllDialects(registry);
    registerAllExtensions(registry);
    ein::registerAllDialects(registry);
    auto *c = new MLIRContext(registry, MLIRContext::Threading::DISABLED);
    c->loadAllAvailableDialects();
    return c;
  }();
  return *ctx;
}

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  // The JIT is not used: no native target needed. Exiting programs leave
  // the context alive (no destructor races with libFuzzer's atexit).
  (void)context();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef input(reinterpret_cast<const char *>(data), size);
  auto [specText, control] = input.split('\n');
  ein::fuzz::ProgramChoice choice = ein::fuzz::chooseProgram(control);
  std::string program = ein::fuzz::generateProgram(specText, choice);
  if (program.empty())
    return 0; // the spec does not parse: the spec fuzzer's business

  // EIN_FUZZ_VERBOSE=1: print each program, its pipeline and the IR that
  // check failures are about (for reproducing a crash input by hand).
  static bool verbose = std::getenv("EIN_FUZZ_VERBOSE") != nullptr;
  if (verbose)
    llvm::errs() << "// pipeline "
                 << kPipelines[choice.pipeline % std::size(kPipelines)]
                 << "\n"
                 << program;
  MLIRContext &ctx = context();
  unsigned errors = 0;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      ++errors;
    return success();
  });
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(program, &ctx, "fuzz.mlir");
  if (!module) {
    check(errors > 0, "a program failed to parse without an error");
    return 0;
  }
  if (failed(verify(*module))) {
    check(errors > 0, "a program failed to verify without an error");
    return 0;
  }
  const char *pipeline =
      kPipelines[choice.pipeline % std::size(kPipelines)];
  PassManager pm(&ctx);
  pm.enableVerifier(true);
  std::string parseError;
  llvm::raw_string_ostream os(parseError);
  check(succeeded(parsePassPipeline(pipeline, pm, os)),
        "a built-in pipeline does not parse");
  if (failed(pm.run(*module))) {
    check(errors > 0, "a pipeline failed without an error diagnostic");
    return 0;
  }
  check(errors == 0, "a pipeline succeeded but reported an error");
  check(succeeded(verify(*module)), "a pipeline left invalid IR");
  if (llvm::StringRef(pipeline).starts_with("ein-to-llvm")) {
    bool allLLVM = true;
    module->walk([&](Operation *op) {
      llvm::StringRef dialect = op->getName().getDialectNamespace();
      if (op != module->getOperation() && dialect != "llvm" &&
          dialect != "omp")
        allLLVM = false;
    });
    if (!allLLVM && verbose)
      module->print(llvm::errs());
    check(allLLVM, "ein-to-llvm left operations outside the LLVM dialect");
  }
  return 0;
}
