"""Compiled kernels, cached per (program, shapes, dtypes, options)."""
from . import _ein

_kernels = {}
_stats = {"hits": 0, "misses": 0, "compile_seconds": 0.0}


def kernel(key, build):
    """The kernel cached under `key`, or the one `build()` returns as
    (MLIR text, entry, CompileOptions), compiled and cached."""
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
    return o


def cache_info():
    """Hits, misses (= compilations), kernels held and seconds spent
    compiling."""
    return {"hits": _stats["hits"], "misses": _stats["misses"],
            "kernels": len(_kernels),
            "compile_seconds": _stats["compile_seconds"]}


def clear_cache():
    _kernels.clear()
    _stats.update(hits=0, misses=0, compile_seconds=0.0)
