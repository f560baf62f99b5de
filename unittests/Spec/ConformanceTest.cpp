//===- ConformanceTest.cpp - Public einsum test cases ---------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Runs the spec library over test/conformance/ (cases from the opt_einsum,
// numpy, OMEinsum and ONNX test suites):
// - errors.json: every case is rejected with a one-line message that names
//   the problem;
// - forward.json: every case parses and infers numpy's result shape
//   (forward_shapes.json, written by utils/gen_conformance_shapes.py with
//   numpy.einsum);
// - grads.json: every case parses and infers a shape.
//
//===----------------------------------------------------------------------===//

#include "SpecTestUtils.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir::ein;
using namespace mlir::ein::test;

namespace {

llvm::json::Array loadCases(llvm::StringRef name) {
  std::string path = std::string(EIN_CONFORMANCE_DIR) + "/" + name.str();
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    ADD_FAILURE() << "cannot read " << path;
    return {};
  }
  llvm::Expected<llvm::json::Value> value =
      llvm::json::parse((*buffer)->getBuffer());
  if (!value) {
    ADD_FAILURE() << path << ": " << llvm::toString(value.takeError());
    return {};
  }
  if (llvm::json::Array *array = value->getAsArray())
    return std::move(*array);
  ADD_FAILURE() << path << " is not a JSON array";
  return {};
}

std::optional<std::vector<Shape>> shapesOf(const llvm::json::Object &c) {
  const llvm::json::Array *shapes = c.getArray("shapes");
  if (!shapes)
    return std::nullopt;
  std::vector<Shape> result;
  for (const llvm::json::Value &s : *shapes) {
    Shape shape;
    for (const llvm::json::Value &d : *s.getAsArray())
      shape.push_back(*d.getAsInteger());
    result.push_back(shape);
  }
  return result;
}

TEST(Conformance, ErrorsAreRejectedWithAPreciseMessage) {
  llvm::json::Array cases = loadCases("errors.json");
  ASSERT_GE(cases.size(), 9u);
  for (const llvm::json::Value &v : cases) {
    const llvm::json::Object &c = *v.getAsObject();
    std::string eq = c.getString("eq")->str();
    std::optional<std::vector<Shape>> shapes = shapesOf(c);
    llvm::Expected<Spec> spec = parseSpec(eq);
    std::string message;
    if (!spec) {
      SpecError err = takeSpecError(spec.takeError());
      message = err.message;
      EXPECT_NE(message.find("invalid einsum spec '" + eq + "'"),
                std::string::npos)
          << message;
    } else {
      ASSERT_TRUE(shapes.has_value())
          << "'" << eq << "' parsed but the case expects a parse error";
      llvm::Expected<ShapeInfo> info = inferShapes(*spec, *shapes);
      ASSERT_FALSE(static_cast<bool>(info))
          << "'" << eq << "' was accepted with shapes";
      SpecError err = takeSpecError(info.takeError());
      message = err.message;
      EXPECT_TRUE(err.label.has_value() || err.operandA.has_value())
          << "a shape error names the label or the operand: " << message;
    }
    EXPECT_FALSE(message.empty()) << eq;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(Conformance, ForwardCasesInferNumpyShapes) {
  llvm::json::Array cases = loadCases("forward.json");
  llvm::json::Array expected = loadCases("forward_shapes.json");
  ASSERT_EQ(cases.size(), expected.size())
      << "rerun utils/gen_conformance_shapes.py";
  unsigned checked = 0;
  for (auto [v, e] : llvm::zip(cases, expected)) {
    const llvm::json::Object &c = *v.getAsObject();
    const llvm::json::Object &want = *e.getAsObject();
    std::string eq = c.getString("eq")->str();
    ASSERT_EQ(eq, want.getString("eq")->str());
    std::vector<Shape> shapes = *shapesOf(c);
    std::string error;
    Shape got = resultShape(eq, shapes, &error);
    ASSERT_TRUE(error.empty()) << eq << ": " << error;
    if (const llvm::json::Array *numpyShape = want.getArray("result_shape")) {
      Shape wantShape;
      for (const llvm::json::Value &d : *numpyShape)
        wantShape.push_back(*d.getAsInteger());
      EXPECT_EQ(got, wantShape) << eq;
      ++checked;
    } else {
      // numpy rejects ein's extensions; `i->ii` is the one in the corpus.
      EXPECT_EQ(eq, "i->ii");
      EXPECT_EQ(got, (Shape{3, 3}));
    }
  }
  EXPECT_GE(checked, 58u);
}

TEST(Conformance, GradientCasesParse) {
  llvm::json::Array cases = loadCases("grads.json");
  ASSERT_GE(cases.size(), 9u);
  for (const llvm::json::Value &v : cases) {
    const llvm::json::Object &c = *v.getAsObject();
    std::string eq = c.getString("eq")->str();
    std::string error;
    Shape got = resultShape(eq, *shapesOf(c), &error);
    EXPECT_TRUE(error.empty()) << eq << ": " << error;
    EXPECT_NE(got, (Shape{-1})) << eq;
  }
}

} // namespace
