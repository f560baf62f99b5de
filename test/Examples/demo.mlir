// RUN: ein-opt %s | ein-opt | FileCheck %s
// The quick-start demo: a three-operand batched chain (an exponential-space
// signature: `b` is shared by all three operands) round-trips through ein-opt.

// CHECK-LABEL: func.func @chain
func.func @chain(%a: tensor<8x16x32xf32>, %b: tensor<8x32x64xf32>,
                 %c: tensor<8x64x16xf32>) -> tensor<8x16x16xf32> {
  // CHECK: ein.contract "bij,bjk,bkl->bil" %{{.*}}, %{{.*}}, %{{.*}} : tensor<8x16x32xf32>, tensor<8x32x64xf32>, tensor<8x64x16xf32> -> tensor<8x16x16xf32>
  %r = ein.contract "bij, bjk, bkl -> bil" %a, %b, %c
      : tensor<8x16x32xf32>, tensor<8x32x64xf32>, tensor<8x64x16xf32>
      -> tensor<8x16x16xf32>
  return %r : tensor<8x16x16xf32>
}
