//===- Passes.td - ein conversion passes -------------------*- tablegen -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_CONVERSION_PASSES_TD
#define EIN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertEinToLinalg : Pass<"convert-ein-to-linalg"> {
  let summary = "Lower ein.contract and ein.add to linalg";
  let description = [{
    Rewrites every `ein.contract` into linalg on tensors. Flattened groups,
    `...` and `_` axes are first expanded into plain labels and tensor
    reshapes (the patterns of `ein-expand-groups`). Then, with one loop per
    distinct label:

    - a binary contraction whose labels are all distinct within each operand,
      that broadcasts no size-1 dimension and whose output repeats no label
      becomes `linalg.contract`;
    - everything else becomes a `linalg.generic`: a repeated input label
      indexes the operand's diagonal (`(d0) -> (d0, d0)`), a broadcast size-1
      dimension is indexed by the constant 0, a rank-0 operand by `() `, labels
      absent from the output are reduction loops over a zero-filled init;
    - a repeated output label (diagonal embedding) adds a second
      `linalg.generic` that writes the contracted values on the diagonal
      (`linalg.index` equality) and zero elsewhere.

    Dynamic dimensions do not broadcast: where a label occurs in several
    operands with a dynamic size, a `cf.assert` checks at run time that the
    sizes agree.

    `ein.add` becomes an elementwise `linalg.generic`. Only floating-point
    element types are lowered.

    ```mlir
    %r = ein.contract "ij,jk->ik" %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
    // becomes
    %e = tensor.empty() : tensor<3x5xf32>
    %z = linalg.fill ins(%cst : f32) outs(%e : tensor<3x5xf32>) -> tensor<3x5xf32>
    %r = linalg.contract indexing_maps = [...] ins(%a, %b : ...) outs(%z : ...) -> tensor<3x5xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def EinRaiseLinalg : Pass<"ein-raise-linalg"> {
  let summary = "Raise contraction-shaped linalg ops on tensors into "
                "ein.contract";
  let description = [{
    For compilers whose front ends emit linalg: every linalg op on tensors
    that is a contraction becomes `ein.contract`, so that ein's
    simplification, path optimisation (`ein-split`) and differentiation
    apply to it. Recognized: `linalg.generic`, `linalg.contract`,
    `linalg.matmul`, `batch_matmul`, `matvec`, `vecmat`, `dot`, ... whose

    - operands are ranked tensors of one floating-point or complex element
      type, with one init;
    - indexing maps have loop dimensions as results (an input may repeat one:
      a diagonal), every loop is read by some input, and the output names
      each parallel loop once and no reduction loop;
    - body is `out + x_1 * ... * x_n` (`arith.mulf`/`addf` or
      `complex.mul`/`add`, each input once, any order and association) or,
      without reduction loops, `x_1 * ... * x_n`.

    With loop `d0` named `a`, `d1` `b`, ..., the contraction is
    `result = init + contract(inputs)`; the `ein.add` of the init is left out
    when the init is a zero constant or a `linalg.fill` of zero, or when the
    body does not read `out`. Anything else (integer types, index or
    constant maps, other bodies, buffers) is left unchanged.

    With `merge-chains` (default), a contraction whose only use is an
    operand of another contraction is folded into it (sums distribute over
    products), so a chain of matmuls becomes one n-ary contraction whose
    order `ein-split` chooses:

    ```mlir
    %ab = linalg.matmul ins(%a, %b : tensor<8x64xf32>, tensor<64x64xf32>)
                        outs(%z0 : tensor<8x64xf32>) -> tensor<8x64xf32>
    %r = linalg.matmul ins(%ab, %c : tensor<8x64xf32>, tensor<64x2xf32>)
                       outs(%z1 : tensor<8x2xf32>) -> tensor<8x2xf32>
    // with %z0 and %z1 zero fills, becomes
    %r = ein.contract "ad,dc,cb->ab" %a, %b, %c
        : tensor<8x64xf32>, tensor<64x64xf32>, tensor<64x2xf32> -> tensor<8x2xf32>
    ```
  }];
  let options = [
    Option<"mergeChains", "merge-chains", "bool", /*default=*/"true",
           "Fold single-use contractions into the contractions using them">,
  ];
  let dependentDialects = [
    "::mlir::ein::EinDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def VectorizeContractions : Pass<"ein-vectorize-contractions",
                                 "::mlir::ModuleOp"> {
  let summary = "Contractions on memrefs as packed, tiled vector FMAs";
  let description = [{
    Rewrites every binary contraction on memrefs (`linalg.contract`, or a
    `linalg.generic` with a multiply-accumulate body, after bufferization)
    that is GEMM-like into the loop structure of an optimized GEMM, generated
    as `scf` + `vector` IR:

    `C[b, m, n] += sum_k A[b, m, k] * B[b, k, n]`, where `b` (labels of all
    three operands), `m` (A and C), `n` (B and C) and `k` (A and B) each
    stand for a group of labels that is contiguous, in one order, in every
    operand that has it (so any permutation of whole groups is accepted:
    `ki,kj->ij`, `bhqd,bhkd->bhqk`, `ab,bc->ca`).

    - Cache blocking: NC columns of B, KC of depth, MC rows of A (KC = 256,
      MC = 8 MR with 64-byte vectors; KC = 512, MC = 4 MR below; NC = 1024
      f32 or 512 f64, narrowed to a 256 KiB block of B, which stays in L2,
      for a static M of at most 4 MC).
    - Packing: B into NR-wide column panels and A into MR-tall row panels,
      zero-padded; packing reads through strides, so transposed operands
      are never materialized.
    - Register tiling: an MR x NR tile of accumulators (8 x 32 f32 or
      8 x 16 f64: 16 AVX-512 registers; 12 x 32 or 12 x 16, 24 registers,
      where a static M would leave more of 8 rows idle in its last tile
      than the 12-row tile's ~4% lower rate costs, e.g. 12, 36 or 60 rows;
      with `vector-bytes=32`, for AVX2's 16 registers, 6 x 16 f32 or 6 x 8
      f64: 12; 4 x 16 or 4 x 8 where a static M would leave more of 6 rows
      idle in its last tile than the 4-row tile's ~2% lower rate costs,
      e.g. 32, 64 or 128 rows) updated
      by `vector.fma` with a
      broadcast element of A and NR/lanes vectors of B per step of k; edges
      use masked loads and stores. These innermost loops over one packed
      block, and the packing of each layout kind, are private functions
      (`@__ein_gemm_tiles_f32_8x32_rows256`,
      `@__ein_gemm_pack_b_k_f32_8x32` and the like) created in the module
      once and called by every GEMM of that blocking and kind: a module with
      several GEMMs compiles them once (the pass runs on the module). With
      `inline-single-use=true` (the default) a function that one call
      alone uses is inlined again at the end, so that canonicalization
      specializes it to the call's constants; the JIT turns that off when
      its kernel cache supplies these functions compiled (lib/Runner/
      KernelCache.h). Their full tiles and whole vectors run unmasked, so
      that outlined they lose nothing to masks with run-time sizes.
    - `parallel=true` (from 2M multiply-adds): the batch loop (or, without
      a batch, the MC row blocks when there are four or more and M is
      more than 4 N, else the column blocks, else split-K depth blocks)
      becomes `scf.parallel`,
      which `convert-scf-to-openmp` maps onto threads.
    - A zero `linalg.fill` of C right before is folded into the kernel: the
      first depth block stores its tiles instead of adding them.

    Batch labels may lie anywhere in each operand (each has its own
    strides: `bhqd,bhkd->bqhk` and `bqhd,bkhd->bhqk` need no copies). An
    input whose row, column or depth groups are split or ordered
    differently from the other operands (`abcd,dcef->abef`), or whose
    innermost label is a batch label (`ijb,jkb->ikb`), is first copied
    (`linalg.transpose`) into a usable order; an output whose rows or
    columns are split is computed in such a copy (zero-filled instead of
    copied when C was zero-filled, whose fill then goes) and transposed
    back. A group in two runs, each contiguous, the inner one holding the
    operand's innermost label, is read or written in place instead when
    it is A's depth (the inner run at least a vector of f32 and at most a
    depth block: `abde,efa->bdf`), B's columns or the output's columns
    (the inner run a multiple of the register tile's width, at most a
    column block: `bdf,abde->efa`, `bdf,efa->abde`).

    Small static GEMMs (at most `small-gemm-work` multiply-adds, 65536 by
    default) run as one row-vector product per row of A, without packing
    or tile functions (their code was most of a small network's compile
    time).

    Products with a single output row are memory-bound and stream their
    operands once instead: a row vector times a matrix with contiguous rows
    (`i,ij->j`) updates an L1-sized block of the output from four rows of
    the matrix at a time (on threads, with one block of columns, slices of
    512 rows into partial rows); a plain sum of a matrix's rows (`ij->j`)
    is such a product with a vector of ones; otherwise (`ij,j->i`, `ij,ij->`, `bi,bi->b`) each
    output is a dot product along the contiguous depth (vector
    accumulators, a horizontal sum), four outputs sharing the loads; a few
    long ones run on threads as slices of the depth.

    Sums of elementwise terms whose inputs are contiguous along one loop run
    in vectors (column or row sums; into a transposed buffer when the output
    is contiguous along another loop, `ijk->ki`). Column sums wider than a
    block of 16 vector registers, over one summed loop (`ij,ij->j`,
    `bij,bij->bj`), stream the rows in order into 16 KiB blocks of the
    output, four rows a pass (chunks of 1024 rows through a partial row);
    such a sum of products is taken from the dot-product kernel, which
    would first copy both inputs transposed. Other sums whose innermost
    loop is a reduction (`ii->`) get scf loops whose innermost loop carries
    the partial sum in a register instead of loading and storing the output
    on every step.

    Copies between different contiguous dimensions (`ij->ji`, and the
    kernels' own `linalg.transpose` copies) run as tiles of 16 x 16 (f64:
    8 x 8) blocks transposed in registers. Ops that sum nothing (outer,
    Kronecker, Hadamard products, broadcasts, elementwise chains, and
    permuting copies that keep the innermost dimension) run in vectors
    along the output's contiguous loop; a static input read along that loop
    through another dimension (`ij,ji->ij`) is first copied with it
    innermost (a register-transposed copy) when it is at most a quarter of
    the output or has 2^17 elements or more.

    Anything else (an element type other than f32 or f64, non-identity
    layouts, a label summed in one operand, strided reads along the vector
    loop) is left for `convert-linalg-to-loops`; with
    `parallel=true`, such an op with at least 2^20 static iterations and a
    parallel outermost loop is lowered here to loops whose outermost loop is
    an `scf.parallel`.

    ```mlir
    linalg.contract indexing_maps = [...] ins(%a, %b : memref<64x64xf32>, memref<64x64xf32>)
                                          outs(%c : memref<64x64xf32>)
    // becomes packing loops and
    %acc = scf.for %k = ... iter_args(...) -> (vector<16xf32>, ...) {
      %s = vector.broadcast %a : f32 to vector<16xf32>
      %f = vector.fma %s, %b0, %acc0 : vector<16xf32>
      ...
    }
    ```
  }];
  let options = [
    Option<"parallel", "parallel", "bool", /*default=*/"false",
           "Emit scf.parallel for the batch or row-block loop">,
    Option<"vectorBytes", "vector-bytes", "int64_t", /*default=*/"64",
           "Bytes per vector: 64 (AVX-512), 32 (AVX2) or 16 (SSE, NEON)">,
    Option<"mr", "mr", "int64_t", /*default=*/"0",
           "Rows of the register tile, at most 24 (0: 8 with 64-byte vectors, "
           "or 12 for a static M that 12 divides with less waste; else 6, "
           "or 4 for a static M that 4 divides with less waste)">,
    Option<"kc", "kc", "int64_t", /*default=*/"0",
           "Depth of a cache block (0: 256 with 64-byte vectors, else 512)">,
    Option<"mc", "mc", "int64_t", /*default=*/"0",
           "Rows of A per cache block (0: 8 x mr with 64-byte vectors, else 4 x mr)">,
    Option<"nc", "nc", "int64_t", /*default=*/"0",
           "Columns of B per cache block (0: 1024 f32, 512 f64; a 256 KiB "
           "block for a static M of at most 4 mc)">,
    Option<"smallGemmWork", "small-gemm-work", "int64_t",
           /*default=*/"65536",
           "Static GEMMs of at most this many multiply-adds run as row-vector "
           "products, one per row of A (0: never)">,
    Option<"inlineSingleUse", "inline-single-use", "bool", /*default=*/"true",
           "Inline the GEMM tile and packing functions that one call alone "
           "uses (off where a kernel cache supplies them compiled)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def FuseElementwise : Pass<"ein-fuse-elementwise", "::mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg ops into their elementwise and "
                "summing consumers (on tensors)";
  let description = [{
    Runs MLIR's elementwise fusion (`linalg::populateElementwiseOpsFusionPatterns`)
    on tensors, restricted to what ein's CPU kernels keep fast: an
    all-parallel `linalg.generic` is fused into a consumer `linalg.generic`
    that is all-parallel too (a chain of elementwise ops becomes one loop
    nest, one pass over memory) or that sums inputs which all read every
    output loop (`ij->i` of `exp(x) * y` becomes one sum of terms, which
    `ein-vectorize-contractions` runs in vectors). Producers whose value is
    read by more than one op are left alone (no recomputation), and nothing
    is fused into sums with a loop that some input does not read (GEMM-like
    and matrix-vector contractions keep their kernels). Splat constants are
    folded into the fused bodies. Then elementwise siblings over the same
    static loops, with outputs laid out alike, that read some input with
    the same indexing map become one op with all their results (the
    forward and both VJPs of `ij,ij->ij` read `a`, `b` and the seed once);
    an op that reads the other's result stays apart.

    ```mlir
    %e = linalg.generic {... ["parallel", "parallel"]} ins(%x) outs(%t) { math.exp }
    %p = linalg.generic {... ["parallel", "parallel"]} ins(%e, %y) outs(%t) { arith.mulf }
    %s = linalg.generic {... ["parallel", "reduction"]} ins(%p) outs(%z) { arith.addf }
    // becomes
    %s = linalg.generic {... ["parallel", "reduction"]} ins(%x, %y) outs(%z) {
      %0 = math.exp %a ; %1 = arith.mulf %0, %b ; %2 = arith.addf %out, %1 }
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def LoopSchedule : Pass<"ein-loop-schedule"> {
  let summary = "The OpenMP schedule of worksharing loops that have none";
  let description = [{
    Gives every `omp.wsloop` without a `schedule` clause the schedule of the
    `schedule` option: `guided` by default, which the ein-to-llvm pipeline
    uses after `convert-scf-to-openmp`. OpenMP's default static schedule
    gives each thread a fixed share, and when another process or another
    library's threads hold a core, the other threads wait at the loop's end
    for the share that started late; guided chunks come from a shared
    counter, so the running threads take that work.

    ```mlir
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) { ... }
    }
    // becomes
    omp.wsloop schedule(guided) {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) { ... }
    }
    ```
  }];
  let options = [
    Option<"schedule", "schedule", "std::string", /*default=*/"\"guided\"",
           "static, dynamic or guided">,
  ];
  let dependentDialects = ["::mlir::omp::OpenMPDialect"];
}

def InlineAllocaScopes : Pass<"ein-inline-alloca-scopes",
                              "::mlir::func::FuncOp"> {
  let summary = "Inline memref.alloca_scope ops whose own body allocates "
                "nothing on the stack";
  let description = [{
    `convert-scf-to-openmp` wraps each parallel loop body in a
    `memref.alloca_scope`; canonicalization inlines it only when no op inside
    may allocate on the stack, and a call counts as one. A callee's stack is
    released when it returns, so a scope whose body (outside nested
    allocation scopes) has no stack allocation of its own is inlined here:
    the bodies that call the GEMM's shared tile function
    (`ein-vectorize-contractions`) would otherwise keep scopes that
    `convert-scf-to-cf` leaves with several blocks.

    ```mlir
    memref.alloca_scope {
      func.call @__ein_gemm_tiles_f32_8x32_panels(...) : (...) -> ()
    }
    // becomes
    func.call @__ein_gemm_tiles_f32_8x32_panels(...) : (...) -> ()
    ```
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def ApproximateMath : Pass<"ein-approximate-math", "::mlir::func::FuncOp"> {
  let summary = "f32 tanh, exp and expm1 as polynomial approximations "
                "(vectorizable) instead of libm calls";
  let description = [{
    Rewrites `math.tanh`, `math.exp` and `math.expm1` on f32 scalars and
    vectors into MLIR's polynomial approximations
    (`populateMathPolynomialApproximationPatterns`: range reduction, a
    polynomial or rational function, arithmetic only), which stay in vector
    registers inside the kernels of `ein-vectorize-contractions` instead of
    becoming one libm call per element (`tanh` on 2048² f32: 62 ms with
    `tanhf`). Their error is a few ULP (checked against NumPy in
    `python/tests/test_math_approximations.py`). Other functions, and f64,
    keep libm.

    ```mlir
    %t = math.tanh %v : vector<16xf32>
    // becomes arith ops (clamp, x * P(x^2) / Q(x^2)) on vector<16xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def GpuTileContractions : Pass<"ein-gpu-tile-contractions",
                               "::mlir::func::FuncOp"> {
  let summary = "GEMM-like contractions on memrefs as shared-memory tiled "
                "GPU kernels";
  let description = [{
    Each GEMM-like binary contraction on memrefs (the classification of
    `ein-vectorize-contractions`: batch, row, column and depth label groups,
    transposes folded into strides) becomes a `gpu.launch`: a block of 16x16
    threads computes a 64x64 tile of the output; each step stages a 64x16
    panel of A and a 16x64 panel of B in workgroup (shared) memory, and each
    thread accumulates a 4x4 sub-tile in registers with `llvm.intr.fma`
    (`fma.rn` in PTX). Grid y and z loop over row tiles and batches beyond
    65535. Inputs whose label groups are split are first copied (as on the
    CPU); other contractions are left for `ein-gpu-map-loops`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def GpuDeviceBuffers : Pass<"ein-gpu-device-buffers", "::mlir::func::FuncOp"> {
  let summary = "Move a bufferized function's memory to the GPU";
  let description = [{
    Rewrites a bufferized function without deallocations (one-shot-bufferize
    without the deallocation pipeline) so that its body works on device
    memory while its signature keeps host memrefs: arguments and
    `memref.get_global` constants are copied in with `gpu.alloc` +
    `gpu.memcpy`; `memref.alloc`/`alloca` become `gpu.alloc`, freed with
    `gpu.dealloc` after their last use; results are copied out into new host
    buffers (`memref.alloc`) at each return; `memref.copy` between
    identity-layout buffers becomes `gpu.memcpy` and other copies
    `linalg.copy` (a kernel after `ein-gpu-map-loops`). Allocations inside
    regions are rejected with an error.
  }];
  let dependentDialects = [
    "::mlir::gpu::GPUDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def GpuMapLoops : Pass<"ein-gpu-map-loops", "::mlir::func::FuncOp"> {
  let summary = "Run a function's loop nests and memory accesses as GPU "
                "kernels";
  let description = [{
    Each top-level `scf.parallel` becomes a `gpu.launch` of 1-D blocks of
    `block-size` threads over the product of its trip counts (one thread
    per iteration, delinearized innermost-fastest so that neighbouring
    threads touch neighbouring elements); other top-level ops that read or
    write memrefs (a reduction-only `scf.for`, a rank-0 store) run in a
    one-thread launch. A memory-reading op whose results the host needs is
    an error. Run after `convert-linalg-to-parallel-loops`.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Threads per block">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::scf::SCFDialect",
  ];
}

#endif // EIN_CONVERSION_PASSES_TD
