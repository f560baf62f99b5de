//===- EinAttrs.h - ein dialect attributes ----------------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_IR_EINATTRS_H
#define EIN_DIALECT_EIN_IR_EINATTRS_H

#include "ein/Spec/Spec.h"

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#define GET_ATTRDEF_CLASSES
#include "ein/Dialect/Ein/IR/EinAttrs.h.inc"

#endif // EIN_DIALECT_EIN_IR_EINATTRS_H
