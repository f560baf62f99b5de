//===- ein-run.cpp - JIT-compile and run einsum ---------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
//   ein-run -e SPEC A.npy B.npy ... -o OUT.npy
//   ein-run FILE.mlir [--entry NAME] IN.npy ... -o OUT.npy [-o OUT2.npy]
//   ... --random 8x64x64,8x64x64 --seed N --dtype f32|f64
//   ... --print --checksum --repeat N --time --emit=linalg|llvm --dynamic
//
// Every error is one line `ein-run: error: ...` and exit status 1; output
// files are written all or nothing.
//
//===----------------------------------------------------------------------===//

#include "PathReport.h"
#include "ein/Dialect/Ein/Transforms/Cost.h"

#include "ein/InitAll.h"
#include "ein/Runner/Buffers.h"
#include "ein/Runner/Npy.h"
#include "ein/Runner/Runner.h"
#include "ein/Spec/ShapeInference.h"
#include "ein/Spec/SpecError.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::ein;
namespace cl = llvm::cl;
using llvm::Twine;

static cl::OptionCategory category("ein-run options");
static cl::opt<std::string>
    specText("e", cl::desc("Contract the inputs with this einsum spec"),
             cl::value_desc("SPEC"), cl::cat(category));
static cl::list<std::string> positional(cl::Positional,
                                        cl::desc("[FILE.mlir] [IN.npy ...]"),
                                        cl::cat(category));
static cl::opt<std::string>
    entryName("entry",
              cl::desc("Function to run (default: main, or the only function)"),
              cl::value_desc("NAME"), cl::cat(category));
static cl::list<std::string>
    outputs("o",
            cl::desc("Write the next result to this .npy file (repeatable)"),
            cl::value_desc("OUT.npy"), cl::cat(category));
static cl::opt<std::string>
    randomShapes("random",
                 cl::desc("Random inputs of these shapes instead of files, "
                          "e.g. 8x64x64,8x64x64 (an empty item is a scalar)"),
                 cl::value_desc("SHAPES"), cl::cat(category));
static cl::opt<uint64_t> seed("seed", cl::desc("Seed for --random (default 0)"),
                              cl::init(0), cl::cat(category));
static cl::opt<std::string>
    dtypeText("dtype",
              cl::desc("Element type: f32 or f64 (converts inputs; default: "
                       "from the inputs, f32 for --random)"),
              cl::value_desc("f32|f64"), cl::cat(category));
static cl::opt<bool> printResults("print", cl::desc("Print the result arrays"),
                                  cl::cat(category));
static cl::opt<bool>
    checksum("checksum",
             cl::desc("Print each result's shape, sum, min and max"),
             cl::cat(category));
static cl::opt<unsigned>
    repeat("repeat", cl::desc("Run the compiled code N times (with --time)"),
           cl::init(1), cl::cat(category));
static cl::opt<bool>
    timeRuns("time", cl::desc("Print compile time and min/median run time"),
             cl::cat(category));
static cl::opt<std::string>
    emit("emit",
         cl::desc("Print the IR at a stage instead of running: linalg, llvm "
                  "(for --target), or ptx (the GPU kernels' PTX)"),
         cl::value_desc("linalg|llvm|ptx"), cl::cat(category));
static cl::opt<std::string>
    target("target",
           cl::desc("Where the code runs: cpu (default) or cuda (an NVIDIA "
                    "GPU: inputs copied in, results copied out)"),
           cl::value_desc("cpu|cuda"), cl::init("cpu"), cl::cat(category));
static cl::opt<std::string>
    gpuChip("gpu-chip",
            cl::desc("With --target=cuda or --emit=ptx: the GPU architecture "
                     "(default sm_90)"),
            cl::init("sm_90"), cl::cat(category));
static cl::opt<bool>
    dynamicShapes("dynamic",
                  cl::desc("With -e: compile for dynamic dimensions instead of "
                           "the inputs' static shapes"),
                  cl::cat(category));

static cl::opt<std::string> pathAlgorithm(
    "path",
    cl::desc("Contraction-path algorithm: none (one loop nest), greedy, "
             "optimal, dp or auto (default)"),
    cl::value_desc("ALGORITHM"), cl::init("auto"), cl::cat(category));
static cl::opt<std::string> pathObjective(
    "objective",
    cl::desc("What the path minimises: flops (default), size, write, combo"),
    cl::value_desc("OBJECTIVE"), cl::init("flops"), cl::cat(category));
static cl::opt<int64_t> memoryLimit(
    "memory-limit",
    cl::desc("Largest intermediate, in elements (default 0: no limit)"),
    cl::value_desc("ELEMENTS"), cl::init(0), cl::cat(category));
static cl::opt<bool>
    report("report",
           cl::desc("Print each contraction's path and costs as a line "
                    "'ein-path: {JSON}', then each function's cost after "
                    "ein's passes as a line 'ein-cost: {JSON}'"),
           cl::cat(category));
static cl::opt<int64_t> maxStoredBytes(
    "max-stored-bytes",
    cl::desc("Recompute forward values instead of keeping more than this "
             "many bytes alive for derivative code (default 0: no bound)"),
    cl::value_desc("BYTES"), cl::init(0), cl::cat(category));
static cl::opt<int64_t> bufferLimitBytes(
    "buffer-limit",
    cl::desc("Largest buffer (intermediate or result) the compiled code may "
             "allocate: larger static ones are compile errors, dynamic ones "
             "run-time errors (default 0: the physical memory)"),
    cl::value_desc("BYTES"), cl::init(0), cl::cat(category));
static cl::opt<int64_t> threadCount(
    "num-threads",
    cl::desc("Threads for the outer loops of large contractions (default 1; "
             "0: the OpenMP runtime's default, OMP_NUM_THREADS or all cores)"),
    cl::value_desc("N"), cl::init(1), cl::cat(category));
static cl::opt<bool> noRun("no-run",
                           cl::desc("Stop after --report/--emit checks: no "
                                    "input allocation, no execution"),
                           cl::cat(category));

namespace {

/// Errors that end the program with one line and status 1.
[[noreturn]] void die(const Twine &message) {
  llvm::errs() << "ein-run: error: " << message << "\n";
  std::exit(1);
}

template <typename T> T check(llvm::Expected<T> value) {
  if (!value)
    die(llvm::toString(value.takeError()));
  return std::move(*value);
}

void check(llvm::Error err) {
  if (err)
    die(llvm::toString(std::move(err)));
}

/// splitmix64: the documented generator behind --random, so that other
/// tools (the tests) can reproduce the inputs. Each value is
/// ((x >> 11) * 2^-53) * 2 - 1, uniform in [-1, 1).
struct SplitMix64 {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() { return double(next() >> 11) * 0x1.0p-53 * 2.0 - 1.0; }
};

/// With `fill` false the arrays have shapes but no data (--no-run).
std::vector<HostArray> randomInputs(llvm::StringRef text, DType dtype,
                                    bool fill) {
  std::vector<HostArray> arrays;
  SplitMix64 rng{seed};
  llvm::SmallVector<llvm::StringRef> items;
  text.split(items, ',', -1, /*KeepEmpty=*/true);
  for (llvm::StringRef item : items) {
    llvm::SmallVector<int64_t, 4> shape;
    item = item.trim();
    if (!item.empty() && item != "()") {
      llvm::SmallVector<llvm::StringRef> dims;
      item.split(dims, 'x');
      for (llvm::StringRef d : dims) {
        int64_t v;
        if (d.trim().getAsInteger(10, v) || v < 0)
          die("--random: expected shapes such as 8x64x64,64 (dimensions are "
              "non-negative integers), but found '" +
              item + "'");
        shape.push_back(v);
      }
    }
    if (!fill) {
      arrays.push_back(HostArray{dtype, shape, {}});
      continue;
    }
    HostArray array = check(makeArray(dtype, shape));
    for (int64_t i = 0, e = array.numElements(); i < e; ++i)
      array.set(i, rng.uniform());
    arrays.push_back(std::move(array));
  }
  return arrays;
}

Type elementType(MLIRContext &ctx, DType dtype) {
  return dtype == DType::F32 ? Type(Float32Type::get(&ctx))
                             : Type(Float64Type::get(&ctx));
}

/// With --dynamic every dimension is `?` in the compiled code, where a
/// size-1 dimension cannot broadcast; reject inputs that rely on it.
void checkNoBroadcasting(const Spec &spec, llvm::ArrayRef<HostArray> inputs) {
  llvm::SmallVector<Shape> shapes;
  for (const HostArray &input : inputs)
    shapes.emplace_back(input.shape.begin(), input.shape.end());
  ShapeInfo info = check(inferShapes(spec, shapes));
  for (auto [k, term] : llvm::enumerate(spec.inputs)) {
    unsigned ellipsisRank = shapes[k].size() - term.numFixedAxes();
    unsigned dim = 0;
    for (const Axis &axis : term.axes) {
      if (axis.isEllipsis()) {
        for (unsigned e = 0; e < ellipsisRank; ++e, ++dim) {
          int64_t full =
              info.ellipsisShape[info.ellipsisShape.size() - ellipsisRank + e];
          if (shapes[k][dim] != full)
            die("--dynamic: operand #" + Twine(k) +
                " broadcasts its '...' "
                "dimension " +
                Twine(dim) + " (size 1 against " + Twine(full) +
                "); size-1 broadcasting needs static shapes");
        }
        continue;
      }
      if (axis.isLabel() &&
          shapes[k][dim] != info.getLabelSize(axis.labels.front()))
        die("--dynamic: operand #" + Twine(k) + " broadcasts label '" +
            Twine(labelToChar(axis.labels.front())) + "' (size 1 against " +
            Twine(info.getLabelSize(axis.labels.front())) +
            "); size-1 broadcasting needs static shapes");
      ++dim;
    }
  }
}

/// `func.func @main(inputs) -> result { ein.contract SPEC }`.
OwningOpRef<ModuleOp> buildSpecModule(MLIRContext &ctx,
                                      llvm::ArrayRef<HostArray> inputs) {
  std::string error;
  SpecAttr spec = SpecAttr::parse(&ctx, specText, error);
  if (!spec)
    die(error);
  if (spec.getNumInputs() != inputs.size())
    die("spec '" + spec.str() + "' takes " + Twine(spec.getNumInputs()) +
        " operand(s), but " + Twine(inputs.size()) + " input(s) were given");
  Type element = elementType(ctx, inputs.front().dtype);
  llvm::SmallVector<Type> staticTypes, argTypes;
  for (const HostArray &input : inputs) {
    staticTypes.push_back(RankedTensorType::get(input.shape, element));
    llvm::SmallVector<int64_t> dims(input.shape.size(), ShapedType::kDynamic);
    argTypes.push_back(dynamicShapes ? RankedTensorType::get(dims, element)
                                     : staticTypes.back());
  }
  // Check the actual shapes first, so that errors name real sizes.
  auto staticResult = ContractOp::inferResultType(spec, staticTypes, &error);
  if (failed(staticResult))
    die(error);
  if (!staticResult->hasStaticShape())
    die("spec '" + spec.str() +
        "': the inputs do not determine every result size (a label seen "
        "only inside a group has no size of its own)");
  if (dynamicShapes)
    checkNoBroadcasting(spec.getValue(), inputs);
  auto resultType = dynamicShapes
                        ? ContractOp::inferResultType(spec, argTypes, &error)
                        : staticResult;
  if (failed(resultType))
    die(error);

  OpBuilder b(&ctx);
  Location loc = b.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(b, loc, "main",
                                   b.getFunctionType(argTypes, {*resultType}));
  Block *body = func.addEntryBlock();
  b.setInsertionPointToEnd(body);
  auto op = ContractOp::create(b, loc, *resultType, spec, body->getArguments());
  func::ReturnOp::create(b, loc, op.getResult());
  return module;
}

std::string chooseEntry(ModuleOp module) {
  if (!entryName.empty())
    return entryName;
  if (module.lookupSymbol<func::FuncOp>("main"))
    return "main";
  std::string only;
  int count = 0;
  for (auto func : module.getOps<func::FuncOp>())
    if (!func.isExternal() && func.isPublic()) {
      only = func.getName().str();
      ++count;
    }
  if (count != 1)
    die("the module has no @main and " + Twine(count) +
        " public functions; choose one with --entry NAME");
  return only;
}

/// A value as numpy prints it: %g digits, and NaN without a sign (x86
/// produces negative quiet NaNs, which printf writes as "-nan").
std::string formatValue(double value, int precision) {
  if (std::isnan(value))
    return "nan";
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.*g", precision, value);
  return text;
}

void printArray(const HostArray &array, unsigned which) {
  llvm::outs() << "result #" << which << ": " << dtypeName(array.dtype) << " "
               << array.shapeString() << "\n";
  int precision = array.dtype == DType::F32 ? 8 : 16;
  size_t rank = array.shape.size();
  int64_t n = array.numElements();
  if (rank == 0) {
    llvm::outs() << formatValue(array.get(0), precision) << "\n";
    return;
  }
  llvm::SmallVector<int64_t, 4> index(rank, 0);
  llvm::outs() << std::string(rank, '[');
  for (int64_t c = 0; c < n; ++c) {
    llvm::outs() << formatValue(array.get(c), precision);
    size_t closed = 0;
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < array.shape[d])
        break;
      index[d] = 0;
      ++closed;
    }
    if (c + 1 == n)
      break;
    llvm::outs() << std::string(closed, ']') << ","
                 << (closed ? std::string(closed, '\n') +
                                  std::string(rank - closed, ' ') +
                                  std::string(closed, '[')
                            : " ");
  }
  llvm::outs() << std::string(rank, ']') << "\n";
}

void printChecksum(const HostArray &array, unsigned index) {
  double sum = 0, lo = INFINITY, hi = -INFINITY;
  for (int64_t i = 0, n = array.numElements(); i < n; ++i) {
    double v = array.get(i);
    sum += v;
    // NaN propagates as in numpy's min and max.
    lo = std::isnan(v) || std::isnan(lo) ? NAN : std::min(lo, v);
    hi = std::isnan(v) || std::isnan(hi) ? NAN : std::max(hi, v);
  }
  llvm::outs() << "result #" << index << ": " << dtypeName(array.dtype) << " "
               << array.shapeString()
               << " sum=" << formatValue(sum, 10)
               << " min=" << formatValue(lo, 10)
               << " max=" << formatValue(hi, 10) << "\n";
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "ein-run: JIT-compile and run einsum contractions and ein functions\n\n"
      "  ein-run -e SPEC A.npy B.npy ... -o OUT.npy\n"
      "  ein-run FILE.mlir [--entry NAME] IN.npy ... -o OUT.npy\n");

  std::optional<DType> dtype;
  if (!dtypeText.empty()) {
    if (dtypeText == "f32")
      dtype = DType::F32;
    else if (dtypeText == "f64")
      dtype = DType::F64;
    else
      die("--dtype: expected f32 or f64, but found '" + dtypeText + "'");
  }
  if (!emit.empty() && emit != "linalg" && emit != "llvm" && emit != "ptx")
    die("--emit: expected linalg, llvm or ptx, but found '" + emit + "'");
  if (target != "cpu" && target != "cuda")
    die("--target: expected cpu or cuda, but found '" + target + "'");
  if (!StringRef(gpuChip).starts_with("sm_"))
    die("--gpu-chip: expected an NVIDIA architecture such as sm_90, but "
        "found '" + gpuChip + "'");
  if (repeat == 0)
    die("--repeat: expected at least 1");
  if (!path::parseAlgorithm(pathAlgorithm))
    die("--path: expected none, greedy, optimal, dp or auto, but found '" +
        pathAlgorithm + "'");
  if (!path::parseObjective(pathObjective))
    die("--objective: expected flops, size, write or combo, but found '" +
        pathObjective + "'");
  if (memoryLimit < 0)
    die("--memory-limit: expected a number of elements >= 0, but found " +
        Twine(memoryLimit.getValue()));
  if (maxStoredBytes < 0)
    die("--max-stored-bytes: expected a number of bytes >= 0, but found " +
        Twine(maxStoredBytes.getValue()));
  if (bufferLimitBytes < 0)
    die("--buffer-limit: expected a number of bytes >= 0, but found " +
        Twine(bufferLimitBytes.getValue()));
  setBufferLimit(bufferLimitBytes);
  if (threadCount < 0 || threadCount > kMaxThreads)
    die("--num-threads: expected a number of threads from 0 to " +
        Twine(kMaxThreads) + ", but found " + Twine(threadCount.getValue()));
  std::string optionError;
  PathPlanOptions planOptions = *PathPlanOptions::parse(
      pathAlgorithm, pathObjective, memoryLimit, 64, optionError);
  // The path options, for the CPU and the GPU pipelines alike.
  auto setPathOptions = [](EinPipelineOptions &options) {
    options.algorithm = pathAlgorithm;
    options.objective = pathObjective;
    options.memoryLimit = memoryLimit;
    options.maxStoredBytes = maxStoredBytes;
  };
  EinPipelineOptions pipeline;
  setPathOptions(pipeline);
  pipeline.threads = threadCount;
  EinToNVVMPipelineOptions gpuPipeline;
  setPathOptions(gpuPipeline);
  gpuPipeline.chip = gpuChip;
  bool onGpu = target == "cuda" || emit == "ptx";
  const EinToNVVMPipelineOptions *gpu = onGpu ? &gpuPipeline : nullptr;

  bool specMode = specText.getNumOccurrences() > 0;
  llvm::ArrayRef<std::string> inputFiles = positional;
  std::string mlirFile;
  if (!specMode) {
    if (positional.empty())
      die("expected -e SPEC or an .mlir file (see --help)");
    mlirFile = positional.front();
    inputFiles = inputFiles.drop_front();
  }
  if (!randomShapes.empty() && !inputFiles.empty())
    die("give input files or --random, not both");

  std::vector<HostArray> inputs;
  if (!randomShapes.empty())
    inputs = randomInputs(randomShapes, dtype.value_or(DType::F32), !noRun);
  for (const std::string &file : inputFiles)
    inputs.push_back(check(readNpy(file)));
  if (specMode && inputs.empty())
    die("-e needs inputs: .npy files or --random SHAPES");
  if (specMode && !dtype) {
    // numpy's promotion: any float64 input makes the computation float64.
    dtype = DType::F32;
    for (const HostArray &input : inputs)
      if (input.dtype == DType::F64)
        dtype = DType::F64;
  }
  if (dtype && !noRun)
    for (HostArray &input : inputs)
      input = input.as(*dtype);
  if (dtype && noRun)
    for (HostArray &input : inputs)
      input.dtype = *dtype;

  DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  ein::registerAllDialects(registry);
  MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  std::string firstError;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error && firstError.empty())
      firstError = describeDiagnostic(diag);
    return success();
  });

  OwningOpRef<ModuleOp> module;
  if (specMode) {
    module = buildSpecModule(ctx, inputs);
  } else {
    llvm::SourceMgr sources;
    std::string error;
    auto buffer = openInputFile(mlirFile, &error);
    if (!buffer)
      die("cannot read '" + mlirFile + "': " + error);
    sources.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sources, &ctx);
    if (!module)
      die(firstError.empty() ? "cannot parse '" + mlirFile + "'" : firstError);
  }
  // The report covers every function: an entry is needed only to run or
  // emit one.
  bool needsEntry = !(report && noRun && emit.empty()) || !entryName.empty();
  std::string entry = needsEntry ? chooseEntry(*module) : "";
  if (report) {
    check(printPathReport(*module, planOptions, llvm::outs()));
    EinCoreOptions core;
    core.algorithm = pathAlgorithm;
    core.objective = pathObjective;
    core.memoryLimit = memoryLimit;
    core.maxStoredBytes = maxStoredBytes;
    if (failed(printCostsAfterPipeline(*module, core, llvm::outs())))
      die(firstError.empty() ? "cannot cost the program" : firstError);
  }

  if (!emit.empty()) {
    if (emit == "linalg") {
      PassManager pm(&ctx);
      buildEinToLinalgPipeline(pm, pipeline);
      if (failed(pm.run(*module)))
        die(firstError);
    } else {
      check(lowerForJit(*module, entry, &pipeline, gpu));
    }
    if (emit == "ptx") {
      for (const auto &[name, code] : getGpuBinaries(*module))
        llvm::outs() << "// ein: kernel module @" << name << "\n" << code;
      return 0;
    }
    module->print(llvm::outs());
    llvm::outs() << "\n";
    return 0;
  }

  if (noRun)
    return 0;

  setRuntimeErrorHandler([](const char *message) { die(message); });
  std::unique_ptr<JitFunction> fn =
      check(JitFunction::compile(*module, entry, &pipeline, gpu));
  if (outputs.size() > fn->getResults().size())
    die(Twine(outputs.size()) + " -o files given, but @" + entry + " has " +
        Twine(fn->getResults().size()) + " result(s)");
  std::vector<HostArray> results = check(fn->run(inputs));

  if (timeRuns) {
    std::vector<double> times, kernels;
    for (unsigned i = 0; i < repeat; ++i) {
      double kernel = 0;
      times.push_back(check(fn->time(inputs, &kernel)));
      kernels.push_back(kernel);
    }
    std::sort(times.begin(), times.end());
    std::sort(kernels.begin(), kernels.end());
    double median =
        times.size() % 2
            ? times[times.size() / 2]
            : (times[times.size() / 2 - 1] + times[times.size() / 2]) / 2;
    // On the CPU, -O2 runs with machine code on the compile threads
    // (ParallelJit.h); through ExecutionEngine (GPU) with the translation.
    llvm::outs() << llvm::format(gpu ? "compile time: %.3f ms (MLIR passes "
                                       "%.3f, LLVM IR and -O2 %.3f, machine "
                                       "code %.3f)\n"
                                     : "compile time: %.3f ms (MLIR passes "
                                       "%.3f, LLVM IR %.3f, -O2 and machine "
                                       "code %.3f)\n",
                                 fn->getCompileSeconds() * 1e3,
                                 fn->getLoweringSeconds() * 1e3,
                                 fn->getTranslationSeconds() * 1e3,
                                 fn->getCodegenSeconds() * 1e3)
                 << llvm::format("run time: min %.6f ms, median %.6f ms over "
                                 "%u runs\n",
                                 times.front() * 1e3, median * 1e3,
                                 repeat.getValue());
    if (fn->isGpu())
      llvm::outs() << llvm::format(
          "kernel time: min %.6f ms, median %.6f ms (CUDA events; run time "
          "includes copies in and out)\n",
          kernels.front() * 1e3, kernels[kernels.size() / 2] * 1e3);
  }
  for (auto [i, result] : llvm::enumerate(results)) {
    if (checksum)
      printChecksum(result, i);
    if (printResults)
      printArray(result, i);
  }
  std::vector<std::pair<std::string, const HostArray *>> files;
  for (auto [i, path] : llvm::enumerate(outputs))
    files.push_back({path, &results[i]});
  check(writeNpyFiles(files));
  return 0;
}
