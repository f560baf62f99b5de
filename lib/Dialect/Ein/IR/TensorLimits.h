//===- TensorLimits.h - Tensor sizes the verifiers accept -------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// A static shape whose byte size does not fit in a signed 64-bit integer
// cannot be allocated or indexed; lowering it would silently wrap the size
// computations. The ein verifiers reject such types with this check.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_DIALECT_EIN_IR_TENSORLIMITS_H
#define EIN_LIB_DIALECT_EIN_IR_TENSORLIMITS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

namespace mlir::ein::detail {

/// Fails with an error on `op` if a static tensor among `types` (named
/// `what` #i) has more bytes than a signed 64-bit integer can count.
inline LogicalResult verifyAddressable(Operation *op, TypeRange types,
                                       StringRef what) {
  for (auto [index, type] : llvm::enumerate(types)) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor)
      continue;
    Type element = tensor.getElementType();
    int64_t bytes = 1;
    if (auto complex = dyn_cast<ComplexType>(element))
      bytes = 2 * (complex.getElementType().getIntOrFloatBitWidth() / 8);
    else if (element.isIntOrFloat())
      bytes = std::max<int64_t>(1, element.getIntOrFloatBitWidth() / 8);
    bool overflow = false;
    for (int64_t dim : tensor.getShape())
      if (!ShapedType::isDynamic(dim))
        overflow |= __builtin_mul_overflow(bytes, dim, &bytes);
    if (overflow)
      return op->emitOpError("expected ")
             << what << " #" << index
             << " to fit in 2^63 bytes, but found " << type
             << ", whose size overflows 64 bits";
  }
  return success();
}

} // namespace mlir::ein::detail

#endif // EIN_LIB_DIALECT_EIN_IR_TENSORLIMITS_H
