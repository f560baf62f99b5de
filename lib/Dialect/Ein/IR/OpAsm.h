//===- OpAsm.h - Shared pieces of the ein ops' syntax and checks -*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_DIALECT_EIN_IR_OPASM_H
#define EIN_LIB_DIALECT_EIN_IR_OPASM_H

#include "ein/Dialect/Ein/IR/EinAttrs.h"

#include "mlir/IR/OpImplementation.h"

namespace mlir::ein::detail {

/// A spec string literal; a malformed spec is reported at its character.
ParseResult parseSpecLiteral(OpAsmParser &parser, SpecAttr &spec,
                             bool allowDerivative);

/// Types, optionally in parentheses.
ParseResult parseOperandTypes(OpAsmParser &parser,
                              SmallVectorImpl<Type> &types);

/// The result shape of `spec` on operands of `inputs`' types; `result`, when
/// given, only fills sizes the operands leave open (see inferShapes).
FailureOr<SmallVector<int64_t>>
inferContractShape(const Spec &spec, TypeRange inputs,
                   std::optional<ArrayRef<int64_t>> result,
                   std::string *error);

} // namespace mlir::ein::detail

#endif // EIN_LIB_DIALECT_EIN_IR_OPASM_H
