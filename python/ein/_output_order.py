"""The output order ein.einsum computes in, when the requested one would
cost a copy: what numpy.einsum and torch.einsum return then, a transposed
view of their GEMM's result.

A binary contraction's GEMM writes its output with one stride per group of
labels (batch, rows from the first operand, columns from the second); an
output order that interleaves rows and columns (acb,dea->ebdc) is computed
in another order and copied (transposed) into place, a pass over the whole
output. ein.einsum computes such an output in its natural order instead
(batch labels, then rows and columns in their operands' orders) and returns
a transposed view of it, as numpy and torch do.
"""
import re

from . import _ein

_PLAIN = re.compile(r"[A-Za-z]+(,[A-Za-z]+)+->[A-Za-z]*")


def _consecutive(positions):
    return not positions or max(positions) - min(positions) + 1 == \
        len(positions)


def natural_output(canonical, shapes, algorithm):
    """(spec to compile, permutation from its output to the requested one)
    when `canonical`'s last contraction would copy its output, else None.
    `algorithm` is the path algorithm, or an explicit path (a tuple)."""
    if not _PLAIN.fullmatch(canonical):
        return None  # groups, '...', '_', single operands: as they are
    inputs, out = canonical.split("->")
    terms = inputs.split(",")
    if any(len(set(t)) != len(t) for t in terms) or len(set(out)) != len(out):
        return None
    if len(terms) == 2:
        x, y = terms
    elif isinstance(algorithm, tuple):
        return None
    else:
        plan = _ein.plan(canonical, [list(s) for s in shapes], algorithm)
        last = plan["steps"][-1]["eq"].split("->")[0].split(",") \
            if plan["steps"] else []
        if len(last) != 2:
            return None  # no path (optimize='none'): as it is
        x, y = last
    if set(out) - set(x) - set(y):
        return None
    batch = [c for c in out if c in x and c in y]
    rows = [c for c in x if c in out and c not in y]
    cols = [c for c in y if c in out and c not in x]
    where = {c: k for k, c in enumerate(out)}
    if _consecutive([where[c] for c in rows]) and \
            _consecutive([where[c] for c in cols]):
        return None  # written in place
    # The group innermost in its operand goes last: the GEMM's vectors run
    # along it.
    if x[-1] in rows and y[-1] not in cols:
        order = batch + cols + rows
    else:
        order = batch + rows + cols
    natural = "".join(order)
    return (inputs + "->" + natural,
            tuple(natural.index(c) for c in out))
