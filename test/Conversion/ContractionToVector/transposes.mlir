// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions,canonicalize)' | FileCheck %s
// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{parallel=true},canonicalize)' | FileCheck %s --check-prefix=PAR

// A copy between different contiguous dimensions (Transposes.cpp): tiles of
// 64 x 64 elements of 16 x 16 blocks, each loaded as 16 rows of the input,
// transposed in registers (4 stages of 16 two-source shuffles: unpacks
// within 128-bit lanes, then lane shuffles) and stored as 16 rows of the
// output; edge blocks masked. The input's first columns up to its 64-byte
// alignment (HEAD elements, known at run time) are one column of masked
// blocks, so that the other rows' loads are aligned. Too small for threads.
#in = affine_map<(d0, d1) -> (d1, d0)>
#out = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[A:.*]]: memref<100x70xf32>, %[[B:.*]]: memref<70x100xf32>)
// CHECK: %[[PTR:.*]] = memref.extract_aligned_pointer_as_index %[[A]]
// CHECK: %[[HEAD:.*]] = arith.minsi
// CHECK: scf.if
// CHECK:   scf.for %{{.*}} = %{{.*}} to %c100 step %c16
// CHECK-COUNT-16: vector.maskedload %[[A]]
// CHECK-COUNT-64: vector.shuffle
// CHECK-COUNT-16: vector.maskedstore %[[B]]
// CHECK: %[[REST:.*]] = arith.subi %c70, %[[HEAD]]
// CHECK: scf.for %[[R1:.*]] = %{{.*}} to %[[REST]] step %c64
// CHECK:   %[[A1:.*]] = arith.addi %[[R1]], %[[HEAD]]
// CHECK:   scf.for %[[B1:.*]] = %{{.*}} to %c100 step %c64
// CHECK:     scf.for %[[A0:.*]] = %[[A1]] to %{{.*}} step %c16
// CHECK:       scf.for %[[B0:.*]] = %[[B1]] to %{{.*}} step %c16
// CHECK:         scf.if
// CHECK:           vector.load %[[A]][%[[B0]], %[[A0]]] : memref<100x70xf32>, vector<16xf32>
// CHECK-COUNT-15:  vector.load %[[A]]
// CHECK:           vector.shuffle %{{.*}}, %{{.*}} [0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29]
// CHECK-COUNT-63:  vector.shuffle
// CHECK:           vector.store %{{.*}}, %[[B]][%[[A0]], %[[B0]]] : memref<70x100xf32>, vector<16xf32>
// CHECK-COUNT-15:  vector.store
// CHECK:         } else {
// CHECK-COUNT-16:  vector.maskedload %[[A]]
// CHECK-COUNT-64:  vector.shuffle
// CHECK-COUNT-16:  vector.maskedstore %[[B]]
// CHECK-NOT: linalg.generic
// PAR-LABEL: func.func @transpose
// PAR-NOT: scf.parallel
func.func @transpose(%a: memref<100x70xf32>, %b: memref<70x100xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel"]} ins(%a : memref<100x70xf32>) outs(%b : memref<70x100xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

// Three dimensions, f64 (8 x 8 blocks: 3 stages of 8 shuffles): the other
// dimension outermost, in the output's order; large enough for threads.
#in3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#out3 = affine_map<(d0, d1, d2) -> (d2, d0, d1)>
// CHECK-LABEL: func.func @rotate
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %c2048 step %c1
// CHECK:   scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c64
// CHECK-COUNT-8: vector.load %{{.*}}[%[[K]], %{{.*}}, %{{.*}}] : memref<2048x64x1024xf64>, vector<8xf64>
// CHECK-COUNT-24: vector.shuffle
// CHECK-COUNT-8: vector.store %{{.*}}, %{{.*}}[%{{.*}}, %[[K]], %{{.*}}] : memref<1024x2048x64xf64>, vector<8xf64>
// PAR-LABEL: func.func @rotate
// PAR: scf.parallel
// PAR-NOT: scf.parallel
func.func @rotate(%a: memref<2048x64x1024xf64>, %b: memref<1024x2048x64xf64>) {
  linalg.generic {indexing_maps = [#in3, #out3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%a : memref<2048x64x1024xf64>) outs(%b : memref<1024x2048x64xf64>) {
  ^bb0(%x: f64, %y: f64):
    linalg.yield %x : f64
  }
  return
}

// -----

// A copy that keeps the contiguous dimension is not a transpose.
#id = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @plain_copy
// CHECK: linalg.generic
// CHECK-NOT: vector.shuffle
func.func @plain_copy(%a: memref<100x70xf32>, %b: memref<100x70xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : memref<100x70xf32>) outs(%b : memref<100x70xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

// A sum into an output that is contiguous along another loop than its
// inputs (ijk->ki, dynamic shapes): the output is copied (transposed) into
// a buffer laid out like the inputs, column sums add into it, and it is
// copied back.
#sin = affine_map<(d0, d1, d2) -> (d1, d2, d0)>
#sout = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @sum_transposed
// CHECK-SAME: (%[[A:.*]]: memref<?x?x?xf32>, %[[B:.*]]: memref<?x?xf32>)
// CHECK: %[[BUF:.*]] = memref.alloc(%{{.*}}, %{{.*}}) {alignment = 64 : i64} : memref<?x?xf32>
// CHECK: vector.load %[[B]]
// CHECK-COUNT-64: vector.shuffle
// CHECK: vector.store %{{.*}}, %[[BUF]]
// CHECK: vector.load %[[A]]
// CHECK: vector.load %[[BUF]]
// CHECK-COUNT-64: vector.shuffle
// CHECK: vector.store %{{.*}}, %[[B]]
// CHECK: memref.dealloc %[[BUF]]
// CHECK-NOT: linalg.generic
func.func @sum_transposed(%a: memref<?x?x?xf32>, %b: memref<?x?xf32>) {
  linalg.generic {indexing_maps = [#sin, #sout], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a : memref<?x?x?xf32>) outs(%b : memref<?x?xf32>) {
  ^bb0(%x: f32, %y: f32):
    %s = arith.addf %y, %x : f32
    linalg.yield %s : f32
  }
  return
}
