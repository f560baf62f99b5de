#!/usr/bin/python3
"""Runs einsum cases through `ein-run -e` and compares with numpy.einsum.

Cases: every case of test/conformance/forward.json and every row of the
notation table (DESIGN.md §1) except `%`, each in float32 and float64, with
static shapes and (where no size-1 broadcasting is involved) with
`--dynamic`. Inputs are written as .npy files; references come from
numpy.einsum in float64 (ein extensions numpy lacks, such as groups, `_`
and diagonal embedding, are computed with numpy reshapes and np.diag).

Tolerances: |out - ref| <= rtol * |ref| + rtol * max|ref| with rtol 1e-5
(float32) and 1e-12 (float64).

Usage: einsum_vs_numpy.py EIN_RUN CONFORMANCE_DIR [--quick]
"""
import json
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ein_run_check import run_and_compare, save_inputs  # noqa: E402
from notation_cases import NOTATION  # noqa: E402

ein_run, conformance = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(20261122)


def cases():
    for c in json.load(open(os.path.join(conformance, "forward.json"))):
        ref = (lambda x: np.diag(x)) if c["eq"] == "i->ii" else None
        yield c["eq"], c["shapes"], ref
    yield from NOTATION


def broadcasts(spec, shapes):
    """True if some label or '...' dim has size 1 in one operand and more in another."""
    lhs = spec.replace(" ", "").split("->")[0].split(",")
    sizes = {}
    for term, shape in zip(lhs, shapes):
        if "(" in term or "_" in term:
            return False
        if "..." in term:
            return True  # keep it simple: ellipsis cases run static only
        for l, d in zip(term, shape):
            sizes.setdefault(l, set()).add(d)
    return any(len(s) > 1 for s in sizes.values())


passed = failed = 0
with tempfile.TemporaryDirectory() as tmp:
    for n, (spec, shapes, ref_fn) in enumerate(cases()):
        base = [rng.uniform(-1, 1, size=s) for s in shapes]
        modes = ["static"] + ([] if broadcasts(spec, shapes) else ["dynamic"])
        for dtype, rtol in (("float32", 1e-5), ("float64", 1e-12)):
            inputs = [b.astype(dtype) for b in base]
            files = save_inputs(tmp, inputs)
            x64 = [x.astype(np.float64) for x in inputs]
            ref = ref_fn(*x64) if ref_fn else np.einsum(spec, *x64)
            for mode in modes:
                extra = ["--dynamic"] if mode == "dynamic" else []
                error = run_and_compare(ein_run, tmp, spec, files, ref, dtype,
                                        rtol, extra)
                if error is None:
                    passed += 1
                else:
                    failed += 1
                    print(f"FAIL {spec!r} {shapes} {dtype} {mode}: {error}")
print(f"einsum vs numpy: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
