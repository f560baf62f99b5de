/*===- Ein.h - C API of the ein dialect ---------------------------*- C -*-===*\
|*                                                                            *|
|* Part of the ein project: differentiable einsum on MLIR.                    *|
|*                                                                            *|
|*===----------------------------------------------------------------------===*|
|*                                                                            *|
|* The ein dialect for compilers written in C, Rust, Julia or Python without  *|
|* C++: the dialect handle, and building and inspecting ein.contract.         *|
|* Link Ein::EinCAPI (libEinCAPI.so), which also carries MLIR's core C API    *|
|* (mlir-c/IR.h, Pass.h, RegisterEverything.h and the func, arith, tensor,    *|
|* linalg and math dialect handles) on the shared libMLIR.so.                 *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef EIN_C_DIALECT_EIN_H
#define EIN_C_DIALECT_EIN_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

/* mlirGetDialectHandle__ein__(): insert or load the ein dialect. */
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Ein, ein);

/* Creates, without inserting it anywhere, `ein.contract` with the einsum text
 * `spec` (e.g. "ij,jk->ik") on `operands` (ranked tensors of one float or
 * complex element type), its result type inferred from the operand types.
 * On failure returns a null operation (check with mlirOperationIsNull) and,
 * if `errorMessage` is not NULL, stores there a one-line message saying what
 * was expected and what was found, allocated with malloc: release it with
 * einFreeErrorMessage. On success `*errorMessage` is set to NULL. */
MLIR_CAPI_EXPORTED MlirOperation einContractOpCreate(
    MlirLocation location, MlirStringRef spec, intptr_t numOperands,
    MlirValue const *operands, char **errorMessage);

/* Releases a message returned through an `errorMessage` out-parameter. */
MLIR_CAPI_EXPORTED void einFreeErrorMessage(char *errorMessage);

/* True if `op` is an ein.contract. */
MLIR_CAPI_EXPORTED bool einOperationIsAContractOp(MlirOperation op);

/* Calls `callback` with the canonical einsum text of the ein.contract or
 * ein.grad `op` (e.g. "ij,jk->ik"); returns false, not calling it, for any
 * other operation. */
MLIR_CAPI_EXPORTED bool einOperationGetSpec(MlirOperation op,
                                            MlirStringCallback callback,
                                            void *userData);

#ifdef __cplusplus
}
#endif

#endif /* EIN_C_DIALECT_EIN_H */
