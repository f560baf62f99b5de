//===- downstream-opt.cpp - a downstream compiler's opt tool --------------===//
//
// Upstream MLIR, ein (from the installed package) and the downstream pass,
// registered side by side.
//
//===----------------------------------------------------------------------===//

#include "Downstream/Passes.h"

#include "ein/InitAll.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::ein::registerAllPasses();
  mlir::ein::registerAllPipelines();
  downstream::registerDownstreamPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::ein::registerAllDialects(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "downstream compiler with ein\n", registry));
}
