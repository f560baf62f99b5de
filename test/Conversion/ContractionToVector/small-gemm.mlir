// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{mr=12},canonicalize)' | FileCheck %s
// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{small-gemm-work=0 mr=12},canonicalize)' | FileCheck %s --check-prefix=PACKED

// A static GEMM of at most 65536 multiply-adds (small-gemm-work) runs as
// one row-vector product per row of A (its rows join the batch; B's stride
// along them is 0): no packing, no register-tile function.
#mA = affine_map<(i, j, k) -> (i, k)>
#mB = affine_map<(i, j, k) -> (k, j)>
#mC = affine_map<(i, j, k) -> (i, j)>
// CHECK-LABEL: func.func @small
// CHECK-NOT: call @__ein_gemm
// CHECK: scf.for %[[R:.*]] = %c0 to %c50 step %c1 {
// CHECK:   %[[AOFF:.*]] = arith.muli %[[R]], %c40 : index
// CHECK:   memref.load %{{.*}}[%{{.*}}] : memref<2000xf32>
// CHECK:   vector.broadcast
// CHECK:   vector.fma
// CHECK-NOT: func.func private @__ein_gemm
// PACKED-LABEL: func.func @small
// PACKED: memref.alloc() {alignment = 64 : i64} : memref<3840xf32>
func.func @small(%a: memref<50x40xf32>, %b: memref<40x20xf32>, %c: memref<50x20xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<50x40xf32>, memref<40x20xf32>)
      outs(%c : memref<50x20xf32>)
  return
}

// -----

// B read along its depth (A.Bᵀ) is first copied with its columns innermost.
#nA = affine_map<(i, j, k) -> (i, k)>
#nB = affine_map<(i, j, k) -> (j, k)>
#nC = affine_map<(i, j, k) -> (i, j)>
// CHECK-LABEL: func.func @small_nt
// CHECK: %[[BT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<40x30xf32>
// CHECK: vector.fma
// CHECK: memref.dealloc %[[BT]]
// CHECK-NOT: call @__ein_gemm
func.func @small_nt(%a: memref<20x40xf32>, %b: memref<30x40xf32>, %c: memref<20x30xf32>) {
  linalg.contract indexing_maps = [#nA, #nB, #nC]
      ins(%a, %b : memref<20x40xf32>, memref<30x40xf32>)
      outs(%c : memref<20x30xf32>)
  return
}

// -----

// Above 65536 multiply-adds (64 x 64 x 64): the packed GEMM (its packed
// B panels, 64 x 64, and A rows, 72 x 64; the kernel functions that one
// GEMM alone calls are inlined back).
#pA = affine_map<(i, j, k) -> (i, k)>
#pB = affine_map<(i, j, k) -> (k, j)>
#pC = affine_map<(i, j, k) -> (i, j)>
// CHECK-LABEL: func.func @not_small
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<4096xf32>
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<4608xf32>
func.func @not_small(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %c: memref<64x64xf32>) {
  linalg.contract indexing_maps = [#pA, #pB, #pC]
      ins(%a, %b : memref<64x64xf32>, memref<64x64xf32>)
      outs(%c : memref<64x64xf32>)
  return
}
