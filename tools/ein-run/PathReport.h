//===- PathReport.h - ein-run --report ---------------------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_TOOLS_EIN_RUN_PATHREPORT_H
#define EIN_TOOLS_EIN_RUN_PATHREPORT_H

#include "ein/Dialect/Ein/Transforms/Transforms.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir::ein {

/// Prints one line per ein.contract of `module`, in program order:
/// `ein-path: {"spec": ..., "path": [[0,1],...], "flops": ...,
/// "naive_flops": ..., "largest_intermediate": ...}`. Fails (naming the
/// contraction) if a path cannot be planned.
llvm::Error printPathReport(ModuleOp module, const PathPlanOptions &options,
                            llvm::raw_ostream &os);

} // namespace mlir::ein

#endif // EIN_TOOLS_EIN_RUN_PATHREPORT_H
