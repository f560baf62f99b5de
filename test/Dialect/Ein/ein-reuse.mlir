// RUN: ein-opt %s --split-input-file --ein-reuse | FileCheck %s

// Equal up to operand order and label renaming: computed once.
// CHECK-LABEL: func.func @operand_order
// CHECK-COUNT-1: ein.contract
// CHECK-NOT: ein.contract
// CHECK: return %[[R:.*]], %[[R]]
func.func @operand_order(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> (tensor<3x5xf32>, tensor<3x5xf32>) {
  %0 = ein.contract "ij,jk->ik" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  %1 = ein.contract "yz,xy->xz" %b, %a : tensor<4x5xf32>, tensor<3x4xf32> -> tensor<3x5xf32>
  return %0, %1 : tensor<3x5xf32>, tensor<3x5xf32>
}

// -----

// The same value with its axes transposed: a contraction user reads the
// first result with its term permuted, no second product and no transpose.
// CHECK-LABEL: func.func @transposed_user
// CHECK: %[[P:.*]] = ein.contract "ij,jk->ik" %{{.*}}, %{{.*}}
// CHECK-NEXT: %[[S:.*]] = ein.contract "ab->" %[[P]]
// CHECK-NEXT: return %[[P]], %[[S]]
func.func @transposed_user(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> (tensor<3x5xf32>, tensor<f32>) {
  %0 = ein.contract "ij,jk->ik" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  %1 = ein.contract "ij,jk->ki" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<5x3xf32>
  %2 = ein.contract "ba->" %1 : tensor<5x3xf32> -> tensor<f32>
  return %0, %2 : tensor<3x5xf32>, tensor<f32>
}

// -----

// Other users get a transpose of the first result.
// CHECK-LABEL: func.func @transposed_return
// CHECK: %[[P:.*]] = ein.contract "ij,jk->ik"
// CHECK-NEXT: %[[T:.*]] = ein.contract "AB->BA" %[[P]] : tensor<3x5xf32> -> tensor<5x3xf32>
// CHECK-NEXT: return %[[P]], %[[T]]
func.func @transposed_return(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> (tensor<3x5xf32>, tensor<5x3xf32>) {
  %0 = ein.contract "ij,jk->ik" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  %1 = ein.contract "ij,jk->ki" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<5x3xf32>
  return %0, %1 : tensor<3x5xf32>, tensor<5x3xf32>
}

// -----

// A * A^T twice with the equal operands in either order; A^T * A is a
// different value and stays.
// CHECK-LABEL: func.func @equal_operands
// CHECK: %[[G:.*]] = ein.contract "ij,kj->ik"
// CHECK-NEXT: %[[H:.*]] = ein.contract "ji,jk->ik"
// CHECK-NEXT: return %[[G]], %[[G]], %[[H]]
func.func @equal_operands(%a: tensor<3x4xf32>) -> (tensor<3x3xf32>, tensor<3x3xf32>, tensor<4x4xf32>) {
  %0 = ein.contract "ij,kj->ik" %a, %a : tensor<3x4xf32>, tensor<3x4xf32> -> tensor<3x3xf32>
  %1 = ein.contract "kj,ij->ki" %a, %a : tensor<3x4xf32>, tensor<3x4xf32> -> tensor<3x3xf32>
  %2 = ein.contract "ji,jk->ik" %a, %a : tensor<3x4xf32>, tensor<3x4xf32> -> tensor<4x4xf32>
  return %0, %1, %2 : tensor<3x3xf32>, tensor<3x3xf32>, tensor<4x4xf32>
}

// -----

// Different operands, a different diagonal, a different sum: all stay.
// CHECK-LABEL: func.func @not_equal
// CHECK-COUNT-4: ein.contract
func.func @not_equal(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = ein.contract "ij,jk->i" %a, %b : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4xf32>
  %1 = ein.contract "ij,jk->i" %b, %a : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4xf32>
  %2 = ein.contract "ij,jk->k" %a, %b : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4xf32>
  %3 = ein.contract "ii,ik->i" %a, %b : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Calls are inlined, so the caller's own A.B and the callee's are one; the
// merge makes the two tanh equal for cse, and then the contractions that
// read them.
// CHECK-LABEL: func.func @caller
// CHECK-NOT: call
// CHECK: %[[P:.*]] = ein.contract "jk,ij->ik"
// CHECK-NEXT: %[[T:.*]] = math.tanh %[[P]]
// CHECK-NEXT: %[[S:.*]] = ein.contract "xy->" %[[T]]
// CHECK-NEXT: return %[[S]], %[[S]]
func.func private @callee(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<f32> {
  %0 = ein.contract "ij,jk->ik" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  %1 = math.tanh %0 : tensor<3x5xf32>
  %2 = ein.contract "ik->" %1 : tensor<3x5xf32> -> tensor<f32>
  return %2 : tensor<f32>
}
func.func @caller(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> (tensor<f32>, tensor<f32>) {
  %0 = ein.contract "jk,ij->ik" %b, %a : tensor<4x5xf32>, tensor<3x4xf32> -> tensor<3x5xf32>
  %1 = math.tanh %0 : tensor<3x5xf32>
  %2 = ein.contract "xy->" %1 : tensor<3x5xf32> -> tensor<f32>
  %3 = func.call @callee(%a, %b) : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<f32>
  return %2, %3 : tensor<f32>, tensor<f32>
}
