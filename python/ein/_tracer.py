"""The traced value type (defined apart so every module can test for it)."""


class Tracer:
    """A value inside a function being traced into MLIR (ein.function,
    ein.eingrad): a tensor of a known shape and dtype named by an SSA value
    of the function under construction. Operations on tracers append ops
    to that function; see _trace.py."""

    __slots__ = ("fn", "name", "shape", "dtype")
    __array_priority__ = 1000

    def __init__(self, fn, name, shape, dtype):
        self.fn = fn
        self.name = name
        self.shape = tuple(shape)
        self.dtype = dtype

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return f"<traced {self.name}: {self.shape} {self.dtype}>"
