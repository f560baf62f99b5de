"""Products and maps that sum nothing (Elementwise.cpp: vectors along the
output's contiguous dimension, broadcast elements for inputs that do not
read it, a masked last vector) against numpy: outer, batched outer, Kronecker and Hadamard
products, broadcasts, fused elementwise functions; f32 and f64, one and two
threads, sizes that are not multiples of the vector lanes."""
import numpy as np
import pytest

import ein
from conftest import assert_close

CASES = [
    ("i,j->ij", [(5,), (7,)]),
    ("i,j->ij", [(33,), (100,)]),
    ("i,j->ji", [(40,), (17,)]),
    ("bi,bj->bij", [(3, 20), (3, 35)]),
    ("ij,kl->ikjl", [(4, 5), (6, 7)]),
    ("ij,ij->ij", [(9, 50), (9, 50)]),
    ("ij,ji->ij", [(20, 16), (16, 20)]),
    ("ij,j->ij", [(11, 31), (31,)]),
    ("i,i,i->i", [(1000,), (1000,), (1000,)]),
    ("abc,c->cab", [(3, 4, 48), (48,)]),
    # A small input read along the output's contiguous loop through another
    # dimension: copied with that loop innermost first.
    ("ij,kj->jik", [(6, 20), (35, 20)]),
    ("ij,kj->jik", [(64, 128), (64, 128)]),
    ("ab,cb->bac", [(3, 5), (40, 5)]),
    ("ij,jk,ki->jki", [(4, 6), (6, 5), (5, 4)]),
    # Inputs of 2^17 elements or more read that way are copied whatever
    # their size against the output's (ij,ji->ij: a transposed copy of B).
    ("ij,ji->ij", [(600, 300), (300, 600)]),
    ("abc,acb->abc", [(5, 130, 250), (5, 250, 130)]),
    ("ij,ji,ij->ji", [(400, 333), (333, 400), (400, 333)]),
    # Above 2^20 elements: the outer loop on threads.
    ("i,j->ij", [(1100,), (1000,)]),
    ("i,i->i", [(1100000,), (1100000,)]),
]


@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-12), (np.float32, 1e-6)])
@pytest.mark.parametrize("eq,shapes", CASES, ids=[c[0] for c in CASES])
def test_maps_against_numpy(eq, shapes, dtype, rtol, threads, rng):
    xs = [rng.uniform(-1, 1, s).astype(dtype) for s in shapes]
    ref = np.einsum(eq, *[x.astype(np.float64) for x in xs])
    assert_close(ein.einsum(eq, *xs), ref, rtol)


@pytest.mark.parametrize("n", [2048, 2050])
def test_large_outputs(n, threads, rng):
    """Outputs over 16 MiB on threads, with whole-vector rows (2048) and a
    masked last vector per row (2050); both exact."""
    x = rng.uniform(-1, 1, (2100,)).astype(np.float32)
    y = rng.uniform(-1, 1, (n,)).astype(np.float32)
    assert np.array_equal(ein.einsum("i,j->ij", x, y), np.outer(x, y))


def test_fused_functions(rng):
    """A fused chain of elementwise functions of broadcast inputs."""
    x = rng.uniform(0.5, 1, (37, 70)).astype(np.float32)
    y = rng.uniform(0.5, 1, (70,)).astype(np.float32)

    @ein.function
    def f(a, b):
        return ein.exp(a) * ein.einsum("ij,j->ij", a, b) + ein.log(a)
    ref = np.exp(x.astype(np.float64)) * x * y + np.log(x.astype(np.float64))
    assert_close(f(x, y), ref, 1e-5)
