"""The generated contraction kernels (ein-vectorize-contractions) against
numpy.einsum: every kernel kind (packed GEMM, row vector x matrix, dot
products), every layout the packing reads through (transposed operands,
permuted groups, copies), block edges (sizes that are not multiples of the
8 x 32 or 12 x 32 register tiles, depth over one 256 block, columns over one 1024
block, rows over one 96 block), f32 and f64, one and two threads."""
import os
import sys

import numpy as np
import pytest

import ein
from conftest import assert_close

CASES = [
    # Packed GEMM.
    ("ij,jk->ik", [(100, 70), (70, 50)]),
    ("ij,jk->ik", [(13, 5), (5, 33)]),
    ("ij,jk->ik", [(97, 300), (300, 1100)]),    # pc and jc blocks, edges
    ("ij,jk->ik", [(20, 600), (600, 700)]),     # few rows: narrow B blocks
    ("ij,jk->ik", [(200, 3), (3, 40)]),          # tiny depth
    ("ij,jk->ik", [(50, 70), (70, 1300)]),       # one row block: parallel
    ("ji,jk->ik", [(300, 20), (300, 2100)]),     # column blocks, edges
    ("ij,jk->ik", [(40, 1100), (1100, 50)]),     # long depth: split-K
    ("ij,jk->ik", [(130, 1100), (1100, 20)]),    # two row blocks: split-K
    ("ji,kj->ik", [(1500, 30), (20, 1500)]),     # split-K, transposed
    # Above 2M multiply-adds (parallel on two threads): split-K, column
    # blocks (up to three row blocks, or M up to 4 N), row blocks of whole
    # tiles shared out evenly (M over 4 N: 301 rows, 51 tiles in 10 blocks
    # of 5 or 6, the last cut; 128 rows, 32 four-row tiles in 6 blocks;
    # columns likewise).
    ("ji,kj->ik", [(3000, 30), (25, 3000)]),
    ("ij,jk->ik", [(130, 140), (140, 150)]),
    ("ij,jk->ik", [(301, 90), (90, 100)]),
    ("ij,jk->ik", [(301, 100), (100, 70)]),
    ("ij,jk->ik", [(128, 600), (600, 30)]),
    ("ij,jk->ik", [(128, 200), (200, 100)]),
    ("ij,kj->ik", [(127, 150), (130, 150)]),
    ("ij,jk->ik", [(40, 300), (300, 200)]),      # 4 column blocks: 3,3,3,4 tiles
    ("ij,jk->ik", [(60, 2500), (2500, 20)]),     # split-K: 6 even slots
    ("ji,kj->ik", [(2500, 60), (20, 2500)]),     # the same, transposed
    ("acb,abd->cd", [(50, 60, 50), (50, 50, 20)]),  # slots of whole runs
    # A few batches, an odd number: halves of batches on threads.
    ("bij,bjk->bik", [(3, 130, 60), (3, 60, 100)]),
    ("bhqd,bhkd->bhqk", [(1, 3, 150, 40), (1, 3, 130, 40)]),
    ("ibj,bjk->bik", [(121, 5, 40), (5, 40, 100)]),
    ("ij,jk->ki", [(13, 5), (5, 33)]),           # rows/columns swapped
    ("ji,jk->ik", [(70, 100), (70, 50)]),        # transposed A
    ("ji,jk->ik", [(2, 50), (2, 40)]),           # its panels, depth 2
    ("ji,jk->ik", [(3, 36), (3, 40)]),           # whole panels only
    ("ij,kj->ik", [(120, 260), (77, 260)]),      # transposed B
    ("ji,kj->ik", [(64, 31), (45, 64)]),         # both transposed
    # 12-row tiles (M 11 and 35 waste less of 12 rows than of 8), edges.
    ("ij,jk->ik", [(11, 100), (100, 70)]),
    ("ij,kj->ik", [(35, 50), (40, 50)]),
    # Transposed B whole panels: the last depth block overlaps the one
    # before it (24, 50 deep: at 8, 34 with 16 lanes), or one block (16),
    # or less than a block (15: masked).
    ("ij,kj->ik", [(20, 24), (150, 24)]),
    ("ij,kj->ik", [(40, 16), (120, 16)]),
    ("ij,kj->ik", [(40, 15), (120, 15)]),
    # A small output whose innermost group fills few of the tile's columns:
    # computed the other way round in a copy (8 x 24), transposed back.
    ("dcb,cba->ad", [(8, 100, 100), (100, 100, 24)]),
    ("dk,ka->ad", [(5, 3000), (3000, 40)]),
    ("bij,bjk->bik", [(3, 17, 9), (3, 9, 40)]),
    ("bij,bjk->bik", [(1, 130, 64), (1, 64, 70)]),
    ("ibj,jbk->bik", [(20, 3, 9), (9, 3, 40)]),  # batch not outermost
    # Batch innermost: inputs copied to batch, own, depth order.
    ("ijb,jkb->ikb", [(20, 9, 3), (9, 40, 3)]),
    ("jib,kjb->kib", [(9, 20, 5), (33, 9, 5)]),
    ("bhqd,bhkd->bhqk", [(2, 3, 20, 8), (2, 3, 30, 8)]),
    # Batch labels split or in other orders (each batch label has its own
    # strides): no copies; B depth-innermost, A rows-innermost.
    ("bqhd,bkhd->bhqk", [(2, 20, 3, 8), (2, 30, 3, 8)]),
    ("bdhq,bkhd->bhqk", [(2, 8, 3, 20), (2, 30, 3, 8)]),
    ("bhqd,bhkd->bqhk", [(2, 3, 20, 8), (2, 3, 30, 8)]),
    ("hbqd,bhkd->bqhk", [(3, 2, 20, 8), (2, 3, 30, 8)]),
    ("bqhd,bkhd->bqhk", [(2, 130, 3, 64), (2, 140, 3, 64)]),  # threads
    ("bhd,hbd->hb", [(3, 4, 50), (4, 3, 50)]),              # dots
    ("bhk,hkbn->hbn", [(3, 4, 20), (4, 20, 3, 50)]),        # row vectors
    ("abcd,dcef->abef", [(4, 5, 6, 7), (7, 6, 3, 2)]),  # depth order differs
    ("abc,cde,efa->bdf", [(5, 6, 7), (7, 8, 9), (9, 10, 5)]),
    # Both inputs copied: the depth in the larger one's order.
    ("abde,efa->bdf", [(5, 6, 7, 8), (8, 9, 5)]),
    ("efa,abde->bdf", [(8, 9, 5), (5, 6, 7, 8)]),
    # Output copied: rows/columns in the order of the larger of input and
    # output (tn3's derivative contractions).
    ("bdf,abde->efa", [(6, 7, 9), (5, 6, 7, 8)]),
    ("bdf,efa->abde", [(6, 7, 9), (8, 9, 5)]),
    ("abde,bdf->fea", [(5, 6, 7, 8), (6, 7, 9)]),
    ("xbay,bzy->zxa", [(4, 3, 5, 6), (3, 7, 6)]),
    # Columns in another order than the output's, in an input larger than
    # the output: the output is computed in the input's order and copied.
    ("deabc,cbfa->fed", [(3, 4, 5, 6, 2), (2, 6, 3, 5)]),
    # Output copied, A's rows innermost, B's columns not: A and B trade
    # places (the copy is f,d,e; 13 rows, 72 columns: partial tiles).
    ("abcde,fabc->efd", [(4, 5, 6, 8, 9), (13, 4, 5, 6)]),
    # Output copied, larger than both inputs: the copy along runs of its
    # innermost label (e,d,b,c), the inputs copied into that order.
    ("acb,dea->ebdc", [(3, 37, 10), (14, 5, 3)]),
    # A's depth in two runs (a, then e innermost): packed run by run, not
    # copied; B copied in A's depth order (eaf: from its own e,a). Runs of
    # 24 (a masked tail at 16 lanes) and 40 (depth blocks of whole runs,
    # 800 deep: two blocks); a batch; split-K (128 x 32 deep, small
    # output); tn3 itself (parallel row blocks).
    ("abde,efa->bdf", [(4, 9, 8, 24), (24, 12, 4)]),
    ("abde,efa->bdf", [(20, 6, 7, 40), (40, 9, 20)]),
    ("abde,eaf->bdf", [(4, 30, 10, 64), (64, 4, 50)]),
    ("xabde,xefa->xbdf", [(3, 4, 10, 6, 32), (3, 32, 20, 4)]),
    ("abe,eac->bc", [(128, 30, 32), (32, 128, 20)]),
    ("abde,efa->bdf", [(32, 32, 32, 32), (32, 32, 32)]),
    # B's columns in two runs (a, then e innermost, whole register tiles
    # at some vector widths): packed run by run, not copied; the output
    # copied in B's order (efa), or not copied (fae). Runs of 32 and 48;
    # 1280 columns (two column blocks); a batch; parallel column blocks
    # (20 rows); split-K (64 x 64 deep, 1024 outputs).
    ("bdf,abde->efa", [(32, 32, 32), (32, 32, 32, 32)]),
    ("bdf,abde->efa", [(6, 7, 9), (40, 6, 7, 32)]),
    ("bdf,abde->efa", [(6, 7, 9), (5, 6, 7, 48)]),
    ("fbd,abde->fae", [(20, 30, 40), (8, 30, 40, 64)]),
    ("xfbd,xabde->xfae", [(3, 20, 6, 7), (3, 5, 6, 7, 32)]),
    ("fbd,abde->fae", [(16, 64, 64), (2, 64, 64, 32)]),
    # The output's columns in two runs (a, then e innermost), written in
    # place instead of in a copy: runs of 32 and 16, 1280 columns, a
    # batch, split-K (1280 outputs, 4096 deep), B copied into the
    # output's order (efa: a,e split).
    ("bdf,efa->abde", [(32, 32, 32), (32, 32, 32)]),
    ("bdf,efa->abde", [(6, 7, 9), (16, 9, 5)]),
    ("bdf,efa->abde", [(6, 7, 9), (32, 9, 40)]),
    ("xbdf,xefa->xabde", [(2, 6, 7, 9), (2, 16, 9, 5)]),
    ("bk,aek->abe", [(10, 4096), (4, 32, 4096)]),
    ("bf,efa->abe", [(20, 16), (64, 16, 32)]),
    ("ab,cb->ba", [(40, 30), (1, 30)]),
    ("bij,(ij)k->bk", [(6, 5, 4), (20, 33)]),
    # One output row: row vector x matrix, dot products.
    ("i,ij->j", [(70,), (70, 50)]),
    ("i,ij->j", [(3,), (3, 2100)]),
    # Rows half a vector apart (3000 f32 columns) or an odd number of
    # elements apart (3001): groups of rows 2 (f32) to 16 apart.
    ("i,ij->j", [(133,), (133, 3000)]),
    ("i,ij->j", [(75,), (75, 3001)]),
    ("bi,bij->bj", [(3, 20), (3, 20, 45)]),
    # Over 2^20 elements: batches on threads, each with its own partial row
    # (600 rows: chunks of 512).
    ("bi,bij->bj", [(3, 600), (3, 600, 700)]),
    ("ij,j->i", [(70, 50), (50,)]),
    ("ij,j->i", [(7, 301), (301,)]),
    ("j,j->", [(77,), (77,)]),
    ("ij,ij->", [(33, 65), (33, 65)]),
    ("bi,bi->b", [(5, 37), (5, 37)]),
    ("ad,da->", [(30, 40), (40, 30)]),
    # A few long dot products (over 2^20 elements): on two threads, eight
    # slices of the depth into partial sums.
    ("ij,ij->", [(1030, 1100), (1030, 1100)]),
    ("ij,j->i", [(3, 400001), (400001,)]),
    ("bi,bi->b", [(2, 600007), (2, 600007)]),
    # Many short dot products (over 2^20 elements): the batch on threads.
    ("ij,ij->i", [(1030, 1100), (1030, 1100)]),
    ("bij,bj->bi", [(40, 70, 400), (40, 400)]),  # many batches on threads
    ("i,ij,j->", [(300,), (300, 200), (200,)]),
    ("ab,bc,cd,da->", [(20, 21), (21, 22), (22, 23), (23, 20)]),
]


def check_case(eq, shapes, dtype, rtol, rng):
    """ein.einsum of a CASES entry against numpy.einsum in float64 (`(ij)`:
    the first operand's trailing axes flattened)."""
    arrays = [rng.uniform(-1, 1, s).astype(dtype) for s in shapes]
    if "(" in eq:
        ref = np.einsum("bl,lk->bk", arrays[0].reshape(
            arrays[0].shape[0], -1).astype(np.float64),
            arrays[1].astype(np.float64))
    else:
        ref = np.einsum(eq, *[a.astype(np.float64) for a in arrays])
    assert_close(ein.einsum(eq, *arrays), ref, rtol)


@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
@pytest.mark.parametrize("eq,shapes", CASES, ids=[c[0] for c in CASES])
def test_kernels_against_numpy(eq, shapes, dtype, rtol, threads, rng):
    check_case(eq, shapes, dtype, rtol, rng)


# The packed GEMMs of CASES (up to the one-row products).
GEMM_CASES = CASES[:[c[0] for c in CASES].index("i,ij->j")]


@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
@pytest.mark.parametrize("eq,shapes", GEMM_CASES,
                         ids=[c[0] for c in GEMM_CASES])
def test_kernels_inlined_without_kernel_cache(eq, shapes, dtype, rtol, threads,
                                              rng, monkeypatch):
    """With the kernel cache on (the cases above), every GEMM calls shared
    tile and packing functions, whose sizes are run-time values; with
    EIN_KERNEL_CACHE=0 the functions that one GEMM alone calls are inlined
    and specialized to its constants: the same values."""
    monkeypatch.setenv("EIN_KERNEL_CACHE", "0")
    ein.clear_cache()
    try:
        check_case(eq, shapes, dtype, rtol, rng)
    finally:
        ein.clear_cache()


@pytest.mark.parametrize("vector_bytes", [16, 32, 64])
@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
@pytest.mark.parametrize("eq,shapes", CASES, ids=[c[0] for c in CASES])
def test_kernels_at_every_vector_width(eq, shapes, dtype, rtol, vector_bytes,
                                       rng, monkeypatch):
    """The JIT generates code for the host's widest vectors (AVX-512: 64
    bytes, AVX2: 32, else 16); EIN_VECTOR_BYTES picks another width, so
    that every width's kernels (tiles of 12 x 2 vectors or 6 x 2, blocks of
    16, 8 or 4 lanes, alignment peels shorter than a vector) are checked on
    any x86 machine: the same values."""
    monkeypatch.setenv("EIN_VECTOR_BYTES", str(vector_bytes))
    ein.clear_cache()
    try:
        check_case(eq, shapes, dtype, rtol, rng)
    finally:
        ein.clear_cache()


@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
@pytest.mark.parametrize("eq,shapes", [
    ("abcde,fabc->efd", [(4, 5, 6, 8, 9), (13, 4, 5, 6)]),
    ("acb,dea->ebdc", [(3, 37, 10), (14, 5, 3)]),
    ("deabc,cbfa->fed", [(3, 4, 5, 6, 2), (2, 6, 3, 5)]),
])
def test_copied_outputs_in_functions(eq, shapes, dtype, rtol, threads, rng):
    """Inside an ein.function the output is materialized in the requested
    order (ein.einsum returns these as transposed views): the GEMM writes a
    copy in either orientation and transposes it into place."""
    arrays = [rng.uniform(-1, 1, s).astype(dtype) for s in shapes]
    f = ein.function(lambda a, b: ein.einsum(eq, a, b) * 2)
    got = f(*arrays)
    assert got.flags.c_contiguous
    assert_close(got, 2 * np.einsum(eq, *[a.astype(np.float64)
                                          for a in arrays]), rtol)


def test_threads_large_enough_to_split(rng):
    """Above the parallel threshold: batch-parallel and row-block-parallel
    kernels (400 rows, more than 4 N), and a parallel matrix-vector
    product, agree with one thread."""
    a = rng.uniform(-1, 1, (8, 96, 64)).astype(np.float32)
    b = rng.uniform(-1, 1, (8, 64, 80)).astype(np.float32)
    m = rng.uniform(-1, 1, (400, 300)).astype(np.float32)
    n = rng.uniform(-1, 1, (300, 90)).astype(np.float32)
    v = rng.uniform(-1, 1, (3000,)).astype(np.float32)
    w = rng.uniform(-1, 1, (3000, 2000)).astype(np.float32)
    old = ein.get_num_threads()
    try:
        results = []
        for t in (1, 2):
            ein.set_num_threads(t)
            results.append((ein.einsum("bij,bjk->bik", a, b),
                            ein.einsum("ij,jk->ik", m, n),
                            ein.einsum("i,ij->j", v, w),
                            ein.einsum("ji,j->i", w, v)))
    finally:
        ein.set_num_threads(old)
    refs = (np.einsum("bij,bjk->bik", a, b, dtype=np.float64),
            m.astype(np.float64) @ n, v.astype(np.float64) @ w,
            v.astype(np.float64) @ w)
    for one, two, ref in zip(results[0], results[1], refs):
        assert_close(one, ref, 1e-5)
        assert_close(two, ref, 1e-5)


def test_results_are_owned_arrays(rng):
    """Results adopt the compiled code's buffers: writable, C-contiguous,
    independent of the inputs and of each other."""
    a = rng.uniform(-1, 1, (40, 30))
    b = rng.uniform(-1, 1, (30, 20))
    r1 = ein.einsum("ij,jk->ik", a, b)
    r2 = ein.einsum("ij,jk->ik", a, b)
    assert r1.flags.c_contiguous and r1.flags.writeable
    r1[0, 0] = 123.0
    assert r2[0, 0] != 123.0
    assert_close(r2, a @ b, 1e-12)


@pytest.mark.parametrize("eq,shape", [("ii->i", (5, 5)), ("ij->ji", (3, 4)),
                                      ("iji->ji", (3, 4, 3)),
                                      ("ijk->kij", (2, 3, 4))])
def test_relabelings_are_views(eq, shape, rng):
    """Like numpy.einsum, a transpose or diagonal is a view of the operand
    (read-only here): no copy, no kernel."""
    a = rng.uniform(-1, 1, shape)
    misses = ein.cache_info()["misses"]
    r = ein.einsum(eq, a)
    assert np.shares_memory(r, a) and not r.flags.writeable
    assert_close(r, np.einsum(eq, a), 0)
    # Repeated calls (the fast path) view each call's own operand.
    for x in (a, rng.uniform(-1, 1, shape).astype(np.float32)):
        for _ in range(2):
            r = ein.einsum(eq, x)
            assert np.shares_memory(r, x) and not r.flags.writeable
            assert r.dtype == x.dtype
            assert_close(r, np.einsum(eq, x), 0)
    assert ein.cache_info()["misses"] == misses


def test_relabeling_size_mismatch_is_an_error():
    with pytest.raises(ValueError, match="label 'i'"):
        ein.einsum("ii->i", np.ones((3, 4)))


def test_set_num_threads_errors():
    with pytest.raises(TypeError, match="expected an int, found float"):
        ein.set_num_threads(2.0)
    with pytest.raises(ValueError, match="expected n from 1 to 1024, found 0"):
        ein.set_num_threads(0)
    # OpenMP would try to start them all (found by hand: 10**9 hung).
    with pytest.raises(ValueError, match="found 1000000000"):
        ein.set_num_threads(10**9)
    with pytest.raises(TypeError, match="expected an int, found bool"):
        ein.set_num_threads(True)


def test_gemm_kernels_compiled_once_per_process(rng, monkeypatch):
    """The packed GEMM's tile and packing functions are compiled once per
    process: a later kernel with the same ones (other shapes, same
    blocking) links the cached code instead of compiling it, with the
    same values; EIN_KERNEL_CACHE=0 compiles them again (and adds none)."""
    def chain(sizes):
        xs = [rng.uniform(-1, 1, (sizes[i], sizes[i + 1])).astype(np.float32)
              for i in range(4)]
        return xs, np.einsum("ab,bc,cd,de->ae", *xs, optimize=True)

    monkeypatch.delenv("EIN_KERNEL_CACHE", raising=False)
    xs, want = chain([100, 120, 90, 110, 80])
    assert_close(ein.einsum("ab,bc,cd,de->ae", *xs), want, 1e-4)
    info = ein.cache_info()
    assert info["gemm_kernels"] >= 1
    xs, want = chain([70, 130, 95, 140, 60])
    assert_close(ein.einsum("ab,bc,cd,de->ae", *xs), want, 1e-4)
    again = ein.cache_info()
    assert again["gemm_kernel_reuses"] > info["gemm_kernel_reuses"]
    monkeypatch.setenv("EIN_KERNEL_CACHE", "0")
    xs, want = chain([90, 100, 85, 120, 75])
    assert_close(ein.einsum("ab,bc,cd,de->ae", *xs), want, 1e-4)
    off = ein.cache_info()
    assert off["gemm_kernel_reuses"] == again["gemm_kernel_reuses"]
    assert off["gemm_kernels"] == again["gemm_kernels"]


_CHAIN_SCRIPT = """
import json, os, numpy as np, ein
rng = np.random.default_rng(7)
sizes = [100, 120, 90, 110, 80]
xs = [rng.uniform(-1, 1, (sizes[i], sizes[i + 1])).astype(
          os.environ["EIN_TEST_DTYPE"]) for i in range(4)]
got = ein.einsum("ab,bc,cd,de->ae", *xs)
want = np.einsum("ab,bc,cd,de->ae", *xs, optimize=True)
info = ein.cache_info()
print(json.dumps({"error": float(np.max(np.abs(got - want))),
                  "scale": float(np.max(np.abs(want))),
                  "kernels": info["gemm_kernels"],
                  "loaded": info["gemm_kernels_loaded"],
                  "bundled": info["gemm_kernels_bundled"]}))
"""


def _chain_in_new_process(cache_dir, bundle=False, dtype="float32"):
    import json
    import subprocess
    env = dict(os.environ, EIN_KERNEL_CACHE_DIR=str(cache_dir),
               PYTHONPATH=os.path.dirname(os.path.dirname(ein.__file__)),
               EIN_TEST_DTYPE=dtype)
    env.pop("EIN_KERNEL_CACHE", None)
    if bundle:
        env.pop("EIN_KERNEL_BUNDLE", None)
    else:
        env["EIN_KERNEL_BUNDLE"] = "0"
    out = subprocess.run([sys.executable, "-c", _CHAIN_SCRIPT], env=env,
                         capture_output=True, text=True, check=True).stdout
    result = json.loads(out)
    assert result["error"] <= 1e-4 * result["scale"], result
    return result


@pytest.mark.skipif("asan" in os.environ.get("LD_PRELOAD", ""),
                    reason="sanitized builds bundle no kernels")
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gemm_kernels_bundled(tmp_path, dtype):
    """The build compiles the common GEMM kernels (ein-kernels next to the
    extension): a new process with an empty cache links them, with the
    right values, and writes nothing to its cache; EIN_KERNEL_BUNDLE=0
    compiles them instead."""
    bundle = os.path.join(os.path.dirname(ein._ein.__file__), "ein-kernels")
    assert len([f for f in os.listdir(bundle) if f.endswith(".o")]) >= 20
    cache = tmp_path / "kernels"
    got = _chain_in_new_process(cache, bundle=True, dtype=dtype)
    assert got["kernels"] >= 3 and got["bundled"] == got["kernels"]
    assert got["loaded"] == 0 and not cache.exists()
    off = _chain_in_new_process(cache, dtype=dtype)
    assert off["bundled"] == 0 and off["loaded"] == 0
    assert len(list(cache.glob("*.o"))) == off["kernels"] == got["kernels"]


def test_gemm_kernels_disk_cache(tmp_path):
    """A new process links the GEMM kernels an earlier one compiled (from
    EIN_KERNEL_CACHE_DIR); damaged files are ignored and replaced, and a
    directory that cannot be made only means no disk cache."""
    cache = tmp_path / "kernels"
    first = _chain_in_new_process(cache)
    assert first["kernels"] >= 1 and first["loaded"] == 0
    files = sorted(cache.glob("*.o"))
    assert len(files) == first["kernels"]
    assert not list(cache.glob("tmp-*"))
    second = _chain_in_new_process(cache)
    assert second["loaded"] == first["kernels"]
    # Damaged: a flipped byte in each object, one file cut short.
    for f in files:
        data = bytearray(f.read_bytes())
        data[-100] ^= 0xFF
        f.write_bytes(bytes(data))
    files[0].write_bytes(files[0].read_bytes()[:50])
    third = _chain_in_new_process(cache)
    assert third["loaded"] == 0
    fourth = _chain_in_new_process(cache)
    assert fourth["loaded"] == first["kernels"]
    # Not a directory.
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    assert _chain_in_new_process(blocked / "kernels")["loaded"] == 0
