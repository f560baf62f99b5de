// RUN: ein-opt %s -split-input-file -verify-diagnostics --ein-check-buffers=max-bytes=4096
// RUN: ein-opt %s -split-input-file --ein-check-buffers | FileCheck %s
// RUN: ein-opt %s -split-input-file --pass-pipeline='builtin.module(ein-to-linalg{buffer-limit=4096})' -verify-diagnostics

// Exactly at the limit: 32x32 f32 = 4096 bytes. (No limit: nothing fails.)
// CHECK-LABEL: func.func @at_limit
func.func @at_limit(%a: tensor<32x8xf32>, %b: tensor<8x32xf32>) -> tensor<32x32xf32> {
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<32x8xf32>, tensor<8x32xf32> -> tensor<32x32xf32>
  return %r : tensor<32x32xf32>
}

// -----

// One element more.
// CHECK-LABEL: func.func @above
func.func @above(%a: tensor<32x8xf32>, %b: tensor<8x33xf32>) -> tensor<32x33xf32> {
  // expected-error @+1 {{'ein.contract' op result 'tensor<32x33xf32>' needs 4224 bytes (4.12 KiB), more than the buffer limit of 4096 bytes (4.00 KiB)}}
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<32x8xf32>, tensor<8x33xf32> -> tensor<32x33xf32>
  return %r : tensor<32x33xf32>
}

// -----

// Any op's static tensor results count (f64: 8 bytes per element).
// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%a: tensor<600xf64>) -> tensor<600xf64> {
  // expected-error @+1 {{'math.exp' op result 'tensor<600xf64>' needs 4800 bytes (4.69 KiB), more than the buffer limit of 4096 bytes (4.00 KiB)}}
  %r = math.exp %a : tensor<600xf64>
  return %r : tensor<600xf64>
}

// -----

// Dynamic tensors are checked when allocated (ein-run), not here.
// CHECK-LABEL: func.func @dynamic
func.func @dynamic(%a: tensor<?x8xf32>, %b: tensor<8x?xf32>) -> tensor<?x?xf32> {
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<?x8xf32>, tensor<8x?xf32> -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}
