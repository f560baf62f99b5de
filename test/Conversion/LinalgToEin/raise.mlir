// RUN: ein-opt %s --ein-raise-linalg=merge-chains=false --split-input-file | FileCheck %s

// Named contractions with zero-filled inits become bare contractions.

// CHECK-LABEL: func.func @named
// CHECK-SAME: (%[[A:.*]]: tensor<3x4xf32>, %[[B:.*]]: tensor<4x5xf32>, %[[V:.*]]: tensor<4xf32>, %[[W:.*]]: tensor<3xf32>, %[[X:.*]]: tensor<2x3x4xf32>, %[[Y:.*]]: tensor<2x4x5xf32>)
// CHECK-NOT: linalg.
// CHECK: %[[MM:.*]] = ein.contract "ac,cb->ab" %[[A]], %[[B]] : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
// CHECK: %[[MV:.*]] = ein.contract "ab,b->a" %[[A]], %[[V]] : tensor<3x4xf32>, tensor<4xf32> -> tensor<3xf32>
// CHECK: %[[VM:.*]] = ein.contract "b,ba->a" %[[W]], %[[A]] : tensor<3xf32>, tensor<3x4xf32> -> tensor<4xf32>
// CHECK: %[[DOT:.*]] = ein.contract "a,a->" %[[V]], %[[V]] : tensor<4xf32>, tensor<4xf32> -> tensor<f32>
// CHECK: %[[BMM:.*]] = ein.contract "abd,adc->abc" %[[X]], %[[Y]] : tensor<2x3x4xf32>, tensor<2x4x5xf32> -> tensor<2x3x5xf32>
// CHECK: return %[[MM]], %[[MV]], %[[VM]], %[[DOT]], %[[BMM]]
func.func @named(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %v: tensor<4xf32>,
                 %w: tensor<3xf32>, %x: tensor<2x3x4xf32>, %y: tensor<2x4x5xf32>)
    -> (tensor<3x5xf32>, tensor<3xf32>, tensor<4xf32>, tensor<f32>, tensor<2x3x5xf32>) {
  %cst = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<3x5xf32>
  %z0 = linalg.fill ins(%cst : f32) outs(%e0 : tensor<3x5xf32>) -> tensor<3x5xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<3x4xf32>, tensor<4x5xf32>) outs(%z0 : tensor<3x5xf32>) -> tensor<3x5xf32>
  %e1 = tensor.empty() : tensor<3xf32>
  %z1 = linalg.fill ins(%cst : f32) outs(%e1 : tensor<3xf32>) -> tensor<3xf32>
  %mv = linalg.matvec ins(%a, %v : tensor<3x4xf32>, tensor<4xf32>) outs(%z1 : tensor<3xf32>) -> tensor<3xf32>
  %e2 = tensor.empty() : tensor<4xf32>
  %z2 = linalg.fill ins(%cst : f32) outs(%e2 : tensor<4xf32>) -> tensor<4xf32>
  %vm = linalg.vecmat ins(%w, %a : tensor<3xf32>, tensor<3x4xf32>) outs(%z2 : tensor<4xf32>) -> tensor<4xf32>
  %z3 = arith.constant dense<0.0> : tensor<f32>
  %dot = linalg.dot ins(%v, %v : tensor<4xf32>, tensor<4xf32>) outs(%z3 : tensor<f32>) -> tensor<f32>
  %e4 = tensor.empty() : tensor<2x3x5xf32>
  %z4 = linalg.fill ins(%cst : f32) outs(%e4 : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  %bmm = linalg.batch_matmul ins(%x, %y : tensor<2x3x4xf32>, tensor<2x4x5xf32>) outs(%z4 : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  return %mm, %mv, %vm, %dot, %bmm : tensor<3x5xf32>, tensor<3xf32>, tensor<4xf32>, tensor<f32>, tensor<2x3x5xf32>
}

// -----

// A non-zero init is added: result = init + contraction.

// CHECK-LABEL: func.func @accumulate
// CHECK-SAME: (%[[A:.*]]: tensor<3x4xf64>, %[[B:.*]]: tensor<4x5xf64>, %[[C:.*]]: tensor<3x5xf64>)
// CHECK: %[[P:.*]] = ein.contract "ac,cb->ab" %[[A]], %[[B]]
// CHECK: %[[S:.*]] = ein.add %[[C]], %[[P]] : tensor<3x5xf64>
// CHECK: return %[[S]]
func.func @accumulate(%a: tensor<3x4xf64>, %b: tensor<4x5xf64>, %c: tensor<3x5xf64>) -> tensor<3x5xf64> {
  %r = linalg.matmul ins(%a, %b : tensor<3x4xf64>, tensor<4x5xf64>) outs(%c : tensor<3x5xf64>) -> tensor<3x5xf64>
  return %r : tensor<3x5xf64>
}

// -----

// linalg.contract and matmul with transposing indexing maps.

#mk = affine_map<(m, n, k) -> (m, k)>
#km = affine_map<(m, n, k) -> (k, m)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
#nm = affine_map<(m, n, k) -> (n, m)>
// CHECK-LABEL: func.func @maps
// CHECK-SAME: (%[[A:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<5x4xf32>)
// CHECK: ein.contract "ca,bc->ba" %[[A]], %[[B]] : tensor<4x3xf32>, tensor<5x4xf32> -> tensor<5x3xf32>
// CHECK: ein.contract "ca,bc->ab" %[[A]], %[[B]] : tensor<4x3xf32>, tensor<5x4xf32> -> tensor<3x5xf32>
func.func @maps(%a: tensor<4x3xf32>, %b: tensor<5x4xf32>) -> (tensor<5x3xf32>, tensor<3x5xf32>) {
  %cst = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<5x3xf32>
  %z0 = linalg.fill ins(%cst : f32) outs(%e0 : tensor<5x3xf32>) -> tensor<5x3xf32>
  %c = linalg.contract indexing_maps = [#km, #nk, #nm]
      ins(%a, %b : tensor<4x3xf32>, tensor<5x4xf32>) outs(%z0 : tensor<5x3xf32>) -> tensor<5x3xf32>
  %e1 = tensor.empty() : tensor<3x5xf32>
  %z1 = linalg.fill ins(%cst : f32) outs(%e1 : tensor<3x5xf32>) -> tensor<3x5xf32>
  %m = linalg.matmul indexing_maps = [#km, #nk, #mn]
      ins(%a, %b : tensor<4x3xf32>, tensor<5x4xf32>) outs(%z1 : tensor<3x5xf32>) -> tensor<3x5xf32>
  return %c, %m : tensor<5x3xf32>, tensor<3x5xf32>
}

// -----

// linalg.generic: a three-operand product with its factors in any order,
// a trace (diagonal read), a row sum, a transpose (body `yield x`), an
// elementwise product with no reduction that ignores its init.

#ij = affine_map<(i, j, k) -> (i, j)>
#jk = affine_map<(i, j, k) -> (j, k)>
#k = affine_map<(i, j, k) -> (k)>
#i = affine_map<(i, j, k) -> (i)>
#dd = affine_map<(d) -> (d, d)>
#scalar = affine_map<(d) -> ()>
#r_in = affine_map<(i, j) -> (i, j)>
#r_out = affine_map<(i, j) -> (i)>
#t_out = affine_map<(i, j) -> (j, i)>
// CHECK-LABEL: func.func @generic
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<3x4xf32>, %[[Z:.*]]: tensor<4xf32>, %[[S:.*]]: tensor<5x5xf32>)
// CHECK: ein.contract "ab,bc,c->a" %[[X]], %[[Y]], %[[Z]] : tensor<2x3xf32>, tensor<3x4xf32>, tensor<4xf32> -> tensor<2xf32>
// CHECK: ein.contract "aa->" %[[S]] : tensor<5x5xf32> -> tensor<f32>
// CHECK: ein.contract "ab->a" %[[X]] : tensor<2x3xf32> -> tensor<2xf32>
// CHECK: ein.contract "ab->ba" %[[X]] : tensor<2x3xf32> -> tensor<3x2xf32>
// CHECK: ein.contract "ab,ab->ab" %[[X]], %[[X]] : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NOT: linalg.generic
func.func @generic(%x: tensor<2x3xf32>, %y: tensor<3x4xf32>, %z: tensor<4xf32>, %s: tensor<5x5xf32>)
    -> (tensor<2xf32>, tensor<f32>, tensor<2xf32>, tensor<3x2xf32>, tensor<2x3xf32>) {
  %cst = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<2xf32>
  %z0 = linalg.fill ins(%cst : f32) outs(%e0 : tensor<2xf32>) -> tensor<2xf32>
  %three = linalg.generic {indexing_maps = [#ij, #jk, #k, #i],
                           iterator_types = ["parallel", "reduction", "reduction"]}
      ins(%x, %y, %z : tensor<2x3xf32>, tensor<3x4xf32>, tensor<4xf32>) outs(%z0 : tensor<2xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32, %o: f32):
    %m0 = arith.mulf %r, %p : f32
    %m1 = arith.mulf %q, %m0 : f32
    %a0 = arith.addf %m1, %o : f32
    linalg.yield %a0 : f32
  } -> tensor<2xf32>
  %zs = arith.constant dense<-0.0> : tensor<f32>
  %trace = linalg.generic {indexing_maps = [#dd, #scalar], iterator_types = ["reduction"]}
      ins(%s : tensor<5x5xf32>) outs(%zs : tensor<f32>) {
  ^bb0(%p: f32, %o: f32):
    %a0 = arith.addf %o, %p : f32
    linalg.yield %a0 : f32
  } -> tensor<f32>
  %rows = linalg.generic {indexing_maps = [#r_in, #r_out], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<2x3xf32>) outs(%z0 : tensor<2xf32>) {
  ^bb0(%p: f32, %o: f32):
    %a0 = arith.addf %o, %p : f32
    linalg.yield %a0 : f32
  } -> tensor<2xf32>
  %e1 = tensor.empty() : tensor<3x2xf32>
  %t = linalg.generic {indexing_maps = [#r_in, #t_out], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<2x3xf32>) outs(%e1 : tensor<3x2xf32>) {
  ^bb0(%p: f32, %o: f32):
    linalg.yield %p : f32
  } -> tensor<3x2xf32>
  %e2 = tensor.empty() : tensor<2x3xf32>
  %sq = linalg.generic {indexing_maps = [#r_in, #r_in, #r_in], iterator_types = ["parallel", "parallel"]}
      ins(%x, %x : tensor<2x3xf32>, tensor<2x3xf32>) outs(%e2 : tensor<2x3xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %m = arith.mulf %p, %q : f32
    linalg.yield %m : f32
  } -> tensor<2x3xf32>
  return %three, %trace, %rows, %t, %sq : tensor<2xf32>, tensor<f32>, tensor<2xf32>, tensor<3x2xf32>, tensor<2x3xf32>
}

// -----

// Dynamic shapes: the result keeps linalg's type (a cast where the
// contraction's inferred type is more static); complex element types.

// CHECK-LABEL: func.func @dynamic
// CHECK: %[[C:.*]] = ein.contract "ac,cb->ab" %{{.*}}, %{{.*}} : tensor<?x4xf32>, tensor<4x5xf32> -> tensor<?x5xf32>
// CHECK: %[[R:.*]] = tensor.cast %[[C]] : tensor<?x5xf32> to tensor<?x?xf32>
// CHECK: return %[[R]]
func.func @dynamic(%a: tensor<?x4xf32>, %b: tensor<4x5xf32>, %init: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %cst = arith.constant 0.0 : f32
  %z = linalg.fill ins(%cst : f32) outs(%init : tensor<?x?xf32>) -> tensor<?x?xf32>
  %r = linalg.matmul ins(%a, %b : tensor<?x4xf32>, tensor<4x5xf32>) outs(%z : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// CHECK-LABEL: func.func @complex
// CHECK: ein.contract "ac,cb->ab" %{{.*}}, %{{.*}} : tensor<2x3xcomplex<f64>>, tensor<3x2xcomplex<f64>> -> tensor<2x2xcomplex<f64>>
// CHECK-NOT: ein.add
func.func @complex(%a: tensor<2x3xcomplex<f64>>, %b: tensor<3x2xcomplex<f64>>) -> tensor<2x2xcomplex<f64>> {
  %zero = complex.constant [0.0 : f64, 0.0 : f64] : complex<f64>
  %e = tensor.empty() : tensor<2x2xcomplex<f64>>
  %z = linalg.fill ins(%zero : complex<f64>) outs(%e : tensor<2x2xcomplex<f64>>) -> tensor<2x2xcomplex<f64>>
  %r = linalg.matmul ins(%a, %b : tensor<2x3xcomplex<f64>>, tensor<3x2xcomplex<f64>>) outs(%z : tensor<2x2xcomplex<f64>>) -> tensor<2x2xcomplex<f64>>
  return %r : tensor<2x2xcomplex<f64>>
}

// -----

// linalg.reduce (init added), linalg.transpose, the elementwise linalg.mul
// and linalg.map with a product body.

// CHECK-LABEL: func.func @structured
// CHECK-SAME: (%[[X:.*]]: tensor<4x5xf32>, %[[O4:.*]]: tensor<4xf32>
// CHECK: %[[R:.*]] = ein.contract "ab->a" %[[X]] : tensor<4x5xf32> -> tensor<4xf32>
// CHECK: %[[S:.*]] = ein.add %[[O4]], %[[R]] : tensor<4xf32>
// CHECK: %[[T:.*]] = ein.contract "ba->ab" %[[X]] : tensor<4x5xf32> -> tensor<5x4xf32>
// CHECK: %[[M:.*]] = ein.contract "ab,ab->ab" %[[X]], %[[X]]
// CHECK: %[[P:.*]] = ein.contract "ab,ab->ab" %[[X]], %[[X]]
// CHECK: return %[[S]], %[[T]], %[[M]], %[[P]]
func.func @structured(%x: tensor<4x5xf32>, %o4: tensor<4xf32>, %o54: tensor<5x4xf32>, %o45: tensor<4x5xf32>)
    -> (tensor<4xf32>, tensor<5x4xf32>, tensor<4x5xf32>, tensor<4x5xf32>) {
  %r = linalg.reduce ins(%x : tensor<4x5xf32>) outs(%o4 : tensor<4xf32>) dimensions = [1]
    (%in: f32, %init: f32) {
      %s = arith.addf %in, %init : f32
      linalg.yield %s : f32
    }
  %t = linalg.transpose ins(%x : tensor<4x5xf32>) outs(%o54 : tensor<5x4xf32>) permutation = [1, 0]
  %m = linalg.mul ins(%x, %x : tensor<4x5xf32>, tensor<4x5xf32>) outs(%o45 : tensor<4x5xf32>) -> tensor<4x5xf32>
  %p = linalg.map ins(%x, %x : tensor<4x5xf32>, tensor<4x5xf32>) outs(%o45 : tensor<4x5xf32>)
    (%a: f32, %b: f32, %o: f32) {
      %q = arith.mulf %a, %b : f32
      linalg.yield %q : f32
    }
  return %r, %t, %m, %p : tensor<4xf32>, tensor<5x4xf32>, tensor<4x5xf32>, tensor<4x5xf32>
}
