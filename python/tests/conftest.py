"""Shared fixtures: the conformance cases and a finite-difference helper."""
import json
import os

import numpy as np
import pytest

CONFORMANCE = os.environ.get(
    "EIN_CONFORMANCE",
    os.path.join(os.path.dirname(__file__), "..", "..", "test", "conformance"))


def load(name):
    with open(os.path.join(CONFORMANCE, name)) as f:
        return json.load(f)


def fd_jacobian(f, args, k, step=1e-6):
    """J[y..., x...] = d f(args) / d args[k] by central differences."""
    x = np.array(args[k], dtype=np.float64)
    y0 = np.asarray(f(*args))
    jac = np.zeros(y0.shape + x.shape)
    for idx in np.ndindex(*x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += step
        minus[idx] -= step
        a = list(args)
        a[k] = plus
        yp = np.asarray(f(*a))
        a[k] = minus
        ym = np.asarray(f(*a))
        jac[(Ellipsis,) + idx] = (yp - ym) / (2 * step)
    return jac


def assert_close(out, ref, rtol):
    ref = np.asarray(ref)
    assert out.shape == ref.shape, (out.shape, ref.shape)
    scale = float(np.max(np.abs(ref))) if ref.size else 0.0
    err = np.abs(out - ref)
    assert np.all(err <= rtol * np.abs(ref) + rtol * scale), \
        f"max error {err.max() if err.size else 0:.3g} (scale {scale:.3g})"


@pytest.fixture
def rng():
    return np.random.default_rng(0)
