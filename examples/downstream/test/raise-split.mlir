// RUN: %downstream-opt %S/Inputs/chain.mlir --ein-raise-linalg | FileCheck %s --check-prefix=RAISE
// RUN: %downstream-opt %S/Inputs/chain.mlir --ein-raise-linalg --ein-split | FileCheck %s --check-prefix=SPLIT
// RUN: %downstream-opt %S/Inputs/chain.mlir --downstream-annotate-flops | FileCheck %s --check-prefix=FLOPS-LINALG
// RUN: %downstream-opt %S/Inputs/chain.mlir --ein-raise-linalg --ein-split --downstream-annotate-flops | FileCheck %s --check-prefix=FLOPS-EIN

// The three matmuls are one contraction...
// RAISE-LABEL: func.func @chain
// RAISE-NEXT: %[[R:.*]] = ein.contract "ae,ed,dc,cb->ab" %arg0, %arg1, %arg2, %arg3
// RAISE-NEXT: return %[[R]]

// ...which ein-split multiplies right to left (its intermediates 2 x 64,
// the group narrower than a vector first).
// SPLIT-LABEL: func.func @chain
// SPLIT-NEXT: %[[CD:.*]] = ein.contract "dc,cb->bd" %arg2, %arg3 : tensor<64x64xf64>, tensor<64x2xf64> -> tensor<2x64xf64>
// SPLIT-NEXT: %[[BCD:.*]] = ein.contract "ed,bd->be" %arg1, %[[CD]] : tensor<64x64xf64>, tensor<2x64xf64> -> tensor<2x64xf64>
// SPLIT-NEXT: %[[R:.*]] = ein.contract "ae,be->ab" %arg0, %[[BCD]] : tensor<8x64xf64>, tensor<2x64xf64> -> tensor<8x2xf64>
// SPLIT-NEXT: return %[[R]]

// The downstream pass, on ein's cost model: 133120 FLOPs as written,
// 34816 after raising and splitting.
// FLOPS-LINALG: func.func @chain{{.*}}attributes {downstream.flops = 133120 : i64}
// FLOPS-EIN: func.func @chain{{.*}}attributes {downstream.flops = 34816 : i64}
// FLOPS-LINALG-NOT: downstream.flops
// FLOPS-EIN-NOT: downstream.flops
// RUN: %downstream-opt %S/Inputs/chain.mlir --ein-raise-linalg --ein-differentiate --ein-split --canonicalize --downstream-annotate-flops | FileCheck %s --check-prefix=FLOPS-VJP
// FLOPS-VJP: func.func @chain{{.*}}attributes {downstream.flops = 34816 : i64}
// FLOPS-VJP: func.func @vjp_b{{.*}}attributes {downstream.flops = {{[0-9]+}} : i64}
