"""ein.einsum against numpy.einsum: every forward.json case, the notation
table, dtypes, scalars, non-contiguous inputs, optimize values, caching."""
import numpy as np
import pytest

import ein
from conftest import NOTATION, assert_close, load

FORWARD = load("forward.json")


# The notation table, plus an empty result.
NOTATION = NOTATION + [("ij,jk->ik", [[0, 4], [4, 5]], None)]


def reference(eq, arrays, ref):
    if ref is not None:
        return ref(*[a.astype(np.float64) for a in arrays])
    if eq == "i->ii":
        return np.diag(arrays[0].astype(np.float64))
    return np.einsum(eq, *[a.astype(np.float64) for a in arrays])


CASES = [(c["eq"], c["shapes"], None) for c in FORWARD] + NOTATION


@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
@pytest.mark.parametrize("eq,shapes,ref", CASES, ids=[c[0] for c in CASES])
def test_against_numpy(eq, shapes, ref, dtype, rtol, rng):
    arrays = [np.asarray(rng.uniform(-1, 1, tuple(s))).astype(dtype) for s in shapes]
    out = ein.einsum(eq, *arrays)
    assert out.dtype == dtype
    assert_close(out, reference(eq, arrays, ref), rtol)


@pytest.mark.parametrize("optimize", ["none", "greedy", "optimal", "dp", "auto",
                                      True, False])
def test_optimize_values(optimize, rng):
    eq = "ea,fb,abcd,gc,hd->efgh"
    arrays = [rng.uniform(-1, 1, s) for s in [(3, 4), (3, 5), (4, 5, 2, 3), (3, 2), (3, 3)]]
    assert_close(ein.einsum(eq, *arrays, optimize=optimize),
                 np.einsum(eq, *arrays), 1e-12)


def test_explicit_paths(rng):
    arrays = [rng.uniform(-1, 1, s) for s in [(3, 4), (4, 5), (5, 6)]]
    ref = np.einsum("ij,jk,kl->il", *arrays)
    for path in ([(0, 1), (0, 1)], [(1, 2), (0, 1)], [(0, 2), (0, 1)],
                 ["einsum_path", (1, 2), (0, 1)]):
        assert_close(ein.einsum("ij,jk,kl->il", *arrays, optimize=path), ref, 1e-12)
    x = [rng.uniform(-1, 1, s) for s in [(2, 3, 4), (2, 4, 5), (5, 6)]]
    assert_close(ein.einsum("...ij,...jk,kl->...il", *x, optimize=[(1, 2), (0, 1)]),
                 np.einsum("...ij,...jk,kl->...il", *x), 1e-12)


def test_promotion_and_scalars(rng):
    a32 = rng.uniform(-1, 1, (3, 4)).astype(np.float32)
    b64 = rng.uniform(-1, 1, (4, 2))
    assert ein.einsum("ij,jk->ik", a32, b64).dtype == np.float64
    assert ein.einsum("ij,jk->ik", a32, b64.astype(np.float32)).dtype == np.float32
    out = ein.einsum(",ij->ij", 2.5, a32)
    assert out.dtype == np.float32
    assert_close(out, 2.5 * a32, 1e-6)
    assert ein.einsum("ij->", a32, dtype=np.float64).dtype == np.float64
    assert_close(ein.einsum(",->", 3, np.float64(2.0)), np.array(6.0), 0)
    # Nested lists are float64 arrays.
    assert_close(ein.einsum("ij,j->i", [[1, 2], [3, 4]], [1.0, 1.0]),
                 np.array([3.0, 7.0]), 0)


def test_non_contiguous_inputs(rng):
    a = rng.uniform(-1, 1, (6, 8))
    b = rng.uniform(-1, 1, (8, 10))
    for eq, x, y in [("ji,kj->ik", a.T, b.T),
                     ("ij,jk->ik", a[::2, 1::2], b[1::2, ::3]),
                     ("ij,jk->ik", np.asfortranarray(a), np.asfortranarray(b)),
                     ("ij,jk->ik", a[:, ::-1], b[::-1, :])]:
        assert not (x.flags.c_contiguous and y.flags.c_contiguous)
        assert_close(ein.einsum(eq, x, y), np.einsum(eq, x, y), 1e-12)
    # Inputs are not modified.
    before = a.copy()
    ein.einsum("ij->ji", a)
    assert np.array_equal(a, before)


@pytest.mark.parametrize("eq,shapes", [
    ("acb,dea->ebdc", [(3, 37, 10), (14, 5, 3)]),  # rows and columns mixed
    ("abc,cd->adb", [(6, 7, 40), (40, 9)]),
    ("bij,bjk->kbi", [(4, 5, 6), (4, 6, 7)]),  # a batch: written in place
    ("abx,xy,ycd->acbd", [(5, 6, 7), (7, 8), (8, 4, 9)]),  # the last step
    ("ab,cb->ba", [(40, 30), (1, 30)]),
])
def test_interleaved_outputs_are_transposed_views(eq, shapes, rng):
    """An output that interleaves the last contraction's row and column
    labels is computed in its natural order and returned as a transposed
    view (as numpy.einsum does), on the first call and on the fast path;
    other outputs are C-contiguous arrays."""
    arrays = [rng.uniform(-1, 1, s) for s in shapes]
    want = np.einsum(eq, *arrays)
    inputs, out = eq.split("->")
    # The last step's operands (abx,xy,ycd: ab... by cd..., whichever
    # pair comes first).
    last = {"abx,xy,ycd": ("abx", "xcd")}.get(inputs, inputs.split(","))
    rows = [c for c in last[0] if c in out and c not in last[1]]
    cols = [c for c in last[1] if c in out and c not in last[0]]
    def split(group):
        at = sorted(out.index(c) for c in group)
        return bool(at) and at[-1] - at[0] + 1 != len(at)
    interleaved = split(rows) or split(cols)
    for _ in range(2):  # compiled, then the fast path
        got = ein.einsum(eq, *arrays)
        assert got.shape == want.shape
        assert_close(got, want, 1e-12)
        assert got.flags.c_contiguous == (not interleaved)
    assert interleaved == (eq in ("acb,dea->ebdc", "abc,cd->adb",
                                  "abx,xy,ycd->acbd"))


def test_cache_second_call_does_not_compile(rng):
    ein.clear_cache()
    a = rng.uniform(-1, 1, (5, 5))
    ein.einsum("ij,jk->ik", a, a)
    info = ein.cache_info()
    assert info["misses"] == 1 and info["kernels"] == 1
    out = ein.einsum("ij,jk->ik", a, a)
    info2 = ein.cache_info()
    assert info2["misses"] == 1 and info2["hits"] == info["hits"] + 1
    assert_close(out, a @ a, 1e-12)
    # Another shape, dtype or optimize is another kernel.
    ein.einsum("ij,jk->ik", a[:4, :4], a[:4, :4])
    ein.einsum("ij,jk->ik", a.astype(np.float32), a.astype(np.float32))
    ein.einsum("ij,jk->ik", a, a, optimize="greedy")
    assert ein.cache_info()["misses"] == 4


def test_repeated_calls_after_a_cached_kernel(rng):
    """A repeated call of C-contiguous arrays of one dtype takes a shorter
    lookup; every other kind of call with the same spec and shapes still
    gets its own checks and conversions."""
    ein.clear_cache()
    a = rng.uniform(-1, 1, (6, 6)).astype(np.float32)
    b = rng.uniform(-1, 1, (6, 6)).astype(np.float32)
    ref = a.astype(np.float64) @ b.astype(np.float64)
    for _ in range(3):
        assert_close(ein.einsum("ij,jk->ik", a, b), ref, 1e-5)
    info = ein.cache_info()
    assert info["misses"] == 1 and info["hits"] == 2
    # A transposed view (not C-contiguous), float64, mixed dtypes, a list,
    # a number and other options: the same spec and shapes, right values.
    at = np.ascontiguousarray(a.T).T
    assert_close(ein.einsum("ij,jk->ik", at, b), ref, 1e-5)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    out = ein.einsum("ij,jk->ik", a64, b64)
    assert out.dtype == np.float64 and np.allclose(out, ref, rtol=1e-12)
    assert ein.einsum("ij,jk->ik", a, b64).dtype == np.float64
    assert_close(ein.einsum("ij,jk->ik", a.tolist(), b), ref, 1e-5)
    # Byte-swapped arrays (the same dtype char) get the general path's
    # error, not the kernel's.
    with pytest.raises(TypeError, match=">f4"):
        ein.einsum("ij,jk->ik", a.astype(">f4"), b.astype(">f4"))
    assert ein.einsum("ij,jk->ik", a, b, dtype=np.float64).dtype == np.float64
    assert_close(ein.einsum("ij,jk->ik", a, b, optimize="greedy"), ref, 1e-5)
    out = np.empty((6, 6), np.float32)
    assert ein.einsum("ij,jk->ik", a, b, out=out) is out
    # Wrong shapes still fail with the general path's message.
    with pytest.raises(ValueError):
        ein.einsum("ij,jk->ik", a, b[:5])
    # Relabelings stay views.
    d = ein.einsum("ii->i", a)
    assert not d.flags.owndata and np.array_equal(d, np.diag(a))
    # Another thread count is another kernel.
    before = ein.get_num_threads()
    try:
        ein.set_num_threads(1 if before != 1 else 2)
        misses = ein.cache_info()["misses"]
        assert_close(ein.einsum("ij,jk->ik", a, b), ref, 1e-5)
        assert ein.cache_info()["misses"] == misses + 1
    finally:
        ein.set_num_threads(before)


def test_compile_expression(rng):
    expr = ein.compile("ij,jk,kl->il", (3, 4), (4, 5), (5, 2))
    arrays = [rng.uniform(-1, 1, s) for s in [(3, 4), (4, 5), (5, 2)]]
    assert_close(expr(*arrays), np.einsum("ij,jk,kl->il", *arrays), 1e-12)
    with pytest.raises(ValueError, match="shape"):
        expr(arrays[1], arrays[0], arrays[2])
    expr32 = ein.compile("ij->j", np.zeros((3, 4), np.float32))
    assert expr32(np.ones((3, 4))).dtype == np.float32


def test_to_mlir():
    text = ein.to_mlir("ij,jk->ik", (2, 3), (3, 4))
    assert 'ein.contract "ij,jk->ik"' in text
    assert "tensor<2x3xf64>" in text and "-> tensor<2x4xf64>" in text


def test_numpy_conveniences(rng):
    a = rng.uniform(-1, 1, (3, 4))
    b = rng.uniform(-1, 1, (4, 5))
    # Interleaved subscripts.
    assert_close(ein.einsum(a, [0, 1], b, [1, 2], [0, 2]), a @ b, 1e-12)
    c = rng.uniform(-1, 1, (4, 3))
    assert_close(ein.einsum(a, [Ellipsis, 1], c, [1, Ellipsis]),
                 np.einsum(a, [Ellipsis, 1], c, [1, Ellipsis]), 1e-12)
    # out=
    out = np.empty((3, 5))
    assert ein.einsum("ij,jk->ik", a, b, out=out) is out
    assert_close(out, a @ b, 1e-12)
    with pytest.raises(ValueError, match="out"):
        ein.einsum("ij,jk->ik", a, b, out=np.empty((5, 3)))
    # opt_einsum's other algorithm names.
    for name in ("auto-hq", "branch-2", "random-greedy"):
        assert_close(ein.einsum("ij,jk->ik", a, b, optimize=name), a @ b, 1e-12)


def test_too_large_is_a_memory_error():
    x = np.ones(2**20, dtype=np.float32)
    with pytest.raises(MemoryError, match="bytes"):
        ein.einsum("i,j,k->ijk", x, x, x)
