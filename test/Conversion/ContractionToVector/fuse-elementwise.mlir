// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-to-linalg,func.func(ein-fuse-elementwise))' | FileCheck %s
// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-to-llvm{vector-bytes=64})' | FileCheck %s --check-prefix=LLVM

// A chain of elementwise ops is one loop nest; a splat constant becomes a
// scalar in the body; the GEMM that feeds it stays a linalg.contract.
// CHECK-LABEL: func.func @chain
// CHECK-DAG: %[[TWO:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: %[[MM:.*]] = linalg.contract
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%[[MM]], %arg1 : tensor<64x64xf32>, tensor<64x64xf32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:   %[[T:.*]] = math.tanh %[[A]] : f32
// CHECK-NEXT:   %[[S:.*]] = arith.mulf %[[T]], %[[TWO]] : f32
// CHECK-NEXT:   %[[R:.*]] = arith.addf %[[S]], %[[Y]] : f32
// CHECK-NEXT:   linalg.yield %[[R]] : f32
// CHECK-NOT: linalg.generic
func.func @chain(%x: tensor<64x64xf32>, %y: tensor<64x64xf32>, %w: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %0 = ein.contract "ij,jk->ik" %x, %w : tensor<64x64xf32>, tensor<64x64xf32> -> tensor<64x64xf32>
  %1 = math.tanh %0 : tensor<64x64xf32>
  %2 = arith.constant dense<2.0> : tensor<64x64xf32>
  %3 = arith.mulf %1, %2 : tensor<64x64xf32>
  %4 = arith.addf %3, %y : tensor<64x64xf32>
  return %4 : tensor<64x64xf32>
}

// -----

// Elementwise producers of a sum of aligned inputs: one sum of terms, which
// ein-to-llvm runs as a vectorized row sum (one allocation: the result;
// no intermediate buffer).
// CHECK-LABEL: func.func @sum_of_terms
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%arg0, %arg1 : tensor<64x100xf32>, tensor<64x100xf32>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[OUT:.*]]: f32):
// CHECK-NEXT:   %[[E:.*]] = math.exp %[[X]] : f32
// CHECK-NEXT:   %[[P:.*]] = arith.mulf %[[E]], %[[Y]] : f32
// CHECK-NEXT:   %[[S:.*]] = arith.addf %[[OUT]], %[[P]] : f32
// CHECK-NOT: linalg.generic
// LLVM-LABEL: llvm.func @sum_of_terms
// LLVM: llvm.call @malloc
// LLVM-NOT: llvm.call @malloc
// (exp on f32 vectors is ein-approximate-math's polynomial: FMAs.)
// LLVM-NOT: llvm.intr.exp
// LLVM: llvm.intr.fma({{.*}}) : (vector<64xf32>, vector<64xf32>, vector<64xf32>) -> vector<64xf32>
// LLVM-NOT: llvm.intr.exp
// LLVM-NOT: llvm.call @malloc
// LLVM: llvm.intr.vector.reduce.fadd
// LLVM-NOT: llvm.call @malloc
// LLVM: llvm.return
func.func @sum_of_terms(%x: tensor<64x100xf32>, %y: tensor<64x100xf32>) -> tensor<64xf32> {
  %0 = math.exp %x : tensor<64x100xf32>
  %1 = arith.mulf %0, %y : tensor<64x100xf32>
  %2 = ein.contract "ij->i" %1 : tensor<64x100xf32> -> tensor<64xf32>
  return %2 : tensor<64xf32>
}

// -----

// Left alone: a producer read twice (fusing would compute exp twice), and
// a producer of a GEMM-like contraction (its packed kernel needs the plain
// product).
// CHECK-LABEL: func.func @not_fused
// CHECK: %[[E:.*]] = linalg.generic
// CHECK: math.exp
// CHECK: linalg.contract {{.*}} ins({{.*}}%[[E]]{{.*}} : tensor
// CHECK: linalg.generic {{.*}} ins(%[[E]], %{{.*}} :
func.func @not_fused(%x: tensor<64x64xf32>, %w: tensor<64x64xf32>) -> (tensor<64x64xf32>, tensor<64x64xf32>) {
  %0 = math.exp %x : tensor<64x64xf32>
  %1 = ein.contract "ij,jk->ik" %0, %w : tensor<64x64xf32>, tensor<64x64xf32> -> tensor<64x64xf32>
  %2 = arith.addf %0, %1 : tensor<64x64xf32>
  return %1, %2 : tensor<64x64xf32>, tensor<64x64xf32>
}

// -----

// Siblings that read an input alike become one op with several results
// (the forward and both VJPs of a Hadamard product: one pass over a, b and
// g), vectorized as one loop that stores all three (each row's last 4
// elements masked).
// CHECK-LABEL: func.func @hadamard_and_vjps
// CHECK: %[[R:.*]]:3 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%arg1, %arg2, %arg0 : tensor<64x100xf32>, tensor<64x100xf32>, tensor<64x100xf32>) outs(%{{.*}}, %{{.*}}, %{{.*}} : tensor<64x100xf32>, tensor<64x100xf32>, tensor<64x100xf32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %[[G:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK-NEXT:   %[[Y:.*]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK-NEXT:   %[[DA:.*]] = arith.mulf %[[G]], %[[B]] : f32
// CHECK-NEXT:   %[[DB:.*]] = arith.mulf %[[G]], %[[A]] : f32
// CHECK-NEXT:   linalg.yield %[[Y]], %[[DA]], %[[DB]] : f32, f32, f32
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]#0, %[[R]]#1, %[[R]]#2
// LLVM-LABEL: llvm.func @hadamard_and_vjps
// LLVM-COUNT-3: llvm.load {{.*}} -> vector<16xf32>
// LLVM-COUNT-3: llvm.fmul
// LLVM-COUNT-3: llvm.store {{.*}} : vector<16xf32>
// LLVM-COUNT-3: llvm.intr.masked.load
// LLVM-COUNT-3: llvm.fmul
// LLVM-COUNT-3: llvm.intr.masked.store
// LLVM: llvm.return
func.func @hadamard_and_vjps(%g: tensor<64x100xf32>, %a: tensor<64x100xf32>, %b: tensor<64x100xf32>) -> (tensor<64x100xf32>, tensor<64x100xf32>, tensor<64x100xf32>) {
  %y = ein.contract "ij,ij->ij" %a, %b : tensor<64x100xf32>, tensor<64x100xf32> -> tensor<64x100xf32>
  %da = ein.contract "ij,ij->ij" %g, %b : tensor<64x100xf32>, tensor<64x100xf32> -> tensor<64x100xf32>
  %db = ein.contract "ij,ij->ij" %g, %a : tensor<64x100xf32>, tensor<64x100xf32> -> tensor<64x100xf32>
  return %y, %da, %db : tensor<64x100xf32>, tensor<64x100xf32>, tensor<64x100xf32>
}

// -----

// Left apart: a map of the other's result (it reads a too, but runs
// after), and a sibling that reads a transposed (ij,ij->ji).
// CHECK-LABEL: func.func @not_siblings
// CHECK: %[[P:.*]] = linalg.generic {{.*}} ins(%arg0, %arg1 :
// CHECK: linalg.generic {{.*}} ins(%arg0, %[[P]] :
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg2 :
// CHECK-NOT: linalg.generic
func.func @not_siblings(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> (tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {
  %p = ein.contract "ij,ij->ij" %a, %b : tensor<64x64xf32>, tensor<64x64xf32> -> tensor<64x64xf32>
  %q = ein.contract "ij,ij->ij" %p, %a : tensor<64x64xf32>, tensor<64x64xf32> -> tensor<64x64xf32>
  %t = ein.contract "ij,ij->ji" %a, %c : tensor<64x64xf32>, tensor<64x64xf32> -> tensor<64x64xf32>
  return %p, %q, %t : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>
}
