// RUN: ein-opt %s --ein-to-llvm | FileCheck %s --check-prefix=DEFAULT --implicit-check-not=omp.parallel
// RUN: ein-opt %s --ein-to-llvm="threads=2" | FileCheck %s --check-prefix=THREADS
// RUN: ein-opt %s --ein-to-llvm="vectorize=false" | FileCheck %s --check-prefix=LOOPS --implicit-check-not=llvm.intr.fmuladd

// The default pipeline generates the packed vector kernel, serially.
// DEFAULT: llvm.intr.fmuladd
// threads=2: the row-block loop runs on OpenMP threads (2 of them).
// THREADS: omp.parallel num_threads
// THREADS: llvm.intr.fmuladd
// vectorize=false: plain loops, no vector FMAs.
// LOOPS: llvm.fmul
func.func @mm(%a: tensor<300x200xf32>, %b: tensor<200x100xf32>) -> tensor<300x100xf32> {
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<300x200xf32>, tensor<200x100xf32> -> tensor<300x100xf32>
  return %r : tensor<300x100xf32>
}
