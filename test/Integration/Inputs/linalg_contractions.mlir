// Contraction-shaped linalg, as a front end writes it; raise_vs_numpy.py
// raises it with ein-raise-linalg, runs every function with ein-run and
// compares with numpy.
#km = affine_map<(m, n, k) -> (k, m)>
#nk = affine_map<(m, n, k) -> (n, k)>
#nm = affine_map<(m, n, k) -> (n, m)>
#dd = affine_map<(d) -> (d, d)>
#scalar = affine_map<(d) -> ()>
#ijk_ij = affine_map<(i, j, k) -> (i, j)>
#ijk_jk = affine_map<(i, j, k) -> (j, k)>
#ijk_k = affine_map<(i, j, k) -> (k)>
#ijk_i = affine_map<(i, j, k) -> (i)>

func.func @matmul(%a: tensor<5x7xf64>, %b: tensor<7x3xf64>) -> tensor<5x3xf64> {
  %cst = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<5x3xf64>
  %z = linalg.fill ins(%cst : f64) outs(%e : tensor<5x3xf64>) -> tensor<5x3xf64>
  %r = linalg.matmul ins(%a, %b : tensor<5x7xf64>, tensor<7x3xf64>) outs(%z : tensor<5x3xf64>) -> tensor<5x3xf64>
  return %r : tensor<5x3xf64>
}

func.func @matmul_acc(%a: tensor<5x7xf64>, %b: tensor<7x3xf64>, %c: tensor<5x3xf64>) -> tensor<5x3xf64> {
  %r = linalg.matmul ins(%a, %b : tensor<5x7xf64>, tensor<7x3xf64>) outs(%c : tensor<5x3xf64>) -> tensor<5x3xf64>
  return %r : tensor<5x3xf64>
}

func.func @batch_matmul(%a: tensor<4x5x7xf32>, %b: tensor<4x7x3xf32>) -> tensor<4x5x3xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x5x3xf32>
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<4x5x3xf32>) -> tensor<4x5x3xf32>
  %r = linalg.batch_matmul ins(%a, %b : tensor<4x5x7xf32>, tensor<4x7x3xf32>) outs(%z : tensor<4x5x3xf32>) -> tensor<4x5x3xf32>
  return %r : tensor<4x5x3xf32>
}

func.func @matvec_dot(%a: tensor<5x7xf64>, %v: tensor<7xf64>, %w: tensor<5xf64>) -> tensor<f64> {
  %cst = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<5xf64>
  %z = linalg.fill ins(%cst : f64) outs(%e : tensor<5xf64>) -> tensor<5xf64>
  %av = linalg.matvec ins(%a, %v : tensor<5x7xf64>, tensor<7xf64>) outs(%z : tensor<5xf64>) -> tensor<5xf64>
  %s = tensor.empty() : tensor<f64>
  %zs = linalg.fill ins(%cst : f64) outs(%s : tensor<f64>) -> tensor<f64>
  %r = linalg.dot ins(%w, %av : tensor<5xf64>, tensor<5xf64>) outs(%zs : tensor<f64>) -> tensor<f64>
  return %r : tensor<f64>
}

func.func @contract_transposed(%a: tensor<7x5xf64>, %b: tensor<3x7xf64>) -> tensor<3x5xf64> {
  %cst = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<3x5xf64>
  %z = linalg.fill ins(%cst : f64) outs(%e : tensor<3x5xf64>) -> tensor<3x5xf64>
  %r = linalg.contract indexing_maps = [#km, #nk, #nm]
      ins(%a, %b : tensor<7x5xf64>, tensor<3x7xf64>) outs(%z : tensor<3x5xf64>) -> tensor<3x5xf64>
  return %r : tensor<3x5xf64>
}

func.func @trace(%s: tensor<6x6xf64>) -> tensor<f64> {
  %z = arith.constant dense<0.0> : tensor<f64>
  %r = linalg.generic {indexing_maps = [#dd, #scalar], iterator_types = ["reduction"]}
      ins(%s : tensor<6x6xf64>) outs(%z : tensor<f64>) {
  ^bb0(%p: f64, %o: f64):
    %a = arith.addf %o, %p : f64
    linalg.yield %a : f64
  } -> tensor<f64>
  return %r : tensor<f64>
}

func.func @three(%x: tensor<4x5xf64>, %y: tensor<5x6xf64>, %v: tensor<6xf64>) -> tensor<4xf64> {
  %cst = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<4xf64>
  %z = linalg.fill ins(%cst : f64) outs(%e : tensor<4xf64>) -> tensor<4xf64>
  %r = linalg.generic {indexing_maps = [#ijk_ij, #ijk_jk, #ijk_k, #ijk_i],
                       iterator_types = ["parallel", "reduction", "reduction"]}
      ins(%x, %y, %v : tensor<4x5xf64>, tensor<5x6xf64>, tensor<6xf64>) outs(%z : tensor<4xf64>) {
  ^bb0(%p: f64, %q: f64, %s: f64, %o: f64):
    %m0 = arith.mulf %s, %p : f64
    %m1 = arith.mulf %q, %m0 : f64
    %a = arith.addf %m1, %o : f64
    linalg.yield %a : f64
  } -> tensor<4xf64>
  return %r : tensor<4xf64>
}

func.func @chain(%a: tensor<6x9xf64>, %b: tensor<9x9xf64>, %c: tensor<9x2xf64>) -> tensor<6x2xf64> {
  %cst = arith.constant 0.0 : f64
  %e0 = tensor.empty() : tensor<6x9xf64>
  %z0 = linalg.fill ins(%cst : f64) outs(%e0 : tensor<6x9xf64>) -> tensor<6x9xf64>
  %ab = linalg.matmul ins(%a, %b : tensor<6x9xf64>, tensor<9x9xf64>) outs(%z0 : tensor<6x9xf64>) -> tensor<6x9xf64>
  %e1 = tensor.empty() : tensor<6x2xf64>
  %z1 = linalg.fill ins(%cst : f64) outs(%e1 : tensor<6x2xf64>) -> tensor<6x2xf64>
  %r = linalg.matmul ins(%ab, %c : tensor<6x9xf64>, tensor<9x2xf64>) outs(%z1 : tensor<6x2xf64>) -> tensor<6x2xf64>
  return %r : tensor<6x2xf64>
}

func.func @dynamic_matmul(%a: tensor<?x?xf64>, %b: tensor<?x?xf64>, %init: tensor<?x?xf64>) -> tensor<?x?xf64> {
  %cst = arith.constant 0.0 : f64
  %z = linalg.fill ins(%cst : f64) outs(%init : tensor<?x?xf64>) -> tensor<?x?xf64>
  %r = linalg.matmul ins(%a, %b : tensor<?x?xf64>, tensor<?x?xf64>) outs(%z : tensor<?x?xf64>) -> tensor<?x?xf64>
  return %r : tensor<?x?xf64>
}
