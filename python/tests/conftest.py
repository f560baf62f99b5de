"""Shared fixtures: the conformance cases, the notation table and a
finite-difference helper (the last two from test/Integration), and one and
two threads for the compiled kernels."""
import atexit
import json
import os
import shutil
import sys
import tempfile

import numpy as np
import pytest

TEST_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                        "test")
CONFORMANCE = os.environ.get("EIN_CONFORMANCE",
                             os.path.join(TEST_DIR, "conformance"))
# Shared with the lit integration tests: the notation table and central
# finite differences.
sys.path.insert(0, os.path.join(TEST_DIR, "Integration"))
from fd_check import jacobian_fd as fd_jacobian  # noqa: E402,F401
from notation_cases import NOTATION  # noqa: E402,F401


# The GEMM kernels' disk cache (docs/Python.md): the tests' own, empty at
# the start of the session, so that they neither depend on nor fill the
# user's. The kernels built with ein (ein-kernels) are left out, so that
# the tests compile the kernels they use (test_codegen.py tests the
# bundle; lit's ein-run tests use ein-run's).
os.environ["EIN_KERNEL_BUNDLE"] = "0"
_KERNEL_CACHE = tempfile.mkdtemp(prefix="ein-test-kernels-")
os.environ["EIN_KERNEL_CACHE_DIR"] = _KERNEL_CACHE
atexit.register(shutil.rmtree, _KERNEL_CACHE, True)


def load(name):
    with open(os.path.join(CONFORMANCE, name)) as f:
        return json.load(f)


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


@pytest.fixture(params=[1, 2], ids=["1thread", "2threads"])
def threads(request):
    """Runs a test with kernels compiled for one and for two threads."""
    import ein
    old = ein.get_num_threads()
    ein.set_num_threads(request.param)
    yield request.param
    ein.set_num_threads(old)
