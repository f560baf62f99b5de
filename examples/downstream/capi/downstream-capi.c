/*===- downstream-capi.c - ein from C, through the installed C API --------===*\
|*                                                                            *|
|* downstream-capi FILE.mlir PIPELINE                                         *|
|*                                                                            *|
|* Registers MLIR's and ein's dialects, passes and pipelines; parses FILE;    *|
|* runs PIPELINE (e.g. "builtin.module(ein-raise-linalg,ein-split)"); prints  *|
|* the einsum spec of every ein.contract, then the module. Then builds        *|
|* ein.contract ops from spec strings on the first function's arguments:      *|
|* "ij,jk->ik" and three that the C API must refuse with a one-line message.    *|
|* Exits 1, with a message, on any failure.                                   *|
\*===----------------------------------------------------------------------===*/

#include "ein-c/Dialect/Ein.h"
#include "ein-c/RegisterEverything.h"

#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/RegisterEverything.h"

#include <stdio.h>
#include <string.h>

static void printToFile(MlirStringRef text, void *file) {
  fwrite(text.data, 1, text.length, (FILE *)file);
}

static MlirWalkResult printSpecs(MlirOperation op, void *userData) {
  (void)userData;
  if (einOperationIsAContractOp(op)) {
    printf("contract: ");
    einOperationGetSpec(op, printToFile, stdout);
    printf("\n");
  }
  return MlirWalkResultAdvance;
}

static MlirWalkResult findFunc(MlirOperation op, void *userData) {
  MlirIdentifier name = mlirOperationGetName(op);
  MlirStringRef text = mlirIdentifierStr(name);
  if (text.length == 9 && strncmp(text.data, "func.func", 9) == 0) {
    *(MlirOperation *)userData = op;
    return MlirWalkResultInterrupt;
  }
  return MlirWalkResultAdvance;
}

/* Builds spec on `operands`; prints the op or the error. */
static void tryContract(MlirContext ctx, const char *spec, intptr_t n,
                        MlirValue *operands) {
  char *error = NULL;
  MlirOperation op = einContractOpCreate(mlirLocationUnknownGet(ctx),
                                         mlirStringRefCreateFromCString(spec),
                                         n, operands, &error);
  if (mlirOperationIsNull(op)) {
    printf("refused %s: %s\n", spec, error ? error : "(no message)");
    einFreeErrorMessage(error);
    return;
  }
  printf("built %s: ", spec);
  mlirOperationPrint(op, printToFile, stdout);
  printf("\n");
  mlirOperationDestroy(op);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: downstream-capi FILE.mlir PIPELINE\n");
    return 1;
  }
  MlirContext ctx = mlirContextCreate();
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  mlirRegisterAllDialects(registry);
  einRegisterAllDialects(registry);
  mlirContextAppendDialectRegistry(ctx, registry);
  mlirDialectRegistryDestroy(registry);
  mlirRegisterAllPasses();
  einRegisterAllPasses();
  einRegisterAllPipelines();

  int status = 1;
  MlirModule module = mlirModuleCreateParseFromFile(
      ctx, mlirStringRefCreateFromCString(argv[1]));
  if (mlirModuleIsNull(module)) {
    fprintf(stderr, "downstream-capi: cannot parse %s\n", argv[1]);
    goto done;
  }
  MlirPassManager pm = mlirPassManagerCreate(ctx);
  MlirLogicalResult parsed = mlirParsePassPipeline(
      mlirPassManagerGetAsOpPassManager(pm),
      mlirStringRefCreateFromCString(argv[2]), printToFile, stderr);
  if (mlirLogicalResultIsFailure(parsed)) {
    fprintf(stderr, "\ndownstream-capi: bad pipeline\n");
    mlirPassManagerDestroy(pm);
    goto destroyModule;
  }
  MlirOperation moduleOp = mlirModuleGetOperation(module);
  if (mlirLogicalResultIsFailure(mlirPassManagerRunOnOp(pm, moduleOp))) {
    fprintf(stderr, "downstream-capi: the pipeline failed\n");
    mlirPassManagerDestroy(pm);
    goto destroyModule;
  }
  mlirPassManagerDestroy(pm);
  mlirOperationWalk(moduleOp, printSpecs, NULL, MlirWalkPreOrder);
  mlirOperationPrint(moduleOp, printToFile, stdout);
  printf("\n");

  MlirOperation fn = {NULL};
  mlirOperationWalk(moduleOp, findFunc, &fn, MlirWalkPreOrder);
  if (mlirOperationIsNull(fn)) {
    fprintf(stderr, "downstream-capi: no func.func in %s\n", argv[1]);
    goto destroyModule;
  }
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(fn, 0));
  if (mlirBlockGetNumArguments(entry) < 2) {
    fprintf(stderr, "downstream-capi: the first function needs 2 arguments\n");
    goto destroyModule;
  }
  MlirValue args[2] = {mlirBlockGetArgument(entry, 0),
                       mlirBlockGetArgument(entry, 1)};
  tryContract(ctx, "ij,jk->ik", 2, args);
  tryContract(ctx, "ij,jk->iq", 2, args);
  tryContract(ctx, "ij,ij->", 2, args);
  tryContract(ctx, "ij->", 2, args);
  status = 0;

destroyModule:
  mlirModuleDestroy(module);
done:
  mlirContextDestroy(ctx);
  return status;
}
