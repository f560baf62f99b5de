"""ein.einsum, ein.einsum_path and ein.compile for specs."""

import numpy as np

from . import _ein
from ._arrays import as_array, result_dtype, tensor_type
from . import _cache
from ._cache import kernel, options
from ._output_order import natural_output
from ._path_info import PathInfo
from ._tracer import Tracer

ALGORITHMS = ("none", "greedy", "optimal", "dp", "auto")
# opt_einsum's other names, mapped to an algorithm at least as good.
ALIASES = {"auto-hq": "dp", "branch-all": "optimal", "branch-2": "optimal",
           "branch-1": "optimal", "random-greedy": "auto",
           "random-greedy-128": "auto", "eager": "greedy"}


def optimize_key(optimize):
    """An algorithm name or an explicit path (tuple of tuples)."""
    if optimize is True:
        return "greedy"  # numpy's meaning of optimize=True
    if optimize is False or optimize is None:
        return "none"
    if isinstance(optimize, str):
        optimize = ALIASES.get(optimize, optimize)
        if optimize not in ALGORITHMS:
            raise ValueError("expected optimize to be one of "
                             + ", ".join(repr(a) for a in ALGORITHMS)
                             + f" or a path, found {optimize!r}")
        return optimize
    if isinstance(optimize, (list, tuple)):
        steps = list(optimize)
        if steps and steps[0] == "einsum_path":  # numpy's path format
            steps = steps[1:]
        try:
            return tuple(tuple(int(i) for i in step) for step in steps)
        except (TypeError, ValueError):
            raise ValueError("expected a path as a list of tuples of operand "
                             f"positions, found {optimize!r}") from None
    raise ValueError("expected optimize to be a string, a bool or a path, "
                     f"found {type(optimize).__name__}")


def _check_spec_type(spec):
    if not isinstance(spec, str):
        raise TypeError("expected the einsum spec as a string, found "
                        f"{type(spec).__name__}")


def _from_sublists(args):
    """numpy's interleaved form `einsum(a, [0, 1], b, [1, 2], [0, 2])` as
    (spec, operands)."""
    args = list(args)
    output = args.pop() if len(args) % 2 == 1 else None

    def term(sublist):
        text = ""
        for s in sublist:
            if s is Ellipsis:
                text += "..."
            elif isinstance(s, (int, np.integer)) and 0 <= s < 52:
                text += "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[s]
            else:
                raise ValueError("expected subscripts in [0, 52) or "
                                 f"Ellipsis, found {s!r}")
        return text

    operands, terms = args[0::2], [term(s) for s in args[1::2]]
    spec = ",".join(terms) + ("" if output is None else "->" + term(output))
    return spec, operands


def _shape_of(x):
    """A shape given as a tuple of ints, or an operand's shape."""
    if isinstance(x, (tuple, list)) and all(
            isinstance(d, (int, np.integer)) and not isinstance(d, bool)
            for d in x):
        if any(d < 0 for d in x):
            raise ValueError(f"expected non-negative sizes, found {x}")
        return tuple(int(d) for d in x)
    if isinstance(x, (int, float, np.integer, np.floating)):
        return ()
    if isinstance(x, np.ndarray):
        return x.shape
    raise TypeError("expected an array, a number or a shape tuple, found "
                    f"{type(x).__name__}")


def _plain_steps(canonical, shapes, path):
    """The einsum of each step of an explicit path (numpy's `...` expanded;
    groups and `_` are not supported with explicit paths)."""
    ins, out = canonical.split("->")
    terms = ins.split(",") if ins else []
    if any(c in canonical for c in "()_"):
        raise ValueError("an explicit path needs a spec without groups or "
                         f"'_' axes, found '{canonical}'")
    if "..." in canonical:
        used = set(c for c in canonical if c.isalpha())
        free = [c for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                if c not in used]
        width = max((len(s) - (len(t) - 3) for t, s in zip(terms, shapes)
                     if "..." in t), default=0)
        if width > len(free):
            raise ValueError(f"too many dimensions under '...' in '{canonical}'")
        ell = "".join(free[:width])
        terms = [t.replace("...", ell[width - (len(s) - (len(t) - 3)):])
                 if "..." in t else t for t, s in zip(terms, shapes)]
        out = out.replace("...", ell)
    info = _ein.evaluate_path(",".join(terms) + "->" + out,
                              [list(s) for s in shapes], [list(p) for p in path])
    return terms, out, info


def _einsum_program(canonical, shapes, dtype, opt):
    """MLIR text of @einsum and the pipeline's algorithm."""
    out_shape = _ein.check(canonical, [list(s) for s in shapes])[1]
    args = ", ".join(f"%a{k}: {tensor_type(s, dtype)}"
                     for k, s in enumerate(shapes))
    t_out = tensor_type(out_shape, dtype)
    lines = []
    if isinstance(opt, tuple):
        terms, out, info = _plain_steps(canonical, shapes, opt)
        sizes = {}
        for t, s in zip(terms, shapes):
            for c, n in zip(t, s):
                sizes[c] = max(sizes.get(c, 1), n)
        live = [(f"%a{k}", t, tensor_type(s, dtype))
                for k, (t, s) in enumerate(zip(terms, shapes))]
        for n, (step, positions) in enumerate(zip(info["steps"], info["path"])):
            last = n == len(info["path"]) - 1
            picked = [live[p] for p in positions]
            for p in sorted(positions, reverse=True):
                del live[p]
            res = out if last else step["eq"].split("->")[1]
            t_res = t_out if last else tensor_type([sizes[c] for c in res], dtype)
            eq = ",".join(t for _, t, _ in picked) + "->" + res
            name = f"%s{n}"
            lines.append(f'{name} = ein.contract "{eq}" '
                         + ", ".join(v for v, _, _ in picked) + " : "
                         + ", ".join(t for _, _, t in picked) + f" -> {t_res}")
            live.append((name, res, t_res))
        result, algorithm = live[0][0], "none"
        if not info["path"]:  # a single operand: nothing to contract
            raise ValueError("an explicit path must contract every operand")
    else:
        operands = ", ".join(f"%a{k}" for k in range(len(shapes)))
        types = ", ".join(tensor_type(s, dtype) for s in shapes)
        lines.append(f'%r = ein.contract "{canonical}" {operands} : {types} -> {t_out}')
        result, algorithm = "%r", opt
    text = (f"func.func @einsum({args}) -> {t_out} {{\n  "
            + "\n  ".join(lines) + f"\n  return {result} : {t_out}\n}}\n")
    return text, algorithm, tuple(out_shape)


def einsum(spec, *operands, optimize="auto", dtype=None, out=None):
    """numpy.einsum on ein's compiled code: the whole notation of ein's
    specs except `%`; float32/float64 arrays (mixed inputs promote like
    NumPy), numbers for rank-0 operands; `optimize` is 'none', 'greedy',
    'optimal', 'dp', 'auto' (opt_einsum's other names map to one of them)
    or an explicit path in opt_einsum's linear format. numpy's interleaved
    form (`einsum(a, [0, 1], b, [1, 2])`) and `out=` work too."""
    # A repeated call on C-contiguous arrays of one float dtype.
    fast = dtype is None and out is None and type(optimize) is str and \
        optimize == "auto" and _fast_key(spec, operands)
    if fast:
        k = _cache.fast_hit(fast)
        if k is not None:
            return k(*operands)[0]
    # Relabelings (ii->i, ij->ji) are views: the fast path comes first.
    if len(operands) == 1 and out is None and dtype is None and \
            type(spec) is str and type(operands[0]) is np.ndarray:
        view = _relabeling_view(spec, operands[0])
        if view is not None:
            if fast:
                # Repeated calls take the fast path to the same view.
                _cache.fast[fast] = _View(view.shape, view.strides)
            return view
    if not isinstance(spec, str) and isinstance(spec, np.ndarray):
        spec, operands = _from_sublists((spec,) + operands)
    _check_spec_type(spec)
    if out is not None:
        result = einsum(spec, *operands, optimize=optimize, dtype=dtype)
        if not isinstance(out, np.ndarray) or out.shape != result.shape:
            raise ValueError(f"expected out to be an array of shape "
                             f"{result.shape}, found "
                             f"{getattr(out, 'shape', type(out).__name__)}")
        np.copyto(out, result, casting="same_kind")
        return out
    if any(isinstance(x, Tracer) for x in operands):
        # Traced code takes the enclosing function's optimize; a bad value
        # is still an error.
        optimize_key(optimize)
        from ._trace import traced_einsum
        return traced_einsum(spec, operands)
    dt = result_dtype(operands, dtype)
    arrays = [as_array(x, dt) for x in operands]
    opt = optimize_key(optimize)
    shapes = [a.shape for a in arrays]
    key = ("einsum", spec, tuple(shapes), dt.char, opt)
    compiled, permutation = _output_order(key, spec, shapes, opt)
    k = kernel(key, lambda: _build(compiled, shapes, dt, opt))
    if permutation is not None:
        k = _Transposed(k, permutation)
    if fast:
        _cache.fast[fast] = k
    return k(*arrays)[0]


_orders = {}


def _output_order(key, spec, shapes, opt):
    """(spec to compile, permutation of its result or None): an output that
    the GEMM would copy into place is computed in its natural order and
    returned as a transposed view (ein/_output_order.py)."""
    got = _orders.get(key)
    if got is None:
        got = natural_output(_ein.canonical(spec), shapes, opt) or \
            (spec, None)
        if len(_orders) >= 4096:
            _orders.clear()
        _orders[key] = got
    return got


class _View:
    """A relabeling (ii->i, ij->ji) of a C-contiguous operand as a kernel
    of the fast path: its view, read-only, like _relabeling_view's."""
    __slots__ = ("shape", "strides")

    def __init__(self, shape, strides):
        self.shape, self.strides = shape, strides

    def __call__(self, a):
        view = np.ndarray(self.shape, a.dtype, a, 0, self.strides)
        view.setflags(write=False)
        return (view,)


class _Transposed:
    """A kernel whose result is returned as a transposed view."""
    __slots__ = ("kernel", "permutation")

    def __init__(self, k, permutation):
        self.kernel, self.permutation = k, permutation

    def __call__(self, *arrays):
        return (self.kernel(*arrays)[0].transpose(self.permutation),)


def _fast_key(spec, operands):
    """(spec, shapes..., dtype char) when every operand is a C-contiguous
    float32 or float64 ndarray of one dtype (ein.einsum runs them as they
    are), else None."""
    if type(spec) is not str or not operands:
        return None
    key = [spec]
    dtype = None
    for x in operands:
        if type(x) is not np.ndarray or not x.flags.c_contiguous:
            return None
        # (Native float32/float64 only: a byte-swapped '>f4' has the same
        # dtype char but another dtype object, and the general path
        # rejects it with its own message.)
        d = x.dtype
        if (d is not _FLOAT32 and d is not _FLOAT64) or \
                (dtype is not None and d is not dtype):
            return None
        dtype = d
        key.append(x.shape)
    key.append(dtype.char)
    return tuple(key)


_FLOAT32, _FLOAT64 = np.dtype(np.float32), np.dtype(np.float64)


_relabelings = {}


def _relabeling_plan(spec, shape):
    """(shape, stride multipliers) of the view that a unary spec summing
    nothing is (a transpose, diagonal or both), or None."""
    text = _ein.canonical(spec)
    lhs, rhs = text.split("->")
    if not (lhs.isalpha() and (rhs.isalpha() or rhs == "")) or \
            len(set(rhs)) != len(rhs) or set(rhs) != set(lhs):
        return None
    _ein.check(spec, [list(shape)])  # sizes of repeated labels agree
    dims = [[p for p, l in enumerate(lhs) if l == label] for label in rhs]
    return tuple(shape[d[0]] for d in dims), dims


def _relabeling_view(spec, a):
    """What numpy.einsum returns for a pure relabeling (ij->ji, ii->i) of a
    float32/float64 array: a view of the operand, no computation (read-only
    here). None when `spec` is not one."""
    key = (spec, a.shape, a.strides, a.dtype)
    plan = _relabelings.get(key, False)
    if plan is False:
        plan = None
        if a.dtype in (np.float32, np.float64):
            relabeling = _relabeling_plan(spec, a.shape)
            if relabeling is not None:
                shape, dims = relabeling
                strides = tuple(sum(a.strides[p] for p in d) for d in dims)
                plan = (shape, strides, bool(a.flags.c_contiguous))
        if len(_relabelings) >= 4096:
            _relabelings.clear()
        _relabelings[key] = plan
    if plan is None:
        return None
    shape, strides, contiguous = plan
    if contiguous:
        view = np.ndarray(shape, a.dtype, a, 0, strides)
        view.flags.writeable = False
        return view
    return np.lib.stride_tricks.as_strided(a, shape, strides, writeable=False)


def _build(spec, shapes, dtype, opt):
    canonical = _ein.canonical(spec)
    text, algorithm, _ = _einsum_program(canonical, shapes, dtype, opt)
    if not isinstance(opt, tuple):
        _check_memory(canonical, shapes, dtype, algorithm)
    return text, "einsum", options(algorithm)


def _check_memory(canonical, shapes, dtype, algorithm):
    """MemoryError, before compiling, when the largest intermediate of the
    path is above the buffer limit (ein.set_buffer_limit; default: this
    machine's physical memory)."""
    plan = _ein.plan(canonical, [list(s) for s in shapes], algorithm)
    need = int(plan["largest_intermediate"]) * np.dtype(dtype).itemsize
    limit = _ein.buffer_limit()
    if need > limit:
        raise MemoryError(f"'{canonical}' needs an intermediate of {need} "
                          f"bytes, more than the buffer limit of {limit} "
                          "bytes (ein.set_buffer_limit; default: the "
                          "physical memory)")


def einsum_program(spec, shapes, dtype, optimize="auto"):
    """The MLIR text of `spec` on operands of `shapes` (ein.to_mlir)."""
    return _einsum_program(_ein.canonical(spec), shapes, np.dtype(dtype),
                           optimize_key(optimize))[0]


def einsum_path(spec, *operands, optimize="auto"):
    """(path, info) like opt_einsum.contract_path; operands may be arrays,
    numbers or shape tuples."""
    if not isinstance(spec, str) and isinstance(spec, np.ndarray):
        spec, operands = _from_sublists((spec,) + operands)
    _check_spec_type(spec)
    shapes = [_shape_of(x) for x in operands]
    opt = optimize_key(optimize)
    canonical = _ein.canonical(spec)
    if isinstance(opt, tuple):
        plan = _plain_steps(canonical, shapes, opt)[2]
    else:
        plan = _ein.plan(canonical, [list(s) for s in shapes], opt)
    info = PathInfo(canonical, shapes, plan)
    return info.path, info


class Expression:
    """A compiled einsum for fixed shapes and dtype (ein.compile), like
    opt_einsum.contract_expression."""

    def __init__(self, spec, shapes, dtype, optimize):
        self.spec = spec
        self.shapes = [tuple(s) for s in shapes]
        self.dtype = dtype
        opt = optimize_key(optimize)
        key = ("einsum", spec, tuple(self.shapes), dtype.char, opt)
        self._kernel = kernel(key, lambda: _build(spec, self.shapes, dtype, opt))

    def __call__(self, *operands):
        if len(operands) != len(self.shapes):
            raise ValueError(f"expected {len(self.shapes)} operands, found "
                             f"{len(operands)}")
        arrays = [as_array(x, self.dtype) for x in operands]
        for k, (a, s) in enumerate(zip(arrays, self.shapes)):
            if a.shape != s:
                raise ValueError(f"operand #{k}: expected shape {s}, found "
                                 f"{a.shape}")
        return self._kernel(*arrays)[0]

    def __repr__(self):
        return f"<ein.Expression {self.spec!r} {self.shapes} {self.dtype}>"


def compile_spec(spec, operands, optimize="auto", dtype=None):
    _check_spec_type(spec)
    arrays = [x for x in operands if not isinstance(x, (tuple, list))]
    dt = result_dtype(arrays, dtype) if (arrays or dtype is not None) \
        else np.dtype(np.float64)
    return Expression(spec, [_shape_of(x) for x in operands], dt, optimize)
