// RUN: ein-opt %s --pass-pipeline='builtin.module(ein-to-llvm{threads=2})' | FileCheck %s

// The ein-to-llvm pipeline on threads: the GEMM's parallel row blocks are a
// guided loop.
// CHECK-LABEL: llvm.func @gemm
// CHECK: omp.wsloop schedule(guided)
// CHECK-NOT: omp.wsloop {
func.func @gemm(%a: tensor<512x512xf32>, %b: tensor<512x512xf32>) -> tensor<512x512xf32> {
  %c = ein.contract "ij,jk->ik" %a, %b : tensor<512x512xf32>, tensor<512x512xf32> -> tensor<512x512xf32>
  return %c : tensor<512x512xf32>
}
