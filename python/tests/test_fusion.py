"""Programs whose elementwise ops ein-fuse-elementwise fuses (chains of
elementwise ops, elementwise producers of sums) and whose sums run in
vectors (VectorSums.cpp): values against NumPy, gradients against the
analytic derivatives, at sizes with and without vector tails."""
import zlib

import numpy as np
import pytest

import ein

TOL = {np.float32: dict(rtol=2e-5, atol=2e-5),
       np.float64: dict(rtol=1e-12, atol=1e-12)}
SHAPES = [(1, 1), (7, 3), (64, 100), (33, 257), (300, 1030)]


@ein.function
def exp_row_sums(x, y):
    return ein.sum(ein.exp(x) * y, axis=1)


@ein.function
def tanh_column_sums(x, y):
    return ein.sum(ein.tanh(x) + y * 0.5, axis=0)


@ein.function
def chain(x, y, w):
    h = ein.tanh(ein.einsum("ij,jk->ik", x, w))
    return h * 2.0 + y


@ein.function
def total_of_max(x, y):
    return ein.sum(ein.maximum(x, y) * ein.sqrt(ein.abs(y)))


CASES = {
    "exp_row_sums": (exp_row_sums, lambda x, y: np.sum(np.exp(x) * y, 1), 2),
    "tanh_column_sums": (tanh_column_sums,
                         lambda x, y: np.sum(np.tanh(x) + y * 0.5, 0), 2),
    "total_of_max": (total_of_max,
                     lambda x, y: np.sum(np.maximum(x, y) *
                                         np.sqrt(np.abs(y))), 2),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64],
                         ids=["f32", "f64"])
@pytest.mark.parametrize("shape", SHAPES, ids=[f"{a}x{b}" for a, b in SHAPES])
@pytest.mark.parametrize("name", list(CASES))
def test_fused_values(name, shape, dtype):
    f, reference, nargs = CASES[name]
    # A seed fixed across processes (hash() of strings is salted per
    # process, so the data changed from run to run).
    rng = np.random.default_rng(zlib.crc32(f"{name}{shape}".encode()))
    args = [rng.standard_normal(shape).astype(dtype) for _ in range(nargs)]
    expected = reference(*[a.astype(np.float64) for a in args])
    np.testing.assert_allclose(f(*args), expected, **TOL[dtype])


@pytest.mark.parametrize("dtype", [np.float32, np.float64],
                         ids=["f32", "f64"])
@pytest.mark.parametrize("n", [5, 64, 130])
def test_chain_after_gemm(n, dtype):
    rng = np.random.default_rng(n)
    x, y, w = [rng.standard_normal((n, n)).astype(dtype) / 4 for _ in range(3)]
    expected = np.tanh(x.astype(np.float64) @ w) * 2.0 + y
    np.testing.assert_allclose(chain(x, y, w), expected, **TOL[dtype])


def test_gradient_through_fused_sum():
    # d/dx sum_ij exp(x_ij) y_ij = exp(x) * y; d/dy = exp(x).
    rng = np.random.default_rng(3)
    x, y = [rng.standard_normal((33, 70)) for _ in range(2)]
    gx, gy = ein.grad(lambda a, b: ein.sum(ein.exp(a) * b), argnums=(0, 1))(x, y)
    np.testing.assert_allclose(gx, np.exp(x) * y, rtol=1e-12)
    np.testing.assert_allclose(gy, np.exp(x), rtol=1e-12)


def test_sums_of_transposed_and_strided_inputs():
    # Sums whose input is not contiguous along the summed or output loop
    # (NumPy views of transposes and slices) stay correct.
    rng = np.random.default_rng(5)
    a = rng.standard_normal((70, 90))
    for view in (a.T, a[::2], a[:, ::3], a[5:60, 7:80]):
        for spec in ("ij->i", "ij->j", "ij->"):
            np.testing.assert_allclose(ein.einsum(spec, view),
                                       np.einsum(spec, view), rtol=1e-12,
                                       atol=1e-12)


@ein.function
def hadamard_and_vjps(g, a, b):
    # Three products that read a, b and g alike: one op with three results
    # (MergeSiblingMaps.cpp), one pass over the inputs.
    return (ein.einsum("ij,ij->ij", a, b), ein.einsum("ij,ij->ij", g, b),
            ein.einsum("ij,ij->ij", g, a))


@ein.function
def siblings_and_dependent(a, b, c):
    # a * b, exp(a) * b and a + c read a alike: one op; (a * b) * a reads
    # that op's product, so it and a * c.T (c read transposed, copied first
    # when large) are a second one.
    p = a * b
    return (ein.exp(a) * b, a + c, p * a, p,
            ein.einsum("ij,ji->ij", a, c))


@pytest.mark.parametrize("dtype", [np.float32, np.float64],
                         ids=["f32", "f64"])
@pytest.mark.parametrize("shape", [(1, 1), (7, 3), (33, 257), (300, 1030)],
                         ids=lambda s: f"{s[0]}x{s[1]}")
def test_merged_siblings(shape, dtype):
    rng = np.random.default_rng(shape[0] * 7 + shape[1])
    g, a, b = [rng.standard_normal(shape).astype(dtype) for _ in range(3)]
    for got, want in zip(hadamard_and_vjps(g, a, b), (a * b, g * b, g * a)):
        np.testing.assert_array_equal(got, want)
    # (Square: a * c.T.)
    n = shape[1]
    x, y, z = [rng.standard_normal((n, n)).astype(dtype) for _ in range(3)]
    got = siblings_and_dependent(x, y, z)
    want = (np.exp(x.astype(np.float64)) * y, x + z, (x * y) * x, x * y,
            x * z.T)
    for value, expected in zip(got, want):
        np.testing.assert_allclose(value, expected, **TOL[dtype])


def test_vjps_of_a_hadamard_product():
    # The forward and both VJPs in one function, against the analytic ones.
    rng = np.random.default_rng(11)
    a, b, g = [rng.standard_normal((45, 67)) for _ in range(3)]
    f = lambda x, y: ein.einsum("ij,ij->ij", x, y)  # noqa: E731

    @ein.function
    def both(seed, x, y):
        return (f(x, y), ein.eingrad("AB,AB%ab->ab", seed, f, (x, y), wrt=0),
                ein.eingrad("AB,AB%ab->ab", seed, f, (x, y), wrt=1))

    y, da, db = both(g, a, b)
    np.testing.assert_allclose(y, a * b, rtol=1e-15)
    np.testing.assert_allclose(da, g * b, rtol=1e-15)
    np.testing.assert_allclose(db, g * a, rtol=1e-15)
