// RUN: ein-opt %s --pass-pipeline='builtin.module(ein-vectorize-contractions{small-gemm-work=0 inline-single-use=false vector-bytes=32})' | FileCheck %s
// RUN: ein-opt %s --pass-pipeline='builtin.module(ein-vectorize-contractions{small-gemm-work=0 inline-single-use=false vector-bytes=32 kc=100})' | FileCheck %s --check-prefix=KC

// abde,efa->bdf (tn3's second contraction): A's depth a,e is two runs,
// a (stride 32768) and e (innermost, 32 elements). A is packed run by run
// in place; only B (efa, the smaller) is copied, in A's depth order (f,a,e).
#mA = affine_map<(a, b, d, e, f) -> (a, b, d, e)>
#mB = affine_map<(a, b, d, e, f) -> (e, f, a)>
#mC = affine_map<(a, b, d, e, f) -> (b, d, f)>
// CHECK-LABEL: func.func @tn3_second
// CHECK-SAME: (%[[A:[^:]*]]: memref<32x32x32x32xf32>
// CHECK-COUNT-1: call @__ein_transpose_f32_x8
// CHECK-NOT: call @__ein_transpose
// A's offset of depth block pc: (pc / 32) * (a's stride) + pc % 32; the
// packing function takes a's stride for the depth's.
// CHECK: %[[Q:.*]] = arith.divsi %[[PC:.*]], %c32{{.*}} : index
// CHECK: arith.remsi %[[PC]], %c32
// CHECK: arith.muli %[[Q]], %[[STRIDE:[^ ]*]] : index
// CHECK: call @__ein_gemm_pack_a_rows512_runs32_f32_6x16({{.*}}, %[[STRIDE]])
// Depth blocks are whole runs: KC 100 becomes 96.
// KC-LABEL: func.func @tn3_second
// KC: scf.for %{{.*}} = %c0{{.*}} to %{{.*}} step %c96 {
// KC: call @__ein_gemm_pack_a_rows128_runs32_f32_6x16(
func.func @tn3_second(%A: memref<32x32x32x32xf32>, %B: memref<32x32x32xf32>,
                      %C: memref<32x32x32xf32>) {
  linalg.generic {indexing_maps = [#mA, #mB, #mC],
                  iterator_types = ["reduction", "parallel", "parallel",
                                    "reduction", "parallel"]}
      ins(%A, %B : memref<32x32x32x32xf32>, memref<32x32x32xf32>)
      outs(%C : memref<32x32x32xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  }
  return
}

// An inner run longer than a depth block (600 > 512) or shorter than a
// vector (4 < 8 lanes): A is copied (B, contiguous in its own depth order
// e,a, is not) and packed whole.
#nA = affine_map<(a, b, e, f) -> (a, b, e)>
#nB = affine_map<(a, b, e, f) -> (e, a, f)>
#nC = affine_map<(a, b, e, f) -> (b, f)>
// CHECK-LABEL: func.func @long_run
// CHECK-COUNT-1: call @__ein_transpose
// CHECK-NOT: call @__ein_transpose
// CHECK: call @__ein_gemm_pack_a_rows512_f32_4x16(
// CHECK-LABEL: func.func @short_run
// CHECK-COUNT-1: call @__ein_transpose
// CHECK-NOT: call @__ein_transpose
// CHECK: call @__ein_gemm_pack_a_rows512_f32_4x16(
func.func @long_run(%A: memref<2x64x600xf32>, %B: memref<600x2x16xf32>,
                    %C: memref<64x16xf32>) {
  linalg.generic {indexing_maps = [#nA, #nB, #nC],
                  iterator_types = ["reduction", "parallel", "reduction",
                                    "parallel"]}
      ins(%A, %B : memref<2x64x600xf32>, memref<600x2x16xf32>)
      outs(%C : memref<64x16xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  }
  return
}
func.func @short_run(%A: memref<200x64x4xf32>, %B: memref<4x200x16xf32>,
                     %C: memref<64x16xf32>) {
  linalg.generic {indexing_maps = [#nA, #nB, #nC],
                  iterator_types = ["reduction", "parallel", "reduction",
                                    "parallel"]}
      ins(%A, %B : memref<200x64x4xf32>, memref<4x200x16xf32>)
      outs(%C : memref<64x16xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  }
  return
}

// bdf,abde->efa (tn3's derivative for efa): B (abde) has its columns a,e
// in two runs, a (stride 32768) and e (innermost, 32 = two 16-wide
// panels). B is packed run by run in place; the output is computed in a
// copy in B's column order (f, a, e) and transposed back.
#gA = affine_map<(a, b, d, e, f) -> (b, d, f)>
#gB = affine_map<(a, b, d, e, f) -> (a, b, d, e)>
#gC = affine_map<(a, b, d, e, f) -> (e, f, a)>
// CHECK-LABEL: func.func @tn3_grad_c
// CHECK: memref.alloc() {{.*}} : memref<32x32x32xf32>
// The copy starts from C's values (no zero fill before); B is not copied:
// CHECK-COUNT-1: call @__ein_transpose
// CHECK-NOT: call @__ein_transpose
// B's offset of column block jc: (jc / 32) * (a's stride) + jc % 32.
// CHECK: %[[Q:.*]] = arith.divsi %[[JC:.*]], %c32{{.*}} : index
// CHECK: arith.remsi %[[JC]], %c32
// CHECK: arith.muli %[[Q]], %[[STRIDE:[^ ]*]] : index
// CHECK: call @__ein_gemm_pack_b_n_runs32_f32_4x16({{.*}}, %[[STRIDE]])
// The copy back into e,f,a:
// CHECK: call @__ein_transpose
func.func @tn3_grad_c(%G: memref<32x32x32xf32>, %X: memref<32x32x32x32xf32>,
                      %C: memref<32x32x32xf32>) {
  linalg.generic {indexing_maps = [#gA, #gB, #gC],
                  iterator_types = ["parallel", "reduction", "reduction",
                                    "parallel", "parallel"]}
      ins(%G, %X : memref<32x32x32xf32>, memref<32x32x32x32xf32>)
      outs(%C : memref<32x32x32xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  }
  return
}

// bdf,efa->abde (tn3's derivative for abde): the output's columns a,e are
// two runs, a (stride 32768) and e (innermost, 32). The tiles are written
// in place, no copy of the output; B (efa, small) is copied into f,a,e.
#xA = affine_map<(a, b, d, e, f) -> (b, d, f)>
#xB = affine_map<(a, b, d, e, f) -> (e, f, a)>
#xC = affine_map<(a, b, d, e, f) -> (a, b, d, e)>
// CHECK-LABEL: func.func @tn3_grad_x
// CHECK-NOT: memref.alloc() {{.*}} : memref<32x32x32x32xf32>
// CHECK-COUNT-1: call @__ein_transpose
// CHECK-NOT: call @__ein_transpose
// The tile call passes C's outer column stride last:
// CHECK: call @__ein_gemm_tiles_f32_6x16_rows64_cruns32({{.*}}, %[[COUTER:[^ ]*]]) :
// CHECK-NOT: call @__ein_transpose
// CHECK: return
func.func @tn3_grad_x(%G: memref<32x32x32xf32>, %W: memref<32x32x32xf32>,
                      %X: memref<32x32x32x32xf32>) {
  linalg.generic {indexing_maps = [#xA, #xB, #xC],
                  iterator_types = ["parallel", "parallel", "parallel",
                                    "parallel", "reduction"]}
      ins(%G, %W : memref<32x32x32xf32>, memref<32x32x32xf32>)
      outs(%X : memref<32x32x32x32xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  }
  return
}

// The packing function (the module's functions come last):
// CHECK-LABEL: func.func private @__ein_gemm_pack_a_rows512_runs32_f32_6x16(
// CHECK-SAME: %[[AP:[^:]*]]: memref<?xf32>, %[[SRC:[^:]*]]: memref<?xf32, strided<[1], offset: ?>>, %[[BASE:[^:]*]]: index, %[[MC:[^:]*]]: index, %[[DEPTH:[^:]*]]: index, %[[SAM:[^:]*]]: index, %[[OUTER:[^:]*]]: index)
// kc / 32 runs per row, each four whole vectors at run * the outer stride:
// CHECK: %[[RUNS:.*]] = arith.divsi %[[DEPTH]], %c32
// CHECK: scf.for %[[I:.*]] = %c0{{.*}} to
// CHECK: scf.if
// CHECK: %[[ROW:.*]] = arith.addi %[[BASE]], %{{.*}}
// CHECK: scf.for %[[Q2:.*]] = %c0{{.*}} to %[[RUNS]]
// CHECK: %[[OFF:.*]] = arith.muli %[[Q2]], %[[OUTER]]
// CHECK: %[[FROM:.*]] = arith.addi %[[ROW]], %[[OFF]]
// CHECK-COUNT-4: vector.load %[[SRC]]
// CHECK-NOT: vector.load %[[SRC]]
// CHECK: } else {

// Its packing function: each row of B's block is nc / 32 runs, the outer
// stride apart, of two whole panels (two vectors each), unmasked.
// CHECK-LABEL: func.func private @__ein_gemm_pack_b_n_runs32_f32_4x16(
// CHECK-SAME: %[[BP:[^:]*]]: memref<?xf32>, %[[BSRC:[^:]*]]: memref<?xf32, strided<[1], offset: ?>>, %[[BBASE:[^:]*]]: index, %[[BKC:[^:]*]]: index, %[[BNC:[^:]*]]: index, %[[SBK:[^:]*]]: index, %[[BOUTER:[^:]*]]: index)
// CHECK: %[[BRUNS:.*]] = arith.divsi %[[BNC]], %c32
// CHECK: scf.for %[[KK:.*]] = %c0{{.*}} to %[[BKC]]
// CHECK: scf.for %[[R:.*]] = %c0{{.*}} to %[[BRUNS]]
// CHECK: arith.muli %[[R]], %[[BOUTER]]
// CHECK-COUNT-4: vector.load %[[BSRC]]
// CHECK-NOT: vector.load
// CHECK-NOT: vector.maskedload
// CHECK: return

// Its tile function: each tile's C offset is (jr / 32) * the outer stride
// + jr % 32.
// CHECK-LABEL: func.func private @__ein_gemm_tiles_f32_6x16_rows64_cruns32(
// CHECK-SAME: %[[TOUTER:[^:]*]]: index) {
// CHECK: scf.for %[[JR:[^ ]*]] =
// CHECK: %[[TQ:.*]] = arith.divsi %[[JR]], %c32
// CHECK: arith.remsi %[[JR]], %c32
// CHECK: arith.muli %[[TQ]], %[[TOUTER]]
