"""Rounding error of long reductions (10^6 terms) against a reference
computed in higher precision, for every kernel kind that sums: the bounds
of docs/Numerics.md.

For a result element s = sum_t p_t, each term p_t a product of m operand
elements, and D the addition depth of the kernel that computes it (the most
additions any term passes through):

- worst case: |s' - s| <= gamma(D + m - 1) * sum_t |p_t|, gamma(k) = k u / (1 - k u);
- random data: |s' - s| <= 2 sqrt(D) u * sum_t |p_t| (rounding errors of
  unbiased sign behave like a random walk; the factor is ~12 standard
  deviations of that model).

A single running sum has D = N: 10^6 terms of positive f32 data then err by
about 1e-5 to 2e-4 of sum |p_t|, far above the second bound for the blocked
depths below (about 2e-6 to 8e-6), so these tests fail for unblocked code.
"""
import math

import numpy as np
import pytest

import ein

N = 10**6
UNIT = {np.float32: 2.0**-24, np.float64: 2.0**-53}


def ceil_div(a, b):
    return -(-a // b)


# Addition depth per kernel (docs/Numerics.md), for n summed terms.
def lanes_of(dtype, width):
    # Elements per vector of `width` bytes (EIN_VECTOR_BYTES).
    return width // np.dtype(dtype).itemsize


def depth_dot(n, dtype, width, unroll=4):
    # unroll accumulators (4 for a lone dot product, 2 when rows share A's
    # loads) summing chunks of 128 steps, the chunk totals, the masked head
    # and up to `unroll` tail steps into the first, the accumulators added
    # pairwise, a tree across lanes, the output.
    lanes = lanes_of(dtype, width)
    return (128 + ceil_div(n, 128 * unroll * lanes) + 1 + unroll
            + int(math.log2(unroll)) + int(math.log2(lanes)) + 1)


def depth_row_vector(n, dtype):
    return (512 + ceil_div(n, 512) if n > 512 else n) + 1


def depth_gemm(n, width):
    # KC: 256 with 64-byte vectors, 512 with narrower ones.
    kc = 256 if width >= 64 else 512
    return kc + ceil_div(n, kc) + 1


def depth_loops(extents):
    return sum(min(e, 1024) + ceil_div(e, 1024) for e in extents) + 1


def depth_vector_rows(n, others, dtype, width):
    # The contiguous summed loop (n terms) in 4 vectors of lanes, chunks of
    # 1024, the masked rest, a tree across lanes; other summed loops as
    # loop sums.
    lanes = 4 * lanes_of(dtype, width)
    return (ceil_div(min(n, 1024), lanes) + ceil_div(n, 1024) + 1
            + int(math.log2(lanes)) + depth_loops(others))


# (spec, shapes, addition depth, factors per term)
CASES = [
    ("i->", [(N,)], lambda d, w: depth_vector_rows(N, [], d, w), 1),
    ("ij->i", [(3, N)], lambda d, w: depth_vector_rows(N, [], d, w), 1),
    # Many long rows: dot products with ones (ColumnSums.cpp), four rows
    # sharing the loads of the ones.
    ("ij->i", [(256, 16384)], lambda d, w: depth_dot(16384, d, w, unroll=2),
     1),
    ("ji->i", [(N, 3)], lambda d, w: depth_loops([N]), 1),
    ("ij->j", [(N, 40)], lambda d, w: depth_row_vector(N, d), 1),
    ("ijk->", [(100, 100, 100)],
     lambda d, w: depth_vector_rows(100, [100, 100], d, w), 1),
    ("ij->", [(1000, 1000)], lambda d, w: depth_vector_rows(1000, [1000], d, w), 1),
    ("i,i->", [(N,), (N,)], lambda d, w: depth_dot(N, d, w), 2),
    ("ij,j->i", [(4, N), (N,)], lambda d, w: depth_dot(N, d, w, unroll=2), 2),
    ("bi,bi->b", [(2, N), (2, N)], lambda d, w: depth_dot(N, d, w), 2),
    ("j,jk->k", [(N,), (N, 4)], lambda d, w: depth_row_vector(N, d), 2),
    ("ij,jk->ik", [(4, N), (N, 4)], lambda d, w: depth_gemm(N, w), 2),
    ("i,ij->", [(1000,), (1000, 1000)],
     lambda d, w: depth_vector_rows(1000, [1000], d, w), 2),
    ("ij,ji->", [(1000, 1000), (1000, 1000)],
     lambda d, w: depth_loops([1000, 1000]), 2),
    # Column sums of products wider than a block of registers: rows streamed
    # into blocks of the output, chunks of 1024 rows (ColumnStreams.cpp);
    # 20000 terms per output (a single running sum would exceed the bound
    # for positive data).
    ("ij,ij->j", [(20000, 260), (20000, 260)],
     lambda d, w: depth_loops([20000]), 2),
]


def reference(spec, arrays, dtype):
    # f32: the exact products and f64 sums of the f32 inputs are ~2^29
    # times more accurate; f64: long double (x87, 64-bit significand).
    wide = np.float64 if dtype == np.float32 else np.longdouble
    wide_arrays = [a.astype(wide) for a in arrays]
    value = np.einsum(spec, *wide_arrays)
    scale = np.einsum(spec, *[np.abs(a) for a in wide_arrays])
    return value, scale


@pytest.mark.parametrize("dtype", [np.float32, np.float64],
                         ids=["f32", "f64"])
@pytest.mark.parametrize("spec,shapes,depth,factors", CASES,
                         ids=[c[0] for c in CASES])
@pytest.mark.parametrize("data", ["positive", "signed"])
@pytest.mark.parametrize("width", [32, 64], ids=["32B", "64B"])
def test_long_reduction_error_bound(spec, shapes, depth, factors, dtype, data,
                                    width, monkeypatch):
    # The depths depend on the vector width (lanes, the GEMM's KC): each
    # width's kernels, whatever the host's (kernels of the other width
    # cleared before and after).
    monkeypatch.setenv("EIN_VECTOR_BYTES", str(width))
    ein.clear_cache()
    try:
        check_bound(spec, shapes, depth(dtype, width), factors, dtype, data)
    finally:
        ein.clear_cache()


def check_bound(spec, shapes, d, factors, dtype, data):
    if dtype == np.float64 and np.finfo(np.longdouble).nmant < 60:
        pytest.skip("no extended-precision long double for the f64 reference")
    rng = np.random.default_rng(1234)
    if data == "positive":  # the worst case for running sums
        arrays = [rng.random(s).astype(dtype) for s in shapes]
    else:
        arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
    out = ein.einsum(spec, *arrays)
    exact, scale = reference(spec, arrays, dtype)
    err = np.abs(out.astype(exact.dtype) - exact)
    u = UNIT[dtype]
    k = d + factors - 1
    worst = k * u / (1 - k * u) * scale
    typical = 2 * math.sqrt(d) * u * scale
    assert np.all(err <= worst), (float(np.max(err / scale)), k)
    assert np.all(err <= typical), (
        f"{spec}: relative error {float(np.max(err / scale)):.3g} above "
        f"2 sqrt(D) u = {2 * math.sqrt(d) * u:.3g} (D = {d})")


def test_blocked_beats_running_sum():
    # The same f32 sum as one running sum (numpy's cumulative sum is one)
    # is measurably less accurate than ein's, on data where it matters.
    rng = np.random.default_rng(7)
    x = rng.random(N).astype(np.float32)
    exact = math.fsum(x.astype(np.float64))
    running = float(np.cumsum(x, dtype=np.float32)[-1])
    ours = float(ein.einsum("i->", x))
    assert abs(ours - exact) * 10 < abs(running - exact), (ours, running, exact)
