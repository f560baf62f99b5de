"""f32 tanh and exp in compiled functions use MLIR's polynomial
approximations (ein-approximate-math: vector arithmetic instead of a libm
call per element); f64 keeps libm. Checked against float64 NumPy: a few ULP
on dense grids, and the special values."""
import numpy as np
import pytest

import ein

F32_EPS = np.finfo(np.float32).eps


def compiled(fn):
    return ein.function(lambda a: fn(a))


@pytest.mark.parametrize("name,lo,hi", [("tanh", -30.0, 30.0),
                                         ("exp", -87.0, 88.7)])
def test_f32_error_is_a_few_ulp(name, lo, hi):
    x = np.concatenate([np.linspace(lo, hi, 400001),
                        np.linspace(-1e-3, 1e-3, 2001),
                        np.geomspace(1e-37, 1.0, 2001)]).astype(np.float32)
    got = compiled(getattr(ein, name))(x)
    ref = getattr(np, name)(x.astype(np.float64))
    assert np.all(got[ref == 0] == 0)
    nonzero = ref != 0
    rel = np.abs(got[nonzero].astype(np.float64) - ref[nonzero]) / np.abs(
        ref[nonzero])
    assert rel.max() <= 4 * F32_EPS, (name, x[nonzero][np.argmax(rel)], rel.max())


@pytest.mark.parametrize("name,values", [
    ("tanh", [0.0, -0.0, np.inf, -np.inf, np.nan, 40.0, -40.0, 1e-30]),
    ("exp", [0.0, -0.0, np.inf, -np.inf, np.nan, 89.0, -104.0])])
def test_f32_special_values(name, values):
    x = np.array(values, dtype=np.float32)
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(compiled(getattr(ein, name))(x),
                                      getattr(np, name)(x))


def test_f32_exp_near_underflow():
    """Results in the subnormal range are 0 or within one subnormal step
    times the relative error of the normal range."""
    x = np.linspace(-103.0, -87.0, 1001).astype(np.float32)
    got = compiled(ein.exp)(x).astype(np.float64)
    ref = np.exp(x.astype(np.float64))
    tiny = np.finfo(np.float32).tiny
    assert np.all(np.abs(got - ref) <= 4 * F32_EPS * ref + tiny)


@pytest.mark.parametrize("name", ["tanh", "exp"])
def test_f64_keeps_libm_accuracy(name):
    x = np.linspace(-30, 30, 100001)
    got = compiled(getattr(ein, name))(x)
    ref = getattr(np, name)(x)
    assert np.max(np.abs(got - ref) / np.abs(ref)) <= 2 * np.finfo(float).eps


def test_fused_tanh_in_a_sum(rng):
    """tanh inside a vectorized row sum (fused term) and its derivative."""
    x = rng.uniform(-3, 3, (37, 300)).astype(np.float32)

    @ein.function
    def f(a):
        return ein.einsum("ij->i", ein.tanh(a) * a)
    ref = (np.tanh(x.astype(np.float64)) * x).sum(axis=1)
    np.testing.assert_allclose(f(x), ref, rtol=2e-6, atol=2e-6)
