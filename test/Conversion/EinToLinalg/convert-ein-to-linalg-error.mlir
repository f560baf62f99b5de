// RUN: ein-opt %s -convert-ein-to-linalg -split-input-file -verify-diagnostics

func.func @complex_not_lowered(%a: tensor<2xcomplex<f32>>) -> tensor<complex<f32>> {
  // expected-error @+1 {{cannot lower to linalg: only floating-point element types are lowered to linalg}}
  %r = ein.contract "i,i->" %a, %a : tensor<2xcomplex<f32>>, tensor<2xcomplex<f32>> -> tensor<complex<f32>>
  return %r : tensor<complex<f32>>
}
