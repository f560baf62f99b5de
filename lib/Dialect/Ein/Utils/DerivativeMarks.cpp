//===- DerivativeMarks.cpp - Which ops belong to derivative code ----------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/Utils/DerivativeMarks.h"

#include "mlir/IR/Location.h"

using namespace mlir;
using namespace mlir::ein;

Location mlir::ein::markDerivativeLoc(Location loc) {
  if (isDerivativeLoc(loc))
    return loc;
  return NameLoc::get(
      StringAttr::get(loc->getContext(), kDerivativeLocName), loc);
}

bool mlir::ein::isDerivativeLoc(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName() == kDerivativeLocName;
  if (auto fused = dyn_cast<FusedLoc>(loc))
    return !fused.getLocations().empty() &&
           llvm::all_of(fused.getLocations(), isDerivativeLoc);
  return false;
}

void mlir::ein::markDerivative(Operation *op) {
  op->walk([](Operation *nested) {
    nested->setLoc(markDerivativeLoc(nested->getLoc()));
  });
}
