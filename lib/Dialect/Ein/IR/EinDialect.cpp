//===- EinDialect.cpp - ein dialect ---------------------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/IR/EinDialect.h"
#include "ein/Dialect/Ein/IR/EinAttrs.h"
#include "ein/Dialect/Ein/IR/EinOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::ein;

#include "ein/Dialect/Ein/IR/EinOpsDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "ein/Dialect/Ein/IR/EinAttrs.cpp.inc"

void EinDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "ein/Dialect/Ein/IR/EinAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "ein/Dialect/Ein/IR/EinOps.cpp.inc"
      >();
}
