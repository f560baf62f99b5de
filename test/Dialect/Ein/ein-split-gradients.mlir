// RUN: ein-opt %s --ein-split -o /dev/null 2>&1 | FileCheck %s

// Forward only, summing e inside the product is cheapest: "ebd,bd->bd"
// (1560) then "abd,bd->a" (416).
// CHECK: remark: contraction path [(1, 2), (0, 1)]: 1976 FLOPs
// CHECK-NOT: forward + backward
func.func @forward(%x: tensor<8x2x13xf64>, %y: tensor<30x2x13xf64>, %z: tensor<2x13xf64>) -> tensor<8xf64> {
  %r = ein.contract "abd,ebd,bd->a" %x, %y, %z : tensor<8x2x13xf64>, tensor<30x2x13xf64>, tensor<2x13xf64> -> tensor<8xf64>
  return %r : tensor<8xf64>
}

// When the gradients of all operands are asked for, the adjoint of
// "ebd,bd->bd" with respect to bd would sum e again (1560 FLOPs), while that
// of a pre-reduction "ebd->bd" is a broadcast (780): the forward tree with
// the cheaper forward + backward (3458 instead of 4940 FLOPs) is chosen.
// CHECK: remark: contraction path [(1,), (1, 2), (0, 1)]: 2002 FLOPs {{.*}}; chosen for forward + backward: 3458 FLOPs
func.func @f(%x: tensor<8x2x13xf64>, %y: tensor<30x2x13xf64>, %z: tensor<2x13xf64>) -> tensor<8xf64> {
  %r = ein.contract "abd,ebd,bd->a" %x, %y, %z : tensor<8x2x13xf64>, tensor<30x2x13xf64>, tensor<2x13xf64> -> tensor<8xf64>
  return %r : tensor<8xf64>
}
func.func @grads(%x: tensor<8x2x13xf64>, %y: tensor<30x2x13xf64>, %z: tensor<2x13xf64>, %s: tensor<8xf64>) -> (tensor<8x2x13xf64>, tensor<30x2x13xf64>, tensor<2x13xf64>) {
  %gx = ein.grad "a,a%ABC->ABC" %s, @f(%x, %y, %z) wrt 0 : (tensor<8xf64>, tensor<8x2x13xf64>, tensor<30x2x13xf64>, tensor<2x13xf64>) -> tensor<8x2x13xf64>
  %gy = ein.grad "a,a%ABC->ABC" %s, @f(%x, %y, %z) wrt 1 : (tensor<8xf64>, tensor<8x2x13xf64>, tensor<30x2x13xf64>, tensor<2x13xf64>) -> tensor<30x2x13xf64>
  %gz = ein.grad "a,a%AB->AB" %s, @f(%x, %y, %z) wrt 2 : (tensor<8xf64>, tensor<8x2x13xf64>, tensor<30x2x13xf64>, tensor<2x13xf64>) -> tensor<2x13xf64>
  return %gx, %gy, %gz : tensor<8x2x13xf64>, tensor<30x2x13xf64>, tensor<2x13xf64>
}
