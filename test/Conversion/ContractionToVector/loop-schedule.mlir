// RUN: ein-opt %s --ein-loop-schedule | FileCheck %s
// RUN: ein-opt %s --ein-loop-schedule=schedule=static | FileCheck %s --check-prefix=STATIC
// RUN: not ein-opt %s --ein-loop-schedule=schedule=auto 2>&1 | FileCheck %s --check-prefix=BAD

// A worksharing loop without a schedule gets the option's (guided by
// default); one that has a schedule keeps it.
// CHECK-LABEL: func.func @loops
// CHECK: omp.wsloop schedule(guided) {
// CHECK: omp.wsloop schedule(dynamic) {
// STATIC-LABEL: func.func @loops
// STATIC: omp.wsloop schedule(static) {
// STATIC: omp.wsloop schedule(dynamic) {
// BAD: error: ein-loop-schedule: schedule must be static, dynamic or guided, but is 'auto'
func.func @loops(%n: index, %m: memref<?xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) {
        memref.store %v, %m[%i] : memref<?xf32>
        omp.yield
      }
    }
    omp.wsloop schedule(dynamic) {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) {
        memref.store %v, %m[%i] : memref<?xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  return
}
