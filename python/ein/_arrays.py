"""Operand handling shared by the front: dtypes, scalars, MLIR type text."""
import numpy as np

FLOAT_DTYPES = {np.dtype(np.float32): "f32", np.dtype(np.float64): "f64"}


def result_dtype(operands, dtype=None):
    """The computation dtype: `dtype` if given, else float64 if any array is
    float64, else float32 (Python scalars do not promote, as in NumPy)."""
    if dtype is not None:
        try:
            d = np.dtype(dtype)
        except TypeError as e:
            raise TypeError(f"expected dtype float32 or float64, found {dtype!r}") from e
        if d not in FLOAT_DTYPES:
            raise TypeError(f"expected dtype float32 or float64, found {d}")
        return d
    found = None
    for x in operands:
        if isinstance(x, (list, tuple)):
            x = _from_sequence(x)
        if isinstance(x, (bool, np.bool_)):
            raise TypeError("expected float32 or float64 operands, found bool")
        if isinstance(x, (int, float, np.integer, np.floating)):
            continue  # scalars do not promote
        d = getattr(x, "dtype", None)
        if d is None:
            raise TypeError("expected a NumPy array, a list or a Python "
                            f"number, found {type(x).__name__}")
        d = np.dtype(d)
        if d not in FLOAT_DTYPES:
            raise TypeError(f"expected float32 or float64 arrays, found {d}")
        if found is None or d == np.float64:
            found = d
    return found if found is not None else np.dtype(np.float64)


def _from_sequence(x):
    """A nested list or tuple of numbers as a float64 array (what NumPy's
    promotion of its int64/float64 array with a float array gives)."""
    try:
        a = np.asarray(x)
    except ValueError as e:
        raise ValueError(f"expected a rectangular nested list of numbers: {e}") from None
    if a.dtype.kind not in "iuf":
        raise TypeError(f"expected a list of numbers, found elements of {a.dtype}")
    return a.astype(np.float64)


def as_array(x, dtype):
    """`x` as a C-contiguous array of `dtype` (copied only when needed)."""
    if isinstance(x, (list, tuple)):
        x = _from_sequence(x)
    if isinstance(x, (bool, np.bool_)):
        raise TypeError("expected float32 or float64 operands, found bool")
    if isinstance(x, (int, float, np.integer, np.floating)):
        return np.asarray(x, dtype=dtype)
    if not isinstance(x, np.ndarray):
        raise TypeError("expected a NumPy array, a list or a Python number, "
                        f"found {type(x).__name__}")
    if x.dtype not in FLOAT_DTYPES:
        raise TypeError(f"expected float32 or float64 arrays, found {x.dtype}")
    return np.asarray(x, dtype=dtype, order="C")


def tensor_type(shape, dtype):
    dims = "".join(f"{d}x" for d in shape)
    return f"tensor<{dims}{FLOAT_DTYPES[np.dtype(dtype)]}>"
