// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{vector-bytes=32 small-gemm-work=0 inline-single-use=false})' | FileCheck %s
// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{vector-bytes=16 small-gemm-work=0 inline-single-use=false})' | FileCheck %s --check-prefix=SSE
// RUN: not ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{vector-bytes=24})' 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: echo "" | not ein-opt --pass-pipeline='builtin.module(ein-to-llvm{vector-bytes=8})' 2>&1 | FileCheck %s --check-prefix=PIPE
// RUN: not ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{mr=-2})' 2>&1 | FileCheck %s --check-prefix=BADMR
// RUN: not ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{mr=25})' 2>&1 | FileCheck %s --check-prefix=BIGMR
// RUN: not ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{kc=-4})' 2>&1 | FileCheck %s --check-prefix=BADKC
// RUN: not ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-vectorize-contractions{nc=-1})' 2>&1 | FileCheck %s --check-prefix=BADNC

// Narrower vectors (AVX2: 32 bytes, 16 registers; the JIT picks the host's
// widest, ein-to-llvm's vector-bytes=0): a 6 x 16 f32 register tile of 12
// vector<8xf32> accumulators (6 x 8 f64: 12 vector<4xf64>), and
// transposing copies in 8 x 8 (f64: 4 x 4) blocks.
#mA = affine_map<(i, j, k) -> (i, k)>
#mB = affine_map<(i, j, k) -> (k, j)>
#mC = affine_map<(i, j, k) -> (i, j)>
// CHECK-LABEL: func.func @matmul
// CHECK: call @__ein_gemm_tiles_f32_6x16_
// SSE-LABEL: func.func @matmul
// SSE: call @__ein_gemm_tiles_f32_6x8_
func.func @matmul(%a: memref<300x200xf32>, %b: memref<200x100xf32>, %c: memref<300x100xf32>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<300x200xf32>, memref<200x100xf32>)
      outs(%c : memref<300x100xf32>)
  return
}

// CHECK-LABEL: func.func @matmul_f64
// CHECK: call @__ein_gemm_tiles_f64_6x8_
func.func @matmul_f64(%a: memref<300x200xf64>, %b: memref<200x100xf64>, %c: memref<300x100xf64>) {
  linalg.contract indexing_maps = [#mA, #mB, #mC]
      ins(%a, %b : memref<300x200xf64>, memref<200x100xf64>)
      outs(%c : memref<300x100xf64>)
  return
}

#in = affine_map<(d0, d1) -> (d1, d0)>
#out = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @transpose
// CHECK: call @__ein_transpose_f32_x8(
func.func @transpose(%a: memref<100x70xf32>, %b: memref<70x100xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel"]} ins(%a : memref<100x70xf32>) outs(%b : memref<70x100xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  return
}

// The tile function: 12 accumulators through the depth loop.
// CHECK: func.func private @__ein_gemm_tiles_f32_6x16_
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK-COUNT-12: vector.fma {{.*}} : vector<8xf32>
// CHECK-NOT: vector.fma
// CHECK: scf.yield
// CHECK: func.func private @__ein_gemm_tiles_f64_6x8_
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<4xf64>, vector<4xf64>, vector<4xf64>, vector<4xf64>, vector<4xf64>, vector<4xf64>, vector<4xf64>, vector<4xf64>, vector<4xf64>, vector<4xf64>, vector<4xf64>, vector<4xf64>)
// The transposing kernel: 8 rows of vector<8xf32> in, 3 stages of 8
// shuffles, 8 rows out (first the head column's masked block).
// CHECK: func.func private @__ein_transpose_f32_x8(
// CHECK-COUNT-8: vector.maskedload {{.*}} vector<8xf32>
// CHECK-COUNT-24: vector.shuffle {{.*}} : vector<8xf32>, vector<8xf32>
// CHECK-COUNT-8: vector.maskedstore {{.*}} vector<8xf32>
// SSE: func.func private @__ein_gemm_tiles_f32_6x8_
// SSE: vector.fma {{.*}} : vector<4xf32>

// BAD: error: ein-vectorize-contractions: vector-bytes must be 16, 32 or 64, but is 24
// Negative blocking options (a negative mr crashed, negative block sizes
// gave loops of negative steps) and more tile rows than registers are
// errors.
// BADMR: error: ein-vectorize-contractions: mr must be from 0 to 24, but is -2
// BIGMR: error: ein-vectorize-contractions: mr must be from 0 to 24, but is 25
// BADKC: error: ein-vectorize-contractions: kc must be at least 0, but is -4
// BADNC: error: ein-vectorize-contractions: nc must be at least 0, but is -1
// PIPE: ein-to-llvm: vector-bytes: expected 0 (this CPU's widest), 16, 32 or 64, but found 8
