//===- MergeSiblingMaps.h - Elementwise siblings as one op ------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_MERGESIBLINGMAPS_H
#define EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_MERGESIBLINGMAPS_H

#include "mlir/IR/Operation.h"

namespace mlir::ein {

/// Merges, in each block under `root`, pairs of all-parallel
/// linalg.generic ops on tensors over the same static loops whose outputs
/// share one indexing map and element type and whose bodies ignore their
/// outputs' values, where both read some input alike, into one op with
/// both ops' results (repeatedly: three such ops become one).
void mergeSiblingMaps(Operation *root);

} // namespace mlir::ein

#endif // EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_MERGESIBLINGMAPS_H
