//===- LoopSchedule.cpp - The ein-loop-schedule pass ----------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// convert-scf-to-openmp gives every omp.wsloop OpenMP's default, static
// schedule: each thread its fixed share of the iterations. When another
// process or another library's threads (OpenBLAS, torch) hold a core, the
// thread of that share starts late and every other thread waits for it at
// the loop's end: two threads then took longer than one. A guided schedule
// hands out shrinking chunks from a shared counter, so that the threads that
// run take the work of one that does not (on an AVX2 machine with a busy
// loop on the second core: 1024^2 times 1024^2 on two threads 24.2 -> 16.4
// ms, bij,bjk,bkl->bil 32x64x64 0.85 -> 0.36 ms; 23.1 and 0.43 on one
// thread).
//
//===----------------------------------------------------------------------===//

#include "ein/Conversion/Passes.h"

#include "mlir/Dialect/OpenMP/OpenMPDialect.h"

namespace mlir::ein {
#define GEN_PASS_DEF_LOOPSCHEDULE
#include "ein/Conversion/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;
using namespace mlir::ein;

namespace {
struct LoopSchedulePass : ein::impl::LoopScheduleBase<LoopSchedulePass> {
  using Base::Base;
  void runOnOperation() override {
    std::optional<omp::ClauseScheduleKind> kind =
        omp::symbolizeClauseScheduleKind(schedule);
    if (!kind || (*kind != omp::ClauseScheduleKind::Static &&
                  *kind != omp::ClauseScheduleKind::Dynamic &&
                  *kind != omp::ClauseScheduleKind::Guided)) {
      getOperation()->emitError()
          << "ein-loop-schedule: schedule must be static, dynamic or guided, "
             "but is '"
          << schedule << "'";
      return signalPassFailure();
    }
    auto attr = omp::ClauseScheduleKindAttr::get(&getContext(), *kind);
    getOperation()->walk([&](omp::WsloopOp loop) {
      if (!loop.getScheduleKindAttr())
        loop.setScheduleKindAttr(attr);
    });
  }
};
} // namespace
