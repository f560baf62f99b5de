//===- EinDialect.h - ein dialect -------------------------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_IR_EINDIALECT_H
#define EIN_DIALECT_EIN_IR_EINDIALECT_H

#include "mlir/IR/Dialect.h"

#include "ein/Dialect/Ein/IR/EinOpsDialect.h.inc"

#endif // EIN_DIALECT_EIN_IR_EINDIALECT_H
