// RUN: ein-opt %s --pass-pipeline='builtin.module(ein-vectorize-contractions{parallel=true},canonicalize)' | FileCheck %s

// Ops that sum nothing run in vectors along the output's contiguous loop
// (Elementwise.cpp): an input that does not read it is one broadcast
// element, a contiguous one a vector load; the last vector of a row is
// masked. Small outputs stay on one thread.
// CHECK-LABEL: func.func @outer
// CHECK-SAME: (%[[X:.*]]: memref<30xf32>, %[[Y:.*]]: memref<100xf32>, %[[Z:.*]]: memref<30x100xf32>)
// CHECK: scf.for %[[I:.*]] = %c0 to %c30 step %c1 {
// CHECK:   scf.for %[[J:.*]] = %c0 to %c96 step %c16 {
// CHECK:     %[[XI:.*]] = memref.load %[[X]][%[[I]]] : memref<30xf32>
// CHECK:     %[[YV:.*]] = vector.load %[[Y]][%[[J]]] : memref<100xf32>, vector<16xf32>
// CHECK:     %[[XV:.*]] = vector.broadcast %[[XI]] : f32 to vector<16xf32>
// CHECK:     %[[P:.*]] = arith.mulf %[[XV]], %[[YV]] : vector<16xf32>
// CHECK:     vector.store %[[P]], %[[Z]][%[[I]], %[[J]]] : memref<30x100xf32>, vector<16xf32>
// CHECK:   vector.constant_mask [4] : vector<16xi1>
// CHECK:   vector.maskedload %[[Y]][%c96]
// CHECK:   vector.maskedstore %[[Z]][%[[I]], %c96]
// CHECK-NOT: scf.parallel
// CHECK-NOT: linalg.generic

// A 32 MiB output: the rows on threads, plain stores (non-temporal ones lost
// to peers that reuse a cached output block).
// CHECK-LABEL: func.func @outer_large
// CHECK: scf.parallel
// CHECK: vector.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : memref<2048x4096xf32>, vector<16xf32>
// CHECK-NOT: nontemporal
#a = affine_map<(d0, d1) -> (d0)>
#b = affine_map<(d0, d1) -> (d1)>
#o = affine_map<(d0, d1) -> (d0, d1)>
func.func @outer(%x: memref<30xf32>, %y: memref<100xf32>, %z: memref<30x100xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #o], iterator_types = ["parallel", "parallel"]} ins(%x, %y : memref<30xf32>, memref<100xf32>) outs(%z : memref<30x100xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    linalg.yield %m : f32
  }
  return
}
func.func @outer_large(%x: memref<2048xf32>, %y: memref<4096xf32>) -> memref<2048x4096xf32> {
  %z = memref.alloc() {alignment = 64 : i64} : memref<2048x4096xf32>
  linalg.generic {indexing_maps = [#a, #b, #o], iterator_types = ["parallel", "parallel"]} ins(%x, %y : memref<2048xf32>, memref<4096xf32>) outs(%z : memref<2048x4096xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    linalg.yield %m : f32
  }
  return %z : memref<2048x4096xf32>
}

// ij,kj->jik: B (kj) is read along the output's contiguous loop k through
// its first dimension; it is small (a quarter of the output at most), so it
// is first copied with k innermost (a transposing copy, in vectors), then
// read as vectors, and the copy is freed.
// CHECK-LABEL: func.func @small_input_copied
// CHECK-SAME: (%[[A:.*]]: memref<8x20xf32>, %[[B:.*]]: memref<32x20xf32>, %[[Z:.*]]: memref<20x8x32xf32>)
// CHECK: %[[COPY:.*]] = memref.alloc() {alignment = 64 : i64} : memref<20x32xf32>
// CHECK-NOT: linalg.transpose
// CHECK: vector.load %[[COPY]]
// CHECK: vector.store %{{.*}}, %[[Z]]
// CHECK: memref.dealloc %[[COPY]]
// CHECK-NOT: linalg.generic
#mA = affine_map<(j, i, k) -> (i, j)>
#mB = affine_map<(j, i, k) -> (k, j)>
#mO = affine_map<(j, i, k) -> (j, i, k)>
func.func @small_input_copied(%a: memref<8x20xf32>, %b: memref<32x20xf32>, %z: memref<20x8x32xf32>) {
  linalg.generic {indexing_maps = [#mA, #mB, #mO], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%a, %b : memref<8x20xf32>, memref<32x20xf32>) outs(%z : memref<20x8x32xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %p = arith.mulf %x, %y : f32
    linalg.yield %p : f32
  }
  return
}

// ij,ji->ij: B is as large as the output, read along the output's
// contiguous loop j through its first dimension. From 2^17 elements on it
// is copied transposed (in vectors) whatever its size; a smaller one (in
// L2) is not, and the map stays element by element.
// CHECK-LABEL: func.func @large_transposed_input
// CHECK-SAME: (%[[A:.*]]: memref<512x512xf32>, %[[B:.*]]: memref<512x512xf32>, %[[Z:.*]]: memref<512x512xf32>)
// CHECK: %[[COPY:.*]] = memref.alloc() {alignment = 64 : i64} : memref<512x512xf32>
// CHECK-NOT: linalg.transpose
// CHECK: %[[X:.*]] = vector.load %[[A]]
// CHECK: %[[Y:.*]] = vector.load %[[COPY]]
// CHECK: arith.mulf %[[X]], %[[Y]] : vector<16xf32>
// CHECK: memref.dealloc %[[COPY]]
// CHECK-NOT: linalg.generic
// CHECK-LABEL: func.func @small_transposed_input
// CHECK-NOT: memref.alloc
// CHECK: linalg.generic
#tA = affine_map<(i, j) -> (i, j)>
#tB = affine_map<(i, j) -> (j, i)>
func.func @large_transposed_input(%a: memref<512x512xf32>, %b: memref<512x512xf32>, %z: memref<512x512xf32>) {
  linalg.generic {indexing_maps = [#tA, #tB, #tA], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : memref<512x512xf32>, memref<512x512xf32>) outs(%z : memref<512x512xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %p = arith.mulf %x, %y : f32
    linalg.yield %p : f32
  }
  return
}
func.func @small_transposed_input(%a: memref<300x200xf32>, %b: memref<200x300xf32>, %z: memref<300x200xf32>) {
  linalg.generic {indexing_maps = [#tA, #tB, #tA], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : memref<300x200xf32>, memref<200x300xf32>) outs(%z : memref<300x200xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %p = arith.mulf %x, %y : f32
    linalg.yield %p : f32
  }
  return
}
