"""ein.function: tracing, every supported operation, constants,
broadcasting, several results, caching, to_mlir and compile."""
import numpy as np
import pytest

import ein
from conftest import assert_close


def test_every_operation(rng):
    x = rng.uniform(0.5, 1.5, (3, 4))
    y = rng.uniform(0.5, 1.5, (3, 4))
    v = rng.uniform(0.5, 1.5, 4)

    @ein.function
    def f(x, y, v):
        a = x + y - x * y / (y + 1.0)
        b = -a + 2 * a ** 3 + a ** 1.5
        c = ein.exp(b) * 0.01 + ein.log(x) + ein.tanh(y) + ein.sqrt(x)
        d = ein.sin(c) + ein.cos(c) + ein.abs(c - 1.0)
        e = ein.maximum(d, y) + ein.minimum(d, v)  # v broadcast over rows
        return ein.sum(e, axis=1) + ein.einsum("ij,j->i", e, v)

    def ref(x, y, v):
        a = x + y - x * y / (y + 1.0)
        b = -a + 2 * a ** 3 + a ** 1.5
        c = np.exp(b) * 0.01 + np.log(x) + np.tanh(y) + np.sqrt(x)
        d = np.sin(c) + np.cos(c) + np.abs(c - 1.0)
        e = np.maximum(d, y) + np.minimum(d, v)
        return e.sum(axis=1) + e @ v

    assert_close(f(x, y, v), ref(x, y, v), 1e-12)
    # NumPy ufuncs on traced values map to the same ops.
    g = ein.function(lambda x: np.exp(x) + np.maximum(x, 1.0))
    assert_close(g(x), np.exp(x) + np.maximum(x, 1.0), 1e-12)


def test_constants_results_and_sums(rng):
    M = rng.uniform(-1, 1, (4, 4))

    @ein.function
    def two(x):
        y = ein.einsum("ij,jk->ik", M, x)  # M is captured as a constant
        return y, ein.sum(y, axis=(0, 1)), ein.sum(y, axis=0, keepdims=True)

    x = rng.uniform(-1, 1, (4, 2))
    a, b, c = two(x)
    assert_close(a, M @ x, 1e-12)
    assert_close(b, np.sum(M @ x), 1e-12)
    assert_close(c, np.sum(M @ x, axis=0, keepdims=True), 1e-12)


def test_cached_per_shape_and_dtype(rng):
    calls = []

    @ein.function
    def f(x):
        calls.append(1)
        return x * 2

    ein.clear_cache()
    f(np.ones(3))
    f(np.ones(3))
    assert len(calls) == 1 and ein.cache_info()["misses"] == 1
    f(np.ones(4))
    f(np.ones(3, np.float32))
    assert len(calls) == 3 and ein.cache_info()["misses"] == 3


def test_to_mlir_and_compile(rng):
    def f(x, W):
        return ein.tanh(ein.einsum("ij,j->i", W, x))

    text = ein.to_mlir(f, np.ones(4), np.ones((3, 4)))
    assert "func.func @f(%arg0: tensor<4xf64>, %arg1: tensor<3x4xf64>)" in text
    assert 'ein.contract "ij,j->i"' in text and "math.tanh" in text
    g = ein.compile(f, (4,), (3, 4))
    x, W = rng.uniform(-1, 1, 4), rng.uniform(-1, 1, (3, 4))
    assert_close(g(x, W), np.tanh(W @ x), 1e-12)
    with pytest.raises(ValueError, match="shapes"):
        g(W, x)


def test_matmul_and_transpose(rng):
    W = rng.uniform(-1, 1, (3, 4))
    x = rng.uniform(-1, 1, 4)
    B = rng.uniform(-1, 1, (2, 4, 5))
    f = ein.function(lambda W, x, B: (W @ x, x @ W.T, W @ B, (W.T @ W).T))
    got = f(W, x, B)
    for g, r in zip(got, (W @ x, x @ W.T, W @ B, (W.T @ W).T)):
        assert_close(g, r, 1e-12)
