//===- NpyFuzzer.cpp - libFuzzer target: the .npy reader ------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Any bytes: parseNpy returns an array or a one-line error. An accepted
// array must hold exactly its shape's elements and survive a write/read
// round trip.
//
//===----------------------------------------------------------------------===//

#include "ein/Runner/Npy.h"

#include "FuzzCheck.h"

using namespace mlir::ein;

static void check(bool condition, const char *what) {
  fuzzCheck(condition, "npy", what);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  llvm::Expected<HostArray> array = parseNpy(bytes, "fuzz.npy");
  if (!array) {
    std::string message = llvm::toString(array.takeError());
    check(!message.empty() && message.find('\n') == std::string::npos,
          "an error message is not one line");
    return 0;
  }
  check(array->data.size() ==
            size_t(array->numElements()) * dtypeSize(array->dtype),
        "the data size does not match the shape");
  llvm::Expected<HostArray> again =
      parseNpy(serializeNpy(*array), "round-trip.npy");
  check(static_cast<bool>(again), "a written array does not parse");
  check(again->shape == array->shape && again->dtype == array->dtype &&
            again->data == array->data,
        "a written array reads back differently");
  return 0;
}
