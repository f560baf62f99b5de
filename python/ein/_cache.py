"""Compiled kernels, cached per (program, shapes, dtypes, options)."""
import os

from . import _ein


# Most threads a kernel may use (OpenMP would try to start them all).
MAX_THREADS = 1024


def _default_threads():
    text = os.environ.get("EIN_NUM_THREADS", "")
    if text.strip():
        try:
            n = int(text)
        except ValueError:
            n = 0
        if 1 <= n <= MAX_THREADS:
            return n
        raise ValueError("EIN_NUM_THREADS: expected an integer from 1 to "
                         f"{MAX_THREADS}, found {text!r}")
    return os.cpu_count() or 1


_threads = [_default_threads()]
_kernels = {}
_stats = {"hits": 0, "misses": 0, "compile_seconds": 0.0}
# ein.einsum's kernels by (spec, shapes..., dtype char) for C-contiguous
# arrays of one float dtype and the default options: the lookup of a
# repeated call without the general path's checks (about 2 us of a 3 us
# call). Emptied whenever the threads or the buffer limit change.
fast = {}


def fast_hit(key):
    """The kernel `fast` holds under `key`, counted as a hit, or None."""
    k = fast.get(key)
    if k is not None:
        _stats["hits"] += 1
    return k


def kernel(key, build):
    """The kernel cached under `key`, or the one `build()` returns as
    (MLIR text, entry, CompileOptions), compiled and cached."""
    key = (key, _threads[0], _ein.buffer_limit())
    k = _kernels.get(key)
    if k is not None:
        _stats["hits"] += 1
        return k
    text, entry, options = build()
    k = _ein.Kernel(text, entry, options)
    _stats["misses"] += 1
    _stats["compile_seconds"] += k.compile_seconds
    _kernels[key] = k
    return k


def options(algorithm="auto", max_stored_bytes=0):
    o = _ein.CompileOptions()
    o.algorithm = algorithm
    o.max_stored_bytes = int(max_stored_bytes)
    o.threads = _threads[0]
    return o


def set_num_threads(n):
    """Threads that kernels compiled from now on use for the outer loops of
    large contractions (default: $EIN_NUM_THREADS, else all cores)."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("set_num_threads: expected an int, found "
                        f"{type(n).__name__}")
    if not 1 <= n <= MAX_THREADS:
        raise ValueError(f"set_num_threads: expected n from 1 to "
                         f"{MAX_THREADS}, found {n}")
    _threads[0] = n
    fast.clear()


def get_num_threads():
    """The thread count set_num_threads set (or the default)."""
    return _threads[0]


def set_buffer_limit(nbytes=None):
    """The largest buffer (intermediate or result) kernels may allocate, in
    bytes: a kernel that would need a larger one fails to compile with a
    ValueError naming it. None restores the default, the machine's physical
    memory."""
    fast.clear()
    if nbytes is None:
        _ein.set_buffer_limit(0)
        return
    if isinstance(nbytes, bool) or not isinstance(nbytes, int):
        raise TypeError("set_buffer_limit: expected an int or None, found "
                        f"{type(nbytes).__name__}")
    if nbytes < 1:
        raise ValueError(f"set_buffer_limit: expected nbytes >= 1, found "
                         f"{nbytes}")
    _ein.set_buffer_limit(min(nbytes, 2**63 - 1))


def get_buffer_limit():
    """The limit set_buffer_limit set (default: the physical memory)."""
    return _ein.buffer_limit()


def cache_info():
    """Hits, misses (= compilations), kernels held and seconds spent
    compiling; and the process's GEMM micro-kernels (tile and packing
    functions compiled once and linked into every later kernel that has
    them, which clear_cache keeps): how many, how many times a compilation
    took one instead of compiling it, how many came from the disk cache of
    an earlier process and how many from those built with ein
    (docs/Python.md)."""
    gemm_kernels, gemm_reuses, gemm_loads, gemm_bundled = \
        _ein.gemm_kernel_cache()
    return {"hits": _stats["hits"], "misses": _stats["misses"],
            "kernels": len(_kernels),
            "compile_seconds": _stats["compile_seconds"],
            "gemm_kernels": gemm_kernels,
            "gemm_kernel_reuses": gemm_reuses,
            "gemm_kernels_loaded": gemm_loads,
            "gemm_kernels_bundled": gemm_bundled}


def clear_cache():
    _kernels.clear()
    fast.clear()
    _stats.update(hits=0, misses=0, compile_seconds=0.0)
