// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions,canonicalize)' | FileCheck %s
// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{parallel=true},canonicalize)' | FileCheck %s --check-prefix=PAR

// Sums no kernel covers keep their partial sums in registers, each
// reduction level (and each 1024-term chunk of a long loop) from zero, and
// add the result to the output once (docs/Numerics.md). The innermost loop
// keeps 8 partial sums (independent chains of additions), added pairwise,
// then the steps past the last group of 8. The inputs here are strided
// views, contiguous along no loop, so the loops stay scalar (sums along a
// contiguous loop are vectorized: vector-sums.mlir).

// A long row sum: 5000 terms in chunks of 1024.
#in = affine_map<(i, j) -> (i, j)>
#out = affine_map<(i, j) -> (i)>
// CHECK-LABEL: func.func @row_sums
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[C1024:.*]] = arith.constant 1024 : index
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK:   %[[SUM:.*]] = scf.for %[[J0:.*]] = %{{.*}} to %{{.*}} step %[[C1024]] iter_args(%[[TOTAL:.*]] = %[[ZERO]]) -> (f32)
// CHECK:     %[[END:.*]] = arith.minsi
// CHECK:     %[[GROUPS:.*]] = arith.divui %{{.*}}, %[[C8:.*]] : index
// CHECK:     %[[WHOLE:.*]] = arith.addi %[[J0]], %{{.*}} : index
// CHECK:     %[[P:.*]]:8 = scf.for %[[J:.*]] = %[[J0]] to %[[WHOLE]] step %[[C8]] iter_args(%[[A0:[^ ]*]] = %[[ZERO]], %[[A1:[^ ]*]] = %[[ZERO]], {{.*}}) -> (f32, f32, f32, f32, f32, f32, f32, f32)
// CHECK:       %[[X0:.*]] = memref.load %{{.*}}[%[[I]], %[[J]]]
// CHECK:       %[[S0:.*]] = arith.addf %[[A0]], %[[X0]] : f32
// CHECK:       %[[J1:.*]] = arith.addi %[[J]], %c1
// CHECK:       %[[X1:.*]] = memref.load %{{.*}}[%[[I]], %[[J1]]]
// CHECK:       %[[S1:.*]] = arith.addf %[[A1]], %[[X1]] : f32
// CHECK-COUNT-6: memref.load
// CHECK:       scf.yield %[[S0]], %[[S1]],
// CHECK:     %[[P01:.*]] = arith.addf %[[P]]#0, %[[P]]#1 : f32
// CHECK:     %[[P23:.*]] = arith.addf %[[P]]#2, %[[P]]#3 : f32
// CHECK:     %[[P45:.*]] = arith.addf %[[P]]#4, %[[P]]#5 : f32
// CHECK:     %[[P67:.*]] = arith.addf %[[P]]#6, %[[P]]#7 : f32
// CHECK:     %[[P03:.*]] = arith.addf %[[P01]], %[[P23]] : f32
// CHECK:     %[[P47:.*]] = arith.addf %[[P45]], %[[P67]] : f32
// CHECK:     %[[GROUPED:.*]] = arith.addf %[[P03]], %[[P47]] : f32
// CHECK:     %[[REST:.*]] = scf.for %[[K:.*]] = %[[WHOLE]] to %[[END]] step %c1 iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (f32)
// CHECK:       %[[X:.*]] = memref.load %{{.*}}[%[[I]], %[[K]]]
// CHECK:       %[[NEXT:.*]] = arith.addf %[[ACC]], %[[X]] : f32
// CHECK:       scf.yield %[[NEXT]]
// CHECK:     %[[CHUNK:.*]] = arith.addf %[[GROUPED]], %[[REST]] : f32
// CHECK:     arith.addf %[[TOTAL]], %[[CHUNK]] : f32
// CHECK:   %[[OLD:.*]] = memref.load %{{.*}}[%[[I]]]
// CHECK:   %[[NEW:.*]] = arith.addf %[[OLD]], %[[SUM]] : f32
// CHECK:   memref.store %[[NEW]], %{{.*}}[%[[I]]]
// CHECK-NOT: linalg.generic
func.func @row_sums(%a: memref<3x5000xf32, strided<[1, 3]>>, %r: memref<3xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<3x5000xf32, strided<[1, 3]>>) outs(%r : memref<3xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A sum over three short loops: three levels, each from zero (no chunks).
#a3 = affine_map<(i, j, k) -> (i, j, k)>
#s3 = affine_map<(i, j, k) -> ()>
// CHECK-LABEL: func.func @total
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK: %[[S:.*]] = scf.for {{.*}} iter_args(%[[A:.*]] = %[[ZERO]]) -> (f64)
// CHECK:   %[[SJ:.*]] = scf.for {{.*}} iter_args(%[[B:.*]] = %[[ZERO]]) -> (f64)
// CHECK:     %[[P:.*]]:8 = scf.for {{.*}} step %c8 iter_args({{.*}}) -> (f64, f64, f64, f64, f64, f64, f64, f64)
// CHECK:       memref.load
// CHECK:     %[[R:.*]] = scf.for {{.*}} iter_args(%[[C:.*]] = %[[ZERO]]) -> (f64)
// CHECK:       memref.load
// CHECK:     %[[SK:.*]] = arith.addf %{{.*}}, %[[R]] : f64
// CHECK:     arith.addf %[[B]], %[[SK]] : f64
// CHECK:   arith.addf %[[A]], %[[SJ]] : f64
// CHECK: %[[OLD:.*]] = memref.load %{{.*}}[] : memref<f64>
// CHECK: arith.addf %[[OLD]], %[[S]] : f64
// CHECK-NOT: step %c1024
func.func @total(%a: memref<10x20x30xf64, strided<[1, 10, 200]>>, %r: memref<f64>) {
  linalg.generic {indexing_maps = [#a3, #s3], iterator_types = ["reduction", "reduction", "reduction"]}
      ins(%a : memref<10x20x30xf64, strided<[1, 10, 200]>>) outs(%r : memref<f64>) {
  ^bb0(%x: f64, %acc: f64):
    %s = arith.addf %x, %acc : f64
    linalg.yield %s : f64
  }
  return
}

// -----

// A fused three-operand contraction with dynamic sizes (i,ij,i->): the
// body's product is cloned into the innermost loop; both loops may be long,
// so both are chunked.
#x = affine_map<(i, j) -> (i)>
#m = affine_map<(i, j) -> (i, j)>
#o = affine_map<(i, j) -> ()>
// CHECK-LABEL: func.func @three
// CHECK: scf.for {{.*}} step %[[C1024:.*]] iter_args
// CHECK:   scf.for
// CHECK:     scf.for {{.*}} step %[[C1024]] iter_args
// CHECK:       scf.for
// CHECK:         %[[A:.*]] = memref.load %arg0
// CHECK:         %[[B:.*]] = memref.load %arg1
// CHECK:         %[[C:.*]] = memref.load %arg2
// CHECK:         %[[P:.*]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK:         %[[Q:.*]] = arith.mulf %[[P]], %[[C]] : f32
// CHECK:         arith.addf %{{.*}}, %[[Q]] : f32
// CHECK-NOT: linalg.generic
func.func @three(%x: memref<?xf32>, %m: memref<?x?xf32, strided<[1, ?]>>, %y: memref<?xf32>, %r: memref<f32>) {
  linalg.generic {indexing_maps = [#x, #m, #x, #o], iterator_types = ["reduction", "reduction"]}
      ins(%x, %m, %y : memref<?xf32>, memref<?x?xf32, strided<[1, ?]>>, memref<?xf32>) outs(%r : memref<f32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %q = arith.mulf %p, %c : f32
    %s = arith.addf %acc, %q : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Large enough for threads: with parallel=true the outermost (parallel)
// loop becomes an scf.parallel; the reductions stay serial inside.
#in = affine_map<(i, j) -> (i, j)>
#out = affine_map<(i, j) -> (i)>
// CHECK-LABEL: func.func @big_row_sums
// CHECK-NOT: scf.parallel
// PAR-LABEL: func.func @big_row_sums
// PAR: scf.parallel
// PAR:   scf.for {{.*}} iter_args
func.func @big_row_sums(%a: memref<2048x1024xf32, strided<[1, 2048]>>, %r: memref<2048xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<2048x1024xf32, strided<[1, 2048]>>) outs(%r : memref<2048xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Left alone: a maximum (not a sum), and a body that reads the output
// twice.
#in = affine_map<(i, j) -> (i, j)>
#out = affine_map<(i, j) -> (i)>
// CHECK-LABEL: func.func @row_max
// CHECK: linalg.generic
func.func @row_max(%a: memref<3x50xf32>, %r: memref<3xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<3x50xf32>) outs(%r : memref<3xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.maximumf %acc, %x : f32
    linalg.yield %s : f32
  }
  return
}
// CHECK-LABEL: func.func @reads_output
// CHECK: linalg.generic
func.func @reads_output(%a: memref<3x50xf32>, %r: memref<3xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<3x50xf32>) outs(%r : memref<3xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %p = arith.mulf %acc, %x : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
