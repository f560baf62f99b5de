// RUN: ein-opt %s | FileCheck %s
// Round trip: print, parse the printed form again, and compare.
// RUN: ein-opt %s | ein-opt | FileCheck %s
// RUN: ein-opt %s --mlir-print-op-generic | ein-opt | FileCheck %s
// RUN: ein-opt %s -emit-bytecode | ein-opt | FileCheck %s

func.func @f(%x: tensor<4xf64>, %w: tensor<3x4xf64>) -> tensor<3xf64> {
  %y = ein.contract "ij,j->i" %w, %x : tensor<3x4xf64>, tensor<4xf64> -> tensor<3xf64>
  return %y : tensor<3xf64>
}

func.func @loss(%x: tensor<4xf64>) -> tensor<f64> {
  %s = ein.contract "i,i->" %x, %x : tensor<4xf64>, tensor<4xf64> -> tensor<f64>
  return %s : tensor<f64>
}

func.func @batched(%x: tensor<?x4xf32>) -> tensor<?xf32> {
  %s = ein.contract "bj->b" %x : tensor<?x4xf32> -> tensor<?xf32>
  return %s : tensor<?xf32>
}

// CHECK-LABEL: func.func @forms
// CHECK-SAME: (%[[Z:.*]]: tensor<3xf64>, %[[X:.*]]: tensor<4xf64>, %[[W:.*]]: tensor<3x4xf64>, %[[V:.*]]: tensor<4xf64>, %[[B:.*]]: tensor<?x4xf32>)
func.func @forms(%z: tensor<3xf64>, %x: tensor<4xf64>, %w: tensor<3x4xf64>, %v: tensor<4xf64>, %bx: tensor<?x4xf32>) {
  // CHECK: ein.grad "i,i%j->j" %[[Z]], @f(%[[X]], %[[W]]) : (tensor<3xf64>, tensor<4xf64>, tensor<3x4xf64>) -> tensor<4xf64>
  %vjp = ein.grad "i,i%j->j" %z, @f(%x, %w) wrt 0 : (tensor<3xf64>, tensor<4xf64>, tensor<3x4xf64>) -> tensor<4xf64>
  // CHECK: ein.grad "i%j,j->i" @f(%[[X]], %[[W]]), %[[V]] : (tensor<4xf64>, tensor<3x4xf64>, tensor<4xf64>) -> tensor<3xf64>
  %jvp = ein.grad "i%j,j->i" @f(%x, %w), %v : tensor<4xf64>, tensor<3x4xf64>, tensor<4xf64> -> tensor<3xf64>
  // CHECK: ein.grad "i%j->ij" @f(%[[X]], %[[W]]) : (tensor<4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>
  %jac = ein.grad "i%j->ij" @f(%x, %w) : (tensor<4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>
  // CHECK: ein.grad "i,i%jk->jk" %[[Z]], @f(%[[X]], %[[W]]) wrt 1 : (tensor<3xf64>, tensor<4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>
  %dw = ein.grad "i,i%jk->jk" %z, @f(%x, %w) wrt 1 : (tensor<3xf64>, tensor<4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>
  // CHECK: ein.grad "%j->j" @loss(%[[X]]) : (tensor<4xf64>) -> tensor<4xf64>
  %grad = ein.grad "%j->j" @loss(%x) : (tensor<4xf64>) -> tensor<4xf64>
  // CHECK: ein.grad "b%bj->bj" @batched(%[[B]]) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %bg = ein.grad "b%bj->bj" @batched(%bx) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}
