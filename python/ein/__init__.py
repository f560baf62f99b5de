"""ein: differentiable einsum compiled with MLIR.

    import ein, numpy as np
    c = ein.einsum("bij,bjk->bik", a, b)            # like numpy.einsum
    path, info = ein.einsum_path("ij,jk,kl->il", a, b, c)
    g = ein.eingrad("i,i%j->j", z, f, (x, W))       # vector-Jacobian product
    ein.grad(f)(x), ein.jacobian(f)(x), ein.hessian(f)(x)

Compiled kernels are cached per (program, shapes, dtypes, options).
"""
from ._cache import (cache_info, clear_cache, get_buffer_limit,
                     get_num_threads, set_buffer_limit, set_num_threads)
from ._einsum import Expression, einsum, einsum_path
from ._function import Function, compile, function, to_mlir
from ._grad import eingrad, grad, hessian, jacobian
from ._ops import abs, cos, exp, log, maximum, minimum, sin, sqrt, sum, tanh
from ._path_info import PathInfo

__all__ = [
    "einsum", "einsum_path", "eingrad", "grad", "jacobian", "hessian",
    "function", "to_mlir", "compile", "cache_info", "clear_cache",
    "set_num_threads", "get_num_threads", "set_buffer_limit",
    "get_buffer_limit",
    "exp", "log", "tanh", "sqrt", "sin", "cos", "abs", "maximum", "minimum",
    "sum", "Expression", "Function", "PathInfo",
]
