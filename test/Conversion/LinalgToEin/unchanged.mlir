// RUN: ein-opt %s --ein-raise-linalg --split-input-file | FileCheck %s

// What is not a contraction of float or complex tensors is left alone.

#ij = affine_map<(i, j) -> (i, j)>
#i = affine_map<(i, j) -> (i)>
#c0 = affine_map<(i, j) -> (i, 0)>

// CHECK-LABEL: func.func @integers
// CHECK: linalg.matmul
func.func @integers(%a: tensor<3x4xi32>, %b: tensor<4x5xi32>, %c: tensor<3x5xi32>) -> tensor<3x5xi32> {
  %r = linalg.matmul ins(%a, %b : tensor<3x4xi32>, tensor<4x5xi32>) outs(%c : tensor<3x5xi32>) -> tensor<3x5xi32>
  return %r : tensor<3x5xi32>
}

// CHECK-LABEL: func.func @buffers
// CHECK: linalg.matmul
func.func @buffers(%a: memref<3x4xf32>, %b: memref<4x5xf32>, %c: memref<3x5xf32>) {
  linalg.matmul ins(%a, %b : memref<3x4xf32>, memref<4x5xf32>) outs(%c : memref<3x5xf32>)
  return
}

// Mixed element types need a cast in the body.
// CHECK-LABEL: func.func @mixed
// CHECK: linalg.matmul
func.func @mixed(%a: tensor<3x4xf16>, %b: tensor<4x5xf16>, %c: tensor<3x5xf32>) -> tensor<3x5xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<3x4xf16>, tensor<4x5xf16>) outs(%c : tensor<3x5xf32>) -> tensor<3x5xf32>
  return %r : tensor<3x5xf32>
}

// A sum of inputs, not a product.
// CHECK-LABEL: func.func @sum_body
// CHECK: linalg.generic
func.func @sum_body(%x: tensor<2x3xf32>, %o: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = linalg.generic {indexing_maps = [#ij, #ij, #ij], iterator_types = ["parallel", "parallel"]}
      ins(%x, %x : tensor<2x3xf32>, tensor<2x3xf32>) outs(%o : tensor<2x3xf32>) {
  ^bb0(%p: f32, %q: f32, %out: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// Other arithmetic in the body.
// CHECK-LABEL: func.func @exp_body
// CHECK: linalg.generic
func.func @exp_body(%x: tensor<2x3xf32>, %o: tensor<2xf32>) -> tensor<2xf32> {
  %r = linalg.generic {indexing_maps = [#ij, #i], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<2x3xf32>) outs(%o : tensor<2xf32>) {
  ^bb0(%p: f32, %out: f32):
    %e = math.exp %p : f32
    %s = arith.addf %out, %e : f32
    linalg.yield %s : f32
  } -> tensor<2xf32>
  return %r : tensor<2xf32>
}

// A product read with a reduction loop but without `out +`.
// CHECK-LABEL: func.func @overwrite_reduction
// CHECK: linalg.generic
func.func @overwrite_reduction(%x: tensor<2x3xf32>, %o: tensor<2xf32>) -> tensor<2xf32> {
  %r = linalg.generic {indexing_maps = [#ij, #i], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<2x3xf32>) outs(%o : tensor<2xf32>) {
  ^bb0(%p: f32, %out: f32):
    linalg.yield %p : f32
  } -> tensor<2xf32>
  return %r : tensor<2xf32>
}

// A loop only the output reads (a broadcast).
// CHECK-LABEL: func.func @broadcast
// CHECK: linalg.generic
func.func @broadcast(%x: tensor<2xf32>, %o: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = linalg.generic {indexing_maps = [#i, #ij], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<2xf32>) outs(%o : tensor<2x3xf32>) {
  ^bb0(%p: f32, %out: f32):
    linalg.yield %p : f32
  } -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// Constant indices in a map.
// CHECK-LABEL: func.func @constant_index
// CHECK: linalg.generic
func.func @constant_index(%x: tensor<2x1xf32>, %o: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = linalg.generic {indexing_maps = [#c0, #ij], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<2x1xf32>) outs(%o : tensor<2x3xf32>) {
  ^bb0(%p: f32, %out: f32):
    %m = arith.mulf %p, %p : f32
    linalg.yield %m : f32
  } -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// Index semantics.
// CHECK-LABEL: func.func @index
// CHECK: linalg.generic
// CHECK: linalg.index
func.func @index(%x: tensor<2x3xf32>, %o: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = linalg.generic {indexing_maps = [#ij, #ij], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<2x3xf32>) outs(%o : tensor<2x3xf32>) {
  ^bb0(%p: f32, %out: f32):
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i32
    %f = arith.sitofp %ii : i32 to f32
    %m = arith.mulf %p, %f : f32
    linalg.yield %m : f32
  } -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// A scalar (non-tensor) input.
// CHECK-LABEL: func.func @scalar_input
// CHECK: linalg.generic
func.func @scalar_input(%x: tensor<2x3xf32>, %s: f32, %o: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = linalg.generic {indexing_maps = [#ij, affine_map<(i, j) -> ()>, #ij], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : tensor<2x3xf32>, f32) outs(%o : tensor<2x3xf32>) {
  ^bb0(%p: f32, %q: f32, %out: f32):
    %m = arith.mulf %p, %q : f32
    linalg.yield %m : f32
  } -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// Broadcasts and convolutions are not contractions in ein's sense (a loop
// only the output reads; sums of loop indices in a map).
// CHECK-LABEL: func.func @broadcast_conv
// CHECK: linalg.broadcast
// CHECK: linalg.conv_2d_nhwc_hwcf
func.func @broadcast_conv(%v: tensor<4xf32>, %o: tensor<4x5xf32>, %img: tensor<1x8x8x1xf32>,
                          %k: tensor<3x3x1x1xf32>, %co: tensor<1x6x6x1xf32>)
    -> (tensor<4x5xf32>, tensor<1x6x6x1xf32>) {
  %b = linalg.broadcast ins(%v : tensor<4xf32>) outs(%o : tensor<4x5xf32>) dimensions = [1]
  %c = linalg.conv_2d_nhwc_hwcf ins(%img, %k : tensor<1x8x8x1xf32>, tensor<3x3x1x1xf32>)
      outs(%co : tensor<1x6x6x1xf32>) -> tensor<1x6x6x1xf32>
  return %b, %c : tensor<4x5xf32>, tensor<1x6x6x1xf32>
}
