//===- Paths.cpp - Spec checks and contraction paths for Python -----------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "Kernel.h"

#include "ein/Path/SpecProblem.h"
#include "ein/Spec/ShapeInference.h"
#include "ein/Spec/Spec.h"

#include <pybind11/stl.h>

#include "llvm/ADT/DenseMap.h"

namespace py = pybind11;
using namespace mlir::ein;
using namespace ein_python;

namespace {

template <typename T> T unwrap(llvm::Expected<T> value) {
  if (!value)
    throwValueError(value.takeError());
  return std::move(*value);
}

Spec parse(const std::string &text, bool allowDerivative) {
  ParseOptions options;
  options.allowDerivative = allowDerivative;
  return unwrap(parseSpec(text, options));
}

std::vector<Shape> toShapes(const std::vector<std::vector<int64_t>> &shapes) {
  std::vector<Shape> result;
  for (const auto &s : shapes)
    result.emplace_back(s.begin(), s.end());
  return result;
}

/// `spec` printed canonically (explicit output, no spaces) and its output
/// shape for `shapes`.
py::tuple check(const std::string &text,
                const std::vector<std::vector<int64_t>> &shapes) {
  Spec spec = parse(text, /*allowDerivative=*/false);
  ShapeInfo info = unwrap(inferShapes(spec, toShapes(shapes)));
  return py::make_tuple(toString(spec),
                        py::tuple(py::cast(std::vector<int64_t>(
                            info.resultShape.begin(),
                            info.resultShape.end()))));
}

/// Letters for a problem's labels: ein's own, then unused ones for the
/// labels `...` stands for.
struct LabelNames {
  explicit LabelNames(const path::Problem &problem) {
    std::string used;
    for (const auto &term : problem.inputs)
      for (path::LabelId l : term)
        if (l >= 0 && l < kNumTextLabels)
          used += labelToChar(l);
    char next = 'a';
    auto fresh = [&] {
      while (used.find(next) != std::string::npos)
        next = next == 'z' ? 'A' : char(next + 1);
      used += next;
      return next;
    };
    for (const auto &term : problem.inputs)
      for (path::LabelId l : term)
        if (!names.count(l))
          names[l] = l >= 0 && l < kNumTextLabels ? labelToChar(l) : fresh();
  }
  std::string str(llvm::ArrayRef<path::LabelId> labels) const {
    std::string s;
    for (path::LabelId l : labels)
      s += names.lookup(l);
    return s;
  }
  llvm::DenseMap<path::LabelId, char> names;
};

/// The path and costs as a dict, with each step's einsum text (opt_einsum's
/// contraction list) and the number of labels it loops over.
py::dict describe(const path::Problem &problem, const path::PathInfo &info) {
  LabelNames names(problem);
  std::vector<llvm::SmallVector<path::LabelId, 4>> operands(
      problem.inputs.begin(), problem.inputs.end());
  py::list path, steps;
  for (const path::Step &step : info.steps) {
    py::list positions;
    std::string eq;
    llvm::SmallVector<path::LabelId, 8> loop;
    for (auto [k, pos] : llvm::enumerate(step.operands)) {
      positions.append(pos);
      eq += (k ? "," : "") + names.str(operands[pos]);
      for (path::LabelId l : operands[pos])
        if (!llvm::is_contained(loop, l))
          loop.push_back(l);
    }
    eq += "->" + names.str(step.result);
    path.append(py::tuple(positions));
    for (unsigned pos : llvm::reverse(step.operands))
      operands.erase(operands.begin() + pos);
    operands.push_back(step.result);
    py::dict s;
    s["eq"] = eq;
    s["scale"] = loop.size();
    s["flops"] = step.flops;
    s["size"] = step.size;
    std::string remaining;
    for (auto [k, o] : llvm::enumerate(operands))
      remaining += (k ? "," : "") + names.str(o);
    s["remaining"] = remaining;
    steps.append(s);
  }
  py::dict d;
  d["path"] = path;
  d["steps"] = steps;
  d["flops"] = info.flops;
  d["naive_flops"] = info.naiveFlops;
  d["largest_intermediate"] = info.largestIntermediate;
  return d;
}

py::dict plan(const std::string &text,
              const std::vector<std::vector<int64_t>> &shapes,
              const std::string &algorithm, const std::string &objective,
              double memoryLimit) {
  Spec spec = parse(text, false);
  unwrap(inferShapes(spec, toShapes(shapes)));
  path::Problem problem = unwrap(path::problemFromSpec(spec, toShapes(shapes)));
  path::Options options;
  std::optional<path::Algorithm> a = path::parseAlgorithm(algorithm);
  std::optional<path::Objective> o = path::parseObjective(objective);
  if (!a)
    throw py::value_error("expected optimize to be 'none', 'greedy', "
                          "'optimal', 'dp', 'auto' or a path, found '" +
                          algorithm + "'");
  if (!o)
    throw py::value_error("expected objective 'flops', 'size', 'write' or "
                          "'combo', found '" + objective + "'");
  options.algorithm = *a;
  options.objective = *o;
  if (memoryLimit > 0)
    options.memoryLimit = memoryLimit;
  return describe(problem, unwrap(path::optimizePath(problem, options)));
}

py::dict evaluate(const std::string &text,
                  const std::vector<std::vector<int64_t>> &shapes,
                  const std::vector<std::vector<unsigned>> &linear) {
  Spec spec = parse(text, false);
  unwrap(inferShapes(spec, toShapes(shapes)));
  path::Problem problem = unwrap(path::problemFromSpec(spec, toShapes(shapes)));
  std::vector<llvm::SmallVector<unsigned, 2>> steps;
  for (const auto &s : linear)
    steps.emplace_back(s.begin(), s.end());
  return describe(problem, unwrap(path::evaluatePath(problem, steps)));
}

} // namespace

void ein_python::bindPaths(py::module_ &m) {
  m.def("check", &check, py::arg("spec"), py::arg("shapes"),
        "Canonical text and output shape of an einsum; ValueError if the "
        "spec is malformed or the shapes do not fit it.");
  m.def(
      "canonical",
      [](const std::string &text, bool allowDerivative) {
        return toString(parse(text, allowDerivative));
      },
      py::arg("spec"), py::arg("allow_derivative") = false);
  m.def("plan", &plan, py::arg("spec"), py::arg("shapes"),
        py::arg("algorithm") = "auto", py::arg("objective") = "flops",
        py::arg("memory_limit") = 0.0);
  m.def("evaluate_path", &evaluate, py::arg("spec"), py::arg("shapes"),
        py::arg("path"));
}
