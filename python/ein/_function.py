"""ein.function (traced, compiled Python functions), ein.to_mlir and
ein.compile."""
import numpy as np

from . import _trace
from ._arrays import as_array, result_dtype
from ._cache import kernel, options
from ._einsum import compile_spec, einsum_program, optimize_key, _shape_of
from ._tracer import Tracer


class Function:
    """A Python function of arrays traced into one compiled MLIR function
    per (shapes, dtype); see ein.function."""

    def __init__(self, f, optimize="auto", max_stored_bytes=0):
        if not callable(f):
            raise TypeError("function: expected a callable, found "
                            f"{type(f).__name__}")
        algorithm = optimize_key(optimize)
        if not isinstance(algorithm, str):
            raise ValueError("function: expected optimize to be an algorithm "
                             "name or a bool, found a path (a path belongs "
                             "to one contraction: pass it to ein.einsum)")
        if isinstance(max_stored_bytes, bool) or \
                not isinstance(max_stored_bytes, int):
            raise TypeError("function: expected max_stored_bytes to be an "
                            f"int, found {type(max_stored_bytes).__name__}")
        if max_stored_bytes < 0:
            raise ValueError("function: expected max_stored_bytes >= 0, "
                             f"found {max_stored_bytes}")
        self.f = f
        self.optimize = algorithm
        self.max_stored_bytes = max_stored_bytes
        self.__name__ = getattr(f, "__name__", "function")
        self.__doc__ = getattr(f, "__doc__", None)

    def __call__(self, *args):
        if any(isinstance(a, Tracer) for a in args):
            return self.f(*args)  # traced inline into the caller
        dtype = result_dtype(args)
        arrays = [as_array(a, dtype) for a in args]
        key = ("function", self, tuple(a.shape for a in arrays), dtype.char)
        k = kernel(key, lambda: self._build([a.shape for a in arrays], dtype))
        results = k(*arrays)
        return tuple(results) if self._multiple[key] else results[0]

    _multiple = {}

    def _build(self, shapes, dtype):
        module, name, _, multiple = _trace.trace(self.f, shapes, dtype,
                                                 name=self.__name__)
        key = ("function", self, tuple(tuple(s) for s in shapes), dtype.char)
        Function._multiple[key] = multiple
        return module.text(), name, options(self.optimize,
                                            self.max_stored_bytes)

    def to_mlir(self, *examples):
        dtype = result_dtype(examples)
        module, _, _, _ = _trace.trace(
            self.f, [np.shape(e) for e in examples], dtype, name=self.__name__)
        return module.text()

    def __repr__(self):
        return f"<ein.function {self.__name__}>"


def function(f=None, *, optimize="auto", max_stored_bytes=0):
    """Decorator: traces a Python function written with ein.einsum, + - * /,
    unary -, ** (constant exponent), ein.exp/log/tanh/sqrt/sin/cos/abs/
    maximum/minimum/sum and ein.eingrad into one compiled MLIR function per
    argument shapes and dtype; calling it runs the compiled code."""
    if f is None:
        return lambda g: Function(g, optimize, max_stored_bytes)
    return Function(f, optimize, max_stored_bytes)


def to_mlir(spec_or_function, *examples, optimize="auto", dtype=None):
    """ein IR (before ein's passes) of an einsum spec on operands shaped
    like `examples` (arrays, numbers or shape tuples), or of a function
    traced on `examples`."""
    if isinstance(spec_or_function, str):
        arrays = [e for e in examples if not isinstance(e, (tuple, list))]
        dt = result_dtype(arrays, dtype)
        return einsum_program(spec_or_function,
                              [_shape_of(e) for e in examples], dt, optimize)
    if not callable(spec_or_function):
        raise TypeError("expected a spec string or a function, found "
                        f"{type(spec_or_function).__name__}")
    f = spec_or_function
    f = f.f if isinstance(f, Function) else f
    dt = result_dtype([e for e in examples if not isinstance(e, (tuple, list))], dtype)
    module, _, _, _ = _trace.trace(f, [_shape_of(e) for e in examples], dt)
    return module.text()


class CompiledFunction:
    """A function compiled for fixed argument shapes and dtype."""

    def __init__(self, f, shapes, dtype, optimize):
        self.function = f if isinstance(f, Function) else Function(f, optimize)
        self.shapes = [tuple(s) for s in shapes]
        self.dtype = dtype
        key = ("function", self.function, tuple(self.shapes), dtype.char)
        kernel(key, lambda: self.function._build(self.shapes, dtype))

    def __call__(self, *args):
        arrays = [as_array(a, self.dtype) for a in args]
        if [a.shape for a in arrays] != self.shapes:
            raise ValueError(f"expected arguments of shapes {self.shapes}, "
                             f"found {[a.shape for a in arrays]}")
        return self.function(*arrays)


def compile(spec_or_function, *examples, optimize="auto", dtype=None):  # noqa: A001
    """A reusable compiled callable for fixed shapes: for a spec (like
    opt_einsum.contract_expression; operands or shape tuples), or for a
    function (example arguments)."""
    if isinstance(spec_or_function, str):
        return compile_spec(spec_or_function, examples, optimize, dtype)
    if not callable(spec_or_function):
        raise TypeError("expected a spec string or a function, found "
                        f"{type(spec_or_function).__name__}")
    arrays = [e for e in examples if not isinstance(e, (tuple, list))]
    dt = result_dtype(arrays, dtype) if (arrays or dtype is not None) \
        else np.dtype(np.float64)
    return CompiledFunction(spec_or_function, [_shape_of(e) for e in examples],
                            dt, optimize)
