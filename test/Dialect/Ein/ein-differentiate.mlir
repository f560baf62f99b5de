// RUN: ein-opt %s --ein-differentiate --canonicalize | FileCheck %s

func.func private @f(%x: tensor<4xf64>, %w: tensor<3x4xf64>) -> tensor<3xf64> {
  %y = ein.contract "ij,j->i" %w, %x : tensor<3x4xf64>, tensor<4xf64> -> tensor<3xf64>
  %t = math.tanh %y : tensor<3xf64>
  return %t : tensor<3xf64>
}

// Reverse mode: the cotangent z * (1 - t^2) contracted with W.
// CHECK-LABEL: func.func @vjp(
// CHECK-SAME: %[[Z:.*]]: tensor<3xf64>, %[[X:.*]]: tensor<4xf64>, %[[W:.*]]: tensor<3x4xf64>)
// CHECK: %[[Y:.*]] = ein.contract "ij,j->i" %[[W]], %[[X]]
// CHECK: %[[T:.*]] = math.tanh %[[Y]]
// CHECK: %[[T2:.*]] = arith.mulf %[[T]], %[[T]]
// CHECK: %[[D:.*]] = arith.subf %{{.*}}, %[[T2]]
// CHECK: %[[CT:.*]] = arith.mulf %[[Z]], %[[D]]
// CHECK: %[[G:.*]] = ein.contract "i,ij->j" %[[CT]], %[[W]]
// CHECK: return %[[G]]
func.func @vjp(%z: tensor<3xf64>, %x: tensor<4xf64>, %w: tensor<3x4xf64>) -> tensor<4xf64> {
  %g = ein.grad "i,i%j->j" %z, @f(%x, %w) : (tensor<3xf64>, tensor<4xf64>, tensor<3x4xf64>) -> tensor<4xf64>
  return %g : tensor<4xf64>
}

// Forward mode: the tangent W v scaled by 1 - t^2.
// CHECK-LABEL: func.func @jvp(
// CHECK-SAME: %[[X:.*]]: tensor<4xf64>, %[[W:.*]]: tensor<3x4xf64>, %[[V:.*]]: tensor<4xf64>)
// CHECK: %[[TV:.*]] = ein.contract "ij,j->i" %[[W]], %[[V]]
// CHECK: %[[R:.*]] = arith.mulf %[[TV]], %{{.*}}
// CHECK: return %[[R]]
func.func @jvp(%x: tensor<4xf64>, %w: tensor<3x4xf64>, %v: tensor<4xf64>) -> tensor<3xf64> {
  %g = ein.grad "i%j,j->i" @f(%x, %w), %v : (tensor<4xf64>, tensor<3x4xf64>, tensor<4xf64>) -> tensor<3xf64>
  return %g : tensor<3xf64>
}

// A Jacobian is one reverse sweep batched over Y's label: the seed is an
// identity, every derivative contraction carries the batch label.
// CHECK-LABEL: func.func @jacobian(
// CHECK: %[[I:.*]] = ein.contract "A->AA" %{{.*}} : tensor<3xf64> -> tensor<3x3xf64>
// CHECK: %[[S:.*]] = ein.contract "AB,B->AB" %[[I]], %{{.*}} : tensor<3x3xf64>, tensor<3xf64> -> tensor<3x3xf64>
// CHECK: %[[J:.*]] = ein.contract "ai,ij->aj" %[[S]], %{{.*}} : tensor<3x3xf64>, tensor<3x4xf64> -> tensor<3x4xf64>
// CHECK: return %[[J]]
func.func @jacobian(%x: tensor<4xf64>, %w: tensor<3x4xf64>) -> tensor<3x4xf64> {
  %j = ein.grad "i%j->ij" @f(%x, %w) : (tensor<4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>
  return %j : tensor<3x4xf64>
}

// Differentiating the split forward: the gradient for C contracts the
// cotangent with the forward's intermediate A.B instead of recomputing it.
func.func private @abc(%a: tensor<2x3xf64>, %b: tensor<3x4xf64>, %c: tensor<4x5xf64>) -> tensor<2x5xf64> {
  %ab = ein.contract "ij,jk->ik" %a, %b : tensor<2x3xf64>, tensor<3x4xf64> -> tensor<2x4xf64>
  %r = ein.contract "ik,kl->il" %ab, %c : tensor<2x4xf64>, tensor<4x5xf64> -> tensor<2x5xf64>
  return %r : tensor<2x5xf64>
}
// CHECK-LABEL: func.func @vjp_c(
// CHECK-SAME: %[[G:.*]]: tensor<2x5xf64>, %[[A:.*]]: tensor<2x3xf64>, %[[B:.*]]: tensor<3x4xf64>, %{{.*}}: tensor<4x5xf64>)
// CHECK-NEXT: %[[AB:.*]] = ein.contract "ij,jk->ik" %[[A]], %[[B]]
// CHECK-NEXT: %[[R:.*]] = ein.contract "il,ik->kl" %[[G]], %[[AB]]
// CHECK-NEXT: return %[[R]]
func.func @vjp_c(%g: tensor<2x5xf64>, %a: tensor<2x3xf64>, %b: tensor<3x4xf64>, %c: tensor<4x5xf64>) -> tensor<4x5xf64> {
  %r = ein.grad "il,il%kl->kl" %g, @abc(%a, %b, %c) wrt 2 : (tensor<2x5xf64>, tensor<2x3xf64>, tensor<3x4xf64>, tensor<4x5xf64>) -> tensor<4x5xf64>
  return %r : tensor<4x5xf64>
}

// A provably separable batch label is not batched over: one reverse sweep
// seeded with ones, no identity.
func.func private @batch(%x: tensor<5x4xf64>, %w: tensor<3x4xf64>) -> tensor<5xf64> {
  %y = ein.contract "ij,bj->bi" %w, %x : tensor<3x4xf64>, tensor<5x4xf64> -> tensor<5x3xf64>
  %t = math.tanh %y : tensor<5x3xf64>
  %s = ein.contract "bi->b" %t : tensor<5x3xf64> -> tensor<5xf64>
  return %s : tensor<5xf64>
}
// CHECK-LABEL: func.func @batchgrad(
// CHECK-NOT: "A->AA"
// CHECK: %[[G:.*]] = ein.contract "bi,ij->bj" %{{.*}}, %{{.*}} : tensor<5x3xf64>, tensor<3x4xf64> -> tensor<5x4xf64>
// CHECK-NEXT: return %[[G]]
func.func @batchgrad(%x: tensor<5x4xf64>, %w: tensor<3x4xf64>) -> tensor<5x4xf64> {
  %g = ein.grad "b%bj->bj" @batch(%x, %w) : (tensor<5x4xf64>, tensor<3x4xf64>) -> tensor<5x4xf64>
  return %g : tensor<5x4xf64>
}

// The gradient of a trace embeds the cotangent on the diagonal.
func.func private @trace(%x: tensor<4x4xf64>) -> tensor<f64> {
  %t = ein.contract "ii->" %x : tensor<4x4xf64> -> tensor<f64>
  return %t : tensor<f64>
}
// CHECK-LABEL: func.func @tracegrad(
// CHECK: %[[I:.*]] = ein.contract "A->AA" %{{.*}} : tensor<4xf64> -> tensor<4x4xf64>
// CHECK: return %[[I]]
func.func @tracegrad(%x: tensor<4x4xf64>) -> tensor<4x4xf64> {
  %g = ein.grad ",%ij->ij" @trace(%x) : (tensor<4x4xf64>) -> tensor<4x4xf64>
  return %g : tensor<4x4xf64>
}

// Hessians: the inner ein.grad is expanded first; the outer one
// differentiates its derivative code. No ein.grad is left.
func.func private @quad(%x: tensor<4xf64>, %a: tensor<4x4xf64>) -> tensor<f64> {
  %q = ein.contract "i,ij,j->" %x, %a, %x : tensor<4xf64>, tensor<4x4xf64>, tensor<4xf64> -> tensor<f64>
  return %q : tensor<f64>
}
func.func private @quadgrad(%x: tensor<4xf64>, %a: tensor<4x4xf64>) -> tensor<4xf64> {
  %g = ein.grad ",%j->j" @quad(%x, %a) : (tensor<4xf64>, tensor<4x4xf64>) -> tensor<4xf64>
  return %g : tensor<4xf64>
}
// CHECK-LABEL: func.func @hessian(
// CHECK-NOT: ein.grad
// CHECK: return %{{.*}} : tensor<4x4xf64>
func.func @hessian(%x: tensor<4xf64>, %a: tensor<4x4xf64>) -> tensor<4x4xf64> {
  %h = ein.grad "j%k->jk" @quadgrad(%x, %a) : (tensor<4xf64>, tensor<4x4xf64>) -> tensor<4x4xf64>
  return %h : tensor<4x4xf64>
}


// Y = X: the Jacobian is the identity; Y independent of X: zeros.
func.func private @id(%x: tensor<3xf64>) -> tensor<3xf64> {
  return %x : tensor<3xf64>
}
func.func private @other(%x: tensor<3xf64>, %w: tensor<3xf64>) -> tensor<3xf64> {
  return %w : tensor<3xf64>
}
// CHECK-LABEL: func.func @trivial(
// CHECK-DAG: %[[ONES:.*]] = arith.constant dense<1.000000e+00> : tensor<3xf64>
// CHECK-DAG: %[[ZEROS:.*]] = arith.constant dense<0.000000e+00> : tensor<3xf64>
// CHECK: %[[I:.*]] = ein.contract "A->AA" %[[ONES]]
// CHECK: return %[[I]], %[[ZEROS]]
func.func @trivial(%x: tensor<3xf64>, %w: tensor<3xf64>) -> (tensor<3x3xf64>, tensor<3xf64>) {
  %a = ein.grad "i%j->ij" @id(%x) : (tensor<3xf64>) -> tensor<3x3xf64>
  %b = ein.grad "i,i%j->j" %w, @other(%x, %w) : (tensor<3xf64>, tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  return %a, %b : tensor<3x3xf64>, tensor<3xf64>
}
