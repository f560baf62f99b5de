"""Elementwise functions and sums usable inside ein.function (and on
NumPy arrays, where they are NumPy's)."""
import numpy as np

from . import _trace
from ._tracer import Tracer


def _unary(op, numpy_fn):
    def fn(x):
        if isinstance(x, Tracer):
            return _trace.unary(op, x)
        return numpy_fn(x)
    fn.__name__ = numpy_fn.__name__
    fn.__doc__ = f"{numpy_fn.__name__} elementwise (traced as {op})."
    return fn


exp = _unary("math.exp", np.exp)
log = _unary("math.log", np.log)
tanh = _unary("math.tanh", np.tanh)
sqrt = _unary("math.sqrt", np.sqrt)
sin = _unary("math.sin", np.sin)
cos = _unary("math.cos", np.cos)
abs = _unary("math.absf", np.abs)  # noqa: A001 (the NumPy name)


def maximum(a, b):
    """Elementwise maximum (traced as arith.maximumf)."""
    if isinstance(a, Tracer) or isinstance(b, Tracer):
        return _trace.binary("maximumf", a, b)
    return np.maximum(a, b)


def minimum(a, b):
    """Elementwise minimum (traced as arith.minimumf)."""
    if isinstance(a, Tracer) or isinstance(b, Tracer):
        return _trace.binary("minimumf", a, b)
    return np.minimum(a, b)


def sum(x, axis=None, keepdims=False):  # noqa: A001 (the NumPy name)
    """Sum over `axis` (all axes by default), traced as an ein.contract."""
    if isinstance(x, Tracer):
        return _trace.reduce_sum(x, axis, keepdims)
    return np.sum(x, axis=axis, keepdims=keepdims)
