"""Transposing copies (Transposes.cpp: tiles of register-transposed vector
blocks) against numpy: 2-4 dimensions, every block edge (sizes that are not
multiples of the 16/8 lanes or of the 64-element tiles), f32 and f64, one
and two threads, strided inputs. A copy is exact: results must be equal."""
import numpy as np
import pytest

import ein

CASES = [
    ("ij->ji", (3, 4)),
    ("ij->ji", (16, 16)),
    ("ij->ji", (17, 33)),
    ("ij->ji", (64, 64)),
    ("ij->ji", (65, 130)),
    ("ij->ji", (200, 7)),
    ("ij->ji", (1, 40)),
    ("ijk->kji", (5, 18, 33)),
    ("ijk->ikj", (4, 20, 35)),
    ("ijk->jki", (9, 70, 3)),
    ("abcd->dbca", (3, 17, 5, 19)),
    ("abcd->acdb", (2, 3, 40, 21)),
]


def transposed(eq):
    @ein.function
    def f(x):
        return ein.einsum(eq, x)
    return f


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("eq,shape", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_transposes_against_numpy(eq, shape, dtype, threads, rng):
    x = rng.uniform(-1, 1, shape).astype(dtype)
    y = transposed(eq)(x)
    assert y.shape == np.einsum(eq, x).shape
    assert np.array_equal(y, np.einsum(eq, x))


# Planes 2, 4 or 8 wide on one side, packed on the other: interleaved (the
# narrow label becomes innermost) or split (it leaves the innermost place) in
# whole vectors of two-source shuffles, the rest of the long side through the
# register-transposed blocks.
NARROW = [
    ("bik->ikb", (4, 20, 200)),    # interleave 4, a tail of 8 (f32)
    ("bik->ikb", (2, 3, 64)),      # interleave 2, whole vectors only
    ("bik->ikb", (8, 5, 37)),      # interleave 8, tails
    ("ijb->bij", (20, 64, 4)),     # split 4
    ("ijb->bij", (6, 35, 2)),      # split 2, a tail
    ("ijb->bij", (3, 70, 8)),      # split 8, a tail
    ("ab->ba", (4, 100)),          # a lone plane
    ("abc->cab", (3, 8, 40)),      # c's stride is not 8: blocks
]


@pytest.mark.parametrize("vector_bytes", [16, 32, 64])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("eq,shape", NARROW,
                         ids=[f"{c[0]}-{c[1]}" for c in NARROW])
def test_narrow_planes_at_every_vector_width(eq, shape, dtype, vector_bytes,
                                             threads, rng, monkeypatch):
    monkeypatch.setenv("EIN_VECTOR_BYTES", str(vector_bytes))
    ein.clear_cache()
    try:
        x = rng.uniform(-1, 1, shape).astype(dtype)
        assert np.array_equal(transposed(eq)(x), np.einsum(eq, x))
    finally:
        ein.clear_cache()


@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_batch_innermost_gemm(dtype, rtol, threads, rng):
    """ijb,jkb->ikb: both inputs split to batch-first, the GEMM's output
    interleaved back (bench/random_cases.py 51's bmm3)."""
    a = rng.uniform(-1, 1, (200, 64, 4)).astype(dtype)
    b = rng.uniform(-1, 1, (64, 200, 4)).astype(dtype)
    np.testing.assert_allclose(ein.einsum("ijb,jkb->ikb", a, b),
                               np.einsum("ijb,jkb->ikb", a, b), rtol=rtol,
                               atol=rtol * 10)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_large_transpose_on_threads(dtype, threads, rng):
    """Above the parallel threshold (2^20 elements), with edges."""
    x = rng.uniform(-1, 1, (1030, 1100)).astype(dtype)
    assert np.array_equal(transposed("ij->ji")(x), x.T)


def test_strided_input(rng):
    """A slice (rows further apart than their length) is read through its
    strides."""
    base = rng.uniform(-1, 1, (50, 90)).astype(np.float32)
    x = base[3:40, 5:70]
    assert np.array_equal(transposed("ij->ji")(x), x.T)


def test_transposes_in_derivatives(rng):
    """The VJP of a transpose is the transposed seed."""
    x = rng.uniform(-1, 1, (70, 45)).astype(np.float32)
    seed = rng.uniform(-1, 1, (45, 70)).astype(np.float32)
    f = lambda a: ein.einsum("ij->ji", a)  # noqa: E731

    @ein.function
    def vjp(s, a):
        return ein.eingrad("AB,AB%ab->ab", s, f, (a,), wrt=0)
    assert np.array_equal(vjp(seed, x), seed.T)


SUMS = [
    ("ijk->ki", [(5, 7, 33)]),
    ("ijk->ki", [(64, 130, 37)]),
    ("ijk->kj", [(6, 20, 35)]),
    ("abc->ca", [(17, 3, 70)]),
    ("abcd->dab", [(4, 5, 6, 40)]),
    ("ijk,jk->ki", [(9, 11, 50), (11, 50)]),
]


@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
@pytest.mark.parametrize("eq,shapes", SUMS, ids=[c[0] for c in SUMS])
def test_sums_into_transposed_outputs(eq, shapes, dtype, rtol, threads, rng):
    """Sums whose inputs are contiguous along an output dimension that is
    not the output's last one sum into a transposed buffer."""
    from conftest import assert_close
    xs = [rng.uniform(-1, 1, s).astype(dtype) for s in shapes]
    ref = np.einsum(eq, *[x.astype(np.float64) for x in xs])
    assert_close(ein.einsum(eq, *xs), ref, rtol)


def test_sum_of_exp_into_transposed_output(rng):
    """An elementwise term (fused exp) summed into a transposed output."""
    from conftest import assert_close
    x = rng.uniform(-1, 1, (8, 30, 40)).astype(np.float32)

    @ein.function
    def f(a):
        return ein.einsum("ijk->ki", ein.exp(a))
    assert_close(f(x), np.einsum("ijk->ki", np.exp(x.astype(np.float64))),
                 1e-5)
