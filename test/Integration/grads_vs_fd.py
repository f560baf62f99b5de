#!/usr/bin/python3
"""Gradients of sum(h(einsum(eq, x...)) * g) with respect to every operand,
for each case of grads.json and h in {identity, tanh, exp, log(1 + y*y),
y*y}, computed by ein.grad ("Y,Y%X->X" VJPs) through ein-run, against
central finite differences in float64.

Usage: grads_vs_fd.py EIN_RUN CONFORMANCE_DIR
"""
import json
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fd_check import compare, jacobian_fd, run_entry, ttype  # noqa: E402

ein_run, conformance = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(5)

# name -> (MLIR lines from %y to %h with type T, NumPy function)
COMPOSITIONS = {
    "id": ([], lambda y: y),
    "tanh": (["%h = math.tanh %y : T"], np.tanh),
    "exp": (["%h = math.exp %y : T"], np.exp),
    "log": (["%s = arith.mulf %y, %y : T",
             "%c = arith.constant dense<1.0> : T",
             "%p = arith.addf %s, %c : T",
             "%h = math.log %p : T"], lambda y: np.log(1 + y * y)),
    "mul": (["%h = arith.mulf %y, %y : T"], lambda y: y * y),
}


def program(eq, shapes, out_shape, lines):
    n = len(shapes)
    t_out = ttype(out_shape)
    args = ", ".join(f"%x{i}: {ttype(s)}" for i, s in enumerate(shapes))
    xs = ", ".join(f"%x{i}" for i in range(n))
    body = [f"%y = ein.contract \"{eq}\" {xs} : "
            + ", ".join(ttype(s) for s in shapes) + f" -> {t_out}"]
    body += [line.replace(" T", " " + t_out) for line in lines]
    result = "%h" if lines else "%y"
    text = f"func.func private @f({args}) -> {t_out} {{\n  "
    text += "\n  ".join(body) + f"\n  return {result} : {t_out}\n}}\n"
    ylabels = "ABCDEFGH"[:len(out_shape)]
    grads, types = [], []
    for k, s in enumerate(shapes):
        xlabels = "abcdefgh"[:len(s)]
        spec = f"{ylabels},{ylabels}%{xlabels}->{xlabels}"
        all_types = ", ".join([t_out] + [ttype(t) for t in shapes])
        grads.append(f"%g{k} = ein.grad \"{spec}\" %g, @f({xs}) wrt {k} : "
                     f"({all_types}) -> {ttype(s)}")
        types.append(ttype(s))
    text += (f"func.func @grads(%g: {t_out}, {args}) -> ({', '.join(types)})"
             " {\n  " + "\n  ".join(grads) + "\n  return "
             + ", ".join(f"%g{k}" for k in range(n)) + " : "
             + ", ".join(types) + "\n}\n")
    return text


passed = failed = 0
with tempfile.TemporaryDirectory() as tmp:
    for case in json.load(open(os.path.join(conformance, "grads.json"))):
        eq, shapes = case["eq"], [tuple(s) for s in case["shapes"]]
        xs = [rng.uniform(-0.8, 0.8, size=s) for s in shapes]
        out_shape = np.einsum(eq, *xs).shape
        g = rng.uniform(-1, 1, size=out_shape)
        for name, (lines, h) in COMPOSITIONS.items():
            def total(*args):
                return np.sum(h(np.einsum(eq, *args)) * g)
            outs, error = run_entry(ein_run, tmp,
                                    program(eq, shapes, out_shape, lines),
                                    "grads", [g, *xs], len(shapes))
            for k in range(len(shapes)):
                if error is None:
                    error = compare(outs[k], jacobian_fd(total, xs, k))
                if error is None:
                    passed += 1
                else:
                    failed += 1
                    print(f"FAIL {eq} h={name} d/dx{k}: {error}")
print(f"grads vs finite differences: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
