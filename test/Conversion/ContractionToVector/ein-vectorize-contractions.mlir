// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{small-gemm-work=0})' | FileCheck %s
// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{parallel=true small-gemm-work=0})' | FileCheck %s --check-prefix=PAR
// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{small-gemm-work=0 inline-single-use=false})' | FileCheck %s --check-prefix=SHARED
// (small-gemm-work=0: the small shapes here test the packed GEMM; small
// GEMMs as row-vector products: small-gemm.mlir.)

#mA = affine_map<(i, j, k) -> (i, k)>
#mB = affine_map<(i, j, k) -> (k, j)>
#mC = affine_map<(i, j, k) -> (i, j)>

// A GEMM: B packed into 32-wide panels (masked vector loads), A into
// 8-row panels, an 8 x 32 tile of 16 vector<16xf32> accumulators updated by
// vector.fma, C += tile (full tiles unmasked, edges masked).
// CHECK-LABEL: func.func @matmul
// CHECK-NOT: linalg.contract
// CHECK-DAG: memref.alloc() {alignment = 64 : i64} : memref<{{[0-9]+}}xf32>
// CHECK: vector.maskedload
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: vector.broadcast {{.*}} : f32 to vector<16xf32>
// CHECK: vector.fma {{.*}} : vector<16xf32>
// CHECK: vector.maskedstore
// CHECK: memref.dealloc
// PAR-LABEL: func.func @matmul
// PAR: scf.parallel
func.func @matmul(%a: memref<300x200xf32>, %b: memref<200x100xf32>, %c: memref<300x100xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<300x200xf32>, memref<200x100xf32>)
      outs(%c : memref<300x100xf32>)
  return
}

// -----

// f64: 8 lanes, 8 x 16 tiles. The output's innermost label belongs to A
// (`ji` output): A and B swap roles instead of transposing anything.
#mA = affine_map<(i, j, k) -> (i, k)>
#mB = affine_map<(i, j, k) -> (k, j)>
#mC = affine_map<(i, j, k) -> (j, i)>
// CHECK-LABEL: func.func @f64_swapped
// CHECK-NOT: linalg.transpose
// CHECK: vector.fma {{.*}} : vector<8xf64>
// PAR-LABEL: func.func @f64_swapped
// PAR-NOT: scf.parallel
func.func @f64_swapped(%a: memref<13x5xf64>, %b: memref<5x33xf64>, %c: memref<33x13xf64>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<13x5xf64>, memref<5x33xf64>)
      outs(%c : memref<33x13xf64>)
  return
}

// -----

// abcd,dcef->abef: the depth labels (c, d) are in opposite orders in A and
// B, so B is copied once (transposed) into A's depth order, columns last
// (in vectors along the innermost dimension, which the copy keeps), then
// packed; the copy is freed after the kernel.
#mA = affine_map<(a, b, c, d, e, f) -> (a, b, c, d)>
#mB = affine_map<(a, b, c, d, e, f) -> (d, c, e, f)>
#mC = affine_map<(a, b, c, d, e, f) -> (a, b, e, f)>
// CHECK-LABEL: func.func @depth_order
// CHECK: %[[COPY:.*]] = memref.alloc() {alignment = 64 : i64} : memref<6x7x3x2xf32>
// CHECK-NOT: linalg.transpose
// CHECK: vector.maskedstore %[[COPY]]
// CHECK: vector.fma
// CHECK: memref.dealloc %[[COPY]]
func.func @depth_order(%a: memref<4x5x6x7xf32>, %b: memref<7x6x3x2xf32>, %c: memref<4x5x3x2xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<4x5x6x7xf32>, memref<7x6x3x2xf32>)
      outs(%c : memref<4x5x3x2xf32>)
  return
}

// -----

// One output row with contiguous matrix rows: the row-vector kernel (no
// packing, four rows of B per pass, masked edges).
#mA = affine_map<(j, i) -> (i)>
#mB = affine_map<(j, i) -> (i, j)>
#mC = affine_map<(j, i) -> (j)>
// CHECK-LABEL: func.func @row_vector
// CHECK-NOT: memref.alloc
// CHECK: vector.broadcast
// CHECK: vector.fma {{.*}} : vector<16xf32>
// CHECK-NOT: vector.reduction
// CHECK: return
func.func @row_vector(%x: memref<70xf32>, %m: memref<70x50xf32>, %y: memref<50xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%x, %m : memref<70xf32>, memref<70x50xf32>)
      outs(%y : memref<50xf32>)
  return
}

// -----

// A long row-vector product (600 > 512 rows) sums 512 rows at a time into a
// zeroed partial row, which is then added to the output: no output element
// is one running sum over all rows.
#mA = affine_map<(j, i) -> (i)>
#mB = affine_map<(j, i) -> (i, j)>
#mC = affine_map<(j, i) -> (j)>
// CHECK-LABEL: func.func @long_row_vector
// CHECK: %[[PART:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C512:.*]] {
// CHECK: vector.store %{{.*}}, %[[PART]]
// CHECK: vector.fma
// CHECK: vector.store %{{.*}}, %[[PART]]
// CHECK: %[[OLD:.*]] = vector.load %{{.*}} : memref<50xf32>, vector<16xf32>
// CHECK: %[[NEW:.*]] = vector.load %[[PART]]
// CHECK: arith.addf %[[OLD]], %[[NEW]] : vector<16xf32>
// CHECK: memref.dealloc %[[PART]]
func.func @long_row_vector(%x: memref<600xf32>, %m: memref<600x50xf32>, %y: memref<50xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%x, %m : memref<600xf32>, memref<600x50xf32>)
      outs(%y : memref<50xf32>)
  return
}

// -----

// On threads, a long row-vector product with one block of columns (300
// f32) splits its depth: 4096 rows are 8 slices of 512, each summed on a
// thread into its own zeroed partial row, then the 8 partial rows are added
// to the output in order (the sums of the sequential chunks above).
#mA = affine_map<(j, i) -> (i)>
#mB = affine_map<(j, i) -> (i, j)>
#mC = affine_map<(j, i) -> (j)>
// PAR-LABEL: func.func @sliced_row_vector
// PAR: %[[PARTS:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?xf32>
// PAR: scf.parallel (%[[S:.*]]) = (%{{.*}}) to (%{{.*}}) step
// PAR:   %[[BASE:.*]] = arith.muli %[[S]], %{{.*}} : index
// PAR:   %[[K0:.*]] = arith.muli %[[S]], %{{.*}} : index
// PAR:   vector.store %{{.*}}, %[[PARTS]]
// PAR:   vector.fma
// PAR: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (vector<16xf32>)
// PAR:   vector.load %[[PARTS]]
// PAR: memref.dealloc %[[PARTS]]
func.func @sliced_row_vector(%x: memref<4096xf32>, %m: memref<4096x300xf32>, %y: memref<300xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%x, %m : memref<4096xf32>, memref<4096x300xf32>)
      outs(%y : memref<300xf32>)
  return
}

// -----

// Matrix times vector along contiguous rows, and a full dot product into a
// scalar: dot products with vector accumulators and a horizontal sum. The
// matrix's rows are short (200 bytes): each vector of them is prefetched
// 8 KiB (2048 f32) ahead, at most up to its last element.
#mA = affine_map<(i, j) -> (i, j)>
#mB = affine_map<(i, j) -> (j)>
#mC = affine_map<(i, j) -> (i)>
// CHECK-LABEL: func.func @matvec
// CHECK: %[[DIM:.*]] = memref.dim %[[M:.*]], %{{.*}} : memref<3500xf32>
// CHECK: %[[LAST:.*]] = arith.subi %[[DIM]], %{{.*}} : index
// CHECK: %[[AHEAD:.*]] = arith.addi %{{.*}}, %c2048 : index
// CHECK: %[[CLAMPED:.*]] = arith.minsi %[[AHEAD]], %[[LAST]] : index
// CHECK: memref.prefetch %[[M]][%[[CLAMPED]]], read, locality<3>, data : memref<3500xf32>
// CHECK: vector.load %[[M]][%{{.*}}] : memref<3500xf32>, vector<16xf32>
// CHECK: vector.fma {{.*}} : vector<16xf32>
// CHECK: vector.reduction <add>
func.func @matvec(%m: memref<70x50xf32>, %x: memref<50xf32>, %y: memref<70xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%m, %x : memref<70x50xf32>, memref<50xf32>)
      outs(%y : memref<70xf32>)
  return
}

#dA = affine_map<(i) -> (i)>
#dC = affine_map<(i) -> ()>
// CHECK-LABEL: func.func @dot
// CHECK: memref.expand_shape {{.*}} : memref<f32> into memref<1xf32>
// CHECK: vector.reduction <add>
func.func @dot(%x: memref<77xf32>, %y: memref<77xf32>, %r: memref<f32>) {
  linalg.contract indexing_maps = [#dA, #dA, #dC]
      ins(%x, %y : memref<77xf32>, memref<77xf32>)
      outs(%r : memref<f32>)
  return
}

// A long dot product: its vector accumulators sum chunks of 128 steps
// (4096 elements) from zero, each chunk then added to running totals. Its
// rows are long: no prefetches (the hardware's suffice).
// CHECK-LABEL: func.func @long_dot
// CHECK-NOT: memref.prefetch
// CHECK: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK: scf.for %[[C0:.*]] = %{{.*}} to %{{.*}} step %c4096 iter_args(%[[T0:[^ ]*]] = %[[ZERO]], %[[T1:[^ ]*]] = %[[ZERO]]
// CHECK:   %[[END:.*]] = arith.minsi
// CHECK:   %[[PART:.*]]:{{[0-9]+}} = scf.for %{{.*}} = %[[C0]] to %[[END]] step %c32 iter_args(%{{[^ ]*}} = %[[ZERO]], %{{[^ ]*}} = %[[ZERO]]
// CHECK:     vector.fma
// CHECK:   arith.addf %[[T0]], %[[PART]]#0 : vector<16xf32>
// CHECK:   arith.addf %[[T1]], %[[PART]]#1 : vector<16xf32>
// CHECK: vector.reduction <add>
func.func @long_dot(%x: memref<10000xf32>, %y: memref<10000xf32>, %r: memref<f32>) {
  linalg.contract indexing_maps = [#dA, #dA, #dC]
      ins(%x, %y : memref<10000xf32>, memref<10000xf32>)
      outs(%r : memref<f32>)
  return
}

// -----

// Left alone: integer elements, a label summed in one operand only, tensors.
#mA = affine_map<(i, j, k) -> (i, k)>
#mB = affine_map<(i, j, k) -> (k, j)>
#mC = affine_map<(i, j, k) -> (i, j)>
// CHECK-LABEL: func.func @integers
// CHECK: linalg.contract
func.func @integers(%a: memref<30x20xi32>, %b: memref<20x10xi32>, %c: memref<30x10xi32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<30x20xi32>, memref<20x10xi32>)
      outs(%c : memref<30x10xi32>)
  return
}

// CHECK-LABEL: func.func @tensors
// CHECK: linalg.contract
func.func @tensors(%a: tensor<30x20xf32>, %b: tensor<20x10xf32>, %c: tensor<30x10xf32>) -> tensor<30x10xf32> {
  %r = linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : tensor<30x20xf32>, tensor<20x10xf32>)
      outs(%c : tensor<30x10xf32>) -> tensor<30x10xf32>
  return %r : tensor<30x10xf32>
}

// -----

// Not a plain product (exp of an input; linalg's contraction interface
// accepts unary ops on the inputs): no GEMM kernel, which would drop the
// exp; the sum lowering keeps it.
#a = affine_map<(i, j, k) -> (i, k)>
#b = affine_map<(i, j, k) -> (k, j)>
#c = affine_map<(i, j, k) -> (i, j)>
// CHECK-LABEL: func.func @exp_times_b
// CHECK-NOT: vector.fma
// CHECK: math.exp
// CHECK-NOT: vector.fma
func.func @exp_times_b(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %c: memref<64x64xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<64x64xf32>, memref<64x64xf32>) outs(%c : memref<64x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %e = math.exp %x : f32
    %p = arith.mulf %e, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A row-major A (depth innermost) is packed by rows: 56 rows (50 rounded up
// to 8-row panels, zeros past 50) of 40 elements at a pitch of 64 (the
// pitch is 64, 128 or the depth block, so that GEMMs of different depths
// share a tile function), each copied in vectors; the micro-kernel
// broadcasts row r of a panel from r * 64 (row 7: 448).
// CHECK-LABEL: func.func @row_packed_a
// CHECK: %[[A:.*]] = memref.collapse_shape %arg0 {{.*}} into memref<2000xf32>
// (The packing and tile code is inlined from the functions that one GEMM
// alone used, reading through casts to their dynamic argument types until
// canonicalization.)
// CHECK: %[[AP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<3584xf32>
// CHECK: %[[APC:.*]] = memref.cast %[[AP]] : memref<3584xf32> to memref<?xf32>
// CHECK: %[[AC:.*]] = memref.cast %[[A]] : memref<2000xf32> to memref<?xf32, strided<[1], offset: ?>>
// CHECK: arith.ceildivsi %{{.*}}, %{{.*}} : index
// CHECK: scf.for
// CHECK:   scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c16
// CHECK:     scf.if
// CHECK:       %[[ROW:.*]] = vector.maskedload %[[AC]][%{{.*}}], %[[M:.*]], %{{.*}} : memref<?xf32, strided<[1], offset: ?>>
// CHECK:       vector.maskedstore %[[APC]][%{{.*}}], %[[M]], %[[ROW]]
// CHECK:     } else {
// CHECK:       vector.maskedstore %[[APC]]
// CHECK: %[[APT:.*]] = memref.cast %[[AP]] : memref<3584xf32> to memref<?xf32>
// CHECK: scf.for {{.*}} iter_args
// CHECK:   memref.load %[[APT]]
// CHECK:   arith.constant 448 : index
// CHECK:   memref.load %[[APT]]
// CHECK-NOT: func.func private
#mA = affine_map<(i, j, k) -> (i, k)>
#mB = affine_map<(i, j, k) -> (k, j)>
#mC = affine_map<(i, j, k) -> (i, j)>
func.func @row_packed_a(%a: memref<50x40xf32>, %b: memref<40x20xf32>, %c: memref<50x20xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<50x40xf32>, memref<40x20xf32>)
      outs(%c : memref<50x20xf32>)
  return
}

// -----

// An N-major B (A B^T: depth innermost) is packed 16 x 16 blocks at a time:
// 16 masked row loads (one per column of B), a transpose in registers (four
// stages of two-source shuffles: elements, then pairs interleaved within
// 128-bit lanes, then even and odd lanes twice), 16 stores of panel rows
// (each only when inside the depth block).
// CHECK-LABEL: func.func @depth_major_b
// CHECK: %[[B:.*]] = memref.collapse_shape %arg1 {{.*}} into memref<1200xf32>
// CHECK: %[[BC:.*]] = memref.cast %[[B]] : memref<1200xf32> to memref<?xf32, strided<[1], offset: ?>>
// CHECK: vector.maskedload %[[BC]]
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29] : vector<16xf32>, vector<16xf32>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [2, 18, 3, 19, 6, 22, 7, 23, 10, 26, 11, 27, 14, 30, 15, 31] : vector<16xf32>, vector<16xf32>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29] : vector<16xf32>, vector<16xf32>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27] : vector<16xf32>, vector<16xf32>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31] : vector<16xf32>, vector<16xf32>
// CHECK: scf.if
// CHECK:   vector.store
#mA = affine_map<(i, k, j) -> (i, j)>
#mB = affine_map<(i, k, j) -> (k, j)>
#mC = affine_map<(i, k, j) -> (i, k)>
func.func @depth_major_b(%a: memref<20x40xf32>, %b: memref<30x40xf32>, %c: memref<20x30xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<20x40xf32>, memref<30x40xf32>)
      outs(%c : memref<20x30xf32>)
  return
}

// -----

// A whole panel of an N-major B at least one block deep packs its last 16
// depths as a whole block too, at depth kc - 16 (40: blocks at 0, 16 and
// 24, the last overlapping the one before), with plain loads and stores;
// masked loads only for panels past N's end or less than a block deep.
// SHARED-LABEL: func.func @depth_major_b_overlap
// SHARED: func.func private @__ein_gemm_pack_b_k_f32_8x32(
// SHARED: %[[DEEP:.*]] = arith.cmpi sge, %[[KC:[^,]*]], %c16
// SHARED: %[[WHOLE:.*]] = arith.andi %{{.*}}, %[[DEEP]]
// SHARED: scf.if %[[WHOLE]] {
// SHARED-NOT: vector.maskedload
// SHARED: scf.if
// SHARED-NOT: vector.maskedload
// SHARED: arith.subi %[[KC]], %c16
// SHARED-NOT: vector.maskedload
// SHARED: vector.load
// SHARED-NOT: vector.maskedload
// SHARED: } else {
// SHARED: vector.maskedload
#mA = affine_map<(i, k, j) -> (i, j)>
#mB = affine_map<(i, k, j) -> (k, j)>
#mC = affine_map<(i, k, j) -> (i, k)>
func.func @depth_major_b_overlap(%a: memref<20x40xf32>, %b: memref<64x40xf32>, %c: memref<20x64xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<20x40xf32>, memref<64x40xf32>)
      outs(%c : memref<20x64xf32>)
  return
}

// -----

// A small output whose innermost group fills 8 of the tile's 32 columns
// (24 x 8, 10000 deep: a VJP of cba,ad->dcb) is computed the other way
// round in a copy, 8 x 24 (24 of 32 columns; A's depth and B's columns
// unit-stride, packed plainly), then transposed into place. At 24 x 24
// neither way fills more: no copy.
// SHARED-LABEL: func.func @narrow_output_transposed
// SHARED: memref.alloc() {alignment = 64 : i64} : memref<8x24xf32>
// SHARED: call @__ein_gemm_pack_b_n_f32_8x32(
// SHARED: call @__ein_gemm_pack_a_rows256_f32_8x32(
// SHARED: call @__ein_gemm_tiles_f32_8x32_rows256(
// SHARED: call @__ein_transpose_f32_x16(
// SHARED-LABEL: func.func @wide_enough
// SHARED-NOT: memref<24x24xf32> = memref.alloc
// SHARED-NOT: call @__ein_transpose
// SHARED: call @__ein_gemm_pack_b_k_f32_8x32(
// SHARED-NOT: call @__ein_transpose
// SHARED: return
#mG = affine_map<(i, j, k) -> (j, k)>
#mA = affine_map<(i, j, k) -> (k, i)>
#mC = affine_map<(i, j, k) -> (i, j)>
func.func @narrow_output_transposed(%g: memref<8x10000xf32>, %a: memref<10000x24xf32>, %c: memref<24x8xf32>) {
  linalg.contract indexing_maps = [#mG, #mA, #mC]
      ins(%g, %a : memref<8x10000xf32>, memref<10000x24xf32>)
      outs(%c : memref<24x8xf32>)
  return
}
func.func @wide_enough(%g: memref<24x10000xf32>, %a: memref<10000x24xf32>, %c: memref<24x24xf32>) {
  linalg.contract indexing_maps = [#mG, #mA, #mC]
      ins(%g, %a : memref<24x10000xf32>, memref<10000x24xf32>)
      outs(%c : memref<24x24xf32>)
  return
}

// -----

// ijb,jkb->ikb: the batch label is innermost in every operand, so neither
// input has unit-stride rows, columns or depth: both are copied to batch,
// own, depth order (packing would gather each element), and the output is
// computed in a batch-outermost copy.
#mA = affine_map<(i, k, b, j) -> (i, j, b)>
#mB = affine_map<(i, k, b, j) -> (j, k, b)>
#mC = affine_map<(i, k, b, j) -> (i, k, b)>
// CHECK-LABEL: func.func @batch_innermost
// CHECK-DAG: memref.alloc() {alignment = 64 : i64} : memref<3x20x9xf32>
// CHECK-DAG: memref.alloc() {alignment = 64 : i64} : memref<3x9x40xf32>
// CHECK-DAG: memref.alloc() {alignment = 64 : i64} : memref<3x20x40xf32>
// CHECK: vector.fma
func.func @batch_innermost(%a: memref<20x9x3xf32>, %b: memref<9x40x3xf32>, %c: memref<20x40x3xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<20x9x3xf32>, memref<9x40x3xf32>)
      outs(%c : memref<20x40x3xf32>)
  return
}

// -----

// bhqd,bhkd->bqhk: the batch labels b, h are split in the output, but each
// batch label has its own strides, so the output is written in place (no
// b,h,q,k copy) and the inputs are used as they are.
#mA = affine_map<(b, q, h, k, d) -> (b, h, q, d)>
#mB = affine_map<(b, q, h, k, d) -> (b, h, k, d)>
#mC = affine_map<(b, q, h, k, d) -> (b, q, h, k)>
// CHECK-LABEL: func.func @batch_split_output
// CHECK-NOT: memref<2x3x20x30xf32>
// CHECK: arith.remui
// CHECK: arith.divui
// CHECK: vector.fma
// CHECK-NOT: memref<2x3x20x30xf32>
// CHECK: return
func.func @batch_split_output(%a: memref<2x3x20x8xf32>, %b: memref<2x3x30x8xf32>, %c: memref<2x20x3x30xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<2x3x20x8xf32>, memref<2x3x30x8xf32>)
      outs(%c : memref<2x20x3x30xf32>)
  return
}

// -----

// deabc,cbfa->fed: A's rows d, e are contiguous in A but in the other order
// in the output; A is larger than the output, so the output is computed in
// a d,e,f copy (and transposed back) instead of copying A.
#mA = affine_map<(f, e, d, a, b, c) -> (d, e, a, b, c)>
#mB = affine_map<(f, e, d, a, b, c) -> (c, b, f, a)>
#mC = affine_map<(f, e, d, a, b, c) -> (f, e, d)>
// CHECK-LABEL: func.func @output_copied_not_input
// CHECK-NOT: memref<4x3x5x6x2xf32>
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<3x4x5xf32>
// CHECK-NOT: memref<4x3x5x6x2xf32>
// CHECK: return
func.func @output_copied_not_input(%a: memref<3x4x5x6x2xf32>, %b: memref<2x6x5x5xf32>, %c: memref<5x4x3xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<3x4x5x6x2xf32>, memref<2x6x5x5xf32>)
      outs(%c : memref<5x4x3xf32>)
  return
}

// -----

// GEMMs of one blocking share the module's tile and packing functions: one
// definition, called by all three (in both functions); the f64 GEMM's,
// used once, are inlined.
#mA = affine_map<(i, j, k) -> (i, k)>
#mB = affine_map<(i, j, k) -> (k, j)>
#mC = affine_map<(i, j, k) -> (i, j)>
// CHECK-LABEL: func.func @shared_first
// CHECK: call @__ein_gemm_tiles_f32_8x32_rows64(
// CHECK: call @__ein_gemm_tiles_f32_8x32_rows64(
// CHECK-LABEL: func.func @shared_second
// CHECK: call @__ein_gemm_tiles_f32_8x32_rows64(
// CHECK-NOT: call
// CHECK: vector.fma {{.*}} : vector<8xf64>
// CHECK: func.func private @__ein_gemm_tiles_f32_8x32_rows64(
// CHECK-NOT: arith.andi
// CHECK: vector.maskedstore
// CHECK-NOT: func.func private @__ein_gemm_tiles_f32_8x32_rows64(
// CHECK-NOT: func.func private @__ein_gemm_tiles_f64
// With inline-single-use=false (the JIT's kernel cache supplies the shared
// functions compiled) the tile function knows no sizes: full 8 x 32 tiles
// (rows and columns both full) store or add their 16 vectors without
// masks (a stored first depth block, %[[STORE]], without reading C), edge
// tiles masked.
// SHARED-LABEL: func.func @shared_first
// SHARED: func.func private @__ein_gemm_tiles_f32_8x32_rows64(%{{[^:]*}}: memref<?xf32>, %{{[^:]*}}: memref<?xf32>, %[[C:[^:]*]]: memref<?xf32, strided<[1], offset: ?>>, {{.*}}, %[[STORE:[^:]*]]: i1, {{.*}})
// SHARED: %[[TILE:.*]]:16 = scf.for
// SHARED: %[[MR:.*]] = arith.cmpi eq, %{{.*}}, %c8
// SHARED: %[[NR:.*]] = arith.cmpi eq, %{{.*}}, %c32
// SHARED: %[[FULL:.*]] = arith.andi %[[MR]], %[[NR]]
// SHARED: scf.if %[[FULL]] {
// SHARED-NEXT: scf.if %[[STORE]] {
// SHARED-NOT: vector.load
// SHARED: vector.store %[[TILE]]#0, %[[C]]
// SHARED-NOT: vector.load
// SHARED: vector.store %[[TILE]]#15, %[[C]]
// SHARED-NEXT: } else {
// SHARED: %[[OLD:.*]] = vector.load %[[C]]
// SHARED: %[[SUM:.*]] = arith.addf %[[OLD]], %[[TILE]]#0
// SHARED: vector.store %[[SUM]], %[[C]]
// SHARED-NOT: vector.maskedstore
// SHARED: } else {
// SHARED: vector.maskedstore
func.func @shared_first(%a: memref<40x64xf32>, %b: memref<64x50xf32>, %c: memref<40x50xf32>, %d: memref<40x50xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<40x64xf32>, memref<64x50xf32>)
      outs(%c : memref<40x50xf32>)
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<40x64xf32>, memref<64x50xf32>)
      outs(%d : memref<40x50xf32>)
  return
}
func.func @shared_second(%a: memref<30x64xf32>, %b: memref<64x70xf32>, %c: memref<30x70xf32>, %x: memref<30x64xf64>, %y: memref<64x70xf64>, %z: memref<30x70xf64>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<30x64xf32>, memref<64x70xf32>)
      outs(%c : memref<30x70xf32>)
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%x, %y : memref<30x64xf64>, memref<64x70xf64>)
      outs(%z : memref<30x70xf64>)
  return
}

// -----

// abcde,fabc->efd: the output's rows d, e are split by f, so it is computed
// in a copy; A's rows are innermost (its columns for the GEMM would need
// A packed by rows) and B's columns are not, so A and B trade places: the
// copy is f,d,e (f the GEMM's rows, d,e its columns), not d,e,f.
#mA = affine_map<(e, f, d, a, b, c) -> (a, b, c, d, e)>
#mB = affine_map<(e, f, d, a, b, c) -> (f, a, b, c)>
#mC = affine_map<(e, f, d, a, b, c) -> (e, f, d)>
// CHECK-LABEL: func.func @copied_output_swapped
// CHECK-NOT: memref<5x6x7xf32>
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<7x5x6xf32>
// CHECK-NOT: memref<5x6x7xf32>
// CHECK: return
func.func @copied_output_swapped(%a: memref<2x3x4x5x6xf32>, %b: memref<7x2x3x4xf32>, %c: memref<6x7x5xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<2x3x4x5x6xf32>, memref<7x2x3x4xf32>)
      outs(%c : memref<6x7x5xf32>)
  return
}

// -----

// acb,dea->ebdc: an output larger than both inputs is copied along runs of
// its innermost label c: the copy is e,d,b,c (c innermost), not b,c,e,d.
#mA = affine_map<(e, b, d, c, a) -> (a, c, b)>
#mB = affine_map<(e, b, d, c, a) -> (d, e, a)>
#mC = affine_map<(e, b, d, c, a) -> (e, b, d, c)>
// CHECK-LABEL: func.func @copied_output_runs
// CHECK-NOT: memref<4x5x6x3xf32>
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<6x3x4x5xf32>
// CHECK-NOT: memref<4x5x6x3xf32>
// CHECK: return
func.func @copied_output_runs(%a: memref<2x5x4xf32>, %b: memref<3x6x2xf32>, %c: memref<6x4x3x5xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<2x5x4xf32>, memref<3x6x2xf32>)
      outs(%c : memref<6x4x3x5xf32>)
  return
}
