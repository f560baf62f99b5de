// RUN: ein-opt %s --ein-differentiate -split-input-file -verify-diagnostics

func.func private @f(%x: tensor<3xf64>) -> tensor<3xf64> {
  // expected-error @below {{no derivative rule for 'math.atan' in @f}}
  %y = math.atan %x : tensor<3xf64>
  return %y : tensor<3xf64>
}
func.func @g(%z: tensor<3xf64>, %x: tensor<3xf64>) -> tensor<3xf64> {
  %g = ein.grad "i,i%j->j" %z, @f(%x) : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  return %g : tensor<3xf64>
}

// -----

// An inactive op needs no rule.
func.func private @f(%x: tensor<3xf64>, %c: tensor<3xf64>) -> tensor<3xf64> {
  %a = math.atan %c : tensor<3xf64>
  %y = arith.mulf %x, %a : tensor<3xf64>
  return %y : tensor<3xf64>
}
func.func @g(%z: tensor<3xf64>, %x: tensor<3xf64>, %c: tensor<3xf64>) -> tensor<3xf64> {
  %g = ein.grad "i,i%j->j" %z, @f(%x, %c) : (tensor<3xf64>, tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  return %g : tensor<3xf64>
}

// -----

func.func private @f(%x: tensor<3xf64>, %e: tensor<3xf64>) -> tensor<3xf64> {
  // expected-error @below {{no derivative rule for 'math.powf' with respect to its exponent (only constant exponents)}}
  // expected-error @below {{cannot differentiate 'math.powf' in @f}}
  %y = math.powf %e, %x : tensor<3xf64>
  return %y : tensor<3xf64>
}
func.func @g(%z: tensor<3xf64>, %x: tensor<3xf64>, %e: tensor<3xf64>) -> tensor<3xf64> {
  %g = ein.grad "i,i%j->j" %z, @f(%x, %e) : (tensor<3xf64>, tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  return %g : tensor<3xf64>
}

// -----

func.func private @ext(%x: tensor<3xf64>) -> tensor<3xf64>
func.func private @f(%x: tensor<3xf64>) -> tensor<3xf64> {
  // expected-error @below {{cannot differentiate the call of @ext: no function body to differentiate}}
  // expected-error @below {{cannot differentiate 'func.call' in @f}}
  %y = func.call @ext(%x) : (tensor<3xf64>) -> tensor<3xf64>
  return %y : tensor<3xf64>
}
func.func @g(%z: tensor<3xf64>, %x: tensor<3xf64>) -> tensor<3xf64> {
  %g = ein.grad "i,i%j->j" %z, @f(%x) : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  return %g : tensor<3xf64>
}

// -----

func.func private @f(%x: tensor<3xf64>) -> tensor<3xf64> {
  // expected-error @below {{cannot differentiate the recursive call of @f}}
  // expected-error @below {{cannot differentiate 'func.call' in @f}}
  %y = func.call @f(%x) : (tensor<3xf64>) -> tensor<3xf64>
  return %y : tensor<3xf64>
}
func.func @g(%z: tensor<3xf64>, %x: tensor<3xf64>) -> tensor<3xf64> {
  %g = ein.grad "i,i%j->j" %z, @f(%x) : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  return %g : tensor<3xf64>
}

// -----

// A function differentiating itself has no innermost ein.grad.
func.func private @f(%x: tensor<3xf64>) -> tensor<3xf64> {
  // expected-error @below {{'ein.grad' op cannot be expanded: @f (or a function it calls) depends on its own derivative}}
  %g = ein.grad "i%j,j->i" @f(%x), %x : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  return %g : tensor<3xf64>
}

// -----

func.func private @f(%x: tensor<3xcomplex<f64>>) -> tensor<3xcomplex<f64>> {
  %y = ein.contract "i,i->i" %x, %x : tensor<3xcomplex<f64>>, tensor<3xcomplex<f64>> -> tensor<3xcomplex<f64>>
  return %y : tensor<3xcomplex<f64>>
}
func.func @g(%x: tensor<3xcomplex<f64>>) -> tensor<3x3xcomplex<f64>> {
  // expected-error @below {{'ein.grad' op expected real floating-point X, Y and result to differentiate, but found 'tensor<3x3xcomplex<f64>>' (complex derivatives are not supported)}}
  %a = ein.grad "i%j->ij" @f(%x) : (tensor<3xcomplex<f64>>) -> tensor<3x3xcomplex<f64>>
  return %a : tensor<3x3xcomplex<f64>>
}

