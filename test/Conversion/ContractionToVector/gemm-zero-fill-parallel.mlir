// RUN: ein-opt %s --pass-pipeline='builtin.module(ein-vectorize-contractions{parallel=true mr=12},canonicalize)' | FileCheck %s

// On threads, a large zero fill (2^21 elements) right before a GEMM is still
// folded into it: fills wait until the kernels have run (before, the fill
// became parallel loops first and the GEMM then added into a filled C).
#mA = affine_map<(i, j, k) -> (i, k)>
#mB = affine_map<(i, j, k) -> (k, j)>
#mC = affine_map<(i, j, k) -> (i, j)>
// CHECK-LABEL: func.func @folded
// CHECK-NOT: linalg.fill
// CHECK-NOT: to (%c4096) step (%c1)
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%c30) step (%c1)
// CHECK-NOT: linalg.fill
// CHECK: return
func.func @folded(%a: memref<4096x16xf32>, %b: memref<16x512xf32>, %c: memref<4096x512xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<4096x512xf32>)
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<4096x16xf32>, memref<16x512xf32>)
      outs(%c : memref<4096x512xf32>)
  return
}

// A fill that no kernel folds runs its outer loop on threads.
// CHECK-LABEL: func.func @unfolded
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%c4096) step (%c1)
// CHECK-NOT: linalg.fill
func.func @unfolded(%c: memref<4096x512xf32>) {
  %one = arith.constant 1.0 : f32
  linalg.fill ins(%one : f32) outs(%c : memref<4096x512xf32>)
  return
}
