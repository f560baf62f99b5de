// The VJP of a matmul chain with respect to its first input.
func.func private @f(%a: tensor<64x32xf32>, %b: tensor<32x48xf32>) -> tensor<64x48xf32> {
  %y = ein.contract "ij,jk->ik" %a, %b : tensor<64x32xf32>, tensor<32x48xf32> -> tensor<64x48xf32>
  return %y : tensor<64x48xf32>
}
func.func @main(%g: tensor<64x48xf32>, %a: tensor<64x32xf32>, %b: tensor<32x48xf32>) -> tensor<64x32xf32> {
  %d = ein.grad "ik,ik%ij->ij" %g, @f(%a, %b) wrt 0 : (tensor<64x48xf32>, tensor<64x32xf32>, tensor<32x48xf32>) -> tensor<64x32xf32>
  return %d : tensor<64x32xf32>
}
