// RUN: ein-opt %s --split-input-file --ein-merge-functions | FileCheck %s
// RUN: ein-opt %s --split-input-file --ein-core | FileCheck %s --check-prefix=CORE

// Three copies of one traced function, one per ein.grad: one function is
// left, every ein.grad names it. Through ein-core, the split sees all three
// arguments needing gradients and reuse shares the forward intermediate
// and the cotangent: 6 binary contractions, not 7.
// CHECK-LABEL: func.func private @f(
// CHECK-NOT: func.func private @f_1
// CHECK-NOT: func.func private @f_2
// CHECK-LABEL: func.func @vjps
// CHECK: ein.grad "ABC,ABC%abc->abc" %{{.*}}, @f(
// CHECK: ein.grad "ABC,ABC%abc->abc" %{{.*}}, @f(
// CHECK: ein.grad "ABC,ABC%abc->abc" %{{.*}}, @f(
// CORE-LABEL: func.func @vjps
// CORE-COUNT-6: ein.contract
// CORE-NOT: ein.contract
// CORE: return
func.func private @f(%a: tensor<8x8x8xf32>, %b: tensor<8x8x8xf32>, %c: tensor<8x8x8xf32>) -> tensor<8x8x8xf32> {
  %r = ein.contract "abc,cde,efa->bdf" %a, %b, %c : tensor<8x8x8xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32> -> tensor<8x8x8xf32>
  return %r : tensor<8x8x8xf32>
}
func.func private @f_1(%a: tensor<8x8x8xf32>, %b: tensor<8x8x8xf32>, %c: tensor<8x8x8xf32>) -> tensor<8x8x8xf32> {
  %r = ein.contract "abc,cde,efa->bdf" %a, %b, %c : tensor<8x8x8xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32> -> tensor<8x8x8xf32>
  return %r : tensor<8x8x8xf32>
}
func.func private @f_2(%a: tensor<8x8x8xf32>, %b: tensor<8x8x8xf32>, %c: tensor<8x8x8xf32>) -> tensor<8x8x8xf32> {
  %r = ein.contract "abc,cde,efa->bdf" %a, %b, %c : tensor<8x8x8xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32> -> tensor<8x8x8xf32>
  return %r : tensor<8x8x8xf32>
}
func.func @vjps(%s: tensor<8x8x8xf32>, %a: tensor<8x8x8xf32>, %b: tensor<8x8x8xf32>, %c: tensor<8x8x8xf32>) -> (tensor<8x8x8xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32>) {
  %0 = ein.grad "ABC,ABC%abc->abc" %s, @f(%a, %b, %c) wrt 0 : (tensor<8x8x8xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32>) -> tensor<8x8x8xf32>
  %1 = ein.grad "ABC,ABC%abc->abc" %s, @f_1(%a, %b, %c) wrt 1 : (tensor<8x8x8xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32>) -> tensor<8x8x8xf32>
  %2 = ein.grad "ABC,ABC%abc->abc" %s, @f_2(%a, %b, %c) wrt 2 : (tensor<8x8x8xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32>) -> tensor<8x8x8xf32>
  return %0, %1, %2 : tensor<8x8x8xf32>, tensor<8x8x8xf32>, tensor<8x8x8xf32>
}

// -----

// Different bodies (a spec differs), a public copy, and calls between
// copies: @h_1 becomes identical to @h once @g_1 is merged into @g, so both
// rounds merge. The public @pub stays; its private copy merges into it.
// CHECK-LABEL: func.func private @g(
// CHECK-LABEL: func.func private @other(
// CHECK: "ij->ji"
// CHECK-LABEL: func.func private @h(
// CHECK: call @g(
// CHECK-NOT: func.func private @h_1
// CHECK-LABEL: func.func @pub(
// CHECK-NOT: func.func private @pub_copy
// CHECK-LABEL: func.func @use
// CHECK: call @h(
// CHECK: call @h(
// CHECK: call @other(
// CHECK: call @pub(
// CHECK: call @pub(
func.func private @g(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %r = ein.contract "ij,jk->ik" %x, %x : tensor<3x3xf32>, tensor<3x3xf32> -> tensor<3x3xf32>
  return %r : tensor<3x3xf32>
}
func.func private @g_1(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %r = ein.contract "ij,jk->ik" %x, %x : tensor<3x3xf32>, tensor<3x3xf32> -> tensor<3x3xf32>
  return %r : tensor<3x3xf32>
}
func.func private @other(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %r = ein.contract "ij->ji" %x : tensor<3x3xf32> -> tensor<3x3xf32>
  return %r : tensor<3x3xf32>
}
func.func private @h(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %r = call @g(%x) : (tensor<3x3xf32>) -> tensor<3x3xf32>
  return %r : tensor<3x3xf32>
}
func.func private @h_1(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %r = call @g_1(%x) : (tensor<3x3xf32>) -> tensor<3x3xf32>
  return %r : tensor<3x3xf32>
}
func.func @pub(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  return %x : tensor<3x3xf32>
}
func.func private @pub_copy(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  return %x : tensor<3x3xf32>
}
func.func @use(%x: tensor<3x3xf32>) -> (tensor<3x3xf32>, tensor<3x3xf32>, tensor<3x3xf32>, tensor<3x3xf32>, tensor<3x3xf32>) {
  %0 = call @h(%x) : (tensor<3x3xf32>) -> tensor<3x3xf32>
  %1 = call @h_1(%x) : (tensor<3x3xf32>) -> tensor<3x3xf32>
  %2 = call @other(%x) : (tensor<3x3xf32>) -> tensor<3x3xf32>
  %3 = call @pub(%x) : (tensor<3x3xf32>) -> tensor<3x3xf32>
  %4 = call @pub_copy(%x) : (tensor<3x3xf32>) -> tensor<3x3xf32>
  return %0, %1, %2, %3, %4 : tensor<3x3xf32>, tensor<3x3xf32>, tensor<3x3xf32>, tensor<3x3xf32>, tensor<3x3xf32>
}
