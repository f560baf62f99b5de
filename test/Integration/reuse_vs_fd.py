#!/usr/bin/python3
"""Results of functions that compute h(einsum) and the VJPs of all operands
in one function (forward shared by every gradient through ein-reuse), run
by ein-run with no bound on stored bytes and with --max-stored-bytes 1
(everything the backward pass reads recomputed): the output against
numpy.einsum, each VJP against central finite differences of <s, h(einsum)>
(float64, rtol 1e-6).

Usage: reuse_vs_fd.py EIN_RUN
"""
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from all_vjps import out_shape, program  # noqa: E402
from fd_check import compare, jacobian_fd, run_entry  # noqa: E402

ein_run = sys.argv[1]
rng = np.random.default_rng(11)

NET = "bc,bd,be,bf,bg,bh,bi,bj,bk,cm,mdn,neo,ofp,pgzq,qhr,ris,sjt,tk->bz"
CASES = [
    ("ij,jk,kl,lm->im", [[2, 3], [3, 4], [4, 3], [3, 2]]),
    ("bij,bjk,bkl->bil", [[2, 3, 4], [2, 4, 3], [2, 3, 2]]),
    (NET, [[3, 2]] * 9 + [[2, 2]] + [[2, 2, 2]] * 3 + [[2, 2, 3, 2]]
     + [[2, 2, 2]] * 3 + [[2, 2]]),
    ("ij,jk,ll->ik", [[3, 4], [4, 2], [3, 3]]),
    ("ab,bc,ca->", [[3, 4], [4, 2], [2, 3]]),
    ("bi,bj,ij->b", [[3, 4], [3, 2], [4, 2]]),
    ("i,j,k->ijk", [[2], [3], [2]]),
    ("iij,jk->ik", [[3, 3, 2], [2, 4]]),
]
# name -> (MLIR lines from %y to %h with type T, NumPy function)
COMPOSITIONS = {
    "id": ([], lambda y: y),
    "tanh": (["%h = math.tanh %y : T"], np.tanh),
    "square": (["%h = arith.mulf %y, %y : T"], lambda y: y * y),
}

passed = failed = 0
with tempfile.TemporaryDirectory() as tmp:
    for eq, shapes in CASES:
        for name, (lines, h) in COMPOSITIONS.items():
            text = program(eq, shapes, lines)
            xs = [rng.uniform(-1, 1, s) for s in shapes]
            s = rng.uniform(-1, 1, out_shape(eq, shapes))
            f = lambda *a: np.einsum(eq, *a)  # noqa: E731
            ref = [h(f(*xs))]
            for k in range(len(xs)):
                jac = jacobian_fd(lambda *a: np.sum(s * h(f(*a))), xs, k)
                ref.append(jac)
            for extra in ([], ["--max-stored-bytes", "1"]):
                outs, error = run_entry(ein_run, tmp, text, "all", xs + [s],
                                        len(ref), extra)
                what = f"{eq} h={name} {' '.join(extra) or 'default'}"
                if error:
                    failed += 1
                    print(f"FAIL {what}: {error}")
                    continue
                for k, (out, r) in enumerate(zip(outs, ref)):
                    problem = compare(out, r)
                    if problem:
                        failed += 1
                        print(f"FAIL {what} result {k}: {problem}")
                    else:
                        passed += 1
print(f"reuse vs finite differences: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
