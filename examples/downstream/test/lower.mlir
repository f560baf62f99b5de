// RUN: %downstream-opt %S/Inputs/chain.mlir --ein-raise-linalg --ein-to-llvm | FileCheck %s

// Raised, then compiled by ein's own pipeline down to the LLVM dialect.
// CHECK: llvm.func @chain
// CHECK: llvm.func @vjp_b
// CHECK-NOT: ein.
// CHECK-NOT: linalg.
