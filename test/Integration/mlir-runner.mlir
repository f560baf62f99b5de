// The ein-to-llvm pipeline's output runs under upstream mlir-runner.
// RUN: ein-opt %s --ein-to-llvm | %mlir_runner -e main -entry-point-result=void -shared-libs=%mlir_lib_dir/libmlir_runner_utils.so,%mlir_lib_dir/libmlir_c_runner_utils.so | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %a = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = arith.constant dense<[[5.0, 6.0], [7.0, 8.0]]> : tensor<2x2xf32>
  // [[19, 22], [43, 50]]
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
  // [19, 50]
  %d = ein.contract "ii->i" %r : tensor<2x2xf32> -> tensor<2xf32>
  // [[19, 0], [0, 50]]
  %e = ein.contract "i->ii" %d : tensor<2xf32> -> tensor<2x2xf32>
  // + a, then exp(0) * that: math on tensors is lowered too.
  %s = ein.add %e, %a : tensor<2x2xf32>
  %z = arith.constant dense<0.0> : tensor<2x2xf32>
  %one = math.exp %z : tensor<2x2xf32>
  %t = arith.mulf %s, %one : tensor<2x2xf32>
  %u = tensor.cast %t : tensor<2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: {{\[}}[20, 2],
  // CHECK-NEXT: [3, 54]]
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}
