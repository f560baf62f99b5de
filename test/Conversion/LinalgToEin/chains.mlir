// RUN: ein-opt %s --ein-raise-linalg --split-input-file | FileCheck %s
// RUN: ein-opt %s --ein-raise-linalg --ein-split --split-input-file | FileCheck %s --check-prefix=SPLIT
// RUN: ein-opt %s --ein-raise-linalg --convert-ein-to-linalg --ein-raise-linalg --split-input-file | FileCheck %s --check-prefix=ROUND

// A chain of matmuls is one contraction; ein-split then multiplies it right
// to left (34816 FLOPs instead of 133120 in the written order).

// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[A:.*]]: tensor<8x64xf32>, %[[B:.*]]: tensor<64x64xf32>, %[[C:.*]]: tensor<64x64xf32>, %[[D:.*]]: tensor<64x2xf32>)
// CHECK-NEXT: %[[R:.*]] = ein.contract "ae,ed,dc,cb->ab" %[[A]], %[[B]], %[[C]], %[[D]] : tensor<8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x2xf32> -> tensor<8x2xf32>
// CHECK-NEXT: return %[[R]]
// SPLIT-LABEL: func.func @chain
// SPLIT-SAME: (%[[A:.*]]: tensor<8x64xf32>, %[[B:.*]]: tensor<64x64xf32>, %[[C:.*]]: tensor<64x64xf32>, %[[D:.*]]: tensor<64x2xf32>)
// (The intermediates are 2 x 64, not 64 x 2: a group narrower than a
// vector goes first, ein-split.mlir.)
// SPLIT-NEXT: %[[CD:.*]] = ein.contract "dc,cb->bd" %[[C]], %[[D]] : {{.*}} -> tensor<2x64xf32>
// SPLIT-NEXT: %[[BCD:.*]] = ein.contract "ed,bd->be" %[[B]], %[[CD]] : {{.*}} -> tensor<2x64xf32>
// SPLIT-NEXT: %[[R:.*]] = ein.contract "ae,be->ab" %[[A]], %[[BCD]] : {{.*}} -> tensor<8x2xf32>
// SPLIT-NEXT: return %[[R]]
// ROUND-LABEL: func.func @chain
// ROUND-NEXT: ein.contract "ac,cd,de,eb->ab" %arg0, %arg1, %arg2, %arg3
// ROUND-NEXT: return
func.func @chain(%a: tensor<8x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>, %d: tensor<64x2xf32>) -> tensor<8x2xf32> {
  %cst = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<8x64xf32>
  %z0 = linalg.fill ins(%cst : f32) outs(%e0 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %ab = linalg.matmul ins(%a, %b : tensor<8x64xf32>, tensor<64x64xf32>) outs(%z0 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %abc = linalg.matmul ins(%ab, %c : tensor<8x64xf32>, tensor<64x64xf32>) outs(%z0 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %e1 = tensor.empty() : tensor<8x2xf32>
  %z1 = linalg.fill ins(%cst : f32) outs(%e1 : tensor<8x2xf32>) -> tensor<8x2xf32>
  %r = linalg.matmul ins(%abc, %d : tensor<8x64xf32>, tensor<64x2xf32>) outs(%z1 : tensor<8x2xf32>) -> tensor<8x2xf32>
  return %r : tensor<8x2xf32>
}

// -----

// A product used twice is computed once: not merged.

// CHECK-LABEL: func.func @shared
// CHECK: %[[P:.*]] = ein.contract "ac,cb->ab" %arg0, %arg1
// CHECK: ein.contract "ac,cb->ab" %[[P]], %arg2
// CHECK: ein.contract "ac,cb->ab" %[[P]], %arg3
func.func @shared(%a: tensor<4x4xf64>, %b: tensor<4x4xf64>, %c: tensor<4x4xf64>, %d: tensor<4x4xf64>)
    -> (tensor<4x4xf64>, tensor<4x4xf64>) {
  %cst = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<4x4xf64>
  %z = linalg.fill ins(%cst : f64) outs(%e : tensor<4x4xf64>) -> tensor<4x4xf64>
  %p = linalg.matmul ins(%a, %b : tensor<4x4xf64>, tensor<4x4xf64>) outs(%z : tensor<4x4xf64>) -> tensor<4x4xf64>
  %r0 = linalg.matmul ins(%p, %c : tensor<4x4xf64>, tensor<4x4xf64>) outs(%z : tensor<4x4xf64>) -> tensor<4x4xf64>
  %r1 = linalg.matmul ins(%p, %d : tensor<4x4xf64>, tensor<4x4xf64>) outs(%z : tensor<4x4xf64>) -> tensor<4x4xf64>
  return %r0, %r1 : tensor<4x4xf64>, tensor<4x4xf64>
}

// -----

// An accumulated product (non-zero init) stays separate; a batch matvec
// after a batch matmul merges, the matmul's summed label renamed to `d`.

// CHECK-LABEL: func.func @mixed
// CHECK: %[[P:.*]] = ein.contract "ac,cb->ab" %arg0, %arg1
// CHECK: %[[S:.*]] = ein.add %arg2, %[[P]]
// CHECK: ein.contract "ab,b->a" %[[S]], %arg3
// CHECK: ein.contract "abd,adc,ac->ab" %arg4, %arg5, %arg6
func.func @mixed(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<3x5xf32>, %v: tensor<5xf32>,
                 %x: tensor<2x3x4xf32>, %y: tensor<2x4x5xf32>, %w: tensor<2x5xf32>)
    -> (tensor<3xf32>, tensor<2x3xf32>) {
  %cst = arith.constant 0.0 : f32
  %s = linalg.matmul ins(%a, %b : tensor<3x4xf32>, tensor<4x5xf32>) outs(%c : tensor<3x5xf32>) -> tensor<3x5xf32>
  %e0 = tensor.empty() : tensor<3xf32>
  %z0 = linalg.fill ins(%cst : f32) outs(%e0 : tensor<3xf32>) -> tensor<3xf32>
  %r0 = linalg.matvec ins(%s, %v : tensor<3x5xf32>, tensor<5xf32>) outs(%z0 : tensor<3xf32>) -> tensor<3xf32>
  %e1 = tensor.empty() : tensor<2x3x5xf32>
  %z1 = linalg.fill ins(%cst : f32) outs(%e1 : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  %xy = linalg.batch_matmul ins(%x, %y : tensor<2x3x4xf32>, tensor<2x4x5xf32>) outs(%z1 : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  %e2 = tensor.empty() : tensor<2x3xf32>
  %z2 = linalg.fill ins(%cst : f32) outs(%e2 : tensor<2x3xf32>) -> tensor<2x3xf32>
  %r1 = linalg.batch_matvec ins(%xy, %w : tensor<2x3x5xf32>, tensor<2x5xf32>) outs(%z2 : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %r0, %r1 : tensor<3xf32>, tensor<2x3xf32>
}
