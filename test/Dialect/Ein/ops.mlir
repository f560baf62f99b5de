// RUN: ein-opt %s | FileCheck %s
// Round trip: print, parse the printed form again, and compare.
// RUN: ein-opt %s | ein-opt | FileCheck %s
// RUN: ein-opt %s --mlir-print-op-generic | ein-opt | FileCheck %s
// RUN: ein-opt %s -emit-bytecode | ein-opt | FileCheck %s

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: tensor<3x4xf32>, %[[B:.*]]: tensor<4x5xf32>)
func.func @matmul(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  // CHECK: ein.contract "ij,jk->ik" %[[A]], %[[B]] : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  return %r : tensor<3x5xf32>
}

// CHECK-LABEL: func.func @batched
func.func @batched(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  // CHECK: ein.contract "bij,bjk->bik" %{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<2x4x5xf32> -> tensor<2x3x5xf32>
  %r = ein.contract "bij,bjk->bik" %a, %b : tensor<2x3x4xf32>, tensor<2x4x5xf32> -> tensor<2x3x5xf32>
  return %r : tensor<2x3x5xf32>
}

// An exponential-space signature: `b` is shared by three operands.
// CHECK-LABEL: func.func @chain_static
func.func @chain_static(%a: tensor<32x64x64xf32>, %b: tensor<32x64x64xf32>,
                        %c: tensor<32x64x64xf32>) -> tensor<32x64x64xf32> {
  // CHECK: ein.contract "bij,bjk,bkl->bil" %{{.*}}, %{{.*}}, %{{.*}} : tensor<32x64x64xf32>, tensor<32x64x64xf32>, tensor<32x64x64xf32> -> tensor<32x64x64xf32>
  %r = ein.contract "bij,bjk,bkl->bil" %a, %b, %c
      : tensor<32x64x64xf32>, tensor<32x64x64xf32>, tensor<32x64x64xf32> -> tensor<32x64x64xf32>
  return %r : tensor<32x64x64xf32>
}

// CHECK-LABEL: func.func @chain_dynamic
func.func @chain_dynamic(%a: tensor<?x?x?xf64>, %b: tensor<?x?x?xf64>,
                         %c: tensor<?x?x?xf64>) -> tensor<?x?x?xf64> {
  // CHECK: ein.contract "bij,bjk,bkl->bil" %{{.*}}, %{{.*}}, %{{.*}} : tensor<?x?x?xf64>, tensor<?x?x?xf64>, tensor<?x?x?xf64> -> tensor<?x?x?xf64>
  %r = ein.contract "bij,bjk,bkl->bil" %a, %b, %c
      : (tensor<?x?x?xf64>, tensor<?x?x?xf64>, tensor<?x?x?xf64>) -> tensor<?x?x?xf64>
  return %r : tensor<?x?x?xf64>
}

// A static size refines a dynamic one.
// CHECK-LABEL: func.func @chain_mixed
func.func @chain_mixed(%a: tensor<?x3x4xf32>, %b: tensor<8x?x5xf32>) -> tensor<8x3x5xf32> {
  // CHECK: ein.contract "bij,bjk->bik" {{.*}} : tensor<?x3x4xf32>, tensor<8x?x5xf32> -> tensor<8x3x5xf32>
  %r = ein.contract "bij,bjk->bik" %a, %b : tensor<?x3x4xf32>, tensor<8x?x5xf32> -> tensor<8x3x5xf32>
  return %r : tensor<8x3x5xf32>
}

// Implicit output (numpy's rule) is stored and printed explicitly; spaces
// are ignored.
// CHECK-LABEL: func.func @implicit
func.func @implicit(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  // CHECK: ein.contract "ij,jk->ik"
  %r = ein.contract " ij , jk " %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  return %r : tensor<3x5xf32>
}

// CHECK-LABEL: func.func @implicit_sorted
func.func @implicit_sorted(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) -> tensor<4x3xf32> {
  // Uppercase sorts before lowercase, as in numpy.
  // CHECK: ein.contract "ba,bA->Aa"
  %r = ein.contract "ba,bA" %a, %b : tensor<2x3xf32>, tensor<2x4xf32> -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// CHECK-LABEL: func.func @scalars
func.func @scalars(%s: tensor<f32>, %m: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<f32>, tensor<f32>) {
  // CHECK: ein.contract ",ij->ij" {{.*}} : tensor<f32>, tensor<3x4xf32> -> tensor<3x4xf32>
  %r = ein.contract ",ij->ij" %s, %m : tensor<f32>, tensor<3x4xf32> -> tensor<3x4xf32>
  // CHECK: ein.contract "->" {{.*}} : tensor<f32> -> tensor<f32>
  %t = ein.contract "->" %s : tensor<f32> -> tensor<f32>
  // CHECK: ein.contract ",,->" {{.*}} : tensor<f32>, tensor<f32>, tensor<f32> -> tensor<f32>
  %u = ein.contract ",,->" %s, %s, %s : tensor<f32>, tensor<f32>, tensor<f32> -> tensor<f32>
  return %r, %t, %u : tensor<3x4xf32>, tensor<f32>, tensor<f32>
}

// Repeated labels in an input: diagonal and trace.
// CHECK-LABEL: func.func @diagonals
func.func @diagonals(%m: tensor<4x4xf32>, %t: tensor<2x3x3x2xf32>, %d: tensor<?x?xf32>)
    -> (tensor<4xf32>, tensor<f32>, tensor<f32>, tensor<?xf32>) {
  // CHECK: ein.contract "ii->i" {{.*}} : tensor<4x4xf32> -> tensor<4xf32>
  %diag = ein.contract "ii->i" %m : tensor<4x4xf32> -> tensor<4xf32>
  // CHECK: ein.contract "ii->" {{.*}} : tensor<4x4xf32> -> tensor<f32>
  %trace = ein.contract "ii->" %m : tensor<4x4xf32> -> tensor<f32>
  // CHECK: ein.contract "ijji->" {{.*}} : tensor<2x3x3x2xf32> -> tensor<f32>
  %t2 = ein.contract "ijji->" %t : tensor<2x3x3x2xf32> -> tensor<f32>
  // CHECK: ein.contract "ii->i" {{.*}} : tensor<?x?xf32> -> tensor<?xf32>
  %dd = ein.contract "ii->i" %d : tensor<?x?xf32> -> tensor<?xf32>
  return %diag, %trace, %t2, %dd : tensor<4xf32>, tensor<f32>, tensor<f32>, tensor<?xf32>
}

// Repeated labels in the output: diagonal embedding.
// CHECK-LABEL: func.func @embeddings
func.func @embeddings(%v: tensor<3xf32>, %m: tensor<2x3xf32>) -> (tensor<3x3xf32>, tensor<3x2x3x2xf32>) {
  // CHECK: ein.contract "i->ii" {{.*}} : tensor<3xf32> -> tensor<3x3xf32>
  %e = ein.contract "i->ii" %v : tensor<3xf32> -> tensor<3x3xf32>
  // CHECK: ein.contract "ij->jiji" {{.*}} : tensor<2x3xf32> -> tensor<3x2x3x2xf32>
  %f = ein.contract "ij->jiji" %m : tensor<2x3xf32> -> tensor<3x2x3x2xf32>
  return %e, %f : tensor<3x3xf32>, tensor<3x2x3x2xf32>
}

// Ellipsis, with numpy broadcasting of the ellipsis dimensions.
// CHECK-LABEL: func.func @ellipsis
func.func @ellipsis(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4x6xf32>, %c: tensor<3x3x3xf32>)
    -> (tensor<2x5x3x6xf32>, tensor<3x3xf32>, tensor<3xf32>) {
  // CHECK: ein.contract "...ij,...jk->...ik" {{.*}} : tensor<2x1x3x4xf32>, tensor<5x4x6xf32> -> tensor<2x5x3x6xf32>
  %r = ein.contract "...ij,...jk->...ik" %a, %b : tensor<2x1x3x4xf32>, tensor<5x4x6xf32> -> tensor<2x5x3x6xf32>
  // CHECK: ein.contract "...ii->...i" {{.*}} : tensor<3x3x3xf32> -> tensor<3x3xf32>
  %d = ein.contract "...ii ->...i" %c : tensor<3x3x3xf32> -> tensor<3x3xf32>
  // The ellipsis in the middle of a term; ellipsis dims absent from the
  // output are summed.
  // CHECK: ein.contract "a...a->..." {{.*}} : tensor<3x3x3xf32> -> tensor<3xf32>
  %m = ein.contract "a...a->..." %c : tensor<3x3x3xf32> -> tensor<3xf32>
  return %r, %d, %m : tensor<2x5x3x6xf32>, tensor<3x3xf32>, tensor<3xf32>
}

// CHECK-LABEL: func.func @ellipsis_implicit
func.func @ellipsis_implicit(%a: tensor<7x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<7x3x5xf32> {
  // CHECK: ein.contract "...ij,jk->...ik"
  %r = ein.contract "...ij,jk" %a, %b : tensor<7x3x4xf32>, tensor<4x5xf32> -> tensor<7x3x5xf32>
  return %r : tensor<7x3x5xf32>
}

// Flattened-axis groups in inputs and outputs.
// CHECK-LABEL: func.func @groups
func.func @groups(%x: tensor<8x2x3xf32>, %w: tensor<6x5xf32>, %v: tensor<6xf32>)
    -> (tensor<8x5xf32>, tensor<8x6xf32>, tensor<2x3xf32>, tensor<6xf32>) {
  // CHECK: ein.contract "bij,(ij)k->bk" {{.*}} : tensor<8x2x3xf32>, tensor<6x5xf32> -> tensor<8x5xf32>
  %r = ein.contract "bij,(ij)k->bk" %x, %w : tensor<8x2x3xf32>, tensor<6x5xf32> -> tensor<8x5xf32>
  // CHECK: ein.contract "bij->b(ij)" {{.*}} : tensor<8x2x3xf32> -> tensor<8x6xf32>
  %f = ein.contract "bij->b(ij)" %x : tensor<8x2x3xf32> -> tensor<8x6xf32>
  // Sizes of labels seen only in a group come from the result type.
  // CHECK: ein.contract "(ij)->ij" {{.*}} : tensor<6xf32> -> tensor<2x3xf32>
  %u = ein.contract "(ij)->ij" %v : tensor<6xf32> -> tensor<2x3xf32>
  // CHECK: ein.contract "(ij)->(ji)" {{.*}} : tensor<6xf32> -> tensor<6xf32>
  %t = ein.contract "(ij)->(ji)" %v : tensor<6xf32> -> tensor<6xf32>
  return %r, %f, %u, %t : tensor<8x5xf32>, tensor<8x6xf32>, tensor<2x3xf32>, tensor<6xf32>
}

// `_`: keepdims axes.
// CHECK-LABEL: func.func @keepdims
func.func @keepdims(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<1x3xf32>)
    -> (tensor<1x3x1x5x1xf32>, tensor<3xf32>) {
  // CHECK: ein.contract "ij,jk->_i_k_" {{.*}} : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<1x3x1x5x1xf32>
  %r = ein.contract "ij,jk->_i_k_" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<1x3x1x5x1xf32>
  // CHECK: ein.contract "_i->i" {{.*}} : tensor<1x3xf32> -> tensor<3xf32>
  %s = ein.contract "_i->i" %c : tensor<1x3xf32> -> tensor<3xf32>
  return %r, %s : tensor<1x3x1x5x1xf32>, tensor<3xf32>
}

// Size-1 dimensions broadcast against a label's other size.
// CHECK-LABEL: func.func @broadcast
func.func @broadcast(%a: tensor<10x2xf32>, %b: tensor<1x2xf32>, %c: tensor<1x5x4xf32>,
                     %d: tensor<4x6xf32>, %e: tensor<5x6xf32>) -> (tensor<2xf32>, tensor<1xf32>) {
  // CHECK: ein.contract "ij,ij->j" {{.*}} : tensor<10x2xf32>, tensor<1x2xf32> -> tensor<2xf32>
  %r = ein.contract "ij,ij->j" %a, %b : tensor<10x2xf32>, tensor<1x2xf32> -> tensor<2xf32>
  // CHECK: ein.contract "ijk,kl,jl->i" {{.*}} -> tensor<1xf32>
  %s = ein.contract "ijk,kl,jl" %c, %d, %e : tensor<1x5x4xf32>, tensor<4x6xf32>, tensor<5x6xf32> -> tensor<1xf32>
  return %r, %s : tensor<2xf32>, tensor<1xf32>
}

// Element types beyond f32: f64, f16, bf16, complex.
// CHECK-LABEL: func.func @element_types
func.func @element_types(%a: tensor<2x2xf64>, %b: tensor<2x2xbf16>, %c: tensor<2xcomplex<f32>>)
    -> (tensor<2x2xf64>, tensor<2xbf16>, tensor<complex<f32>>) {
  // CHECK: ein.contract "ij,jk->ik" {{.*}} -> tensor<2x2xf64>
  %r = ein.contract "ij,jk->ik" %a, %a : tensor<2x2xf64>, tensor<2x2xf64> -> tensor<2x2xf64>
  // CHECK: ein.contract "ij->j" {{.*}} -> tensor<2xbf16>
  %s = ein.contract "ij->j" %b : tensor<2x2xbf16> -> tensor<2xbf16>
  // CHECK: ein.contract "i,i->" {{.*}} -> tensor<complex<f32>>
  %t = ein.contract "i,i->" %c, %c : tensor<2xcomplex<f32>>, tensor<2xcomplex<f32>> -> tensor<complex<f32>>
  return %r, %s, %t : tensor<2x2xf64>, tensor<2xbf16>, tensor<complex<f32>>
}

// CHECK-LABEL: func.func @add
// CHECK-SAME: (%[[A:.*]]: tensor<3x4xf32>, %[[B:.*]]: tensor<3x4xf32>, %[[D:.*]]: tensor<?x4xf64>)
func.func @add(%a: tensor<3x4xf32>, %b: tensor<3x4xf32>, %d: tensor<?x4xf64>)
    -> (tensor<3x4xf32>, tensor<3x4xf32>, tensor<?x4xf64>) {
  // CHECK: ein.add %[[A]], %[[B]] : tensor<3x4xf32>
  %s = ein.add %a, %b : tensor<3x4xf32>
  // CHECK: ein.add %[[A]], %[[B]], %[[A]] : tensor<3x4xf32>
  %t = ein.add %a, %b, %a : tensor<3x4xf32>
  // CHECK: ein.add %[[D]], %[[D]] : tensor<?x4xf64>
  %u = ein.add %d, %d : tensor<?x4xf64>
  return %s, %t, %u : tensor<3x4xf32>, tensor<3x4xf32>, tensor<?x4xf64>
}

// The spec attribute on its own (it may carry the eingrad marker).
// CHECK-LABEL: func.func @spec_attr
// CHECK: ein.spec_holder = #ein.spec<"i,i%j->j">
func.func @spec_attr() attributes {ein.spec_holder = #ein.spec<"i, i%j -> j">} {
  return
}
