//===- EinOps.h - ein dialect operations ------------------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_IR_EINOPS_H
#define EIN_DIALECT_EIN_IR_EINOPS_H

#include "ein/Dialect/Ein/IR/EinAttrs.h"
#include "ein/Dialect/Ein/IR/EinDialect.h"
#include "ein/Dialect/Ein/IR/DifferentiableOpInterface.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "ein/Dialect/Ein/IR/EinOps.h.inc"

#endif // EIN_DIALECT_EIN_IR_EINOPS_H
