"""Tracing Python functions of arrays into ein IR (ein.function,
ein.eingrad): every operation on a Tracer appends an op to the function
being built; the module's text is compiled by the extension."""
import numpy as np

from . import _ein
from ._arrays import FLOAT_DTYPES, tensor_type
from ._tracer import Tracer

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


class Module:
    """Functions being traced together (a callee of ein.grad lives in the
    same module as its caller)."""

    def __init__(self):
        self.texts = []
        self.names = set()

    def unique(self, base):
        base = "".join(c if c.isalnum() or c == "_" else "_" for c in base)
        if not base or not (base[0].isalpha() or base[0] == "_"):
            base = "f_" + base
        name, n = base, 0
        while name in self.names:
            n += 1
            name = f"{base}_{n}"
        self.names.add(name)
        return name

    def text(self):
        return "\n".join(self.texts)


class Function:
    """One func.func under construction."""

    def __init__(self, module, name, dtype):
        self.module = module
        self.name = name
        self.dtype = np.dtype(dtype)
        self.args = []
        self.lines = []
        self.count = 0

    def arg(self, shape):
        name = f"%arg{len(self.args)}"
        self.args.append((name, tuple(shape)))
        return Tracer(self, name, shape, self.dtype)

    def type(self, shape):
        return tensor_type(shape, self.dtype)

    def emit(self, text, shape):
        """Appends `%vN = text` and returns its value."""
        self.count += 1
        name = f"%v{self.count}"
        self.lines.append(f"{name} = {text}")
        return Tracer(self, name, shape, self.dtype)

    def constant(self, value):
        value = np.asarray(value, dtype=self.dtype, order="C")
        # Hex of the raw little-endian data: exact; one element is a splat.
        data = value.astype(value.dtype.newbyteorder("<")).tobytes()
        if value.size == 0:
            literal = "dense<>" if value.ndim else "dense<0.0>"
        else:
            literal = f'dense<"0x{data.hex().upper()}">'
        return self.emit(f"arith.constant {literal} : {self.type(value.shape)}",
                         value.shape)

    def splat(self, number, shape):
        """A constant of `shape` filled with `number`."""
        data = np.asarray(number, self.dtype).newbyteorder("<").tobytes()
        return self.emit(f'arith.constant dense<"0x{data.hex().upper()}"> : '
                         f"{self.type(shape)}", shape)

    def coerce(self, x):
        """A value of this function: tracers of it, or arrays and numbers
        as constants."""
        if isinstance(x, Tracer):
            if x.fn is not self:
                raise ValueError(
                    "a traced function uses a value traced in another "
                    "function (a closure over an outer traced value); pass it "
                    "as an argument instead")
            return x
        if isinstance(x, (bool, np.bool_)):
            raise TypeError("expected float32 or float64 values, found bool")
        if isinstance(x, (int, float, np.integer, np.floating)):
            return self.splat(x, ())
        if isinstance(x, np.ndarray):
            if x.dtype not in FLOAT_DTYPES and x.dtype.kind not in "iu":
                raise TypeError(f"expected float32 or float64 arrays, found {x.dtype}")
            return self.constant(x)
        raise TypeError("expected a traced value, a NumPy array or a number, "
                        f"found {type(x).__name__}")

    def finish(self, outputs, private=False):
        outs = [self.coerce(o) for o in outputs]
        args = ", ".join(f"{n}: {self.type(s)}" for n, s in self.args)
        results = ", ".join(self.type(o.shape) for o in outs)
        visibility = "private " if private else ""
        body = "".join(f"  {line}\n" for line in self.lines)
        self.module.texts.append(
            f"func.func {visibility}@{self.name}({args}) -> ({results}) {{\n"
            f"{body}  return {', '.join(o.name for o in outs)} : {results}\n}}\n")
        return outs


def trace(f, shapes, dtype, module=None, name=None, private=False):
    """Traces `f` on arguments of `shapes` into a new function of `module`;
    returns (module, function name, output tracers, whether f returned a
    tuple)."""
    module = module or Module()
    fn = Function(module, module.unique(name or getattr(f, "__name__", "fn")),
                  dtype)
    args = [fn.arg(s) for s in shapes]
    result = f(*args)
    multiple = isinstance(result, (tuple, list))
    outs = fn.finish(list(result) if multiple else [result], private)
    return module, fn.name, outs, multiple


def common_function(values):
    fns = {v.fn for v in values if isinstance(v, Tracer)}
    if len(fns) > 1:
        raise ValueError(
            "values traced in different functions are combined (a closure "
            "over an outer traced value); pass them as arguments instead")
    return fns.pop()


# ---------------------------------------------------------------------------
# Operations
# ---------------------------------------------------------------------------

def broadcast_to(x, shape):
    """`x` broadcast to `shape` (NumPy rules) by a contraction with ones."""
    if x.shape == tuple(shape):
        return x
    fn = x.fn
    out = LETTERS[:len(shape)]
    term = ""
    for d, size in enumerate(x.shape):
        target = shape[len(shape) - len(x.shape) + d]
        term += "_" if size == 1 and target != 1 else out[len(shape) - len(x.shape) + d]
    ones = fn.splat(1.0, shape)
    return fn.emit(f'ein.contract "{term},{out}->{out}" {x.name}, {ones.name} : '
                   f"{fn.type(x.shape)}, {fn.type(shape)} -> {fn.type(shape)}",
                   shape)


def binary(op, a, b):
    fn = common_function([a, b])
    a_num = isinstance(a, (int, float, np.integer, np.floating))
    b_num = isinstance(b, (int, float, np.integer, np.floating))
    if isinstance(a, np.ndarray):
        a = fn.coerce(a)
    if isinstance(b, np.ndarray):
        b = fn.coerce(b)
    shape_a = () if a_num else a.shape
    shape_b = () if b_num else b.shape
    try:
        shape = tuple(np.broadcast_shapes(shape_a, shape_b))
    except ValueError:
        raise ValueError(f"operands of shapes {shape_a} and {shape_b} do not "
                         "broadcast together") from None
    a = fn.splat(a, shape) if a_num else broadcast_to(fn.coerce(a), shape)
    b = fn.splat(b, shape) if b_num else broadcast_to(fn.coerce(b), shape)
    return fn.emit(f"arith.{op} {a.name}, {b.name} : {fn.type(shape)}", shape)


def unary(op, x):
    return x.fn.emit(f"{op} {x.name} : {x.fn.type(x.shape)}", x.shape)


def power(x, exponent):
    if isinstance(exponent, Tracer) or not isinstance(
            exponent, (int, float, np.integer, np.floating)):
        raise ValueError("ein.function supports '**' with a constant number "
                         "as exponent only")
    e = float(exponent)
    if e == 1:
        return x
    if e == 2:
        return binary("mulf", x, x)
    if e == 0.5:
        return unary("math.sqrt", x)
    c = x.fn.splat(e, x.shape)
    return x.fn.emit(f"math.powf {x.name}, {c.name} : {x.fn.type(x.shape)}",
                     x.shape)


def reduce_sum(x, axis=None, keepdims=False):
    rank = len(x.shape)
    if axis is None:
        axes = set(range(rank))
    else:
        axes = set()
        for a in (axis if isinstance(axis, (tuple, list)) else (axis,)):
            a = int(a)
            if not -rank <= a < rank:
                raise ValueError(f"axis {a} is out of bounds for a value of "
                                 f"rank {rank}")
            axes.add(a % rank)
    term = LETTERS[:rank]
    if keepdims:
        out = "".join("_" if d in axes else term[d] for d in range(rank))
        shape = tuple(1 if d in axes else x.shape[d] for d in range(rank))
    else:
        out = "".join(term[d] for d in range(rank) if d not in axes)
        shape = tuple(x.shape[d] for d in range(rank) if d not in axes)
    fn = x.fn
    return fn.emit(f'ein.contract "{term}->{out}" {x.name} : '
                   f"{fn.type(x.shape)} -> {fn.type(shape)}", shape)


def traced_einsum(spec, operands):
    if "%" in spec:
        raise ValueError(f"ein.einsum does not take '%' specs ('{spec}'); "
                         "use ein.eingrad")
    fn = common_function(operands)
    values = [fn.coerce(x) for x in operands]
    canonical, out_shape = _ein.check(spec, [list(v.shape) for v in values])
    types = ", ".join(fn.type(v.shape) for v in values)
    return fn.emit(f'ein.contract "{canonical}" '
                   + ", ".join(v.name for v in values)
                   + f" : {types} -> {fn.type(out_shape)}", tuple(out_shape))


def matmul(a, b):
    """NumPy's matmul on traced values, as an einsum."""
    ra = len(a.shape) if isinstance(a, Tracer) else np.ndim(a)
    rb = len(b.shape) if isinstance(b, Tracer) else np.ndim(b)
    if ra == 0 or rb == 0:
        raise ValueError("matmul: expected operands of rank 1 or more, found "
                         f"ranks {ra} and {rb}")
    left = "j" if ra == 1 else "...ij"
    right = "j" if rb == 1 else "...jk"
    out = ("..." if max(ra, rb) > 2 else "") + ("i" if ra > 1 else "") + \
        ("k" if rb > 1 else "")
    if max(ra, rb) <= 2:
        left, right = left.replace("...", ""), right.replace("...", "")
    return traced_einsum(f"{left},{right}->{out}", [a, b])


def transpose(x):
    term = LETTERS[:len(x.shape)]
    return traced_einsum(f"{term}->{term[::-1]}", [x])


UNSUPPORTED = ("__getitem__", "__setitem__", "__len__", "__iter__",
               "__mod__", "__floordiv__",
               "__lt__", "__le__", "__gt__", "__ge__", "__and__", "__or__")


def _unsupported(name):
    def method(self, *args, **kwargs):
        raise ValueError(f"unsupported operation '{name}' on a value traced "
                         "by ein.function (supported: ein.einsum, + - * / "
                         "** with a constant exponent, unary -, @, .T, "
                         "ein.exp, log, tanh, sqrt, sin, cos, abs, maximum, "
                         "minimum, sum)")
    return method


def _install_operators():
    T = Tracer
    T.__add__ = lambda a, b: binary("addf", a, b)
    T.__radd__ = lambda a, b: binary("addf", b, a)
    T.__sub__ = lambda a, b: binary("subf", a, b)
    T.__rsub__ = lambda a, b: binary("subf", b, a)
    T.__mul__ = lambda a, b: binary("mulf", a, b)
    T.__rmul__ = lambda a, b: binary("mulf", b, a)
    T.__truediv__ = lambda a, b: binary("divf", a, b)
    T.__rtruediv__ = lambda a, b: binary("divf", b, a)
    T.__neg__ = lambda a: unary("arith.negf", a)
    T.__pos__ = lambda a: a
    T.__pow__ = power
    T.__abs__ = lambda a: unary("math.absf", a)
    T.__matmul__ = matmul
    T.__rmatmul__ = lambda a, b: matmul(b, a)
    T.T = property(transpose)
    for name in UNSUPPORTED:
        setattr(T, name, _unsupported(name))

    def __bool__(self):
        raise ValueError("a value traced by ein.function has no truth value "
                         "(Python control flow on traced values is not "
                         "supported)")
    T.__bool__ = __bool__

    def __array__(self, *args, **kwargs):
        raise ValueError("a value traced by ein.function cannot be converted "
                         "to a NumPy array")
    T.__array__ = __array__

    ufuncs = {np.add: lambda a, b: binary("addf", a, b),
              np.subtract: lambda a, b: binary("subf", a, b),
              np.multiply: lambda a, b: binary("mulf", a, b),
              np.true_divide: lambda a, b: binary("divf", a, b),
              np.maximum: lambda a, b: binary("maximumf", a, b),
              np.minimum: lambda a, b: binary("minimumf", a, b),
              np.power: power,
              np.negative: lambda a: unary("arith.negf", a),
              np.exp: lambda a: unary("math.exp", a),
              np.log: lambda a: unary("math.log", a),
              np.tanh: lambda a: unary("math.tanh", a),
              np.sqrt: lambda a: unary("math.sqrt", a),
              np.sin: lambda a: unary("math.sin", a),
              np.cos: lambda a: unary("math.cos", a),
              np.absolute: lambda a: unary("math.absf", a),
              np.matmul: matmul}

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method != "__call__" or kwargs or ufunc not in ufuncs:
            raise ValueError(f"unsupported operation 'numpy.{ufunc.__name__}'"
                             " on a value traced by ein.function")
        values = [i for i in inputs]
        if ufunc is np.power:
            return power(values[0], values[1])
        return ufuncs[ufunc](*values)
    T.__array_ufunc__ = __array_ufunc__

    T.sum = reduce_sum


_install_operators()
