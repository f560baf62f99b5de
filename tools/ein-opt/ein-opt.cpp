//===- ein-opt.cpp - ein optimizer driver ---------------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// mlir-opt with every upstream dialect, extension and pass plus ein's.
//
//===----------------------------------------------------------------------===//

#include "ein/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::ein::registerAllPasses();
  mlir::ein::registerAllPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::ein::registerAllDialects(registry);
  mlir::ein::registerEinToNVVMDependencies(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "ein optimizer driver: differentiable einsum\n", registry));
}
