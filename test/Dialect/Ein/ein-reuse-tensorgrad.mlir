// TensorGrad.jl's example A[i,k] = B[i,j] C[j,k] D[l,l] with the gradients
// of B, C and D: B.C and trace(D) are computed once, shared by the forward
// and every gradient, and no contraction is computed twice.
// RUN: ein-opt %s --ein-core | FileCheck %s
// RUN: ein-opt %s --ein-core="cost-report=true" -o /dev/null | FileCheck %s --check-prefix=COST

func.func @f(%b: tensor<8x16xf64>, %c: tensor<16x4xf64>, %d: tensor<5x5xf64>) -> tensor<8x4xf64> {
  %a = ein.contract "ij,jk,ll->ik" %b, %c, %d : tensor<8x16xf64>, tensor<16x4xf64>, tensor<5x5xf64> -> tensor<8x4xf64>
  return %a : tensor<8x4xf64>
}

// CHECK-LABEL: func.func @all(
// CHECK-SAME: %[[B:[a-z0-9]+]]: tensor<8x16xf64>, %[[C:[a-z0-9]+]]: tensor<16x4xf64>, %[[D:[a-z0-9]+]]: tensor<5x5xf64>, %[[G:[a-z0-9]+]]: tensor<8x4xf64>)
// CHECK-DAG: %[[T:.*]] = ein.contract "ll->" %[[D]]
// CHECK-DAG: %[[BC:.*]] = ein.contract "ij,jk->ik" %[[B]], %[[C]]
// CHECK: %[[A:.*]] = ein.contract ",ik->ik" %[[T]], %[[BC]]
// The cotangent of B.C is G * trace(D); D's gradient reads B.C.
// CHECK: %[[GT:.*]] = ein.contract "ik,->ik" %[[G]], %[[T]]
// CHECK: %[[GB:.*]] = ein.contract "jk,ik->ij" %[[C]], %[[GT]]
// CHECK: %[[GC:.*]] = ein.contract "ij,ik->jk" %[[B]], %[[GT]]
// CHECK: %[[GD:.*]] = ein.contract "ik,ik->" %[[G]], %[[BC]]
// CHECK-NOT: "ll->"
// CHECK-NOT: "ij,jk->ik"
// CHECK: %[[GDD:.*]] = ein.contract ",la->la" %[[GD]], %{{.*}}
// CHECK: return %[[A]], %[[GB]], %[[GC]], %[[GDD]]
func.func @all(%b: tensor<8x16xf64>, %c: tensor<16x4xf64>, %d: tensor<5x5xf64>, %g: tensor<8x4xf64>) -> (tensor<8x4xf64>, tensor<8x16xf64>, tensor<16x4xf64>, tensor<5x5xf64>) {
  %a = func.call @f(%b, %c, %d) : (tensor<8x16xf64>, tensor<16x4xf64>, tensor<5x5xf64>) -> tensor<8x4xf64>
  %gb = ein.grad "ik,ik%xy->xy" %g, @f(%b, %c, %d) wrt 0 : (tensor<8x4xf64>, tensor<8x16xf64>, tensor<16x4xf64>, tensor<5x5xf64>) -> tensor<8x16xf64>
  %gc = ein.grad "ik,ik%xy->xy" %g, @f(%b, %c, %d) wrt 1 : (tensor<8x4xf64>, tensor<8x16xf64>, tensor<16x4xf64>, tensor<5x5xf64>) -> tensor<16x4xf64>
  %gd = ein.grad "ik,ik%xy->xy" %g, @f(%b, %c, %d) wrt 2 : (tensor<8x4xf64>, tensor<8x16xf64>, tensor<16x4xf64>, tensor<5x5xf64>) -> tensor<5x5xf64>
  return %a, %gb, %gc, %gd : tensor<8x4xf64>, tensor<8x16xf64>, tensor<16x4xf64>, tensor<5x5xf64>
}

// Forward: trace (2*5 = 10), B.C (2*8*16*4 = 1024), scaling (32). The
// gradients: G*t (32), two adjoints of B.C (1024 each), <G, B.C> (64), the
// identity (5) and its scaling (25).
// COST: ein-cost: {"function":"f","contractions":3,"flops":1066,"largest_intermediate":32,"stored_bytes":0,"recomputed_flops":0}
// COST: ein-cost: {"function":"all","contractions":9,"flops":3240,"largest_intermediate":128,"stored_bytes":264,"recomputed_flops":0}
