// RUN: ein-opt %s --pass-pipeline='builtin.module(ein-vectorize-contractions{small-gemm-work=0 inline-single-use=false vector-bytes=32})' | FileCheck %s
// RUN: ein-opt %s --pass-pipeline='builtin.module(ein-vectorize-contractions{small-gemm-work=0 inline-single-use=false vector-bytes=64})' | FileCheck %s --check-prefix=AVX512
// RUN: ein-opt %s --pass-pipeline='builtin.module(ein-vectorize-contractions{small-gemm-work=0 inline-single-use=false vector-bytes=32 mr=6})' | FileCheck %s --check-prefix=MR6

// Below 64-byte vectors the register tile has 6 rows, or 4 where M's last
// row tile would leave more of 6 rows idle than the 4-row tile's lower
// rate costs: 32, 64 and 128 rows take 4 x 16 tiles; 30, 1024 and dynamic
// rows keep 6 x 16. With 64-byte vectors the tile has 8 rows, or 12 where
// 8 would leave more rows idle than 12's lower rate costs (36 rows take
// 12 x 32; 30, 32, 1024 and dynamic rows 8 x 32). An explicit mr stays.

#mA = affine_map<(i, j, k) -> (i, k)>
#mB = affine_map<(i, j, k) -> (k, j)>
#mC = affine_map<(i, j, k) -> (i, j)>
// CHECK-LABEL: func.func @rows32
// CHECK: call @__ein_gemm_pack_b_n_f32_4x16(
// CHECK: call @__ein_gemm_pack_a_rows64_f32_4x16(
// CHECK: call @__ein_gemm_tiles_f32_4x16_rows64(
// AVX512-LABEL: func.func @rows32
// AVX512: call @__ein_gemm_tiles_f32_8x32_rows64(
// MR6-LABEL: func.func @rows32
// MR6: call @__ein_gemm_tiles_f32_6x16_rows64(
func.func @rows32(%A: memref<32x40xf32>, %B: memref<40x48xf32>,
                  %C: memref<32x48xf32>) {
  linalg.generic {indexing_maps = [#mA, #mB, #mC],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<32x40xf32>, memref<40x48xf32>) outs(%C : memref<32x48xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  }
  return
}

// CHECK-LABEL: func.func @rows128_f64
// CHECK: call @__ein_gemm_tiles_f64_4x8_rows64(
// AVX512-LABEL: func.func @rows128_f64
// AVX512: call @__ein_gemm_tiles_f64_8x16_rows64(
func.func @rows128_f64(%A: memref<128x40xf64>, %B: memref<40x48xf64>,
                       %C: memref<128x48xf64>) {
  linalg.generic {indexing_maps = [#mA, #mB, #mC],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<128x40xf64>, memref<40x48xf64>) outs(%C : memref<128x48xf64>) {
  ^bb0(%x: f64, %y: f64, %z: f64):
    %m = arith.mulf %x, %y : f64
    %s = arith.addf %z, %m : f64
    linalg.yield %s : f64
  }
  return
}

// CHECK-LABEL: func.func @rows30
// CHECK: call @__ein_gemm_tiles_f32_6x16_rows64(
// AVX512-LABEL: func.func @rows30
// AVX512: call @__ein_gemm_tiles_f32_8x32_rows64(
func.func @rows30(%A: memref<30x40xf32>, %B: memref<40x48xf32>,
                  %C: memref<30x48xf32>) {
  linalg.generic {indexing_maps = [#mA, #mB, #mC],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<30x40xf32>, memref<40x48xf32>) outs(%C : memref<30x48xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  }
  return
}

// CHECK-LABEL: func.func @rows36
// CHECK: call @__ein_gemm_tiles_f32_6x16_rows64(
// AVX512-LABEL: func.func @rows36
// AVX512: call @__ein_gemm_tiles_f32_12x32_rows64(
func.func @rows36(%A: memref<36x40xf32>, %B: memref<40x48xf32>,
                  %C: memref<36x48xf32>) {
  linalg.generic {indexing_maps = [#mA, #mB, #mC],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<36x40xf32>, memref<40x48xf32>) outs(%C : memref<36x48xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  }
  return
}

// CHECK-LABEL: func.func @rows1024
// CHECK: call @__ein_gemm_tiles_f32_6x16_rows64(
// AVX512-LABEL: func.func @rows1024
// AVX512: call @__ein_gemm_tiles_f32_8x32_rows64(
func.func @rows1024(%A: memref<1024x40xf32>, %B: memref<40x48xf32>,
                    %C: memref<1024x48xf32>) {
  linalg.generic {indexing_maps = [#mA, #mB, #mC],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<1024x40xf32>, memref<40x48xf32>) outs(%C : memref<1024x48xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  }
  return
}

// CHECK-LABEL: func.func @rows_dynamic
// CHECK: call @__ein_gemm_tiles_f32_6x16_rows64(
// AVX512-LABEL: func.func @rows_dynamic
// AVX512: call @__ein_gemm_tiles_f32_8x32_rows64(
func.func @rows_dynamic(%A: memref<?x40xf32>, %B: memref<40x48xf32>,
                        %C: memref<?x48xf32>) {
  linalg.generic {indexing_maps = [#mA, #mB, #mC],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<?x40xf32>, memref<40x48xf32>) outs(%C : memref<?x48xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  }
  return
}
