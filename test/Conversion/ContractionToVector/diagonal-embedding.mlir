// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions,canonicalize)' | FileCheck %s
// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{parallel=true},canonicalize)' | FileCheck %s --check-prefix=PAR

// A diagonal embedding (ein-to-linalg's `i->ii`: out[i, j] = i == j ?
// in[i] : 0) is a zero fill of the output and one store per input element
// on the diagonal, not a select per output element.
#in = affine_map<(i, j) -> (i)>
#out = affine_map<(i, j) -> (i, j)>
// CHECK-LABEL: func.func @embed
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: linalg.fill ins(%[[ZERO]] : f32) outs(%arg1 : memref<1024x1024xf32>)
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK:   %[[X:.*]] = memref.load %arg0[%[[I]]]
// CHECK:   memref.store %[[X]], %arg1[%[[I]], %[[I]]]
// CHECK-NOT: arith.select
// PAR-LABEL: func.func @embed
// PAR: scf.parallel
// PAR: memref.store %{{.*}}, %arg1[%[[I:.*]], %[[I]]]
func.func @embed(%a: memref<1024xf32>, %r: memref<1024x1024xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<1024xf32>) outs(%r : memref<1024x1024xf32>) {
  ^bb0(%x: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %eq = arith.cmpi eq, %i, %j : index
    %v = arith.select %eq, %x, %zero : f32
    linalg.yield %v : f32
  }
  return
}

// -----

// Two repeated labels (`ij->ijij`-like: out[i, j, k, l] with k == i and
// l == j), f64, dynamic sizes.
#in2 = affine_map<(i, j, k, l) -> (i, j)>
#out2 = affine_map<(i, j, k, l) -> (i, j, k, l)>
// CHECK-LABEL: func.func @embed_two
// CHECK: linalg.fill
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK:   scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step
// CHECK:     %[[X:.*]] = memref.load %arg0[%[[I]], %[[J]]] : memref<?x?xf64>
// CHECK:     memref.store %[[X]], %arg1[%[[I]], %[[J]], %[[I]], %[[J]]]
func.func @embed_two(%a: memref<?x?xf64>, %r: memref<?x?x?x?xf64>) {
  linalg.generic {indexing_maps = [#in2, #out2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%a : memref<?x?xf64>) outs(%r : memref<?x?x?x?xf64>) {
  ^bb0(%x: f64, %o: f64):
    %zero = arith.constant 0.0 : f64
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %k = linalg.index 2 : index
    %l = linalg.index 3 : index
    %e1 = arith.cmpi eq, %i, %k : index
    %e2 = arith.cmpi eq, %j, %l : index
    %eq = arith.andi %e1, %e2 : i1
    %v = arith.select %eq, %x, %zero : f64
    linalg.yield %v : f64
  }
  return
}

// -----

// Not embeddings: another value off the diagonal, and a loop that no
// equality ties to the input (a broadcast) stay selects.
#in3 = affine_map<(i, j) -> (i)>
#out3 = affine_map<(i, j) -> (i, j)>
#in4 = affine_map<(i, j, k) -> (i)>
#out4 = affine_map<(i, j, k) -> (i, j, k)>
// CHECK-LABEL: func.func @not_embeddings
// CHECK-NOT: memref.store %{{.*}}, %arg2[%[[I:.*]], %[[I]]]
// CHECK: arith.select
// CHECK: arith.select
func.func @not_embeddings(%a: memref<16xf32>, %b: memref<16xf32>, %r: memref<16x16xf32>, %s: memref<16x16x16xf32>) {
  linalg.generic {indexing_maps = [#in3, #out3], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<16xf32>) outs(%r : memref<16x16xf32>) {
  ^bb0(%x: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %eq = arith.cmpi eq, %i, %j : index
    %v = arith.select %eq, %x, %one : f32
    linalg.yield %v : f32
  }
  linalg.generic {indexing_maps = [#in4, #out4], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%b : memref<16xf32>) outs(%s : memref<16x16x16xf32>) {
  ^bb0(%x: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %eq = arith.cmpi eq, %i, %j : index
    %v = arith.select %eq, %x, %zero : f32
    linalg.yield %v : f32
  }
  return
}
