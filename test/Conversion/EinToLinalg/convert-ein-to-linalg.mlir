// RUN: ein-opt %s -convert-ein-to-linalg -split-input-file | FileCheck %s

// CHECK: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[X:.*]]: tensor<3x4xf32>, %[[Y:.*]]: tensor<4x5xf32>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[EMPTY:.*]] = tensor.empty() : tensor<3x5xf32>
// CHECK: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<3x5xf32>)
// CHECK: linalg.contract indexing_maps = [#[[A]], #[[B]], #[[C]]] ins(%[[X]], %[[Y]] : tensor<3x4xf32>, tensor<4x5xf32>) outs(%[[FILL]] : tensor<3x5xf32>)
func.func @matmul(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  return %r : tensor<3x5xf32>
}

// -----

// A trace: a repeated input label indexes the diagonal; a reduction loop.
// CHECK: #[[DIAG:.*]] = affine_map<(d0) -> (d0, d0)>
// CHECK: #[[SCALAR:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @trace
// CHECK: cf.assert %{{.*}}, "ein.contract 'ii->': label i of operand #0 differs
// CHECK: linalg.generic {indexing_maps = [#[[DIAG]], #[[SCALAR]]], iterator_types = ["reduction"]}
// CHECK: arith.addf
func.func @trace(%m: tensor<?x?xf64>) -> tensor<f64> {
  %r = ein.contract "ii->" %m : tensor<?x?xf64> -> tensor<f64>
  return %r : tensor<f64>
}

// -----

// Diagonal embedding: values on the diagonal, zero elsewhere.
// CHECK-LABEL: func.func @embedding
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[EQ:.*]] = arith.cmpi eq, %[[I]], %[[J]] : index
// CHECK: arith.select %[[EQ]]
func.func @embedding(%v: tensor<3xf32>) -> tensor<3x3xf32> {
  %r = ein.contract "i->ii" %v : tensor<3xf32> -> tensor<3x3xf32>
  return %r : tensor<3x3xf32>
}

// -----

// Size-1 broadcasting indexes the size-1 dimension with the constant 0;
// rank-0 operands take `()`; three operands multiply.
// CHECK: #[[BCAST:.*]] = affine_map<(d0, d1) -> (0, d0)>
// CHECK: #[[S:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @broadcast_scalar
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[BCAST]], #[[S]], #{{.*}}], iterator_types = ["parallel", "reduction"]}
// CHECK: arith.mulf
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @broadcast_scalar(%a: tensor<10x2xf32>, %b: tensor<1x2xf32>, %s: tensor<f32>) -> tensor<2xf32> {
  %r = ein.contract "ij,ij,->j" %a, %b, %s : tensor<10x2xf32>, tensor<1x2xf32>, tensor<f32> -> tensor<2xf32>
  return %r : tensor<2xf32>
}

// -----

// Dynamic sizes of one label in two operands are checked at run time.
// CHECK-LABEL: func.func @dynamic
// CHECK: cf.assert %{{.*}}, "ein.contract 'ij,jk->ik': label j of operand #1 differs from its size elsewhere (dynamic sizes do not broadcast)"
// CHECK: tensor.empty(%{{.*}}, %{{.*}}) : tensor<?x?xf32>
// CHECK: linalg.contract
func.func @dynamic(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// An outer product has no reduction: no fill, the product is yielded.
// CHECK-LABEL: func.func @outer
// CHECK-NOT: linalg.fill
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK: %[[P:.*]] = arith.mulf
// CHECK-NEXT: linalg.yield %[[P]]
func.func @outer(%a: tensor<3xf32>, %b: tensor<4xf32>) -> tensor<3x4xf32> {
  %r = ein.contract "i,j->ij" %a, %b : tensor<3xf32>, tensor<4xf32> -> tensor<3x4xf32>
  return %r : tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func.func @add
// CHECK: linalg.generic
// CHECK: %[[S:.*]] = arith.addf
// CHECK: %[[T:.*]] = arith.addf %[[S]]
// CHECK: linalg.yield %[[T]]
func.func @add(%a: tensor<3x?xf32>, %b: tensor<3x?xf32>, %c: tensor<3x?xf32>) -> tensor<3x?xf32> {
  %s = ein.add %a, %b, %c : tensor<3x?xf32>
  return %s : tensor<3x?xf32>
}

// -----

// Groups are expanded first: a reshape, then a plain contraction.
// CHECK-LABEL: func.func @group
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [2, 3, 5] : tensor<6x5xf32> into tensor<2x3x5xf32>
// CHECK: linalg.contract
func.func @group(%x: tensor<8x2x3xf32>, %w: tensor<6x5xf32>) -> tensor<8x5xf32> {
  %r = ein.contract "bij,(ij)k->bk" %x, %w : tensor<8x2x3xf32>, tensor<6x5xf32> -> tensor<8x5xf32>
  return %r : tensor<8x5xf32>
}
