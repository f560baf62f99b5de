func.func @main(%a: tensor<8x16xf32>, %b: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %s = ein.add %a, %b : tensor<8x16xf32>
  %p = arith.mulf %s, %a : tensor<8x16xf32>
  %n = arith.negf %p : tensor<8x16xf32>
  return %n : tensor<8x16xf32>
}
