//===- Passes.td - ein dialect passes ----------------------*- tablegen -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_TRANSFORMS_PASSES_TD
#define EIN_DIALECT_EIN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def EinExpandGroups : Pass<"ein-expand-groups"> {
  let summary = "Turn '...', flattened groups and '_' axes into plain labels "
                "and tensor reshapes";
  let description = [{
    Rewrites every `ein.contract` whose spec uses `...`, `(..)` groups or `_`
    axes into one whose spec has only plain labels:

    - `...` becomes fresh labels (as many as the broadcast ellipsis rank;
      operands with fewer ellipsis dimensions take the trailing ones);
    - an input group `(ij)` becomes two axes through `tensor.expand_shape`;
      an output group is formed with `tensor.collapse_shape` on the result;
    - an input `_` axis is dropped with `tensor.collapse_shape` (after a
      `tensor.cast` to size 1 if it was dynamic); an output `_` axis is added
      with `tensor.expand_shape`.

    Reshapes of contiguous row-major tensors are free (no copies).

    ```mlir
    %r = ein.contract "bij,(ij)k->bk" %x, %w
        : tensor<8x2x3xf32>, tensor<6x5xf32> -> tensor<8x5xf32>
    // becomes
    %w2 = tensor.expand_shape %w [[0, 1], [2]] output_shape [2, 3, 5]
        : tensor<6x5xf32> into tensor<2x3x5xf32>
    %r = ein.contract "bij,ijk->bk" %x, %w2
        : tensor<8x2x3xf32>, tensor<2x3x5xf32> -> tensor<8x5xf32>
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

def EinSplit : Pass<"ein-split"> {
  let summary = "Split n-ary contractions into binary ones (greedy order)";
  let description = [{
    Rewrites every `ein.contract` with three or more operands and a spec of
    plain labels (run `ein-expand-groups` first) into:

    1. unary contractions that sum the labels only one operand needs (and
       take diagonals), so that `ab,cd->` never loops over `a, b, c, d`
       together;
    2. binary contractions chosen greedily, as opt_einsum's `greedy`: the
       pair whose result is smallest relative to its two inputs first, outer
       products last; intermediates keep only the labels still needed.

    Dynamic sizes are assumed to be 64 when comparing candidates.

    ```mlir
    %r = ein.contract "bij,bjk,bkl->bil" %a, %b, %c : ...
    // becomes
    %t = ein.contract "bij,bjk->bik" %a, %b : ...
    %r = ein.contract "bik,bkl->bil" %t, %c : ...
    ```
  }];
}

#endif // EIN_DIALECT_EIN_TRANSFORMS_PASSES_TD
