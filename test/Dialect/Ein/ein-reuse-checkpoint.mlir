// Checkpointing: ein-reuse{max-stored-bytes=N} recomputes forward values
// instead of keeping more than N bytes alive for the backward pass.
// RUN: ein-opt %s --ein-core="max-stored-bytes=1" | FileCheck %s
// RUN: ein-opt %s --ein-core="max-stored-bytes=1 cost-report=true" -o /dev/null | FileCheck %s --check-prefix=BOUND
// RUN: ein-opt %s --ein-cost-report="max-stored-bytes=1" -o /dev/null | FileCheck %s --check-prefix=BOUND
// RUN: ein-opt %s --ein-cost-report="max-stored-bytes=2048" -o /dev/null | FileCheck %s --check-prefix=FITS
// RUN: ein-opt %s --ein-cost-report -o /dev/null | FileCheck %s --check-prefix=FITS

func.func @f(%a0: tensor<4x8x8xf64>, %a1: tensor<4x8x8xf64>, %a2: tensor<4x8x8xf64>) -> tensor<4x8x8xf64> {
  %r = ein.contract "bij,bjk,bkl->bil" %a0, %a1, %a2 : tensor<4x8x8xf64>, tensor<4x8x8xf64>, tensor<4x8x8xf64> -> tensor<4x8x8xf64>
  return %r : tensor<4x8x8xf64>
}
func.func @all(%a0: tensor<4x8x8xf64>, %a1: tensor<4x8x8xf64>, %a2: tensor<4x8x8xf64>, %s: tensor<4x8x8xf64>) -> (tensor<4x8x8xf64>, tensor<4x8x8xf64>, tensor<4x8x8xf64>, tensor<4x8x8xf64>) {
  %y = func.call @f(%a0, %a1, %a2) : (tensor<4x8x8xf64>, tensor<4x8x8xf64>, tensor<4x8x8xf64>) -> tensor<4x8x8xf64>
  %g0 = ein.grad "bil,bil%ABC->ABC" %s, @f(%a0, %a1, %a2) wrt 0 : (tensor<4x8x8xf64>, tensor<4x8x8xf64>, tensor<4x8x8xf64>, tensor<4x8x8xf64>) -> tensor<4x8x8xf64>
  %g1 = ein.grad "bil,bil%ABC->ABC" %s, @f(%a0, %a1, %a2) wrt 1 : (tensor<4x8x8xf64>, tensor<4x8x8xf64>, tensor<4x8x8xf64>, tensor<4x8x8xf64>) -> tensor<4x8x8xf64>
  %g2 = ein.grad "bil,bil%ABC->ABC" %s, @f(%a0, %a1, %a2) wrt 2 : (tensor<4x8x8xf64>, tensor<4x8x8xf64>, tensor<4x8x8xf64>, tensor<4x8x8xf64>) -> tensor<4x8x8xf64>
  return %y, %g0, %g1, %g2 : tensor<4x8x8xf64>, tensor<4x8x8xf64>, tensor<4x8x8xf64>, tensor<4x8x8xf64>
}

// A.B (4*8*8 f64 = 2048 bytes) is what C's gradient needs; with a 1-byte
// bound it is recomputed (marked ein.recompute) right before that use.
// CHECK-LABEL: func.func @all(
// CHECK-SAME: %[[A:[a-z0-9]+]]: tensor<4x8x8xf64>, %[[B:[a-z0-9]+]]: tensor<4x8x8xf64>, %[[C:[a-z0-9]+]]: tensor<4x8x8xf64>, %[[G:[a-z0-9]+]]: tensor<4x8x8xf64>)
// CHECK: %[[AB:.*]] = ein.contract "bij,bjk->bik" %[[A]], %[[B]] :
// CHECK: %[[Y:.*]] = ein.contract "bkl,bik->bil" %[[C]], %[[AB]]
// CHECK-NOT: %[[AB]]
// CHECK: %[[AB2:.*]] = ein.contract "bij,bjk->bik" %[[A]], %[[B]] {ein.recompute}
// CHECK-NEXT: %[[GC:.*]] = ein.contract "bil,bik->bkl" %[[G]], %[[AB2]]
// CHECK: return %[[Y]], %{{.*}}, %{{.*}}, %[[GC]]

// BOUND: ein-cost: {"function":"f","contractions":2,"flops":8192,
// BOUND: ein-cost: {"function":"all","contractions":7,"flops":28672,"largest_intermediate":256,"stored_bytes":0,"recomputed_flops":4096}
// FITS: ein-cost: {"function":"f","contractions":2,"flops":8192,
// FITS: ein-cost: {"function":"all","contractions":6,"flops":24576,"largest_intermediate":256,"stored_bytes":2048,"recomputed_flops":0}
