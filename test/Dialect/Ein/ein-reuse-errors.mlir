// Bad options and what cannot be costed: one error, status 1.
// RUN: not ein-opt %s --ein-reuse="max-stored-bytes=-3" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BOUND
// BOUND: error: ein-reuse: expected max-stored-bytes >= 0 and dynamic-size >= 1, found -3 and 64
// RUN: not ein-opt %s --ein-cost-report="algorithm=fastest" -o /dev/null 2>&1 | FileCheck %s --check-prefix=ALGO
// ALGO: error: ein-cost-report: expected algorithm none, greedy, optimal, dp or auto, found 'fastest'
// RUN: not ein-opt %s --ein-cost-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=RECURSION
// RECURSION: error: cannot cost @loop: it calls itself
// RECURSION-NOT: ein-cost:
// Recursive functions are not inlined.
// RUN: ein-opt %s --ein-reuse | FileCheck %s --check-prefix=INLINE
// INLINE: %{{.*}} = call @loop(

func.func @loop(%a: tensor<3xf32>) -> tensor<3xf32> {
  %0 = func.call @loop(%a) : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
