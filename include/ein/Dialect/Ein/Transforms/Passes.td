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

// Options shared by the passes that plan contraction paths.
defvar PathOptions = [
  Option<"algorithm", "algorithm", "std::string", /*default=*/"\"auto\"",
         "Path algorithm: greedy, optimal, dp, auto, or none (leave "
         "contractions whole)">,
  Option<"objective", "objective", "std::string", /*default=*/"\"flops\"",
         "What the path minimises: flops, size (largest intermediate), "
         "write (elements written) or combo (flops + 64 * write)">,
  Option<"memoryLimit", "memory-limit", "int64_t", /*default=*/"0",
         "Largest intermediate allowed, in elements (0: no limit)">,
  Option<"dynamicSize", "dynamic-size", "int64_t", /*default=*/"64",
         "Size assumed for a dynamic dimension when costing paths">,
];

def EinSimplify : Pass<"ein-simplify"> {
  let summary = "Canonical pre-steps of contractions that never cost more";
  let description = [{
    Rewrites every `ein.contract` with two or more operands and a spec of
    plain labels (run `ein-expand-groups` first):

    - operands are put in a canonical order (block arguments by number, then
      results in program order) and labels are renamed `a, b, c, ...` in
      order of first appearance (unless `rename-labels=false`), so that
      `-cse` finds equal contractions;
    - axes of static size 1 are dropped (`tensor.collapse_shape`; the result
      is expanded back with `tensor.expand_shape`), including size-1 axes
      broadcast against larger ones;
    - rank-0 operands are multiplied together first, and rank-0 constants
      of one go;
    - factors that are a Kronecker delta (`ein.contract "a->aa"` of a
      constant of ones, as derivatives of diagonals make it) go, one of
      their two labels renamed to the other everywhere else, when another
      operand has either label (`i,ia->ia` with delta(i, a) becomes the
      diagonal embedding `i->ii`);
    - labels that occur in one operand only and not in the output are summed
      in a unary contraction before anything else (so `ij,kl->` never forms a
      4-D tensor), together with the operand's diagonals, whenever the path
      planner (same options as `ein-split`) finds that cheaper than not doing
      it; repeated labels of the other operands are extracted as diagonals.

    ```mlir
    %r = ein.contract "ij,kl->" %x, %y : tensor<512x512xf32>, tensor<512x512xf32> -> tensor<f32>
    // becomes
    %0 = ein.contract "ab->" %x : tensor<512x512xf32> -> tensor<f32>
    %1 = ein.contract "ab->" %y : tensor<512x512xf32> -> tensor<f32>
    %r = ein.contract ",->" %0, %1 : tensor<f32>, tensor<f32> -> tensor<f32>
    ```
  }];
  let options = !listconcat(PathOptions, [
    Option<"renameLabels", "rename-labels", "bool", /*default=*/"true",
           "Rename labels canonically (the ein-to-* pipelines keep the "
           "user's labels, so that diagnostics and runtime checks name them)">,
  ]);
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def EinSplit : Pass<"ein-split"> {
  let summary = "Split n-ary contractions into binary ones along an "
                "optimised contraction path";
  let description = [{
    Rewrites every `ein.contract` with a spec of plain labels (run
    `ein-expand-groups` first) into the steps of a contraction path chosen by
    ein's path library: unary pre-reductions (labels only one operand needs,
    when that is cheaper) and a tree of binary contractions whose
    intermediates keep only the labels still needed. A contraction whose
    inputs all have the same labels, none repeated (`i,i,i->`,
    `ij,ij,ij->ij`), is left whole: no path saves a multiplication, and its
    single loop nest needs no intermediates.

    Costs follow opt_einsum's convention: a step over labels `L` of `k`
    operands costs `size(L) * (max(1, k - 1) + (1 if a label is summed))`.

    - `algorithm=greedy`: opt_einsum's greedy, reproduced exactly (Hadamard
      products first, then the pair that most reduces size, outer products
      last).
    - `algorithm=optimal`: every pairwise order (outer products included),
      by dynamic programming over subsets with pruning, up to 16 operands.
    - `algorithm=dp`: connected-subset dynamic programming (Pfeifer et al.
      2014, as opt_einsum's `dp`); up to 12 operands it is exhaustive.
    - `algorithm=auto` (default): `optimal` up to 10 operands, then the best
      of a budgeted `dp`, greedy and 16 random-greedy restarts.
    - `algorithm=none`: contractions are left whole.

    `objective=` selects what is minimised, `memory-limit=` bounds every
    intermediate (when no pairwise order fits, the operands are contracted in
    one step). Dynamic dimensions count as `dynamic-size` (default 64).

    Each contraction gets a remark with its path in opt_einsum's linear
    format, the FLOPs of the path and of one loop nest, and the largest
    intermediate (disable with `emit-remarks=false`):

    ```mlir
    %r = ein.contract "bij,bjk,bkl->bil" %a, %b, %c : ...
    // remark: contraction path [(0, 1), (0, 1)]: 33554432 FLOPs (one loop
    //         nest: 1610612736), largest intermediate 131072 elements
    // becomes
    %t = ein.contract "bij,bjk->bik" %a, %b : ...
    %r = ein.contract "bik,bkl->bil" %t, %c : ...
    ```
  }];
  let options = !listconcat(PathOptions, [
    Option<"emitRemarks", "emit-remarks", "bool", /*default=*/"true",
           "Emit a remark with the path and its costs per contraction">,
  ]);
}

def EinMergeFunctions : Pass<"ein-merge-functions", "::mlir::ModuleOp"> {
  let summary = "Point calls and ein.grad ops at one of several identical "
                "private functions";
  let description = [{
    Private functions with the same type, attributes and body (ops,
    attributes and operands alike; callees compared after merging) are
    merged into the first of them: every symbol use of the others (calls,
    `ein.grad` callees) names the first, and the others are erased. Public
    functions are kept, but private copies of them merge into them.

    Front ends trace the same function once per use: three `ein.grad` ops
    for the VJPs of a function's three arguments name three copies. Merged,
    the gradient analysis of `ein-simplify` and `ein-split` sees one
    function whose every argument needs a gradient, splits it along one
    path chosen for forward plus all backward costs, and `ein-reuse` shares
    the forward intermediates and cotangents between the three derivatives
    (`abc,cde,efa->bdf`: 6 binary contractions instead of 7).

    ```mlir
    func.func private @f(%x: tensor<4xf32>) -> tensor<f32> { ... }
    func.func private @f_1(%x: tensor<4xf32>) -> tensor<f32> { ... }  // same body
    %g = ein.grad ",%i->i" @f_1(%x) : ...
    // becomes
    %g = ein.grad ",%i->i" @f(%x) : ...   (@f_1 erased)
    ```
  }];
}

def EinDifferentiate : Pass<"ein-differentiate", "::mlir::ModuleOp"> {
  let summary = "Expand every ein.grad into forward and derivative code";
  let description = [{
    Replaces each `ein.grad` by the forward computation of its function
    (cloned in place), one derivative sweep through it, and a final
    contraction. Every op on the way from X to Y needs a derivative rule
    (`DifferentiableOpInterface`: `ein.contract`, `ein.add`, and external
    models for arith, math, tensor, `linalg.fill` and `func.call`); an op
    without one is an error naming the op and the function.

    - VJP-shaped specs (`i,i%j->j`, `,%j->j`) run in reverse mode: the other
      operands seed Y's cotangent.
    - JVP-shaped specs (`i%j,j->i`) run in forward mode: the other operands
      seed X's tangent.
    - A full Jacobian (`i%j->ij`) is one sweep batched over Y's labels
      (reverse) or X's (forward), whichever is smaller: the batch is an
      extra label of every derivative contraction, not a loop.
    - A label in both Y and X (`b%bj->bj`, `bi%bj,bj->bi`) is not batched
      over when a dependence analysis proves that Y's slice `b` depends
      only on X's slice `b` (the label is carried through every op without
      being summed, reshaped, sliced or mixed). Otherwise the dense
      derivative is computed and its diagonal taken, with a remark.
    - `ein.grad` ops are expanded innermost first: the gradient of a
      function that itself uses `ein.grad` gives second derivatives.

    Run it after `ein-split`, so that the derivative contracts against the
    forward pass's binary intermediates, then simplify and split what it
    produced (the `ein-to-linalg` pipeline does this). Specs with `...`,
    groups or `_` are expanded to plain labels first.

    ```mlir
    func.func @f(%x: tensor<4xf64>, %w: tensor<3x4xf64>) -> tensor<3xf64> {
      %y = ein.contract "ij,j->i" %w, %x
          : tensor<3x4xf64>, tensor<4xf64> -> tensor<3xf64>
      %t = math.tanh %y : tensor<3xf64>
      return %t : tensor<3xf64>
    }
    %g = ein.grad "i,i%j->j" %z, @f(%x, %w)
        : (tensor<3xf64>, tensor<4xf64>, tensor<3x4xf64>) -> tensor<4xf64>
    // becomes the forward (%y, %t), the cotangent z * (1 - t*t) and its
    // contraction with W: "i,ij->j".
    ```
  }];
  let options = [
    Option<"dynamicSize", "dynamic-size", "int64_t", /*default=*/"64",
           "Size assumed for dynamic dimensions when choosing the mode">,
    Option<"emitRemarks", "emit-remarks", "bool", /*default=*/"false",
           "Emit a remark per ein.grad saying which mode and batch it used">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect"];
}

def EinReuse : Pass<"ein-reuse", "::mlir::ModuleOp"> {
  let summary = "Compute every contraction once across forward, gradients "
                "and inlined calls; optionally checkpoint";
  let description = [{
    Run after `ein-differentiate` (and the splitting that follows it):

    - calls of functions with a body are inlined (`inline=true`), so that a
      function computing `f(x)` and gradients of `f` shares `f`'s forward;
    - contractions that compute the same value up to operand order and label
      renaming (`"ij,jk->ik" %a, %b` and `"kj,ik->ij" %b, %a`) are merged,
      the dominating one kept, alternating with upstream CSE until nothing
      changes. The kept op's spec is not rewritten, so its labels are still
      the user's;
    - with `max-stored-bytes=N` (N > 0), while the forward values read by
      derivative code (see `ein-cost-report`'s `stored_bytes`) exceed N bytes,
      the one with the most bytes per recomputed FLOP is recomputed just
      before the derivative code first needs it, from function arguments and
      the values still stored (checkpointing). Recomputed ops carry the unit
      attribute `ein.recompute`, which keeps CSE from merging them back. When
      nothing is left to recompute and the bound is still exceeded, a warning
      says so.

    ```mlir
    %ab = ein.contract "ij,jk->ik" %a, %b : ...
    %ba = ein.contract "jk,ij->ik" %b, %a : ...
    // %ba is replaced by %ab.
    ```
  }];
  let options = [
    Option<"inlineCalls", "inline", "bool", /*default=*/"true",
           "Inline calls of functions with a body before merging">,
    Option<"maxStoredBytes", "max-stored-bytes", "int64_t", /*default=*/"0",
           "Recompute forward values instead of keeping more than this many "
           "bytes alive for derivative code (0: no bound)">,
    Option<"dynamicSize", "dynamic-size", "int64_t", /*default=*/"64",
           "Size assumed for dynamic dimensions when counting bytes">,
  ];
}

def EinCostReport : Pass<"ein-cost-report", "::mlir::ModuleOp"> {
  let summary = "Print one ein-cost JSON line per function";
  let description = [{
    Prints, for every `func.func` with a body, one line to standard output:

    ```
    ein-cost: {"function":"f","contractions":4,"flops":33554432,
               "largest_intermediate":131072,"stored_bytes":1048576,
               "recomputed_flops":0}
    ```

    - `contractions`: contraction steps that will execute (unary and binary
      `ein.contract`s; an n-ary one counts the steps of the path `ein-split`
      would choose; in lowered IR, contraction-shaped linalg ops). Calls
      count their callee's.
    - `flops`: opt_einsum's FLOP count of those steps, summed.
    - `largest_intermediate`: the largest result of any step, in elements.
    - `stored_bytes`: bytes of the values that forward code computes and
      derivative code reads (kept alive for the backward pass).
    - `recomputed_flops`: FLOPs spent recomputing such values
      (`ein-reuse{max-stored-bytes=N}`).

    The report describes the program after ein's pipeline: when the module
    still contains `ein.grad`, the pass runs the ein-level part of the
    `ein-to-linalg` pipeline (expand-groups, simplify, cse, split,
    differentiate, again, then ein-reuse with `max-stored-bytes`) on a copy
    and reports that; the module itself is left unchanged. Otherwise it
    reports the IR as it is. Dynamic dimensions count as `dynamic-size`.
  }];
  let options = !listconcat(PathOptions, [
    Option<"maxStoredBytes", "max-stored-bytes", "int64_t", /*default=*/"0",
           "ein-reuse's bound when the pass runs the pipeline itself">,
  ]);
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect"];
}

def EinCheckBuffers : Pass<"ein-check-buffers"> {
  let summary = "Fail when a static tensor would need more bytes than a limit";
  let description = [{
    Walks every operation and fails with an error on the first static
    tensor result whose byte size exceeds `max-bytes`: an intermediate or a
    result that the compiled code would have to allocate but the machine
    cannot hold. Run after the ein-level passes (then each result is a
    buffer of the lowered code), it turns an allocation that would fail at
    run time (or be killed for memory) into a compile-time diagnostic:

    ```
    error: 'ein.contract' op result tensor<100000x100000xf32> needs
    40000000000 bytes (37.25 GiB), more than the buffer limit of 25769803776
    bytes (24.00 GiB)
    ```

    `ein-run` and the Python package run it with the limit set to the
    machine's physical memory unless told otherwise (`--buffer-limit`,
    `ein.set_buffer_limit`); the `ein-to-*` pipelines take it as
    `buffer-limit` (0, the default there: no check). Dynamic tensors and
    the kernels' scratch buffers are checked when they are allocated, at
    run time (`ein-run`: a one-line error; Python: `MemoryError`).
  }];
  let options = [
    Option<"maxBytes", "max-bytes", "int64_t", /*default=*/"0",
           "Largest static tensor in bytes (0: no limit)">,
  ];
}

#endif // EIN_DIALECT_EIN_TRANSFORMS_PASSES_TD
