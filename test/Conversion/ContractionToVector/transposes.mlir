// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions,canonicalize)' | FileCheck %s
// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{parallel=true},canonicalize)' | FileCheck %s --check-prefix=PAR
// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{inline-single-use=false},canonicalize)' | FileCheck %s --check-prefix=SHARED

// A copy between different contiguous dimensions (Transposes.cpp): tiles of
// 64 x 64 elements of 16 x 16 blocks, each loaded as 16 rows of the input,
// transposed in registers (4 stages of 16 two-source shuffles: unpacks
// within 128-bit lanes, then lane shuffles) and stored as 16 rows of the
// output; edge blocks masked. The input's first columns up to its 64-byte
// alignment (HEAD elements, known at run time) are one column of masked
// blocks, so that the other rows' loads are aligned. Too small for threads.
// That code is the kernel function __ein_transpose_f32_x16 on flat views of
// both operands; one call alone uses it here, so it is inlined and folds to
// this copy's constants (with inline-single-use=false it stays a
// function, as with ein's kernel cache).
#in = affine_map<(d0, d1) -> (d1, d0)>
#out = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[A:.*]]: memref<100x70xf32>, %[[B:.*]]: memref<70x100xf32>)
// CHECK: %[[IN:.*]] = memref.reinterpret_cast %[[A]] to offset: [0], sizes: [7000], strides: [1]
// CHECK: %[[OUT:.*]] = memref.reinterpret_cast %[[B]] to offset: [0], sizes: [7000], strides: [1]
// CHECK: memref.extract_aligned_pointer_as_index
// CHECK: %[[HEAD:.*]] = arith.minsi %{{.*}}, %c70
// CHECK: scf.if
// CHECK:   scf.for %{{.*}} = %{{.*}} to %c100 step %c16
// CHECK-COUNT-16: vector.maskedload %[[IN]]
// CHECK-COUNT-64: vector.shuffle
// CHECK-COUNT-16: vector.maskedstore %[[OUT]]
// CHECK: scf.for %[[A1:.*]] = %[[HEAD]] to %c70 step %c64
// CHECK:   scf.for %[[B1:.*]] = %{{.*}} to %c100 step %c64
// CHECK:     scf.for %[[A0:.*]] = %[[A1]] to %{{.*}} step %c16
// CHECK:       scf.for %[[B0:.*]] = %[[B1]] to %{{.*}} step %c16
// CHECK:         scf.if
// CHECK:           %[[ROW:.*]] = arith.muli %[[B0]], %c70
// CHECK:           %[[AT:.*]] = arith.addi %[[A0]], %[[ROW]]
// CHECK:           vector.load %[[IN]][%[[AT]]] : memref<7000xf32, strided<[1]>>, vector<16xf32>
// CHECK-COUNT-15:  vector.load %[[IN]]
// CHECK:           vector.shuffle %{{.*}}, %{{.*}} [0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29]
// CHECK-COUNT-63:  vector.shuffle
// CHECK:           %[[OROW:.*]] = arith.muli %[[A0]], %c100
// CHECK:           %[[OAT:.*]] = arith.addi %[[B0]], %[[OROW]]
// CHECK:           vector.store %{{.*}}, %[[OUT]][%[[OAT]]] : memref<7000xf32, strided<[1]>>, vector<16xf32>
// CHECK-COUNT-15:  vector.store
// CHECK:         } else {
// CHECK-COUNT-16:  vector.maskedload %[[IN]]
// CHECK-COUNT-64:  vector.shuffle
// CHECK-COUNT-16:  vector.maskedstore %[[OUT]]
// CHECK-NOT: linalg.generic
// CHECK-NOT: func.call
// CHECK-NOT: __ein_transpose
// PAR-LABEL: func.func @transpose
// PAR-NOT: scf.parallel
// SHARED-LABEL: func.func @transpose
// SHARED-SAME: (%[[A:.*]]: memref<100x70xf32>, %[[B:.*]]: memref<70x100xf32>)
// SHARED: %[[IN:.*]] = memref.reinterpret_cast %[[A]]
// SHARED: %[[INV:.*]] = memref.cast %[[IN]] : memref<7000xf32, strided<[1]>> to memref<?xf32, strided<[1], offset: ?>>
// SHARED: %[[OUT:.*]] = memref.reinterpret_cast %[[B]]
// SHARED: %[[OUTV:.*]] = memref.cast %[[OUT]]
// in, out, inOff, outOff, extentA, extentB, the input's stride of b, the
// output's of a.
// SHARED: call @__ein_transpose_f32_x16(%[[INV]], %[[OUTV]], %c0, %c0, %c70, %c100, %c70, %c100)
// SHARED-NOT: vector.shuffle
// SHARED: return
func.func @transpose(%a: memref<100x70xf32>, %b: memref<70x100xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel"]} ins(%a : memref<100x70xf32>) outs(%b : memref<70x100xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  return
}

// Three dimensions, f64 (8 x 8 blocks: 3 stages of 8 shuffles): the other
// dimension outermost, in the output's order, one plane per step (offsets
// k * 64 * 1024 in the input, k * 64 in the output); large enough for
// threads.
#in3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#out3 = affine_map<(d0, d1, d2) -> (d2, d0, d1)>
// CHECK-LABEL: func.func @rotate
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %c2048 step %c1
// CHECK:   arith.muli %[[K]], %c65536
// CHECK:   scf.for %{{.*}} = %{{.*}} to %c1024 step %c64
// CHECK-COUNT-8: vector.load %{{.*}} : memref<134217728xf64, strided<[1]>>, vector<8xf64>
// CHECK-COUNT-24: vector.shuffle
// CHECK-COUNT-8: vector.store %{{.*}} : memref<134217728xf64, strided<[1]>>, vector<8xf64>
// PAR-LABEL: func.func @rotate
// PAR: scf.parallel (%[[K:.*]]) = (%c0) to (%c2048) step (%c1)
// PAR-NOT: scf.parallel
// SHARED-LABEL: func.func @rotate
// SHARED: scf.for %[[K:.*]] = %{{.*}} to %c2048 step %c1
// SHARED:   %[[INOFF:.*]] = arith.muli %[[K]], %c65536
// SHARED:   %[[OUTOFF:.*]] = arith.muli %[[K]], %c64
// SHARED:   call @__ein_transpose_f64_x8(%{{.*}}, %{{.*}}, %[[INOFF]], %[[OUTOFF]], %c1024, %c64, %c1024, %c131072)
func.func @rotate(%a: memref<2048x64x1024xf64>, %b: memref<1024x2048x64xf64>) {
  linalg.generic {indexing_maps = [#in3, #out3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%a : memref<2048x64x1024xf64>) outs(%b : memref<1024x2048x64xf64>) {
  ^bb0(%x: f64, %y: f64):
    linalg.yield %x : f64
  }
  return
}

// Both kernel functions, as SHARED keeps them.
// SHARED: func.func private @__ein_transpose_f32_x16(%{{.*}}: memref<?xf32, strided<[1], offset: ?>>, %{{.*}}: memref<?xf32, strided<[1], offset: ?>>, %{{.*}}: index, %{{.*}}: index, %{{.*}}: index, %{{.*}}: index, %{{.*}}: index, %{{.*}}: index)
// SHARED-COUNT-16: vector.maskedload
// SHARED-COUNT-64: vector.shuffle
// SHARED: func.func private @__ein_transpose_f64_x8(
// SHARED-COUNT-24: vector.shuffle

// -----

// A lone plane large enough for threads: they take 64 of the input's rows
// at a time (b1; the output's columns b1 to b1 + 64 of every row).
#in = affine_map<(d0, d1) -> (d1, d0)>
#out = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @large_plane
// CHECK-NOT: scf.parallel
// PAR-LABEL: func.func @large_plane
// PAR: scf.parallel (%[[B1:.*]]) = (%c0) to (%c2048) step (%c64)
// PAR:   arith.muli %[[B1]], %c1024
// PAR:   vector.shuffle
// PAR-NOT: scf.parallel
// SHARED-LABEL: func.func @large_plane
// SHARED-NOT: scf.parallel
// SHARED: call @__ein_transpose_f32_x16(%{{.*}}, %{{.*}}, %c0, %c0, %c1024, %c2048, %c1024, %c2048)
func.func @large_plane(%a: memref<2048x1024xf32>, %b: memref<1024x2048xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel"]} ins(%a : memref<2048x1024xf32>) outs(%b : memref<1024x2048xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

// Copies of one element type share one kernel function even without a
// kernel cache: each call passes its plane's extents and strides.
#t = affine_map<(d0, d1) -> (d1, d0)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @two_copies
// PAR-LABEL: func.func @two_copies
// CHECK: call @__ein_transpose_f32_x16(%{{.*}}, %{{.*}}, %c0, %c0, %c70, %c100, %c70, %c100)
// CHECK: call @__ein_transpose_f32_x16(%{{.*}}, %{{.*}}, %c0, %c0, %c30, %c40, %c30, %c40)
// Its three instances of the 16 x 16 block (the head column, full blocks,
// edge blocks), and no other.
// CHECK: func.func private @__ein_transpose_f32_x16
// CHECK-COUNT-192: vector.shuffle
// CHECK-NOT: vector.shuffle
func.func @two_copies(%a: memref<100x70xf32>, %b: memref<70x100xf32>, %c: memref<40x30xf32>, %d: memref<30x40xf32>) {
  linalg.generic {indexing_maps = [#t, #id2], iterator_types = ["parallel", "parallel"]} ins(%a : memref<100x70xf32>) outs(%b : memref<70x100xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  linalg.generic {indexing_maps = [#t, #id2], iterator_types = ["parallel", "parallel"]} ins(%c : memref<40x30xf32>) outs(%d : memref<30x40xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
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
// CHECK: memref.reinterpret_cast %[[B]]
// CHECK: memref.reinterpret_cast %[[BUF]]
// CHECK: call @__ein_transpose_f32_x16(
// CHECK: vector.load %[[A]]
// CHECK: vector.load %[[BUF]]
// CHECK: memref.reinterpret_cast %[[BUF]]
// CHECK: memref.reinterpret_cast %[[B]]
// CHECK: call @__ein_transpose_f32_x16(
// CHECK: memref.dealloc %[[BUF]]
// CHECK-NOT: linalg.generic
// CHECK: func.func private @__ein_transpose_f32_x16
// CHECK-COUNT-64: vector.shuffle
func.func @sum_transposed(%a: memref<?x?x?xf32>, %b: memref<?x?xf32>) {
  linalg.generic {indexing_maps = [#sin, #sout], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a : memref<?x?x?xf32>) outs(%b : memref<?x?xf32>) {
  ^bb0(%x: f32, %y: f32):
    %s = arith.addf %y, %x : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A plane 4 elements wide on the output's contiguous side (bik->ikb, the
// batch going innermost): whole vectors of the input's 4 rows interleaved
// by two rounds of two-source shuffles (lanes 0-7 and 8-15 of rows 0 and 2,
// 1 and 3, then of those), stored as 4 consecutive vectors; the last 8
// elements of each 200-long row through the transposing kernel.
#in = affine_map<(d0, d1, d2) -> (d2, d0, d1)>
#out = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// SHARED-LABEL: func.func @interleave4
// SHARED: scf.for %{{.*}} = %c0 to %c20 step %c1
// SHARED:   scf.for %[[K:.*]] = %c0 to %c192 step %c16
// SHARED:     %[[R0:.*]] = vector.load %{{.*}} : memref<16000xf32, strided<[1]>>, vector<16xf32>
// SHARED:     %[[R1:.*]] = vector.load
// SHARED:     %[[R2:.*]] = vector.load
// SHARED:     %[[R3:.*]] = vector.load
// SHARED:     %[[P0:.*]] = vector.shuffle %[[R0]], %[[R2]] [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23]
// SHARED:     %[[P1:.*]] = vector.shuffle %[[R0]], %[[R2]] [8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31]
// SHARED:     %[[Q0:.*]] = vector.shuffle %[[R1]], %[[R3]] [0, 16,
// SHARED:     %[[Q1:.*]] = vector.shuffle %[[R1]], %[[R3]] [8, 24,
// SHARED:     %[[O0:.*]] = vector.shuffle %[[P0]], %[[Q0]] [0, 16,
// SHARED:     %[[O1:.*]] = vector.shuffle %[[P0]], %[[Q0]] [8, 24,
// SHARED:     %[[O2:.*]] = vector.shuffle %[[P1]], %[[Q1]] [0, 16,
// SHARED:     %[[O3:.*]] = vector.shuffle %[[P1]], %[[Q1]] [8, 24,
// SHARED:     vector.store %[[O0]]
// SHARED:     vector.store %[[O1]]
// SHARED:     vector.store %[[O2]]
// SHARED:     vector.store %[[O3]]
// SHARED:   }
// SHARED:   func.call @__ein_transpose_f32_x16(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %c8, %c4, %c4000, %c4)
func.func @interleave4(%a: memref<4x20x200xf32>, %b: memref<20x200x4xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel", "parallel"]}
    ins(%a : memref<4x20x200xf32>) outs(%b : memref<20x200x4xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

// The other way (ijb->bij, the batch leaving the innermost place): 4
// consecutive vectors (16 groups of 4) split into even and odd lanes twice,
// one vector per b.
#in = affine_map<(d0, d1, d2) -> (d1, d2, d0)>
#out = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// SHARED-LABEL: func.func @split4
// SHARED:   scf.for %{{.*}} = %c0 to %c64 step %c16
// SHARED-COUNT-4: vector.load
// SHARED:     %[[E0:.*]] = vector.shuffle %{{.*}}, %{{.*}} [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// SHARED:     %[[D0:.*]] = vector.shuffle %{{.*}}, %{{.*}} [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]
// SHARED-COUNT-6: vector.shuffle
// SHARED-COUNT-4: vector.store
func.func @split4(%a: memref<20x64x4xf32>, %b: memref<4x20x64xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel", "parallel"]}
    ins(%a : memref<20x64x4xf32>) outs(%b : memref<4x20x64xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  return
}
