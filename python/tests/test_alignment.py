"""Streaming kernels (row and column sums, matrix-vector and dot products)
read their largest input from its 64-byte alignment on, after a masked head
of the elements before it. Inputs here start at every element offset from a
64-byte boundary, at lengths around the vector widths and the peeling
threshold (256), against numpy.einsum in float64."""
import numpy as np
import pytest

import ein

TOL = {np.float32: dict(rtol=3e-5, atol=3e-5),
       np.float64: dict(rtol=1e-12, atol=1e-12)}

# (spec, shapes as functions of the length n)
CASES = {
    "row_sums": ("ij->i", lambda n: [(3, n)]),
    "column_sums": ("ij->j", lambda n: [(5, n)]),
    # One block of columns per i (up to 256 f32 lanes), not peeled.
    "batched_column_sums": ("ijk->ik", lambda n: [(3, 4, n)]),
    "total": ("ij->", lambda n: [(2, n)]),
    "gemv": ("ij,j->i", lambda n: [(6, n), (n,)]),
    "vecmat": ("i,ij->j", lambda n: [(4,), (4, n)]),
    "dot": ("i,i->", lambda n: [(n,), (n,)]),
    "bilinear": ("i,ij,j->", lambda n: [(3,), (3, n), (n,)]),
    "batched_dots": ("bi,bi->b", lambda n: [(2, n), (2, n)]),
}
LENGTHS = [40, 255, 256, 257, 300, 1029, 4111]


def at_offset(shape, dtype, offset, rng):
    """A C-contiguous array of `shape` whose first element lies `offset`
    elements past a 64-byte boundary."""
    size = int(np.prod(shape))
    item = np.dtype(dtype).itemsize
    buf = np.empty(size + 2 * 64 // item, dtype)
    start = (-buf.ctypes.data % 64) // item + offset
    a = buf[start:start + size].reshape(shape)
    a[...] = rng.standard_normal(shape)
    assert a.ctypes.data % 64 == offset * item
    return a


@pytest.mark.parametrize("dtype", [np.float32, np.float64],
                         ids=["f32", "f64"])
@pytest.mark.parametrize("n", LENGTHS)
@pytest.mark.parametrize("name", list(CASES))
def test_every_offset(name, n, dtype):
    spec, shapes = CASES[name]
    rng = np.random.default_rng(n)
    lanes = 64 // np.dtype(dtype).itemsize
    for offset in range(lanes):
        args = [at_offset(s, dtype, (offset + 3 * k) % lanes, rng)
                for k, s in enumerate(shapes(n))]
        expected = np.einsum(spec, *[a.astype(np.float64) for a in args])
        np.testing.assert_allclose(ein.einsum(spec, *args), expected,
                                   err_msg=f"offset {offset}", **TOL[dtype])


@pytest.mark.parametrize("offset", [0, 1, 5, 15])
def test_rows_of_odd_length(offset):
    """Rows whose starts fall at different offsets (length 1001): only the
    first row's head is aligned for; every row is still summed whole."""
    rng = np.random.default_rng(offset)
    a = at_offset((7, 1001), np.float32, offset, rng)
    for spec in ["ij->i", "ij->j"]:
        np.testing.assert_allclose(ein.einsum(spec, a),
                                   np.einsum(spec, a.astype(np.float64)),
                                   **TOL[np.float32])


def test_terms_past_the_head_are_not_counted():
    """exp(x) is not zero where lanes are masked off: the head and the
    rest must select zero there (exp(0) = 1 would add spurious ones)."""

    @ein.function
    def exp_row_sums(x):
        return ein.sum(ein.exp(x), axis=1)

    rng = np.random.default_rng(1)
    for offset in range(16):
        x = at_offset((3, 300), np.float32, offset, rng)
        np.testing.assert_allclose(exp_row_sums(x),
                                   np.exp(x.astype(np.float64)).sum(1),
                                   rtol=3e-5, err_msg=f"offset {offset}")


@pytest.mark.parametrize("dtype", [np.float32, np.float64],
                         ids=["f32", "f64"])
@pytest.mark.parametrize("n", [256, 300, 321, 1029, 4111, 70001])
def test_dots_of_operands_a_quarter_vector_apart(n, dtype):
    """A lone dot product whose operands lie a quarter, half or three
    quarters of a vector apart reads both in aligned vectors (the other's
    windows cut by lane shifts) up to a vector before the end: every pair
    of offsets, lengths around the step and the chunks."""
    rng = np.random.default_rng(n)
    lanes = 64 // np.dtype(dtype).itemsize
    for first in range(lanes):
        for apart in range(0, lanes, lanes // 4):
            x = at_offset((n,), dtype, first, rng)
            y = at_offset((n,), dtype, (first + apart) % lanes, rng)
            for a, b in [(x, y), (y, x)]:
                expected = np.dot(a.astype(np.float64), b.astype(np.float64))
                scale = np.dot(np.abs(a.astype(np.float64)), np.abs(b))
                assert abs(ein.einsum("i,i->", a, b) - expected) <= \
                    TOL[dtype]["rtol"] * scale, (first, apart)
