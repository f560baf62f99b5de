"""ein.eingrad and the JAX-style conveniences grad, jacobian, hessian."""
import numpy as np

from . import _ein, _trace
from ._arrays import as_array, result_dtype
from ._cache import kernel, options
from ._tracer import Tracer


class _GradSpec:
    """An eingrad spec split into terms: `terms[d]` is the Y%X term."""

    def __init__(self, spec):
        if not isinstance(spec, str):
            raise TypeError("expected the eingrad spec as a string, found "
                            f"{type(spec).__name__}")
        self.text = _ein.canonical(spec, True)
        ins, self.out = self.text.split("->")
        self.terms = ins.split(",")
        marked = [k for k, t in enumerate(self.terms) if "%" in t]
        if len(marked) != 1:
            raise ValueError(f"expected one '%' term in the eingrad spec "
                             f"'{spec}', found {len(marked)}")
        self.d = marked[0]
        if any(not c.isalpha() for c in self.text.replace(",", "")
               .replace("->", "").replace("%", "")):
            raise ValueError(f"expected plain labels in the eingrad spec "
                             f"'{self.text}' ('...', groups and '_' are not "
                             "supported with '%')")
        self.ylabels, self.xlabels = self.terms[self.d].split("%")

    def split_operands(self, operands):
        """(operands of the other terms (None for omitted rank-0 ones), f,
        args) from eingrad's positional operands."""
        n = len(self.terms)
        scalars = [k for k, t in enumerate(self.terms) if k != self.d and not t]
        if len(operands) == n + 1:
            omitted = False
        elif scalars and len(operands) == n + 1 - len(scalars):
            omitted = True
        else:
            raise ValueError(
                f"'{self.text}' takes {n + 1} operands (the '%' term takes "
                f"a function and a tuple of its arguments), found "
                f"{len(operands)}")
        operands = list(operands)
        others = []
        for k in range(n):
            if k == self.d:
                f = operands.pop(0)
                args = operands.pop(0)
                others.append(None)
            elif omitted and k in scalars:
                others.append(None)
            else:
                others.append(operands.pop(0))
        if not callable(f):
            raise TypeError(f"expected a function in the '%' slot of "
                            f"'{self.text}', found {type(f).__name__}")
        if not isinstance(args, (tuple, list)):
            raise TypeError(f"expected a tuple of the function's arguments "
                            f"after it in '{self.text}', found "
                            f"{type(args).__name__}")
        return others, f, tuple(args)


def emit_grad(fn, g, others, f, args, wrt):
    """Appends ein.grad to the traced function `fn`: `f` traced into a new
    function of the module; returns the result's tracer."""
    args = [fn.coerce(a) for a in args]
    values = [None if o is None else fn.coerce(o) for o in others]
    if not -len(args) <= wrt < len(args):
        raise ValueError(f"wrt={wrt} but the function takes {len(args)} "
                         "argument(s)")
    wrt %= len(args)
    _, name, outs, multiple = _trace.trace(
        f, [a.shape for a in args], fn.dtype, module=fn.module,
        name=getattr(f, "__name__", "f"), private=True)
    if multiple or len(outs) != 1:
        raise ValueError("ein.eingrad needs a function with one result, "
                         f"found {len(outs)}")
    y, x = outs[0], args[wrt]
    if len(g.ylabels) != len(y.shape) or len(g.xlabels) != len(x.shape):
        raise ValueError(
            f"the '%' term of '{g.text}' gives Y {len(g.ylabels)} and X "
            f"{len(g.xlabels)} labels, but Y = {name}(...) has shape "
            f"{y.shape} and X (argument #{wrt}) has shape {x.shape}")
    sizes = {}

    def bind(labels, shape, what):
        for c, n in zip(labels, shape):
            if sizes.get(c, n) != n:
                raise ValueError(f"label '{c}' has size {sizes[c]} and {n} "
                                 f"({what}) in '{g.text}'")
            sizes[c] = n

    for k, (t, v) in enumerate(zip(g.terms, values)):
        if v is not None:
            if len(t) != len(v.shape):
                raise ValueError(f"operand #{k} of '{g.text}' has shape "
                                 f"{v.shape}, but its term '{t}' has "
                                 f"{len(t)} labels")
            bind(t, v.shape, f"operand #{k}")
    bind(g.ylabels, y.shape, "Y")
    bind(g.xlabels, x.shape, "X")
    out_shape = tuple(sizes[c] for c in g.out)
    parts, types = [], []
    for k, v in enumerate(values):
        if k == g.d:
            parts.append(f"@{name}(" + ", ".join(a.name for a in args) + ")")
            types += [fn.type(a.shape) for a in args]
        elif v is not None:
            parts.append(v.name)
            types.append(fn.type(v.shape))
    return fn.emit(f'ein.grad "{g.text}" ' + ", ".join(parts) + f" wrt {wrt}"
                   + f" : ({', '.join(types)}) -> {fn.type(out_shape)}",
                   out_shape)


def eingrad(spec, *operands, wrt=0, max_stored_bytes=0):
    """An einsum in eingrad notation: the `Y%X` slot takes the function and
    a tuple of its arguments (X is argument `wrt`), e.g.
    `eingrad("i,i%j->j", z, f, (x, W))` (a VJP), `eingrad("i%j->ij", f, (x,))`
    (a Jacobian), `eingrad(",%j->j", f, (x,))` (a gradient). Usable inside
    traced functions, so gradients can be differentiated again."""
    g = _GradSpec(spec)
    others, f, args = g.split_operands(operands)
    if not isinstance(wrt, (int, np.integer)):
        raise TypeError(f"expected an integer wrt, found {type(wrt).__name__}")
    wrt = int(wrt)
    values = [o for o in others if o is not None] + list(args)
    if any(isinstance(v, Tracer) for v in values):
        fn = _trace.common_function(values)
        return emit_grad(fn, g, others, f, args, wrt)
    dtype = result_dtype(values)
    arrays = [as_array(v, dtype) for v in values]
    n_others = len(values) - len(args)
    key = ("eingrad", g.text, f, wrt, tuple(a.shape for a in arrays),
           dtype.char, max_stored_bytes)

    def build():
        module = _trace.Module()
        fn = _trace.Function(module, module.unique("eingrad"), dtype)
        tracers = [fn.arg(a.shape) for a in arrays]
        it = iter(tracers[:n_others])
        traced_others = [None if o is None else next(it) for o in others]
        out = emit_grad(fn, g, traced_others, f, tracers[n_others:], wrt)
        fn.finish([out])
        return module.text(), fn.name, options("auto", max_stored_bytes)

    return kernel(key, build)(*arrays)[0]


def _labels(n, skip=""):
    letters = [c for c in _trace.LETTERS if c not in skip]
    if n > len(letters):
        raise ValueError(f"{n} dimensions are more than the 52 labels of "
                         "einsum text")
    return "".join(letters[:n])


def _ndim(x):
    return x.ndim if isinstance(x, (np.ndarray, Tracer)) else np.ndim(x)


_result_shapes = {}


def _result_shape(f, args):
    """The shape of f(*args), by tracing (no compilation); memoized per
    (f, argument shapes, dtype)."""
    if any(isinstance(a, Tracer) for a in args):
        dtype = _trace.common_function(list(args)).dtype
    else:
        dtype = result_dtype(list(args))
    shapes = tuple(a.shape if isinstance(a, Tracer) else np.shape(a)
                   for a in args)
    key = (f, shapes, dtype.char)
    if key not in _result_shapes:
        _, _, outs, multiple = _trace.trace(f, shapes, dtype)
        if multiple or len(outs) != 1:
            raise ValueError("expected a function with one result, found "
                             f"{len(outs)}")
        _result_shapes[key] = outs[0].shape
    return _result_shapes[key]


def _check_argnums(argnums):
    """argnums as grad/jacobian accept it: an int or a tuple/list of ints."""
    items = argnums if isinstance(argnums, (tuple, list)) else [argnums]
    for a in items:
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)):
            raise TypeError("expected argnums to be an int or a tuple of "
                            f"ints, found {argnums!r}")
    if isinstance(argnums, (tuple, list)) and not argnums:
        raise ValueError("expected argnums to name at least one argument, "
                         "found an empty sequence")


def _each(argnums, one, nargs):
    def index(a):
        a = int(a)
        if not -nargs <= a < nargs:
            raise ValueError(f"argnums {a} is out of range for a call with "
                             f"{nargs} argument(s)")
        return a % nargs
    if isinstance(argnums, (tuple, list)):
        return tuple(one(index(a)) for a in argnums)
    return one(index(argnums))


# grad(f) and jacobian(f) return the same function for the same f, so that
# the kernels compiled for it are found again (hessian(f)(x) in a loop
# compiles once).
_transforms = {}


def _memo(kind, f, argnums, make):
    key = (kind, f, tuple(argnums) if isinstance(argnums, list) else argnums)
    if key not in _transforms:
        _transforms[key] = make()
    return _transforms[key]


def grad(f, argnums=0):
    """The gradient of a scalar function with respect to argument(s)
    `argnums`, like jax.grad: `grad(f)(x, W)`."""
    _check_argnums(argnums)

    def make():
        def gradient(*args):
            def one(k):
                x = _labels(_ndim(args[k]))
                try:
                    return eingrad(f",%{x}->{x}", f, args, wrt=k)
                except ValueError as e:
                    if "gives Y 0" in str(e):
                        shape = str(e).split("has shape ")[1].split(" and")[0]
                        raise ValueError(
                            "ein.grad needs a function with a scalar (rank-0)"
                            f" result, found shape {shape}") from None
                    raise
            return _each(argnums, one, len(args))
        gradient.__name__ = f"grad_{getattr(f, '__name__', 'f')}"
        return gradient
    return _memo("grad", f, argnums, make)


def jacobian(f, argnums=0):
    """The Jacobian J[y..., x...] of f with respect to argument(s)
    `argnums`, like jax.jacobian."""
    _check_argnums(argnums)

    def make():
        def jac(*args):
            def one(k):
                y = _labels(len(_result_shape(f, args)))
                x = _labels(_ndim(args[k]), skip=y)
                return eingrad(f"{y}%{x}->{y}{x}", f, args, wrt=k)
            return _each(argnums, one, len(args))
        jac.__name__ = f"jacobian_{getattr(f, '__name__', 'f')}"
        return jac
    return _memo("jacobian", f, argnums, make)


def hessian(f, argnums=0):
    """The Hessian of a scalar function (the Jacobian of its gradient)."""
    return jacobian(grad(f, argnums), argnums)
