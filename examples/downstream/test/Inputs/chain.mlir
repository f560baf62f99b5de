// A front end's output: r = ((a b) c) d as three linalg.matmul, in the
// order written (133120 FLOPs), and the vector-Jacobian product of r with
// respect to b, written with ein.grad.
func.func @chain(%a: tensor<8x64xf64>, %b: tensor<64x64xf64>, %c: tensor<64x64xf64>,
                 %d: tensor<64x2xf64>) -> tensor<8x2xf64> {
  %cst = arith.constant 0.0 : f64
  %e0 = tensor.empty() : tensor<8x64xf64>
  %z0 = linalg.fill ins(%cst : f64) outs(%e0 : tensor<8x64xf64>) -> tensor<8x64xf64>
  %ab = linalg.matmul ins(%a, %b : tensor<8x64xf64>, tensor<64x64xf64>)
                      outs(%z0 : tensor<8x64xf64>) -> tensor<8x64xf64>
  %abc = linalg.matmul ins(%ab, %c : tensor<8x64xf64>, tensor<64x64xf64>)
                       outs(%z0 : tensor<8x64xf64>) -> tensor<8x64xf64>
  %e1 = tensor.empty() : tensor<8x2xf64>
  %z1 = linalg.fill ins(%cst : f64) outs(%e1 : tensor<8x2xf64>) -> tensor<8x2xf64>
  %r = linalg.matmul ins(%abc, %d : tensor<8x64xf64>, tensor<64x2xf64>)
                     outs(%z1 : tensor<8x2xf64>) -> tensor<8x2xf64>
  return %r : tensor<8x2xf64>
}

func.func @vjp_b(%a: tensor<8x64xf64>, %b: tensor<64x64xf64>, %c: tensor<64x64xf64>,
                 %d: tensor<64x2xf64>, %z: tensor<8x2xf64>) -> tensor<64x64xf64> {
  %g = ein.grad "ij,ij%kl->kl" %z, @chain(%a, %b, %c, %d) wrt 1
      : (tensor<8x2xf64>, tensor<8x64xf64>, tensor<64x64xf64>, tensor<64x64xf64>,
         tensor<64x2xf64>) -> tensor<64x64xf64>
  return %g : tensor<64x64xf64>
}
