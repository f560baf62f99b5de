// RUN: ein-opt %s -ein-split=emit-remarks=false -split-input-file | FileCheck %s
// RUN: ein-opt %s -ein-split="algorithm=greedy emit-remarks=false" -split-input-file | FileCheck %s --check-prefix=GREEDY
// RUN: ein-opt %s -ein-split="algorithm=none emit-remarks=false" -split-input-file | FileCheck %s --check-prefix=NONE
// RUN: ein-opt %s -ein-split="dynamic-size=1 emit-remarks=false" -split-input-file | FileCheck %s --check-prefix=DYN1

// The cheaper pair first: (B, C) makes a 8x32x16 intermediate for
// 2*8*32*64*16 FLOPs, (A, B) would cost 2*8*16*32*64 and make 8x16x64.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[A:.*]]: tensor<8x16x32xf32>, %[[B:.*]]: tensor<8x32x64xf32>, %[[C:.*]]: tensor<8x64x16xf32>)
// CHECK: %[[T:.*]] = ein.contract "bjk,bkl->bjl" %[[B]], %[[C]] : tensor<8x32x64xf32>, tensor<8x64x16xf32> -> tensor<8x32x16xf32>
// CHECK: ein.contract "bij,bjl->bil" %[[A]], %[[T]] : tensor<8x16x32xf32>, tensor<8x32x16xf32> -> tensor<8x16x16xf32>
// NONE-LABEL: func.func @chain
// NONE-NEXT: ein.contract "bij,bjk,bkl->bil"
func.func @chain(%a: tensor<8x16x32xf32>, %b: tensor<8x32x64xf32>, %c: tensor<8x64x16xf32>) -> tensor<8x16x16xf32> {
  %r = ein.contract "bij,bjk,bkl->bil" %a, %b, %c
      : tensor<8x16x32xf32>, tensor<8x32x64xf32>, tensor<8x64x16xf32> -> tensor<8x16x16xf32>
  return %r : tensor<8x16x16xf32>
}

// -----

// Labels only one operand needs are summed first when that is cheaper:
// 2*6 + 2*20 + 2*42 for the sums, 2 for the scalar products.
// CHECK-LABEL: func.func @pre_reduce
// CHECK: %[[X:.*]] = ein.contract "ab->" %{{.*}} : tensor<2x3xf32> -> tensor<f32>
// CHECK: %[[Y:.*]] = ein.contract "cd->" %{{.*}} : tensor<4x5xf32> -> tensor<f32>
// CHECK: %[[Z:.*]] = ein.contract "ef->" %{{.*}} : tensor<6x7xf32> -> tensor<f32>
// CHECK: %[[XY:.*]] = ein.contract ",->" %[[X]], %[[Y]]
// CHECK: ein.contract ",->" %[[Z]], %[[XY]]
func.func @pre_reduce(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>, %c: tensor<6x7xf32>) -> tensor<f32> {
  %r = ein.contract "ab,cd,ef->" %a, %b, %c : tensor<2x3xf32>, tensor<4x5xf32>, tensor<6x7xf32> -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// A binary contraction that needs no pre-reduction is one step: unchanged.
// CHECK-LABEL: func.func @binary
// CHECK-NEXT: ein.contract "ij,jk->ik"
// CHECK-NEXT: return
func.func @binary(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  return %r : tensor<3x5xf32>
}

// -----

// opt_einsum's greedy takes (x,ytpf) first here (416487726 FLOPs); auto finds
// the 27436062-FLOP order opt_einsum's optimal finds.
// CHECK-LABEL: func.func @greedy_vs_optimal
// Intermediates list their labels in order of first appearance in the spec.
// CHECK: %[[T0:.*]] = ein.contract "xyf,xtf->yft" %arg0, %arg1
// CHECK: %[[T1:.*]] = ein.contract "ytpf,yft->ftp" %arg2, %[[T0]]
// CHECK: ein.contract "fr,ftp->tpr" %arg3, %[[T1]]
// GREEDY-LABEL: func.func @greedy_vs_optimal
// GREEDY: %[[T0:.*]] = ein.contract "xyf,ytpf->xftp" %arg0, %arg2
// GREEDY: %[[T1:.*]] = ein.contract "xtf,xftp->ftp" %arg1, %[[T0]]
// GREEDY: ein.contract "fr,ftp->tpr" %arg3, %[[T1]]
func.func @greedy_vs_optimal(%x: tensor<35x37x59xf32>, %y: tensor<35x51x59xf32>, %z: tensor<37x51x51x59xf32>, %w: tensor<59x27xf32>) -> tensor<51x51x27xf32> {
  %r = ein.contract "xyf,xtf,ytpf,fr->tpr" %x, %y, %z, %w
      : tensor<35x37x59xf32>, tensor<35x51x59xf32>, tensor<37x51x51x59xf32>, tensor<59x27xf32> -> tensor<51x51x27xf32>
  return %r : tensor<51x51x27xf32>
}

// -----

// Dynamic sizes count as dynamic-size (64): with j = D, (ij,jk) first costs
// 2*4*D*4 + 2*4*4*100 = 5248, (jk,kl) first 2*D*4*100 + 2*4*D*100 = 102400.
// With dynamic-size=1 the second order is cheaper (3232 against 1600).
// CHECK-LABEL: func.func @dynamic
// CHECK: %[[T:.*]] = ein.contract "ij,jk->ik" %arg0, %arg1 : tensor<4x?xf32>, tensor<?x4xf32> -> tensor<4x4xf32>
// CHECK: ein.contract "kl,ik->il" %arg2, %[[T]] : tensor<4x100xf32>, tensor<4x4xf32> -> tensor<4x100xf32>
// DYN1-LABEL: func.func @dynamic
// DYN1: %[[T:.*]] = ein.contract "jk,kl->jl" %arg1, %arg2 : tensor<?x4xf32>, tensor<4x100xf32> -> tensor<?x100xf32>
// DYN1: ein.contract "ij,jl->il" %arg0, %[[T]]
func.func @dynamic(%a: tensor<4x?xf32>, %b: tensor<?x4xf32>, %c: tensor<4x100xf32>) -> tensor<4x100xf32> {
  %r = ein.contract "ij,jk,kl->il" %a, %b, %c : tensor<4x?xf32>, tensor<?x4xf32>, tensor<4x100xf32> -> tensor<4x100xf32>
  return %r : tensor<4x100xf32>
}

// -----

// Every input has the same labels: no path saves a multiplication, and the
// single loop nest needs no intermediates. Left whole (a repeated label is
// a diagonal: split as usual).
// CHECK-LABEL: func.func @same_labels
// CHECK-NEXT: %[[R:.*]] = ein.contract "i,i,i->" %arg0, %arg1, %arg2
// CHECK-NEXT: %[[E:.*]] = ein.contract "ij,ij,ij->ij" %arg3, %arg3, %arg3
// CHECK-NEXT: return %[[R]], %[[E]]
func.func @same_labels(%a: tensor<64xf32>, %b: tensor<64xf32>, %c: tensor<64xf32>, %m: tensor<8x8xf32>) -> (tensor<f32>, tensor<8x8xf32>) {
  %0 = ein.contract "i,i,i->" %a, %b, %c : tensor<64xf32>, tensor<64xf32>, tensor<64xf32> -> tensor<f32>
  %1 = ein.contract "ij,ij,ij->ij" %m, %m, %m : tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32> -> tensor<8x8xf32>
  return %0, %1 : tensor<f32>, tensor<8x8xf32>
}

// -----

// An intermediate whose plan order (ac) puts a group narrower than a
// vector (c = 10) innermost next to a much wider one (a = 1024) has the
// narrow group first: ca, so that the GEMM writing it runs its vectors
// along a.
// CHECK-LABEL: func.func @narrow_group_first
// CHECK: %[[T:.*]] = ein.contract "ba,cb->ca" %{{.*}}, %{{.*}} : tensor<1024x1024xf32>, tensor<10x1024xf32> -> tensor<10x1024xf32>
// CHECK: ein.contract "dc,ca->ad" %{{.*}}, %[[T]]
func.func @narrow_group_first(%a: tensor<1024x1024xf32>, %b: tensor<10x1024xf32>, %c: tensor<333x10xf32>) -> tensor<1024x333xf32> {
  %r = ein.contract "ba,cb,dc->ad" %a, %b, %c
      : tensor<1024x1024xf32>, tensor<10x1024xf32>, tensor<333x10xf32> -> tensor<1024x333xf32>
  return %r : tensor<1024x333xf32>
}
