// RUN: ein-opt %s -ein-split -split-input-file -verify-diagnostics

// Each contraction gets its path (opt_einsum's linear format), its FLOPs,
// the FLOPs of one loop nest and the largest intermediate.

func.func @chain(%a: tensor<8x16x32xf32>, %b: tensor<8x32x64xf32>, %c: tensor<8x64x16xf32>) -> tensor<8x16x16xf32> {
  // expected-remark @below {{contraction path [(1, 2), (0, 1)]: 655360 FLOPs (one loop nest: 12582912), largest intermediate 4096 elements}}
  %r = ein.contract "bij,bjk,bkl->bil" %a, %b, %c
      : tensor<8x16x32xf32>, tensor<8x32x64xf32>, tensor<8x64x16xf32> -> tensor<8x16x16xf32>
  return %r : tensor<8x16x16xf32>
}

// -----

func.func @pre_reduce(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>, %c: tensor<6x7xf32>) -> tensor<f32> {
  // expected-remark @below {{contraction path [(0,), (0,), (0,), (0, 1), (0, 1)]: 138 FLOPs (one loop nest: 10080), largest intermediate 1 elements}}
  %r = ein.contract "ab,cd,ef->" %a, %b, %c : tensor<2x3xf32>, tensor<4x5xf32>, tensor<6x7xf32> -> tensor<f32>
  return %r : tensor<f32>
}

// -----

func.func @binary(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  // expected-remark @below {{contraction path [(0, 1)]: 120 FLOPs (one loop nest: 120), largest intermediate 15 elements}}
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  return %r : tensor<3x5xf32>
}

// -----

// opt_einsum: optimal 27436062 FLOPs.
func.func @greedy_vs_optimal(%x: tensor<35x37x59xf32>, %y: tensor<35x51x59xf32>, %z: tensor<37x51x51x59xf32>, %w: tensor<59x27xf32>) -> tensor<51x51x27xf32> {
  // expected-remark @below {{contraction path [(0, 1), (0, 2), (0, 1)]: 27436062 FLOPs (one loop nest: 21462775740), largest intermediate 153459 elements}}
  %r = ein.contract "xyf,xtf,ytpf,fr->tpr" %x, %y, %z, %w
      : tensor<35x37x59xf32>, tensor<35x51x59xf32>, tensor<37x51x51x59xf32>, tensor<59x27xf32> -> tensor<51x51x27xf32>
  return %r : tensor<51x51x27xf32>
}

// -----

func.func @dynamic(%a: tensor<4x?xf32>, %b: tensor<?x4xf32>, %c: tensor<4x100xf32>) -> tensor<4x100xf32> {
  // expected-remark @below {{contraction path [(0, 1), (0, 1)]: 5248 FLOPs}}
  %r = ein.contract "ij,jk,kl->il" %a, %b, %c : tensor<4x?xf32>, tensor<?x4xf32>, tensor<4x100xf32> -> tensor<4x100xf32>
  return %r : tensor<4x100xf32>
}
