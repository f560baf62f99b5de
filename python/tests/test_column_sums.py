"""Column sums of terms (the summed label outside the output's contiguous
one: ij,ij->j, bij,bij->bj, ijk,ijk->ik) against numpy. Wider than a
block of registers they stream rows into blocks of the output
(ColumnStreams.cpp: chunks of 1024 rows through a partial row, or into the
output directly, a masked head to the stream's alignment, a masked last
vector, four rows a pass and the odd rows after); narrower ones keep their
columns in registers (VectorSums.cpp). f32 and f64, one and two threads.
Before, a sum of products along a strided label was a dot product over
transposed copies of both inputs (ij,ij->j 4096² f32: 37 ms, now 5).
Row sums of many long rows are dot products with ones (ColumnSums.cpp)."""
import numpy as np
import pytest

import ein
from conftest import assert_close

CASES = [
    ("ij,ij->j", [(7, 300), (7, 300)]),            # short: into the output
    ("ij,ij->j", [(2050, 257), (2050, 257)]),      # chunks, last one short
    ("ij,ij->j", [(1025, 4099), (1025, 4099)]),    # two blocks, masked tail
    ("ij,ij->j", [(3, 70), (3, 70)]),              # in registers
    ("ij,ij->j", [(1, 1000), (1, 1000)]),
    ("bij,bij->bj", [(3, 1100, 200), (3, 1100, 200)]),   # outer batch
    ("ijk,ijk->ik", [(6, 700, 300), (6, 700, 300)]),
    ("ij,ij,j->j", [(300, 1000), (300, 1000), (1000,)]),  # broadcast input
    ("ij,i,ij->j", [(2049, 333), (2049,), (2049, 333)]),  # row scalar
    ("ji,ji->i", [(1500, 2100), (1500, 2100)]),   # threads: column blocks
    ("ij,ij->j", [(5, 2**20 + 3), (5, 2**20 + 3)]),
]


@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
@pytest.mark.parametrize("eq,shapes", CASES,
                         ids=[f"{c[0]}-{'x'.join(map(str, c[1][0]))}"
                              for c in CASES])
def test_column_sums_against_numpy(eq, shapes, dtype, rtol, threads, rng):
    xs = [rng.uniform(-1, 1, s).astype(dtype) for s in shapes]
    ref = np.einsum(eq, *[x.astype(np.float64) for x in xs])
    assert_close(ein.einsum(eq, *xs), ref, rtol)


def test_misaligned_and_strided_views(threads, rng):
    """Inputs that start off a 64-byte line (a view one element in) and
    with different alignments: the head vector is masked per row group."""
    a = rng.uniform(-1, 1, (600, 1201)).astype(np.float32)
    b = rng.uniform(-1, 1, (600, 1202)).astype(np.float32)
    x, y = a[:, 1:], b[:, 2:]
    ref = np.einsum("ij,ij->j", x.astype(np.float64), y.astype(np.float64))
    assert_close(ein.einsum("ij,ij->j", x, y), ref, 1e-5)


def test_fused_function_summed_down_columns(threads, rng):
    """An elementwise function of the inputs (fused into the sum) summed
    down 3000 columns: exp of padded lanes never reaches the output."""
    x = rng.uniform(-1, 1, (1500, 3000))
    y = rng.uniform(-1, 1, (1500, 3000))

    @ein.function
    def f(a, b):
        return ein.sum(ein.exp(a) * b, axis=0)
    assert_close(f(x, y), np.sum(np.exp(x) * y, axis=0), 1e-12)


@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
@pytest.mark.parametrize("shape", [(256, 16384), (301, 16411)])
def test_row_sums_as_dot_products(shape, dtype, rtol, threads, rng):
    """Many long rows (ij->i from 256 rows of 2048, 2^22 elements): dot
    products with ones, four rows at once, a masked last vector (16411)."""
    x = rng.uniform(-1, 1, shape).astype(dtype)
    assert_close(ein.einsum("ij->i", x), x.astype(np.float64).sum(1), rtol)
    view = x[:, 3:]   # rows off their 64-byte alignment
    assert_close(ein.einsum("ij->i", view), view.astype(np.float64).sum(1),
                 rtol)
