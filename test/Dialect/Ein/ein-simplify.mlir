// RUN: ein-opt %s -ein-simplify -cse -split-input-file | FileCheck %s
// RUN: ein-opt %s -ein-simplify=rename-labels=false -split-input-file | FileCheck %s --check-prefix=KEEP
// RUN: not ein-opt %s -ein-simplify=algorithm=fast 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: error: ein-simplify: expected algorithm none, greedy, optimal, dp or auto, found 'fast'

// Labels one operand has alone are summed first: never a 4-D loop nest.
// CHECK-LABEL: func.func @pre_reduce
// CHECK: %[[X:.*]] = ein.contract "ij->" %arg0 : tensor<512x512xf32> -> tensor<f32>
// CHECK: %[[Y:.*]] = ein.contract "kl->" %arg1 : tensor<512x512xf32> -> tensor<f32>
// CHECK: ein.contract ",->" %[[X]], %[[Y]] : tensor<f32>, tensor<f32> -> tensor<f32>
func.func @pre_reduce(%x: tensor<512x512xf32>, %y: tensor<512x512xf32>) -> tensor<f32> {
  %r = ein.contract "ij,kl->" %x, %y : tensor<512x512xf32>, tensor<512x512xf32> -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// Not when it costs more: summing `a` first (2ab) then `b,b->` (2b) loses to
// `ab,b->` (2ab).
// CHECK-LABEL: func.func @no_pre_reduce
// CHECK-NEXT: ein.contract "ab,b->" %arg0, %arg1
// CHECK-NEXT: return
func.func @no_pre_reduce(%x: tensor<3x4xf32>, %y: tensor<4xf32>) -> tensor<f32> {
  %r = ein.contract "ab,b->" %x, %y : tensor<3x4xf32>, tensor<4xf32> -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// Operands in program order and canonical label names: the two contractions
// become one after -cse.
// CHECK-LABEL: func.func @canonical
// CHECK-NEXT: %[[R:.*]] = ein.contract "ab,bc->ac" %arg0, %arg1
// CHECK-NEXT: return %[[R]], %[[R]]
// KEEP-LABEL: func.func @canonical
// KEEP-NEXT: ein.contract "xy,yz->xz" %arg0, %arg1
// KEEP-NEXT: ein.contract "ij,jk->ik" %arg0, %arg1
func.func @canonical(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> (tensor<3x5xf32>, tensor<3x5xf32>) {
  %r = ein.contract "xy,yz->xz" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  %s = ein.contract "jk,ij->ik" %b, %a : tensor<4x5xf32>, tensor<3x4xf32> -> tensor<3x5xf32>
  return %r, %s : tensor<3x5xf32>, tensor<3x5xf32>
}

// -----

// Size-1 labels are dropped; the result gets its unit axis back.
// CHECK-LABEL: func.func @unit_labels
// CHECK: %[[A:.*]] = tensor.collapse_shape %arg0 {{\[}}[0], [1, 2]] : tensor<3x1x4xf32> into tensor<3x4xf32>
// CHECK: %[[B:.*]] = tensor.collapse_shape %arg1 {{\[}}[0, 1], [2]] : tensor<1x4x5xf32> into tensor<4x5xf32>
// CHECK: %[[R:.*]] = ein.contract "ab,bc->ac" %[[A]], %[[B]]
// CHECK: tensor.expand_shape %[[R]] {{\[}}[0], [1, 2]] output_shape [3, 1, 5] : tensor<3x5xf32> into tensor<3x1x5xf32>
func.func @unit_labels(%a: tensor<3x1x4xf32>, %b: tensor<1x4x5xf32>) -> tensor<3x1x5xf32> {
  %r = ein.contract "iuj,vjk->iuk" %a, %b : tensor<3x1x4xf32>, tensor<1x4x5xf32> -> tensor<3x1x5xf32>
  return %r : tensor<3x1x5xf32>
}

// -----

// A size-1 axis broadcast against a larger one leaves that operand.
// CHECK-LABEL: func.func @broadcast
// CHECK: %[[A:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
// CHECK: ein.contract "a,ba->b" %[[A]], %arg1 : tensor<4xf32>, tensor<3x4xf32> -> tensor<3xf32>
func.func @broadcast(%a: tensor<1x4xf32>, %b: tensor<3x4xf32>) -> tensor<3xf32> {
  %r = ein.contract "ij,ij->i" %a, %b : tensor<1x4xf32>, tensor<3x4xf32> -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// -----

// Dynamic sizes stay; unit axes of the result come back with tensor.dim.
// CHECK-LABEL: func.func @dynamic
// CHECK: ein.contract "a,b->ab" %{{.*}}, %{{.*}} : tensor<?xf32>, tensor<?xf32> -> tensor<?x?xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2]] output_shape [%{{.*}}, 1, %{{.*}}] : tensor<?x?xf32> into tensor<?x1x?xf32>
func.func @dynamic(%a: tensor<?x1xf32>, %b: tensor<1x?xf32>) -> tensor<?x1x?xf32> {
  %r = ein.contract "iu,uk->iuk" %a, %b : tensor<?x1xf32>, tensor<1x?xf32> -> tensor<?x1x?xf32>
  return %r : tensor<?x1x?xf32>
}

// -----

// Rank-0 factors are multiplied first.
// CHECK-LABEL: func.func @scalars
// CHECK: %[[S:.*]] = ein.contract ",->" %arg0, %arg2 : tensor<f32>, tensor<f32> -> tensor<f32>
// CHECK: ein.contract ",ab->ab" %[[S]], %arg1
func.func @scalars(%s: tensor<f32>, %a: tensor<2x3xf32>, %t: tensor<f32>) -> tensor<2x3xf32> {
  %r = ein.contract ",ab,->ab" %s, %a, %t : tensor<f32>, tensor<2x3xf32>, tensor<f32> -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// -----

// Rank-0 constant ones go (x * 1 == x exactly, as the chain rule's seeds of
// inner derivatives make them); when one operand is left as it is, it is
// the result. Another constant, or a one with nothing else, stays.
// CHECK-LABEL: func.func @scalar_ones
// CHECK: %[[ONE:.*]] = arith.constant dense<1.000000e+00>
// CHECK: %[[TWO:.*]] = arith.constant dense<2.000000e+00>
// CHECK-NOT: ein.contract "ab,->ab" %arg0, %[[ONE]]
// CHECK: %[[P:.*]] = ein.contract "ab,->ab" %arg0, %arg1 :
// CHECK: %[[T:.*]] = ein.contract "ab,->ab" %arg0, %[[TWO]] :
// CHECK: ein.contract ",->" %[[ONE]], %[[ONE]]
// CHECK: return %arg0, %[[P]], %[[T]],
func.func @scalar_ones(%a: tensor<2x3xf32>, %s: tensor<f32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<f32>) {
  %one = arith.constant dense<1.0> : tensor<f32>
  %two = arith.constant dense<2.0> : tensor<f32>
  %x = ein.contract "ab,->ab" %a, %one : tensor<2x3xf32>, tensor<f32> -> tensor<2x3xf32>
  %y = ein.contract "ab,,->ab" %a, %one, %s : tensor<2x3xf32>, tensor<f32>, tensor<f32> -> tensor<2x3xf32>
  %z = ein.contract "ab,->ab" %a, %two : tensor<2x3xf32>, tensor<f32> -> tensor<2x3xf32>
  %w = ein.contract ",->" %one, %one : tensor<f32>, tensor<f32> -> tensor<f32>
  return %x, %y, %z, %w : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<f32>
}

// -----

// Factors delta(x, y) (a constant of ones embedded on a diagonal, as the
// derivative of a diagonal makes it) go, y renamed to x: the VJP of `ii->i`
// embeds its seed on the diagonal; with a matrix, the delta picks its
// diagonal or is the identity map. A delta that nothing else shares labels
// with, or of other values than ones, stays.
// CHECK-LABEL: func.func @deltas
// CHECK-DAG: %[[ONES:.*]] = arith.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK-DAG: %[[TWOS:.*]] = arith.constant dense<2.000000e+00> : tensor<4xf32>
// CHECK: %[[D:.*]] = ein.contract "a->aa" %[[ONES]]
// CHECK: %[[E:.*]] = ein.contract "a->aa" %[[TWOS]]
// CHECK: %[[X:.*]] = ein.contract "a->aa" %arg0 : tensor<4xf32> -> tensor<4x4xf32>
// CHECK: %[[Y:.*]] = ein.contract "aa->a" %arg1 : tensor<4x4xf32> -> tensor<4xf32>
// CHECK: %[[W:.*]] = ein.contract "a,bc->abc" %arg0, %[[D]]
// CHECK: %[[V:.*]] = ein.contract "a,ab->ab" %arg0, %[[E]]
// CHECK: return %[[X]], %[[Y]], %arg1, %[[W]], %[[V]] :
func.func @deltas(%s: tensor<4xf32>, %m: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4x4x4xf32>, tensor<4x4xf32>) {
  %ones = arith.constant dense<1.0> : tensor<4xf32>
  %twos = arith.constant dense<2.0> : tensor<4xf32>
  %d = ein.contract "a->aa" %ones : tensor<4xf32> -> tensor<4x4xf32>
  %e = ein.contract "a->aa" %twos : tensor<4xf32> -> tensor<4x4xf32>
  %x = ein.contract "i,ia->ia" %s, %d : tensor<4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
  %y = ein.contract "ij,ij->i" %m, %d : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4xf32>
  %z = ein.contract "ij,jk->ik" %m, %d : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
  %w = ein.contract "i,jk->ijk" %s, %d : tensor<4xf32>, tensor<4x4xf32> -> tensor<4x4x4xf32>
  %v = ein.contract "i,ia->ia" %s, %e : tensor<4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
  return %x, %y, %z, %w, %v : tensor<4x4xf32>, tensor<4xf32>, tensor<4x4xf32>, tensor<4x4x4xf32>, tensor<4x4xf32>
}

// -----

// Diagonals are extracted.
// CHECK-LABEL: func.func @diagonal
// CHECK: %[[D:.*]] = ein.contract "iij->ij" %arg0 : tensor<4x4x5xf32> -> tensor<4x5xf32>
// CHECK: ein.contract "ab,bc->ac" %[[D]], %arg1
func.func @diagonal(%a: tensor<4x4x5xf32>, %b: tensor<5x6xf32>) -> tensor<4x6xf32> {
  %r = ein.contract "iij,jk->ik" %a, %b : tensor<4x4x5xf32>, tensor<5x6xf32> -> tensor<4x6xf32>
  return %r : tensor<4x6xf32>
}
