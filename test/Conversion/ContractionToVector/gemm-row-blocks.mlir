// RUN: ein-opt %s --pass-pipeline='builtin.module(ein-vectorize-contractions{parallel=true vector-bytes=32},canonicalize)' | FileCheck %s

// Parallel row blocks of a static M, parallel column blocks and split-K's
// depth slots share out whole register tiles (runs, vectors) evenly:
// block i holds tiles [i T / n, (i + 1) T / n) of T, so that blocks differ
// by at most one tile (before, blocks of one size with a short last one
// left one of two threads 72 of 128 rows and the other 56, 128 of 200
// columns).
#mA = affine_map<(i, j, k) -> (i, k)>
#mB = affine_map<(i, j, k) -> (k, j)>
#mC = affine_map<(i, j, k) -> (i, j)>

// 128 rows of 4-row tiles (too few columns for column blocks): 32 tiles
// in 6 blocks of 5 or 6 tiles, each block's A panel sized for 6 tiles (24
// rows x KC of 512).
// CHECK-LABEL: func.func @rows128
// CHECK: scf.parallel (%[[I:.*]]) = (%c0) to (%c6) step (%c1)
// CHECK: %[[T0:.*]] = arith.muli %[[I]], %c32
// CHECK: %[[Q0:.*]] = arith.divsi %[[T0]], %c6
// CHECK: %[[R0:.*]] = arith.muli %[[Q0]], %c4
// CHECK: %[[S0:.*]] = arith.minsi %[[R0]], %c128
// CHECK: %[[J:.*]] = arith.addi %[[I]], %c1
// CHECK: %[[T1:.*]] = arith.muli %[[J]], %c32
// CHECK: %[[Q1:.*]] = arith.divsi %[[T1]], %c6
// CHECK: %[[R1:.*]] = arith.muli %[[Q1]], %c4
// CHECK: %[[S1:.*]] = arith.minsi %[[R1]], %c128
// CHECK: arith.subi %[[S1]], %[[S0]]
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<12288xf32>
func.func @rows128(%a: memref<128x1024xf32>, %b: memref<1024x24xf32>,
                   %c: memref<128x24xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<128x1024xf32>, memref<1024x24xf32>)
      outs(%c : memref<128x24xf32>)
  return
}

// 1000 rows of 6-row tiles (more than 4 N): 167 tiles in 28 blocks (up
// to 1.5 MC of 24 rows each), the last block's rows cut at 1000.
// CHECK-LABEL: func.func @rows1000
// CHECK: scf.parallel (%[[I:.*]]) = (%c0) to (%c28) step (%c1)
// CHECK: arith.muli %[[I]], %c167
// CHECK: arith.divsi %{{.*}}, %c28
// CHECK: arith.muli %{{.*}}, %c6
// CHECK: arith.minsi %{{.*}}, %c1000
func.func @rows1000(%a: memref<1000x256xf32>, %b: memref<256x128xf32>,
                    %c: memref<1000x128xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<1000x256xf32>, memref<256x128xf32>)
      outs(%c : memref<1000x128xf32>)
  return
}

// Many rows but at most 4 N (1000 by 512 columns): column blocks, each
// packing its own panels (four of 128 columns).
// CHECK-LABEL: func.func @cols512
// CHECK: scf.parallel (%[[I:.*]]) = (%c0) to (%c4) step (%c1)
// CHECK: arith.muli %[[I]], %c32
// CHECK: arith.divsi %{{.*}}, %c4
// CHECK: arith.muli %{{.*}}, %c16
// CHECK: arith.minsi %{{.*}}, %c512
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @cols512(%a: memref<1000x256xf32>, %b: memref<256x512xf32>,
                   %c: memref<1000x512xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<1000x256xf32>, memref<256x512xf32>)
      outs(%c : memref<1000x512xf32>)
  return
}

// A dynamic M keeps blocks of MC rows.
// CHECK-LABEL: func.func @dynamic
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%{{.*}}) step (%c24)
func.func @dynamic(%a: memref<?x256xf32>, %b: memref<256x512xf32>,
                   %c: memref<?x512xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<?x256xf32>, memref<256x512xf32>)
      outs(%c : memref<?x512xf32>)
  return
}

// Few rows, 200 columns: four parallel column blocks of 16-column tiles
// (13 tiles: 3, 3, 3 and 4, the last cut at 200).
// CHECK-LABEL: func.func @cols200
// CHECK: scf.parallel (%[[I:.*]]) = (%c0) to (%c4) step (%c1)
// CHECK: %[[T0:.*]] = arith.muli %[[I]], %c13
// CHECK: %[[Q0:.*]] = arith.divsi %[[T0]], %c4
// CHECK: %[[R0:.*]] = arith.muli %[[Q0]], %c16
// CHECK: %[[S0:.*]] = arith.minsi %[[R0]], %c200
// CHECK: %[[J:.*]] = arith.addi %[[I]], %c1
// CHECK: %[[T1:.*]] = arith.muli %[[J]], %c13
// CHECK: %[[Q1:.*]] = arith.divsi %[[T1]], %c4
// CHECK: %[[R1:.*]] = arith.muli %[[Q1]], %c16
// CHECK: %[[S1:.*]] = arith.minsi %[[R1]], %c200
// CHECK: arith.subi %[[S1]], %[[S0]]
func.func @cols200(%a: memref<40x1000xf32>, %b: memref<1000x200xf32>,
                   %c: memref<40x200xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<40x1000xf32>, memref<1000x200xf32>)
      outs(%c : memref<40x200xf32>)
  return
}

// A small output and a long static depth (split-K): an even number of
// depth slots, 313 vectors of depth shared out (6 slots of 416-424, not
// 4 x 512 + 452), each slot's partial output 1200 elements apart.
// CHECK-LABEL: func.func @depth2500
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<7200xf32>
// CHECK: scf.parallel (%[[I:.*]]) = (%c0) to (%c6) step (%c1)
// CHECK: arith.muli %[[I]], %c313
// CHECK: arith.divsi %{{.*}}, %c6
// CHECK: arith.muli %{{.*}}, %c8
// CHECK: arith.minsi %{{.*}}, %c2500
// CHECK: arith.muli %[[I]], %c1200
func.func @depth2500(%a: memref<60x2500xf32>, %b: memref<2500x20xf32>,
                     %c: memref<60x20xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<60x2500xf32>, memref<2500x20xf32>)
      outs(%c : memref<60x20xf32>)
  return
}

// Three batches on threads: six items, each half of a batch's 50 six-row
// tiles (rows 0-149 and 150-299), not two batches on one thread and one on
// the other.
#bA = affine_map<(b, i, j, k) -> (b, i, k)>
#bB = affine_map<(b, i, j, k) -> (b, k, j)>
#bC = affine_map<(b, i, j, k) -> (b, i, j)>
// CHECK-LABEL: func.func @batches3
// CHECK: scf.parallel (%[[I:.*]]) = (%c0) to (%c6) step (%c1)
// CHECK: %[[B:.*]] = arith.divsi %[[I]], %c2
// CHECK: %[[H:.*]] = arith.remsi %[[I]], %c2
// CHECK: %[[T0:.*]] = arith.muli %[[H]], %c50
// CHECK: %[[Q0:.*]] = arith.divsi %[[T0]], %c2
// CHECK: %[[R0:.*]] = arith.muli %[[Q0]], %c6
// CHECK: %[[S0:.*]] = arith.minsi %[[R0]], %c300
// CHECK: arith.muli %[[B]], %c60000
func.func @batches3(%a: memref<3x300x200xf32>, %b: memref<3x200x150xf32>,
                    %c: memref<3x300x150xf32>) {
  linalg.contract indexing_maps = [#bA, #bB, #bC]
      ins(%a, %b : memref<3x300x200xf32>, memref<3x200x150xf32>)
      outs(%c : memref<3x300x150xf32>)
  return
}
