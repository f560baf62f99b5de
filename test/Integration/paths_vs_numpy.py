#!/usr/bin/python3
"""Results do not depend on the contraction path: every case with two or
more operands runs through `ein-run -e` with each --path algorithm (and
auto with objective=size and a memory limit), in float64, against
numpy.einsum.

Cases: forward.json, plus cases where ein-simplify applies (size-1 labels,
rank-0 factors, diagonals with pre-reductions, dynamic shapes).

Usage: paths_vs_numpy.py EIN_RUN CONFORMANCE_DIR
"""
import json
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ein_run_check import run_and_compare, save_inputs  # noqa: E402

ein_run, conformance = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(4)

EXTRA = [
    ("ij,kl->", [[5, 6], [7, 8]]),
    ("iuj,vjk->iuk", [[3, 1, 4], [1, 4, 5]]),
    ("ij,ij->i", [[1, 4], [3, 4]]),
    (",ab,,->ab", [[], [2, 3], [], []]),
    ("iij,jk,kll->il", [[4, 4, 5], [5, 6], [6, 3, 3]]),
    ("ab,bc,cd,de,ef->af", [[2, 30], [30, 3], [3, 40], [40, 2], [2, 5]]),
    ("abc,cd,dbe,ea->", [[3, 4, 5], [5, 6], [6, 4, 2], [2, 3]]),
    ("bc,bd,be,cm,mdn,ne->b", [[4, 2], [4, 2], [4, 2], [2, 3], [3, 2, 3],
                               [3, 2]]),
]
ALGORITHMS = [["--path=none"], ["--path=greedy"], ["--path=optimal"],
              ["--path=dp"], ["--path=auto", "--objective=size"],
              ["--path=auto", "--memory-limit=16"]]


def cases():
    for c in json.load(open(os.path.join(conformance, "forward.json"))):
        if len(c["shapes"]) >= 2:
            yield c["eq"], c["shapes"]
    yield from EXTRA


passed = failed = 0
with tempfile.TemporaryDirectory() as tmp:
    for spec, shapes in cases():
        inputs = [rng.uniform(-1, 1, size=s) for s in shapes]
        files = save_inputs(tmp, inputs)
        ref = np.einsum(spec, *inputs)
        for extra in ALGORITHMS:
            error = run_and_compare(ein_run, tmp, spec, files, ref, "float64",
                                    1e-12, extra)
            if error is None:
                passed += 1
            else:
                failed += 1
                print(f"FAIL {spec!r} {shapes} {' '.join(extra)}: {error}")
print(f"paths vs numpy: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
