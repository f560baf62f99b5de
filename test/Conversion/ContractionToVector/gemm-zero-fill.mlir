// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{mr=12},canonicalize)' | FileCheck %s

// A zero fill of the output right before a GEMM is folded into it: the
// first depth block (pc == 0) stores its register tiles, later blocks add
// theirs, and the fill (a whole pass over C) is gone.
#mA = affine_map<(i, j, k) -> (i, k)>
#mB = affine_map<(i, j, k) -> (k, j)>
#mC = affine_map<(i, j, k) -> (i, j)>
// CHECK-LABEL: func.func @filled
// CHECK-NOT: linalg.fill
// CHECK: scf.for %[[PC:.*]] = %{{.*}} to %{{.*}} step %c256
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %[[PC]], %c0 : index
// CHECK: %[[TILE:.*]]:24 = scf.for
// CHECK: scf.if %[[FIRST]] {
// CHECK-NEXT: vector.maskedstore %[[C:.*]][%[[AT:.*]]], %[[M:.*]], %[[TILE]]#0
// CHECK-NEXT: } else {
// CHECK-NEXT: %[[OLD:.*]] = vector.maskedload %[[C]][%[[AT]]], %[[M]]
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[OLD]], %[[TILE]]#0
// CHECK-NEXT: vector.maskedstore %[[C]][%[[AT]]], %[[M]], %[[SUM]]
func.func @filled(%a: memref<300x600xf32>, %b: memref<600x100xf32>, %c: memref<300x100xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<300x100xf32>)
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<300x600xf32>, memref<600x100xf32>)
      outs(%c : memref<300x100xf32>)
  return
}

// -----

// Another value than +0.0, or a write to C in between, keeps the fill and
// the kernel adds into C.
#mA = affine_map<(i, j, k) -> (i, k)>
#mB = affine_map<(i, j, k) -> (k, j)>
#mC = affine_map<(i, j, k) -> (i, j)>
// (Both GEMMs have one blocking: they share the module's tile function,
// whose last argument, false here, says whether to store.)
// CHECK-LABEL: func.func @filled_with_one
// CHECK: linalg.fill
// CHECK-NOT: arith.cmpi eq
// CHECK: call @__ein_gemm_tiles_f32_12x32_rows64({{.*}}, %false, {{.*}})
// CHECK-LABEL: func.func @written_between
// CHECK: linalg.fill
// CHECK: memref.store
// CHECK-NOT: arith.cmpi eq
// CHECK: call @__ein_gemm_tiles_f32_12x32_rows64({{.*}}, %false, {{.*}})
func.func @filled_with_one(%a: memref<30x60xf32>, %b: memref<60x40xf32>, %c: memref<30x40xf32>) {
  %one = arith.constant 1.0 : f32
  linalg.fill ins(%one : f32) outs(%c : memref<30x40xf32>)
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<30x60xf32>, memref<60x40xf32>)
      outs(%c : memref<30x40xf32>)
  return
}
func.func @written_between(%a: memref<30x60xf32>, %b: memref<60x40xf32>, %c: memref<30x40xf32>) {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %i = arith.constant 3 : index
  linalg.fill ins(%zero : f32) outs(%c : memref<30x40xf32>)
  memref.store %one, %c[%i, %i] : memref<30x40xf32>
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<30x60xf32>, memref<60x40xf32>)
      outs(%c : memref<30x40xf32>)
  return
}

// -----

// abd,dc->acb: the output's rows (a, b) are split, so the kernel computes
// into a copy in a, b, c order. After a zero fill that copy starts as zeros
// (not as a copy of C), the kernel overwrites it in its first depth block
// (the copy's fill is folded too), and the fill of C goes: the copy back
// writes all of C.
#mA = affine_map<(a, c, b, d) -> (a, b, d)>
#mB = affine_map<(a, c, b, d) -> (d, c)>
#mC = affine_map<(a, c, b, d) -> (a, c, b)>
// CHECK-LABEL: func.func @filled_output_copy
// CHECK-NOT: linalg.fill
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<8x6x40xf32>
// CHECK-NOT: linalg.fill
// CHECK: return
func.func @filled_output_copy(%a: memref<8x6x20xf32>, %b: memref<20x40xf32>, %c: memref<8x40x6xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<8x40x6xf32>)
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<8x6x20xf32>, memref<20x40xf32>)
      outs(%c : memref<8x40x6xf32>)
  return
}
