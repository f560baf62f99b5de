/*===- RegisterEverything.h - Register all of ein from C ----------*- C -*-===*\
|*                                                                            *|
|* Part of the ein project: differentiable einsum on MLIR.                    *|
|*                                                                            *|
|*===----------------------------------------------------------------------===*|
|*                                                                            *|
|* The C form of ein/InitAll.h. MLIR's own dialects and passes are registered *|
|* with mlir-c/RegisterEverything.h (also in libEinCAPI.so).                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef EIN_C_REGISTEREVERYTHING_H
#define EIN_C_REGISTEREVERYTHING_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Adds the ein dialect and the derivative rules of the upstream ops ein
 * differentiates (arith, math, tensor, linalg.fill, func.call). */
MLIR_CAPI_EXPORTED void einRegisterAllDialects(MlirDialectRegistry registry);

/* Registers ein's passes (ein-split, ein-differentiate, ein-raise-linalg,
 * ...), so that mlirParsePassPipeline and mlirOpPassManagerAddPipeline
 * know them. */
MLIR_CAPI_EXPORTED void einRegisterAllPasses(void);

/* Registers ein's pipelines (ein-core, ein-to-linalg, ein-to-llvm,
 * ein-to-nvvm). */
MLIR_CAPI_EXPORTED void einRegisterAllPipelines(void);

#ifdef __cplusplus
}
#endif

#endif /* EIN_C_REGISTEREVERYTHING_H */
