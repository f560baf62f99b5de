// RUN: ein-opt %s -ein-split -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[A:.*]]: tensor<8x16x32xf32>, %[[B:.*]]: tensor<8x32x64xf32>, %[[C:.*]]: tensor<8x64x16xf32>)
// CHECK: %[[T:.*]] = ein.contract "bjk,bkl->bjl" %[[B]], %[[C]] : tensor<8x32x64xf32>, tensor<8x64x16xf32> -> tensor<8x32x16xf32>
// CHECK: ein.contract "bij,bjl->bil" %[[A]], %[[T]] : tensor<8x16x32xf32>, tensor<8x32x16xf32> -> tensor<8x16x16xf32>
func.func @chain(%a: tensor<8x16x32xf32>, %b: tensor<8x32x64xf32>, %c: tensor<8x64x16xf32>) -> tensor<8x16x16xf32> {
  %r = ein.contract "bij,bjk,bkl->bil" %a, %b, %c
      : tensor<8x16x32xf32>, tensor<8x32x64xf32>, tensor<8x64x16xf32> -> tensor<8x16x16xf32>
  return %r : tensor<8x16x16xf32>
}

// -----

// Labels only one operand needs are summed first.
// CHECK-LABEL: func.func @pre_reduce
// CHECK: ein.contract "ab->" %{{.*}} : tensor<2x3xf32> -> tensor<f32>
// CHECK: ein.contract "cd->" %{{.*}} : tensor<4x5xf32> -> tensor<f32>
// CHECK: ein.contract "ef->" %{{.*}} : tensor<6x7xf32> -> tensor<f32>
func.func @pre_reduce(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>, %c: tensor<6x7xf32>) -> tensor<f32> {
  %r = ein.contract "ab,cd,ef->" %a, %b, %c : tensor<2x3xf32>, tensor<4x5xf32>, tensor<6x7xf32> -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// Binary contractions are left alone.
// CHECK-LABEL: func.func @binary
// CHECK-NEXT: ein.contract "ij,jk->ik"
func.func @binary(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  return %r : tensor<3x5xf32>
}
