//===- CheckBuffers.cpp - The ein-check-buffers pass ----------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/Transforms/Passes.h"

#include "mlir/IR/BuiltinTypes.h"

#include "llvm/Support/Format.h"

namespace mlir::ein {
#define GEN_PASS_DEF_EINCHECKBUFFERS
#include "ein/Dialect/Ein/Transforms/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;
using namespace mlir::ein;

/// Bytes of a static tensor (saturating at INT64_MAX), or nullopt for
/// dynamic tensors and element types without a byte size.
static std::optional<int64_t> staticBytes(RankedTensorType type) {
  if (!type.hasStaticShape())
    return std::nullopt;
  Type element = type.getElementType();
  int64_t bytes;
  if (auto complex = dyn_cast<ComplexType>(element)) {
    if (!complex.getElementType().isIntOrFloat())
      return std::nullopt;
    bytes = 2 * ((complex.getElementType().getIntOrFloatBitWidth() + 7) / 8);
  } else if (element.isIntOrIndexOrFloat() && !element.isIndex()) {
    bytes = (element.getIntOrFloatBitWidth() + 7) / 8;
  } else {
    return std::nullopt;
  }
  for (int64_t dim : type.getShape())
    if (__builtin_mul_overflow(bytes, dim, &bytes))
      return std::numeric_limits<int64_t>::max();
  return bytes;
}

/// 40000000000 -> "37.25 GiB".
static std::string humanBytes(int64_t bytes) {
  static const char *units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB",
                                "EiB"};
  double value = double(bytes);
  unsigned unit = 0;
  while (value >= 1024 && unit + 1 < std::size(units)) {
    value /= 1024;
    ++unit;
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format(unit ? "%.2f %s" : "%.0f %s", value, units[unit]);
  return text;
}

namespace {
struct CheckBuffersPass : ein::impl::EinCheckBuffersBase<CheckBuffersPass> {
  using Base::Base;
  void runOnOperation() override {
    if (maxBytes <= 0)
      return;
    WalkResult result = getOperation()->walk([&](Operation *op) {
      for (Value value : op->getResults()) {
        auto type = dyn_cast<RankedTensorType>(value.getType());
        if (!type)
          continue;
        std::optional<int64_t> bytes = staticBytes(type);
        if (!bytes || *bytes <= maxBytes)
          continue;
        op->emitOpError("result ")
            << type << " needs " << *bytes << " bytes (" << humanBytes(*bytes)
            << "), more than the buffer limit of " << int64_t(maxBytes)
            << " bytes (" << humanBytes(maxBytes) << ")";
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
