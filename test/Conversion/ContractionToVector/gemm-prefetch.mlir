// RUN: ein-opt %s --pass-pipeline='builtin.module(ein-vectorize-contractions{small-gemm-work=0 inline-single-use=false mr=12})' | FileCheck %s

// The tile function's three prefetch streams: each is an operand and a
// range of its elements, a few lines of which each tile prefetches before
// its k loop: A and B read (what the next packing calls copy), C for
// writing (the next row block's tiles).
#mA = affine_map<(b, i, j, k) -> (b, i, k)>
#mB = affine_map<(b, i, j, k) -> (b, k, j)>
#mC = affine_map<(b, i, j, k) -> (b, i, j)>
// CHECK-LABEL: func.func @bmm
// CHECK-SAME: (%[[A:[^:]*]]: memref<8x64x64xf32>, %[[B:[^:]*]]: memref<8x64x64xf32>, %[[C:[^:]*]]: memref<8x64x64xf32>)
// CHECK-DAG: %[[FA:.*]] = memref.collapse_shape %[[A]]
// CHECK-DAG: %[[FB:.*]] = memref.collapse_shape %[[B]]
// CHECK-DAG: %[[FC:.*]] = memref.collapse_shape %[[C]]
// The next batch (when there is one) is this one plus one:
// CHECK: %[[NEXT:.*]] = arith.addi %{{.*}}, %c1
// CHECK: %[[HAS:.*]] = arith.cmpi slt, %[[NEXT]], %{{.*}} : index
// CHECK: arith.select %[[HAS]], %[[NEXT]]
// The tile call's C, then the streams' operands:
// CHECK: memref.cast %[[FC]] : memref<32768xf32> to memref<?xf32, strided<[1], offset: ?>>
// CHECK-NEXT: %[[SA:.*]] = memref.cast %[[FA]] : memref<32768xf32> to memref<?xf32, strided<[1], offset: ?>>
// CHECK-NEXT: %[[SB:.*]] = memref.cast %[[FB]] : memref<32768xf32> to memref<?xf32, strided<[1], offset: ?>>
// CHECK-NEXT: %[[SC:.*]] = memref.cast %[[FC]] : memref<32768xf32> to memref<?xf32, strided<[1], offset: ?>>
// CHECK-NEXT: call @__ein_gemm_tiles_f32_12x32_rows64({{.*}}, %false, %[[SA]], %{{.*}}, %{{.*}}, %[[SB]], %{{.*}}, %{{.*}}, %[[SC]], %{{.*}}, %{{.*}})
// CHECK: func.func private @__ein_gemm_tiles_f32_12x32_rows64({{.*}}: i1, %[[PA:[^:]*]]: memref<?xf32, strided<[1], offset: ?>>, %{{[^:]*}}: index, %{{[^:]*}}: index, %[[PB:[^:]*]]: memref<?xf32, strided<[1], offset: ?>>, %{{[^:]*}}: index, %{{[^:]*}}: index, %[[PC:[^:]*]]: memref<?xf32, strided<[1], offset: ?>>, %{{[^:]*}}: index, %{{[^:]*}}: index)
// CHECK: scf.for
// CHECK: scf.for
// CHECK: memref.prefetch %[[PA]][%{{.*}}], read, locality<3>, data
// CHECK: memref.prefetch %[[PB]][%{{.*}}], read, locality<3>, data
// CHECK: memref.prefetch %[[PC]][%{{.*}}], write, locality<3>, data
// CHECK: scf.for {{.*}} iter_args
func.func @bmm(%a: memref<8x64x64xf32>, %b: memref<8x64x64xf32>, %c: memref<8x64x64xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<8x64x64xf32>, memref<8x64x64xf32>)
      outs(%c : memref<8x64x64xf32>)
  return
}
