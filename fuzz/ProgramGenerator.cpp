//===- ProgramGenerator.cpp - MLIR programs around a fuzzed spec ----------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ProgramGenerator.h"

#include "ein/Spec/ShapeInference.h"
#include "ein/Spec/Spec.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir::ein;
using namespace mlir::ein::fuzz;

ProgramChoice mlir::ein::fuzz::chooseProgram(llvm::StringRef bytes) {
  ProgramChoice choice;
  auto at = [&](size_t i) -> unsigned {
    return i < bytes.size() ? static_cast<uint8_t>(bytes[i]) : 0;
  };
  choice.kind = at(0) % 5;
  choice.pipeline = at(1);
  choice.f64 = at(2) & 1;
  // One program in eight is broken on purpose.
  choice.breakage = (at(2) >> 1) % 8 == 7 ? 1 + ((at(2) >> 4) & 1) : 0;
  choice.dynamicOperands = at(3);
  for (size_t i = 4; i < bytes.size(); ++i)
    choice.sizes.push_back(static_cast<uint8_t>(bytes[i]));
  return choice;
}

namespace {
/// Operand and result types of a contraction, consistent with its spec.
struct Typing {
  llvm::SmallVector<Shape> operands;
  Shape result;
};

class Writer {
public:
  Writer(const ProgramChoice &choice) : choice(choice) {}

  /// Sizes for the spec's labels and `...`, or nullopt when the spec's
  /// shapes cannot be inferred (the generator then writes nothing).
  std::optional<Typing> type(const Spec &spec) {
    llvm::DenseMap<Label, int64_t> labelSizes;
    auto sizeOf = [&](Label label) {
      auto [it, inserted] = labelSizes.try_emplace(label, 0);
      if (inserted) {
        uint8_t b = take();
        it->second = b % 16 == 15 ? 0 : 1 + b % 4;
      }
      return it->second;
    };
    Shape ellipsis;
    for (unsigned i = 0, n = take() % 3; i < n; ++i)
      ellipsis.push_back(1 + take() % 3);
    Typing typing;
    for (auto [index, term] : llvm::enumerate(spec.inputs)) {
      Shape shape;
      for (const Axis &axis : term.axes) {
        if (axis.isEllipsis()) {
          shape.append(ellipsis.begin(), ellipsis.end());
        } else if (axis.isUnit()) {
          shape.push_back(1);
        } else {
          int64_t size = 1;
          for (Label label : axis.labels)
            size *= sizeOf(label);
          shape.push_back(size);
        }
      }
      if (index < 32 && (choice.dynamicOperands >> index) & 1)
        for (int64_t &d : shape)
          d = kDynamic;
      typing.operands.push_back(std::move(shape));
    }
    llvm::Expected<ShapeInfo> info = inferShapes(spec, typing.operands);
    if (!info) {
      llvm::consumeError(info.takeError());
      return std::nullopt;
    }
    typing.result = info->resultShape;
    if (choice.breakage == 1)
      typing.result.push_back(3);
    if (choice.breakage == 2 && !typing.operands.empty() &&
        !typing.operands[0].empty() && typing.operands[0][0] != kDynamic)
      typing.operands[0][0] += 1;
    return typing;
  }

  std::string tensor(llvm::ArrayRef<int64_t> shape) const {
    std::string text = "tensor<";
    for (int64_t d : shape)
      text += (d == kDynamic ? std::string("?") : std::to_string(d)) + "x";
    return text + (choice.f64 ? "f64>" : "f32>");
  }

private:
  uint8_t take() {
    return next < choice.sizes.size() ? choice.sizes[next++] : 2;
  }
  const ProgramChoice &choice;
  size_t next = 0;
};

/// `count` distinct labels starting at letter `first` ("" past 52).
std::string freshLabels(unsigned first, unsigned count) {
  std::string labels;
  for (unsigned i = first; i < first + count; ++i)
    labels += labelToChar(static_cast<Label>(i));
  return labels;
}
} // namespace

std::string mlir::ein::fuzz::generateProgram(llvm::StringRef specText,
                                             const ProgramChoice &choice) {
  ParseOptions options;
  llvm::Expected<Spec> parsed = parseSpec(specText, options);
  if (!parsed) {
    llvm::consumeError(parsed.takeError());
    return "";
  }
  const Spec &spec = *parsed;
  Writer writer(choice);
  std::optional<Typing> typing = writer.type(spec);
  if (!typing)
    return "";
  unsigned n = spec.getNumInputs();
  std::string result = writer.tensor(typing->result);
  std::string args, names, types;
  for (unsigned i = 0; i < n; ++i) {
    std::string type = writer.tensor(typing->operands[i]);
    args += (i ? ", %a" : "%a") + std::to_string(i) + ": " + type;
    names += (i ? ", %a" : "%a") + std::to_string(i);
    types += (i ? ", " : "") + type;
  }
  std::string contract = "ein.contract \"" + toString(spec) + "\" " + names +
                         " : " + types + " -> " + result;

  unsigned kind = choice.kind;
  unsigned outRank = typing->result.size();
  unsigned inRank = n ? typing->operands[0].size() : 0;
  if ((kind == 3 || kind == 4) && (n == 0 || outRank + inRank > 52))
    kind = 0;

  std::string text;
  llvm::raw_string_ostream os(text);
  switch (kind) {
  case 0:
    os << "func.func @main(" << args << ") -> " << result << " {\n"
       << "  %r = " << contract << "\n"
       << "  return %r : " << result << "\n}\n";
    break;
  case 1:
    os << "func.func @main(" << args << ") -> " << result << " {\n"
       << "  %r = " << contract << "\n"
       << "  %e = math.exp %r : " << result << "\n"
       << "  %s = ein.add %r, %e : " << result << "\n"
       << "  return %s : " << result << "\n}\n";
    break;
  case 2: {
    std::string labels = freshLabels(0, outRank);
    std::string scalar = writer.tensor({});
    os << "func.func @main(" << args << ") -> " << scalar << " {\n"
       << "  %r = " << contract << "\n"
       << "  %t = ein.contract \"" << labels << "," << labels
       << "->\" %r, %r : " << result << ", " << result << " -> " << scalar
       << "\n"
       << "  return %t : " << scalar << "\n}\n";
    break;
  }
  default: {
    // f = the contraction; its VJP (kind 3) or Jacobian (kind 4) with
    // respect to operand 0.
    std::string out = freshLabels(0, outRank);
    std::string in = freshLabels(outRank, inRank);
    std::string operand = writer.tensor(typing->operands[0]);
    os << "func.func @f(" << args << ") -> " << result << " {\n"
       << "  %r = " << contract << "\n"
       << "  return %r : " << result << "\n}\n";
    if (kind == 3) {
      os << "func.func @main(%z: " << result << ", " << args << ") -> "
         << operand << " {\n"
         << "  %g = ein.grad \"" << out << "," << out << "%" << in << "->"
         << in << "\" %z, @f(" << names << ") wrt 0 : (" << result << ", "
         << types << ") -> " << operand << "\n"
         << "  return %g : " << operand << "\n}\n";
    } else {
      Shape jacobian(typing->result);
      jacobian.append(typing->operands[0].begin(),
                      typing->operands[0].end());
      std::string type = writer.tensor(jacobian);
      os << "func.func @main(" << args << ") -> " << type << " {\n"
         << "  %j = ein.grad \"" << out << "%" << in << "->" << out << in
         << "\" @f(" << names << ") : (" << types << ") -> " << type << "\n"
         << "  return %j : " << type << "\n}\n";
    }
  }
  }
  return text;
}
