// RUN: ein-opt %s --ein-approximate-math | FileCheck %s

// f32 tanh, exp and expm1 (scalars and vectors) become arithmetic; f64 and
// other functions stay math ops (libm).
// CHECK-LABEL: func.func @approximated
// CHECK-NOT: math.tanh
// CHECK-NOT: math.exp
// CHECK: arith.mulf
// CHECK: math.log %{{.*}} : vector<16xf32>
// CHECK: math.tanh %{{.*}} : f64
// CHECK: math.exp %{{.*}} : vector<8xf64>
func.func @approximated(%v: vector<16xf32>, %s: f32, %d: f64, %w: vector<8xf64>)
    -> (vector<16xf32>, f32, f32, vector<16xf32>, f64, vector<8xf64>) {
  %t = math.tanh %v : vector<16xf32>
  %e = math.exp %s : f32
  %m = math.expm1 %s : f32
  %l = math.log %v : vector<16xf32>
  %td = math.tanh %d : f64
  %ed = math.exp %w : vector<8xf64>
  return %t, %e, %m, %l, %td, %ed : vector<16xf32>, f32, f32, vector<16xf32>, f64, vector<8xf64>
}
