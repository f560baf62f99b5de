// RUN: ein-opt %s -ein-expand-groups -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @ellipsis
// CHECK: ein.contract "ABij,Bjk->ABik" %{{.*}}, %{{.*}} : tensor<2x1x3x4xf32>, tensor<5x4x6xf32> -> tensor<2x5x3x6xf32>
func.func @ellipsis(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32> {
  %r = ein.contract "...ij,...jk->...ik" %a, %b : tensor<2x1x3x4xf32>, tensor<5x4x6xf32> -> tensor<2x5x3x6xf32>
  return %r : tensor<2x5x3x6xf32>
}

// -----

// CHECK-LABEL: func.func @input_group
// CHECK: %[[E:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [2, 3, 5] : tensor<6x5xf32> into tensor<2x3x5xf32>
// CHECK: ein.contract "bij,ijk->bk" %{{.*}}, %[[E]]
func.func @input_group(%x: tensor<8x2x3xf32>, %w: tensor<6x5xf32>) -> tensor<8x5xf32> {
  %r = ein.contract "bij,(ij)k->bk" %x, %w : tensor<8x2x3xf32>, tensor<6x5xf32> -> tensor<8x5xf32>
  return %r : tensor<8x5xf32>
}

// -----

// An output group is a collapse of the plain result; `_` axes are added by
// expand_shape and dropped by collapse_shape.
// CHECK-LABEL: func.func @output_group_and_units
// CHECK: %[[C:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<1x3xf32> into tensor<3xf32>
// CHECK: %[[R:.*]] = ein.contract "i,jk->jik" %[[C]], %{{.*}} : tensor<3xf32>, tensor<2x4xf32> -> tensor<2x3x4xf32>
// CHECK: %[[G:.*]] = tensor.collapse_shape %[[R]] {{\[\[}}0], [1, 2]] : tensor<2x3x4xf32> into tensor<2x12xf32>
// CHECK: tensor.expand_shape %[[G]] {{\[\[}}0, 1], [2, 3]] output_shape [1, 2, 12, 1] : tensor<2x12xf32> into tensor<1x2x12x1xf32>
func.func @output_group_and_units(%v: tensor<1x3xf32>, %m: tensor<2x4xf32>) -> tensor<1x2x12x1xf32> {
  %r = ein.contract "_i,jk->_j(ik)_" %v, %m : tensor<1x3xf32>, tensor<2x4xf32> -> tensor<1x2x12x1xf32>
  return %r : tensor<1x2x12x1xf32>
}

// -----

// A dynamic `_` axis is cast to size 1 before it is dropped.
// CHECK-LABEL: func.func @dynamic_unit
// CHECK: %[[C:.*]] = tensor.cast %{{.*}} : tensor<?x3xf32> to tensor<1x3xf32>
// CHECK: tensor.collapse_shape %[[C]]
func.func @dynamic_unit(%v: tensor<?x3xf32>) -> tensor<3xf32> {
  %r = ein.contract "_i->i" %v : tensor<?x3xf32> -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// -----

// Plain specs are left alone.
// CHECK-LABEL: func.func @plain
// CHECK-NEXT: ein.contract "ij,jk->ik"
func.func @plain(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  return %r : tensor<3x5xf32>
}
