// RUN: ein-opt %s --ein-differentiate=emit-remarks -split-input-file -verify-diagnostics

// Which mode each ein.grad used, and over what it was batched.

func.func private @f(%x: tensor<4xf64>, %w: tensor<3x4xf64>) -> tensor<3xf64> {
  %y = ein.contract "ij,j->i" %w, %x : tensor<3x4xf64>, tensor<4xf64> -> tensor<3xf64>
  %t = math.tanh %y : tensor<3xf64>
  return %t : tensor<3xf64>
}
func.func @modes(%z: tensor<3xf64>, %x: tensor<4xf64>, %w: tensor<3x4xf64>, %v: tensor<4xf64>)
    -> (tensor<4xf64>, tensor<3xf64>, tensor<3x4xf64>, tensor<3x3x4xf64>) {
  // expected-remark @below {{ein.grad 'i,i%j->j' of @f: reverse mode}}
  %0 = ein.grad "i,i%j->j" %z, @f(%x, %w) : (tensor<3xf64>, tensor<4xf64>, tensor<3x4xf64>) -> tensor<4xf64>
  // expected-remark @below {{ein.grad 'i%j,j->i' of @f: forward mode}}
  %1 = ein.grad "i%j,j->i" @f(%x, %w), %v : (tensor<4xf64>, tensor<3x4xf64>, tensor<4xf64>) -> tensor<3xf64>
  // Y has 3 elements, X 4: reverse, batched over Y's label.
  // expected-remark @below {{ein.grad 'i%j->ij' of @f: reverse mode, batched over 'i'}}
  %2 = ein.grad "i%j->ij" @f(%x, %w) : (tensor<4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>
  // expected-remark @below {{ein.grad 'i%jk->ijk' of @f: reverse mode, batched over 'i'}}
  %3 = ein.grad "i%jk->ijk" @f(%x, %w) wrt 1 : (tensor<4xf64>, tensor<3x4xf64>) -> tensor<3x3x4xf64>
  return %0, %1, %2, %3 : tensor<4xf64>, tensor<3xf64>, tensor<3x4xf64>, tensor<3x3x4xf64>
}

// -----

// Y has 5 elements, X 2: forward mode, batched over X's label.
func.func private @wide(%x: tensor<2xf64>, %w: tensor<5x2xf64>) -> tensor<5xf64> {
  %y = ein.contract "ij,j->i" %w, %x : tensor<5x2xf64>, tensor<2xf64> -> tensor<5xf64>
  return %y : tensor<5xf64>
}
func.func @wide_jacobian(%x: tensor<2xf64>, %w: tensor<5x2xf64>) -> tensor<5x2xf64> {
  // expected-remark @below {{ein.grad 'i%j->ij' of @wide: forward mode, batched over 'j'}}
  %j = ein.grad "i%j->ij" @wide(%x, %w) : (tensor<2xf64>, tensor<5x2xf64>) -> tensor<5x2xf64>
  return %j : tensor<5x2xf64>
}

// -----

// 'b' is carried through every op: one pass, not batched.
func.func private @batch(%x: tensor<5x4xf64>, %w: tensor<3x4xf64>) -> tensor<5x3xf64> {
  %y = ein.contract "ij,bj->bi" %w, %x : tensor<3x4xf64>, tensor<5x4xf64> -> tensor<5x3xf64>
  %t = math.tanh %y : tensor<5x3xf64>
  return %t : tensor<5x3xf64>
}
func.func @batched(%x: tensor<5x4xf64>, %w: tensor<3x4xf64>, %v: tensor<5x4xf64>) -> tensor<5x3xf64> {
  // expected-remark @below {{ein.grad 'bi%bj,bj->bi' of @batch: forward mode}}
  %g = ein.grad "bi%bj,bj->bi" @batch(%x, %w), %v : (tensor<5x4xf64>, tensor<3x4xf64>, tensor<5x4xf64>) -> tensor<5x3xf64>
  return %g : tensor<5x3xf64>
}

// -----

// 'b' of Y mixes every row of X: the dense derivative, with a remark.
func.func private @mixed(%x: tensor<5x4xf64>, %m: tensor<5x5xf64>) -> tensor<5xf64> {
  %y = ein.contract "cj,bc->b" %x, %m : tensor<5x4xf64>, tensor<5x5xf64> -> tensor<5xf64>
  return %y : tensor<5xf64>
}
func.func @mixed_batch(%x: tensor<5x4xf64>, %m: tensor<5x5xf64>) -> tensor<5x4xf64> {
  // expected-remark @below {{cannot prove that Y = @mixed(...) at label 'b' depends only on the same 'b' slice of X; computing the dense derivative and taking its diagonal}}
  // expected-remark @below {{ein.grad 'b%bj->bj' of @mixed: reverse mode, batched over 'b'}}
  %g = ein.grad "b%bj->bj" @mixed(%x, %m) : (tensor<5x4xf64>, tensor<5x5xf64>) -> tensor<5x4xf64>
  return %g : tensor<5x4xf64>
}
