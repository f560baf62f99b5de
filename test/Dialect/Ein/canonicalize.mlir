// RUN: ein-opt %s -canonicalize -cse -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @identity_folds
// CHECK-SAME: (%[[A:.*]]: tensor<3x4xf32>, %[[D:.*]]: tensor<?x4xf32>, %[[E:.*]]: tensor<2x3x4xf32>)
// CHECK-NOT: ein.contract
// CHECK: return %[[A]], %[[D]], %[[E]]
func.func @identity_folds(%a: tensor<3x4xf32>, %d: tensor<?x4xf32>, %e: tensor<2x3x4xf32>)
    -> (tensor<3x4xf32>, tensor<?x4xf32>, tensor<2x3x4xf32>) {
  %r = ein.contract "ij->ij" %a : tensor<3x4xf32> -> tensor<3x4xf32>
  %s = ein.contract "ij->ij" %d : tensor<?x4xf32> -> tensor<?x4xf32>
  %t = ein.contract "...ij->...ij" %e : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return %r, %s, %t : tensor<3x4xf32>, tensor<?x4xf32>, tensor<2x3x4xf32>
}

// -----

// Not identities: a transpose, a diagonal, an embedding, a permuted group.
// CHECK-LABEL: func.func @not_identities
// CHECK: ein.contract "ij->ji"
// CHECK: ein.contract "ii->i"
// CHECK: ein.contract "ii->ii"
// CHECK: ein.contract "(ij)->(ji)"
func.func @not_identities(%a: tensor<3x3xf32>, %v: tensor<6xf32>)
    -> (tensor<3x3xf32>, tensor<3xf32>, tensor<3x3xf32>, tensor<6xf32>) {
  %r = ein.contract "ij->ji" %a : tensor<3x3xf32> -> tensor<3x3xf32>
  %s = ein.contract "ii->i" %a : tensor<3x3xf32> -> tensor<3xf32>
  %t = ein.contract "ii->ii" %a : tensor<3x3xf32> -> tensor<3x3xf32>
  %u = ein.contract "(ij)->(ji)" %v : tensor<6xf32> -> tensor<6xf32>
  return %r, %s, %t, %u : tensor<3x3xf32>, tensor<3xf32>, tensor<3x3xf32>, tensor<6xf32>
}

// -----

// A group kept as it is, is the identity too.
// CHECK-LABEL: func.func @group_identity
// CHECK-SAME: (%[[V:.*]]: tensor<6xf32>)
// CHECK-NOT: ein.contract
// CHECK: return %[[V]]
func.func @group_identity(%v: tensor<6xf32>) -> tensor<6xf32> {
  %u = ein.contract "(ij)->(ij)" %v : tensor<6xf32> -> tensor<6xf32>
  return %u : tensor<6xf32>
}

// -----

// CHECK-LABEL: func.func @add_single_operand
// CHECK-SAME: (%[[A:.*]]: tensor<3x4xf32>)
// CHECK-NOT: ein.add
// CHECK: return %[[A]]
func.func @add_single_operand(%a: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %s = ein.add %a : tensor<3x4xf32>
  return %s : tensor<3x4xf32>
}

// -----

// Contractions are pure: unused ones are erased and equal ones are shared.
// CHECK-LABEL: func.func @pure
// CHECK-COUNT-1: ein.contract "ij,jk->ik"
// CHECK-NOT: ein.contract
func.func @pure(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %unused = ein.contract "ij,jk->ik" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  %s = ein.contract "ij,jk->ik" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  %t = ein.add %r, %s : tensor<3x5xf32>
  return %t : tensor<3x5xf32>
}
