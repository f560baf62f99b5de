// RUN: ein-opt %s --pass-pipeline='builtin.module(ein-vectorize-contractions{small-gemm-work=0 inline-single-use=false vector-bytes=64})' | FileCheck %s
// RUN: ein-opt %s --pass-pipeline='builtin.module(ein-vectorize-contractions{small-gemm-work=0 inline-single-use=false vector-bytes=64 nc=512})' | FileCheck %s --check-prefix=NC

// A GEMM of at most four row blocks (M <= 4 MC) uses its packed block of B
// a few times only: the block is narrowed to 256 KiB (KC 256 x 256 f32
// columns, 128 f64) so that it stays in L2 from its packing to its last
// use. More rows, a dynamic M and an explicit nc keep NC (1024 f32).

#mA = affine_map<(i, j, k) -> (i, k)>
#mB = affine_map<(i, j, k) -> (k, j)>
#mC = affine_map<(i, j, k) -> (i, j)>

// CHECK-LABEL: func.func @few_rows
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<65536xf32>
// CHECK: scf.for {{.*}} step %c256 {
// CHECK: scf.for {{.*}} step %c256{{.*}} {
// NC-LABEL: func.func @few_rows
// NC: memref.alloc() {alignment = 64 : i64} : memref<131072xf32>
// NC: scf.for {{.*}} step %c512 {
// NC: scf.for {{.*}} step %c256{{.*}} {
func.func @few_rows(%a: memref<256x1920xf32>, %b: memref<1920x800xf32>,
                    %c: memref<256x800xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<256x1920xf32>, memref<1920x800xf32>)
      outs(%c : memref<256x800xf32>)
  return
}

// CHECK-LABEL: func.func @few_rows_f64
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<32768xf64>
// CHECK: scf.for {{.*}} step %c128 {
// CHECK: scf.for {{.*}} step %c256{{.*}} {
func.func @few_rows_f64(%a: memref<16x1920xf64>, %b: memref<1920x800xf64>,
                        %c: memref<16x800xf64>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<16x1920xf64>, memref<1920x800xf64>)
      outs(%c : memref<16x800xf64>)
  return
}

// CHECK-LABEL: func.func @many_rows
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<262144xf32>
// CHECK: scf.for {{.*}} step %c1024 {
// CHECK: scf.for {{.*}} step %c256{{.*}} {
func.func @many_rows(%a: memref<264x1920xf32>, %b: memref<1920x2000xf32>,
                     %c: memref<264x2000xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<264x1920xf32>, memref<1920x2000xf32>)
      outs(%c : memref<264x2000xf32>)
  return
}

// CHECK-LABEL: func.func @dynamic_rows
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<262144xf32>
func.func @dynamic_rows(%a: memref<?x1920xf32>, %b: memref<1920x2000xf32>,
                        %c: memref<?x2000xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<?x1920xf32>, memref<1920x2000xf32>)
      outs(%c : memref<?x2000xf32>)
  return
}
