"""MLIR programs that compute an einsum (optionally through an elementwise
function h) and the VJPs of the result with respect to every operand, for
the reuse tests.

program(eq, shapes) returns a module with
  @f(x0, ..., xn-1) -> h(einsum(eq, x...))
  @fwd(x...) -> the same (the forward alone, not differentiated)
  @all(x..., s) -> (f(x...), VJP_0, ..., VJP_n-1)   VJP_k = d<s, f>/dx_k
"""
from fd_check import ttype


def shapes_by_label(eq, shapes):
    sizes = {}
    for term, shape in zip(eq.split("->")[0].split(","), shapes):
        for c, n in zip(term, shape):
            sizes[c] = n
    return sizes


def out_shape(eq, shapes):
    sizes = shapes_by_label(eq, shapes)
    return [sizes[c] for c in eq.split("->")[1]]


def program(eq, shapes, lines=(), element="f64"):
    """`lines`: MLIR lines from %y (the einsum) to %h, with type T."""
    n = len(shapes)
    t = lambda s: ttype(s, element)  # noqa: E731
    t_out = t(out_shape(eq, shapes))
    arg_types = ", ".join(t(s) for s in shapes)
    args = ", ".join(f"%x{i}: {t(s)}" for i, s in enumerate(shapes))
    xs = ", ".join(f"%x{i}" for i in range(n))
    body = [f'%y = ein.contract "{eq}" {xs} : {arg_types} -> {t_out}']
    body += [line.replace(" T", " " + t_out) for line in lines]
    result = "%h" if lines else "%y"
    text = ""
    for name in ("f", "fwd"):
        text += (f"func.func @{name}({args}) -> {t_out} {{\n  "
                 + "\n  ".join(body) + f"\n  return {result} : {t_out}\n}}\n")
    ylabels = "".join(chr(ord("A") + i) for i in range(len(out_shape(eq, shapes))))
    lines = [f"%r = func.call @f({xs}) : ({arg_types}) -> {t_out}"]
    types = [t_out]
    for k, s in enumerate(shapes):
        xlabels = "".join(chr(ord("a") + i) for i in range(len(s)))
        spec = f"{ylabels},{ylabels}%{xlabels}->{xlabels}"
        lines.append(f'%g{k} = ein.grad "{spec}" %s, @f({xs}) wrt {k} : '
                     f"({t_out}, {arg_types}) -> {t(s)}")
        types.append(t(s))
    results = ", ".join(["%r"] + [f"%g{k}" for k in range(n)])
    text += (f"func.func @all({args}, %s: {t_out}) -> ({', '.join(types)}) "
             "{\n  " + "\n  ".join(lines) + f"\n  return {results} : "
             + ", ".join(types) + "\n}\n")
    return text
