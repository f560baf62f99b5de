// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions,canonicalize)' | FileCheck %s
// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{parallel=true},canonicalize)' | FileCheck %s --check-prefix=PAR

// Sums whose inputs are contiguous along one loop run in vectors
// (VectorSums.cpp): 4 vectors of partial sums along a summed loop, or
// 16 vectors of output columns. Each level still starts from zero and long
// loops are chunked by 1024 (docs/Numerics.md).

// Row sums: a masked head up to the row's 64-byte alignment (NumPy's
// arrays start 16 bytes past it), whole vectors of 64 lanes (no masks) from
// there in chunks of 1024 terms (no prefetches: rows this long are
// streamed well without), then the rest ((5000 - head) mod 64 lanes)
// masked, reduced across lanes, added to the output once.
// CHECK-LABEL: func.func @row_sums
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<64xf32>
// CHECK-DAG: %[[C1024:.*]] = arith.constant 1024 : index
// CHECK-DAG: %[[C5000:.*]] = arith.constant 5000 : index
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK: scf.for %[[I:.*]] = 
// CHECK:   %[[PTR:.*]] = memref.extract_aligned_pointer_as_index %[[A:.*]] : memref<3x5000xf32> -> index
// CHECK:   %[[ROW:.*]] = arith.muli %[[I]], %{{.*}} : index
// CHECK:   %[[ADDR:.*]] = arith.addi %[[PTR]], %[[ROW]] : index
// CHECK:   %[[NEG:.*]] = arith.subi %[[C0]], %[[ADDR]] : index
// CHECK:   %[[PAST:.*]] = arith.andi %[[NEG]], %{{.*}} : index
// CHECK:   %[[HEADN:.*]] = arith.divui %[[PAST]], %{{.*}} : index
// CHECK:   %[[HEAD:.*]] = arith.minsi %[[HEADN]], %[[C5000]] : index
// CHECK:   %[[LEN:.*]] = arith.subi %[[C5000]], %[[HEAD]] : index
// CHECK:   %[[RESTN:.*]] = arith.remsi %[[LEN]], %{{.*}} : index
// CHECK:   %[[FULL:.*]] = arith.subi %[[C5000]], %[[RESTN]] : index
// CHECK:   %[[SUM:.*]] = scf.for %[[J0:.*]] = %[[HEAD]] to %[[FULL]] step %[[C1024]] iter_args(%[[TOTAL:.*]] = %[[ZERO]]) -> (vector<64xf32>)
// CHECK:     %[[CHUNK:.*]] = scf.for %[[J:.*]] = %[[J0]] to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (vector<64xf32>)
// CHECK-NOT: memref.prefetch
// CHECK:       %[[X:.*]] = vector.load %[[A]][%[[I]], %[[J]]] : memref<3x5000xf32>, vector<64xf32>
// CHECK:       arith.addf %[[ACC]], %[[X]] : vector<64xf32>
// CHECK:     arith.addf %[[TOTAL]], %[[CHUNK]] : vector<64xf32>
// CHECK:   %[[HMASK:.*]] = vector.create_mask %{{.*}} : vector<64xi1>
// CHECK:   %[[HX:.*]] = vector.maskedload %[[A]][%[[I]], %[[C0]]], %[[HMASK]], %[[ZERO]]
// CHECK:   %[[HKEPT:.*]] = arith.select %[[HMASK]], %[[HX]], %[[ZERO]]
// CHECK:   %[[WITHHEAD:.*]] = arith.addf %[[SUM]], %[[HKEPT]] : vector<64xf32>
// CHECK:   %[[MASK:.*]] = vector.create_mask %{{.*}} : vector<64xi1>
// CHECK:   %[[REST:.*]] = vector.maskedload %[[A]][%[[I]], %[[FULL]]], %[[MASK]], %[[ZERO]]
// CHECK:   %[[KEPT:.*]] = arith.select %[[MASK]], %[[REST]], %[[ZERO]]
// CHECK:   %[[LANES:.*]] = arith.addf %[[WITHHEAD]], %[[KEPT]] : vector<64xf32>
// CHECK:   %[[S:.*]] = vector.reduction <add>, %[[LANES]] fastmath<reassoc> : vector<64xf32> into f32
// CHECK:   %[[OLD:.*]] = memref.load %{{.*}}[%[[I]]]
// CHECK:   %[[NEW:.*]] = arith.addf %[[OLD]], %[[S]] : f32
// CHECK:   memref.store %[[NEW]], %{{.*}}[%[[I]]]
// CHECK-NOT: linalg.generic
#in = affine_map<(i, j) -> (i, j)>
#rows = affine_map<(i, j) -> (i)>
#cols = affine_map<(i, j) -> (j)>
func.func @row_sums(%a: memref<3x5000xf32>, %r: memref<3xf32>) {
  linalg.generic {indexing_maps = [#in, #rows], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<3x5000xf32>) outs(%r : memref<3xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  }
  return
}


// -----

// Short rows (at most 4 KiB, ij->i 1000x200) are not peeled and prefetch
// the row 8 KiB ahead (11 rows of 800 bytes, clamped to the last row): a
// line per 16 lanes of each vector of 64, and the rest's line.
// CHECK-LABEL: func.func @short_row_sums
// CHECK-DAG: %[[C999:.*]] = arith.constant 999 : index
// CHECK-DAG: %[[C192:.*]] = arith.constant 192 : index
// CHECK-DAG: %[[C11:.*]] = arith.constant 11 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C48:.*]] = arith.constant 48 : index
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK:   scf.for %[[J:.*]] = %{{.*}} to %[[C192]] step %{{.*}} iter_args
// CHECK:     %[[AHEAD:.*]] = arith.addi %[[I]], %[[C11]] : index
// CHECK:     %[[ROW:.*]] = arith.minsi %[[AHEAD]], %[[C999]] : index
// CHECK:     memref.prefetch %[[A:.*]][%[[ROW]], %[[J]]], read, locality<3>, data
// CHECK:     %[[J16:.*]] = arith.addi %[[J]], %[[C16]] : index
// CHECK:     memref.prefetch %[[A]][%[[ROW]], %[[J16]]], read
// CHECK:     memref.prefetch %[[A]][%[[ROW]], %{{.*}}], read
// CHECK:     %[[J48:.*]] = arith.addi %[[J]], %[[C48]] : index
// CHECK:     memref.prefetch %[[A]][%[[ROW]], %[[J48]]], read
// CHECK-NOT: memref.prefetch
// CHECK:     vector.load %[[A]][%[[I]], %[[J]]] : memref<1000x200xf32>, vector<64xf32>
// CHECK:   memref.prefetch %[[A]][%{{.*}}, %[[C192]]], read
// CHECK:   vector.constant_mask [8] : vector<64xi1>
// CHECK-NOT: memref.prefetch
// CHECK:   vector.reduction <add>
#in1 = affine_map<(i, j) -> (i, j)>
#rows1 = affine_map<(i, j) -> (i)>
func.func @short_row_sums(%a: memref<1000x200xf32>, %r: memref<1000xf32>) {
  linalg.generic {indexing_maps = [#in1, #rows1], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<1000x200xf32>) outs(%r : memref<1000xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Column sums of a term (squares, ij->j, loops in the order j, i), at most
// one block of registers wide (256 columns): the block of 256 output
// columns in registers, the rows summed in chunks of 1024 from zero, one
// update of the output. A block that holds every column is not peeled to
// the input's alignment (that would be two passes over the rows) and, being
// whole here, not masked.
// CHECK-LABEL: func.func @column_sums
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<256xf32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NOT: memref.extract_aligned_pointer_as_index
// CHECK-NOT: vector.create_mask
// CHECK: %[[SUM:.*]] = scf.for %[[I0:.*]] = {{.*}} iter_args(%[[TOTAL:.*]] = %[[ZERO]]) -> (vector<256xf32>)
// CHECK:   scf.for %[[I:.*]] = %[[I0]] to %{{.*}} iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (vector<256xf32>)
// CHECK:     %[[X:.*]] = vector.load %[[A:.*]][%[[I]], %[[C0]]] : memref<5000x256xf32>, vector<256xf32>
// CHECK:     %[[SQ:.*]] = arith.mulf %[[X]], %[[X]] : vector<256xf32>
// CHECK:     arith.addf %[[ACC]], %[[SQ]] : vector<256xf32>
// CHECK: %[[OLD:.*]] = vector.load %{{.*}}[%[[C0]]] : memref<256xf32>, vector<256xf32>
// CHECK: %[[NEW:.*]] = arith.addf %[[OLD]], %[[SUM]] : vector<256xf32>
// CHECK: vector.store %[[NEW]], %{{.*}}[%[[C0]]]
// One block of columns is one iteration: nothing to run on threads.
// PAR-LABEL: func.func @column_sums
// PAR-NOT: scf.parallel
// PAR: return
#in = affine_map<(j, i) -> (i, j)>
#cols = affine_map<(j, i) -> (j)>
func.func @column_sums(%a: memref<5000x256xf32>, %r: memref<256xf32>) {
  linalg.generic {indexing_maps = [#in, #cols], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<5000x256xf32>) outs(%r : memref<256xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %sq = arith.mulf %x, %x : f32
    %s = arith.addf %acc, %sq : f32
    linalg.yield %s : f32
  }
  return
}


// -----

// ijk->ik with 200 columns (8x100x200): one block of 256 lanes per i, its
// rest masked by a constant mask (LLVM drops the vectors the mask leaves
// out), no head to the input's alignment. Each row prefetches the 64-byte
// lines of the row 1 KiB ahead (2 rows of 800 bytes; the last row at most).
// CHECK-LABEL: func.func @column_sums_masked
// CHECK-NOT: memref.extract_aligned_pointer_as_index
// CHECK: scf.for %[[I:[a-z0-9]+]] =
// CHECK:   %[[MASK:.*]] = vector.constant_mask [200] : vector<256xi1>
// CHECK:   scf.for %[[J:[a-z0-9]+]] =
// CHECK:     %[[AHEAD:.*]] = arith.addi %[[J]], %c2
// CHECK:     %[[ROW:.*]] = arith.minsi %[[AHEAD]], %c99
// CHECK:     memref.prefetch %{{.*}}[%[[I]], %[[ROW]], %c0], read, locality<3>, data
// CHECK-COUNT-11: memref.prefetch
// CHECK:     memref.prefetch %{{.*}}[%[[I]], %[[ROW]], %c192], read, locality<3>, data
// CHECK-NOT: memref.prefetch
// CHECK:     vector.maskedload %{{.*}}[%[[I]], %[[J]], %{{.*}}], %[[MASK]]
// CHECK:   vector.maskedload %{{.*}}[%[[I]], %{{.*}}], %[[MASK]]
// CHECK:   vector.maskedstore %{{.*}}[%[[I]], %{{.*}}], %[[MASK]]
// CHECK-NOT: vector.load
// CHECK: return
#in3 = affine_map<(i, k, j) -> (i, j, k)>
#out2 = affine_map<(i, k, j) -> (i, k)>
func.func @column_sums_masked(%a: memref<8x100x200xf32>, %r: memref<8x200xf32>) {
  linalg.generic {indexing_maps = [#in3, #out2], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a : memref<8x100x200xf32>) outs(%r : memref<8x200xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  }
  return
}


// -----

// A term with an elementwise function (x_i exp(m_ij), f64: 32 lanes): the
// body runs on vectors; the masked rest selects zero (exp(0) is not zero);
// the input that does not read the vector loop is broadcast.
// CHECK-LABEL: func.func @exp_terms
// CHECK: %[[X:.*]] = memref.load %arg0
// CHECK: %[[M:.*]] = vector.load %arg1{{.*}} : memref<?x?xf64>, vector<32xf64>
// CHECK: %[[E:.*]] = math.exp %[[M]] : vector<32xf64>
// CHECK: %[[XV:.*]] = vector.broadcast %[[X]] : f64 to vector<32xf64>
// CHECK: arith.mulf %[[XV]], %[[E]] : vector<32xf64>
// CHECK: %[[MASK:.*]] = vector.create_mask
// CHECK: %[[MR:.*]] = vector.maskedload %arg1{{.*}}, %[[MASK]]
// CHECK: %[[ER:.*]] = math.exp %[[MR]] : vector<32xf64>
// CHECK: %[[PR:.*]] = arith.mulf %{{.*}}, %[[ER]]
// CHECK: arith.select %[[MASK]], %[[PR]], %{{.*}} : vector<32xi1>, vector<32xf64>
// CHECK: vector.reduction <add>
#x = affine_map<(i, j) -> (i)>
#m = affine_map<(i, j) -> (i, j)>
#o = affine_map<(i, j) -> ()>
func.func @exp_terms(%x: memref<?xf64>, %m: memref<?x?xf64>, %r: memref<f64>) {
  linalg.generic {indexing_maps = [#x, #m, #o], iterator_types = ["reduction", "reduction"]}
      ins(%x, %m : memref<?xf64>, memref<?x?xf64>) outs(%r : memref<f64>) {
  ^bb0(%a: f64, %b: f64, %acc: f64):
    %e = math.exp %b : f64
    %p = arith.mulf %a, %e : f64
    %s = arith.addf %acc, %p : f64
    linalg.yield %s : f64
  }
  return
}


// -----

// Wider than one block of registers (4096 columns): rows are streamed into
// 16 KiB blocks of the output (ColumnStreams.cpp), four rows per pass, in
// chunks of 1024 rows summed from zero in a partial row that is then added
// to the output. On threads, the blocks are a quarter of the columns.
// CHECK-LABEL: func.func @big_column_sums
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C1024:.*]] = arith.constant 1024 : index
// CHECK-DAG: %[[C4096:.*]] = arith.constant 4096 : index
// CHECK: %[[PART:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4096xf32>
// CHECK: scf.for %[[K0:.*]] = %{{.*}} to %[[C4096]] step %[[C1024]] {
// CHECK:   vector.store %{{.*}}, %[[PART]]
// CHECK:   scf.for %[[K:.*]] = %[[K0]] to %{{.*}} step %[[C4]] {
// CHECK:     scf.for %[[N:.*]] =
// CHECK:       %[[OLD:.*]] = vector.load %[[PART]][%[[N]]]
// CHECK:       %[[X0:.*]] = vector.load %arg0[%[[K]], %[[N]]] : memref<4096x4096xf32>, vector<16xf32>
// CHECK:       %[[S0:.*]] = arith.mulf %[[X0]], %[[X0]]
// CHECK:       arith.addf %[[OLD]], %[[S0]]
// CHECK-COUNT-3: arith.mulf
// CHECK:       vector.store %{{.*}}, %[[PART]][%[[N]]]
// CHECK:   scf.for
// CHECK:     %[[OUT:.*]] = vector.load %arg1
// CHECK:     %[[P:.*]] = vector.load %[[PART]]
// CHECK:     %[[SUM:.*]] = arith.addf %[[OUT]], %[[P]]
// CHECK:     vector.store %[[SUM]], %arg1
// CHECK: memref.dealloc %[[PART]]
// CHECK-NOT: scf.parallel
// PAR-LABEL: func.func @big_column_sums
// PAR: %[[C1024:.*]] = arith.constant 1024 : index
// PAR: scf.parallel (%{{.*}}) = (%{{.*}}) to (%{{.*}}) step (%[[C1024]])
#in = affine_map<(j, i) -> (i, j)>
#cols = affine_map<(j, i) -> (j)>
func.func @big_column_sums(%a: memref<4096x4096xf32>, %r: memref<4096xf32>) {
  linalg.generic {indexing_maps = [#in, #cols], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<4096x4096xf32>) outs(%r : memref<4096xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %sq = arith.mulf %x, %x : f32
    %s = arith.addf %acc, %sq : f32
    linalg.yield %s : f32
  }
  return
}


// -----

// A short sum of products (ij,ij->j, 600 rows): streamed rows added into
// the output directly, no partial row; the batch loop b outermost (on
// threads: it, not the columns).
// CHECK-LABEL: func.func @short_column_products
// CHECK-NOT: memref.alloc
// CHECK: scf.for %[[B:.*]] =
// CHECK:     scf.for %[[K:.*]] =
// CHECK:       scf.for %[[N:.*]] =
// CHECK:         %[[OLD:.*]] = vector.load %arg2[%[[B]], %{{.*}}] : memref<3x700xf64>, vector<8xf64>
// CHECK:         %[[X:.*]] = vector.load %arg0[%[[B]], %[[K]], %{{.*}}] : memref<3x600x700xf64>, vector<8xf64>
// CHECK:         %[[Y:.*]] = vector.load %arg1[%[[B]], %[[K]], %{{.*}}] : memref<3x600x700xf64>, vector<8xf64>
// CHECK:         %[[XY:.*]] = arith.mulf %[[X]], %[[Y]]
// CHECK:         arith.addf %[[OLD]], %[[XY]]
// CHECK:         vector.store %{{.*}}, %arg2[%[[B]], %{{.*}}]
// CHECK-NOT: memref.alloc
// PAR-LABEL: func.func @short_column_products
// PAR: scf.parallel (%{{.*}}) = (%{{.*}}) to (%{{.*}}) step (%{{.*}})
// PAR-NEXT: scf.for
#x = affine_map<(b, j, i) -> (b, i, j)>
#o = affine_map<(b, j, i) -> (b, j)>
func.func @short_column_products(%x: memref<3x600x700xf64>, %y: memref<3x600x700xf64>, %r: memref<3x700xf64>) {
  linalg.generic {indexing_maps = [#x, #x, #o], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %y : memref<3x600x700xf64>, memref<3x600x700xf64>) outs(%r : memref<3x700xf64>) {
  ^bb0(%a: f64, %c: f64, %acc: f64):
    %p = arith.mulf %a, %c : f64
    %s = arith.addf %acc, %p : f64
    linalg.yield %s : f64
  }
  return
}


// -----

// A diagonal is contiguous along no loop: scalar loop sum (sums.mlir).
// CHECK-LABEL: func.func @trace
// CHECK-NOT: vector
// CHECK: memref.load %{{.*}}[%[[I:.*]], %[[I]]] : memref<64x64xf32>
#in = affine_map<(i) -> (i, i)>
#o = affine_map<(i) -> ()>
func.func @trace(%a: memref<64x64xf32>, %r: memref<f32>) {
  linalg.generic {indexing_maps = [#in, #o], iterator_types = ["reduction"]}
      ins(%a : memref<64x64xf32>) outs(%r : memref<f32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Loops that every operand reads contiguously merge first (CollapseLoops):
// `ijk->` over a row-major input is one row sum over the flattened input
// (one reduction across lanes, not one per row); `ijk->i` sums 256 rows of
// j*k = 65536 elements, many long rows: dot products with ones. A large sum to one element on threads (PAR) is 16 parts of
// its loop summed on their own into a scratch buffer, then added in order.
#all3 = affine_map<(i, j, k) -> (i, j, k)>
#none3 = affine_map<(i, j, k) -> ()>
#first3 = affine_map<(i, j, k) -> (i)>
// CHECK-LABEL: func.func @merged_sums
// CHECK: memref.collapse_shape %arg0 {{\[}}[0, 1, 2]] : memref<256x256x256xf32> into memref<16777216xf32>
// CHECK: vector.reduction <add>
// CHECK-NOT: vector.reduction
// CHECK: %[[ONES:.*]] = memref.alloc() {alignment = 64 : i64} : memref<65536xf32>
// CHECK: vector.load %[[ONES]]
// PAR-LABEL: func.func @merged_sums
// PAR: %[[PARTS:.*]] = memref.alloca() : memref<16xf32>
// PAR: scf.parallel (%[[P:.*]]) = (%{{.*}}) to (%c16) step
// PAR:   vector.reduction <add>
// PAR:   memref.store %{{.*}}, %[[PARTS]][%[[P]]]
// PAR: scf.for %[[Q:.*]] = %{{.*}} to %c16 step %{{.*}} iter_args
// PAR:   memref.load %[[PARTS]][%[[Q]]]
func.func @merged_sums(%a: memref<256x256x256xf32>, %s: memref<f32>, %r: memref<256xf32>) {
  linalg.generic {indexing_maps = [#all3, #none3], iterator_types = ["reduction", "reduction", "reduction"]}
      ins(%a : memref<256x256x256xf32>) outs(%s : memref<f32>) {
  ^bb0(%x: f32, %acc: f32):
    %t = arith.addf %acc, %x : f32
    linalg.yield %t : f32
  }
  linalg.generic {indexing_maps = [#all3, #first3], iterator_types = ["parallel", "reduction", "reduction"]}
      ins(%a : memref<256x256x256xf32>) outs(%r : memref<256xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %t = arith.addf %acc, %x : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// A view whose rows are not contiguous with each other keeps both loops.
#all2 = affine_map<(i, j) -> (i, j)>
#none2 = affine_map<(i, j) -> ()>
// CHECK-LABEL: func.func @strided_rows
// CHECK-NOT: memref.collapse_shape
// CHECK: return
func.func @strided_rows(%a: memref<64x100xf32, strided<[128, 1]>>, %s: memref<f32>) {
  linalg.generic {indexing_maps = [#all2, #none2], iterator_types = ["reduction", "reduction"]}
      ins(%a : memref<64x100xf32, strided<[128, 1]>>) outs(%s : memref<f32>) {
  ^bb0(%x: f32, %acc: f32):
    %t = arith.addf %acc, %x : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// A plain sum of a matrix's rows (ij->j) is the row-vector product of a
// vector of ones and the matrix (ColumnSums.cpp): rows streamed in order
// into a block of the output, 4 rows per pass, 512 rows at a time into a
// zeroed partial row; on threads (PAR), 512-row slices of the depth.
#in2 = affine_map<(j, i) -> (i, j)>
#cols2 = affine_map<(j, i) -> (j)>
// CHECK-LABEL: func.func @sum_of_rows
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[ONES:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4096xf32>
// CHECK: linalg.fill ins(%[[ONE]] : f32) outs(%[[ONES]] : memref<4096xf32>)
// CHECK: memref.load %[[ONES]][%{{.*}}] : memref<4096xf32>
// CHECK: vector.broadcast
// CHECK: vector.fma
// CHECK: memref.dealloc %[[ONES]]
// CHECK-NOT: linalg.generic
// PAR-LABEL: func.func @sum_of_rows
// PAR: scf.parallel
// PAR: vector.fma
func.func @sum_of_rows(%a: memref<4096x4096xf32>, %r: memref<4096xf32>) {
  linalg.generic {indexing_maps = [#in2, #cols2], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<4096x4096xf32>) outs(%r : memref<4096xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// The sums of many long rows (256 rows of 16384): dot products with a
// vector of ones (ColumnSums.cpp), four rows sharing each vector of ones.
// Fewer or shorter rows stay vector row sums (@row_sums above).
// CHECK-LABEL: func.func @many_row_sums
// CHECK: %[[ONES:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16384xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[ONES]] : memref<16384xf32>)
// CHECK: %[[O:.*]] = vector.load %[[ONES]]
// CHECK-COUNT-4: vector.fma %[[O]]
// CHECK: memref.dealloc %[[ONES]]
#in = affine_map<(i, j) -> (i, j)>
#rows = affine_map<(i, j) -> (i)>
func.func @many_row_sums(%a: memref<256x16384xf32>, %r: memref<256xf32>) {
  linalg.generic {indexing_maps = [#in, #rows], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<256x16384xf32>) outs(%r : memref<256xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  }
  return
}
