func.func @f(%a: tensor<2x3xf32>) {
  %r = ein.contract "ij,jk>ik" %a : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}
