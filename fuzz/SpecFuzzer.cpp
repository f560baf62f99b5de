//===- SpecFuzzer.cpp - libFuzzer target: spec parser + shape inference ---===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Input: einsum text, optionally followed by '\n' and bytes that give operand
// dimensions. Checks, besides the sanitizers' memory and UB checks, that
// every accepted spec verifies, prints, and parses back to itself, and that
// shape inference on any shapes returns a value or an error.
//
//===----------------------------------------------------------------------===//

#include "ein/Spec/ShapeInference.h"
#include "ein/Spec/Spec.h"

#include "FuzzCheck.h"

using namespace mlir::ein;

static void check(bool condition, const char *what) {
  fuzzCheck(condition, "spec", what);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef input(reinterpret_cast<const char *>(data), size);
  auto [text, dims] = input.split('\n');
  for (bool allowDerivative : {false, true}) {
    ParseOptions options;
    options.allowDerivative = allowDerivative;
    llvm::Expected<Spec> spec = parseSpec(text, options);
    if (!spec) {
      std::string message = llvm::toString(spec.takeError());
      check(!message.empty() && message.find('\n') == std::string::npos,
            "an error message is not one line");
      continue;
    }
    check(!verifySpec(*spec).operator bool(), "a parsed spec fails verifySpec");
    std::string printed = toString(*spec);
    llvm::Expected<Spec> reparsed = parseSpec(printed, options);
    check(static_cast<bool>(reparsed), "the printed form does not parse");
    check(*reparsed == *spec, "the printed form parses to another spec");

    // Operand shapes from the remaining bytes: 255 is a dynamic size,
    // anything else a size 0..6; `...` takes the next byte mod 3 dims.
    size_t next = 0;
    auto take = [&]() -> uint8_t {
      return next < dims.size() ? static_cast<uint8_t>(dims[next++]) : 2;
    };
    llvm::SmallVector<Shape> shapes;
    for (const Term &term : spec->inputs) {
      Shape shape;
      unsigned rank = term.numFixedAxes();
      if (term.hasEllipsis())
        rank += take() % 3;
      for (unsigned i = 0; i < rank; ++i) {
        uint8_t b = take();
        shape.push_back(b == 255 ? kDynamic : int64_t(b % 7));
      }
      shapes.push_back(std::move(shape));
    }
    llvm::Expected<ShapeInfo> info = inferShapes(*spec, shapes);
    if (!info) {
      std::string message = llvm::toString(info.takeError());
      check(!message.empty() && message.find('\n') == std::string::npos,
            "a shape error is not one line");
    }
  }
  return 0;
}
