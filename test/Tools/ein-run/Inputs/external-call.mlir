func.func private @ext(tensor<3xf32>) -> tensor<3xf32>
func.func @main(%a: tensor<3xf32>) -> tensor<3xf32> {
  %r = func.call @ext(%a) : (tensor<3xf32>) -> tensor<3xf32>
  return %r : tensor<3xf32>
}
