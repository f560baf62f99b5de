// RUN: ein-opt %s -ein-split="memory-limit=4000 emit-remarks=false" | FileCheck %s --check-prefix=FITS
// RUN: ein-opt %s -ein-split="memory-limit=3999 emit-remarks=false" | FileCheck %s --check-prefix=ONE
// RUN: ein-opt %s -ein-split="objective=size emit-remarks=false" | FileCheck %s --check-prefix=SIZE
// RUN: not ein-opt %s -ein-split="algorithm=fast" 2>&1 | FileCheck %s --check-prefix=BADALGO
// RUN: not ein-opt %s -ein-split="objective=time" 2>&1 | FileCheck %s --check-prefix=BADOBJ
// RUN: not ein-opt %s -ein-split="dynamic-size=0" 2>&1 | FileCheck %s --check-prefix=BADDYN
// RUN: not ein-opt %s -ein-split="memory-limit=-1" 2>&1 | FileCheck %s --check-prefix=BADMEM

// BADALGO: error: ein-split: expected algorithm none, greedy, optimal, dp or auto, found 'fast'
// BADOBJ: error: ein-split: expected objective flops, size, write or combo, found 'time'
// BADDYN: error: ein-split: expected a dynamic size >= 1, found 0
// BADMEM: error: ein-split: expected a memory limit >= 0 elements, found -1

// Every pairwise order forms an intermediate of at least 10*40*10 = 4000
// elements. With 3999 allowed, the contraction stays one step.
// FITS-LABEL: func.func @limited
// FITS: ein.contract "ai,ci->aic" %arg0, %arg2 : {{.*}} -> tensor<10x40x10xf32>
// FITS: ein.contract "abc,aic->ib" %arg3, %{{.*}} -> tensor<40x10xf32>
// FITS: ein.contract "bi,ib->" %arg1
// ONE-LABEL: func.func @limited
// ONE-NEXT: ein.contract "ai,bi,ci,abc->" %arg0, %arg1, %arg2, %arg3
// ONE-NEXT: return
func.func @limited(%a: tensor<10x40xf32>, %b: tensor<10x40xf32>, %c: tensor<10x40xf32>, %t: tensor<10x10x10xf32>) -> tensor<f32> {
  %r = ein.contract "ai,bi,ci,abc->" %a, %b, %c, %t
      : tensor<10x40xf32>, tensor<10x40xf32>, tensor<10x40xf32>, tensor<10x10x10xf32> -> tensor<f32>
  return %r : tensor<f32>
}

// Fewest FLOPs: the 2x2 products first (intermediate 2x2), then 2x100 ...;
// objective=size keeps every intermediate at most 2x2 elements here too, and
// never makes the 100x100 product of b and c.
// SIZE-LABEL: func.func @chain
// SIZE-NOT: tensor<100x100xf32>
// SIZE: return
func.func @chain(%a: tensor<2x100xf32>, %b: tensor<100x2xf32>, %c: tensor<2x100xf32>, %d: tensor<100x2xf32>) -> tensor<2x2xf32> {
  %r = ein.contract "ab,bc,cd,de->ae" %a, %b, %c, %d
      : tensor<2x100xf32>, tensor<100x2xf32>, tensor<2x100xf32>, tensor<100x2xf32> -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}
