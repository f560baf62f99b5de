// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{parallel=true},canonicalize)' | FileCheck %s

// How row-vector products (x_i m_ij -> y_j) share their work between
// threads.

// Up to 64 KiB of output columns (2500 f64) and a depth of 1024 rows: the
// threads take slices of 512 whole rows (each streamed contiguously) into
// their own partial rows, added to the output in order afterwards.
#mA = affine_map<(j, i) -> (i)>
#mB = affine_map<(j, i) -> (i, j)>
#mC = affine_map<(j, i) -> (j)>
// CHECK-LABEL: func.func @wide_sliced_row_vector
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK: %[[PARTS:.*]] = memref.alloc() {alignment = 64 : i64} : memref<5000xf64>
// CHECK: scf.parallel (%{{.*}}) = (%[[C0]]) to (%[[C2]]) step (%[[C1]])
// CHECK:   vector.store %{{.*}}, %[[PARTS]]
// CHECK:   vector.fma
// CHECK: scf.reduce
// CHECK: scf.for %{{.*}} = %[[C0]] to %[[C2]] step %[[C1]] iter_args(%{{.*}} = %{{.*}}) -> (vector<8xf64>)
// CHECK:   vector.load %[[PARTS]]
// CHECK: memref.dealloc %[[PARTS]]
func.func @wide_sliced_row_vector(%x: memref<1024xf64>, %m: memref<1024x2500xf64>, %y: memref<2500xf64>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%x, %m : memref<1024xf64>, memref<1024x2500xf64>)
      outs(%y : memref<2500xf64>)
  return
}

// -----

// Too short a depth to slice and 9000 f64 columns: an even number of
// equal blocks of columns, 6 x 1504 (not 4 x 2048 + 808, which left one of
// two threads a block and a half of work and the other two blocks).
#mA = affine_map<(j, i) -> (i)>
#mB = affine_map<(j, i) -> (i, j)>
#mC = affine_map<(j, i) -> (j)>
// CHECK-LABEL: func.func @even_column_blocks
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[STEP:.*]] = arith.constant 1504 : index
// CHECK-DAG: %[[N:.*]] = arith.constant 9000 : index
// CHECK: scf.parallel (%{{.*}}) = (%[[C0]]) to (%[[N]]) step (%[[STEP]])
// CHECK:   vector.fma
func.func @even_column_blocks(%x: memref<500xf64>, %m: memref<500x9000xf64>, %y: memref<9000xf64>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%x, %m : memref<500xf64>, memref<500x9000xf64>)
      outs(%y : memref<9000xf64>)
  return
}
