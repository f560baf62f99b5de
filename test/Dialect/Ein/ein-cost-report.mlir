// RUN: ein-opt %s --ein-cost-report -o /dev/null | FileCheck %s
// RUN: ein-opt %s --ein-core --ein-cost-report -o /dev/null | FileCheck %s
// RUN: ein-opt %s --ein-to-linalg="cost-report=true" -o /dev/null | FileCheck %s
// Lowered to linalg, the contractions are counted from linalg ops.
// RUN: ein-opt %s --ein-to-linalg --ein-cost-report -o /dev/null | FileCheck %s --check-prefix=LINALG

// The path ein-split takes: two batched products of 2*32*64^3 FLOPs.
// CHECK: ein-cost: {"function":"chain","contractions":2,"flops":33554432,"largest_intermediate":131072,"stored_bytes":0,"recomputed_flops":0}
// LINALG: ein-cost: {"function":"chain","contractions":2,"flops":33554432,"largest_intermediate":131072,"stored_bytes":0,"recomputed_flops":0}
func.func @chain(%a: tensor<32x64x64xf32>, %b: tensor<32x64x64xf32>, %c: tensor<32x64x64xf32>) -> tensor<32x64x64xf32> {
  %r = ein.contract "bij,bjk,bkl->bil" %a, %b, %c : tensor<32x64x64xf32>, tensor<32x64x64xf32>, tensor<32x64x64xf32> -> tensor<32x64x64xf32>
  return %r : tensor<32x64x64xf32>
}

// Output and the VJPs of all three operands: the forward (2 products), the
// adjoint of the outer product (2) and of the inner one (2): 3x the forward.
// Forward values kept for the backward: A.B (32*64*64 f32 = 524288 bytes).
// CHECK: ein-cost: {"function":"all","contractions":6,"flops":100663296,"largest_intermediate":131072,"stored_bytes":524288,"recomputed_flops":0}
// LINALG: ein-cost: {"function":"all","contractions":6,"flops":100663296,"largest_intermediate":131072,"stored_bytes":524288,"recomputed_flops":0}
func.func @all(%a: tensor<32x64x64xf32>, %b: tensor<32x64x64xf32>, %c: tensor<32x64x64xf32>, %g: tensor<32x64x64xf32>) -> (tensor<32x64x64xf32>, tensor<32x64x64xf32>, tensor<32x64x64xf32>, tensor<32x64x64xf32>) {
  %y = func.call @chain(%a, %b, %c) : (tensor<32x64x64xf32>, tensor<32x64x64xf32>, tensor<32x64x64xf32>) -> tensor<32x64x64xf32>
  %ga = ein.grad "bil,bil%xyz->xyz" %g, @chain(%a, %b, %c) wrt 0 : (tensor<32x64x64xf32>, tensor<32x64x64xf32>, tensor<32x64x64xf32>, tensor<32x64x64xf32>) -> tensor<32x64x64xf32>
  %gb = ein.grad "bil,bil%xyz->xyz" %g, @chain(%a, %b, %c) wrt 1 : (tensor<32x64x64xf32>, tensor<32x64x64xf32>, tensor<32x64x64xf32>, tensor<32x64x64xf32>) -> tensor<32x64x64xf32>
  %gc = ein.grad "bil,bil%bkl->bkl" %g, @chain(%a, %b, %c) wrt 2 : (tensor<32x64x64xf32>, tensor<32x64x64xf32>, tensor<32x64x64xf32>, tensor<32x64x64xf32>) -> tensor<32x64x64xf32>
  return %y, %ga, %gb, %gc : tensor<32x64x64xf32>, tensor<32x64x64xf32>, tensor<32x64x64xf32>, tensor<32x64x64xf32>
}

// Calls count their callee's contractions (2 x 33554432 FLOPs), elementwise
// ops none; the sum (2 * 131072) and the scaling (131072) count.
// CHECK: ein-cost: {"function":"twice","contractions":6,"flops":67502080,"largest_intermediate":131072,"stored_bytes":0,"recomputed_flops":0}
func.func @twice(%a: tensor<32x64x64xf32>, %b: tensor<32x64x64xf32>) -> tensor<32x64x64xf32> {
  %0 = func.call @chain(%a, %b, %a) : (tensor<32x64x64xf32>, tensor<32x64x64xf32>, tensor<32x64x64xf32>) -> tensor<32x64x64xf32>
  %1 = math.tanh %0 : tensor<32x64x64xf32>
  %2 = func.call @chain(%1, %b, %a) : (tensor<32x64x64xf32>, tensor<32x64x64xf32>, tensor<32x64x64xf32>) -> tensor<32x64x64xf32>
  %3 = ein.contract "bij->" %2 : tensor<32x64x64xf32> -> tensor<f32>
  %4 = ein.contract ",bij->bij" %3, %2 : tensor<f32>, tensor<32x64x64xf32> -> tensor<32x64x64xf32>
  return %4 : tensor<32x64x64xf32>
}
