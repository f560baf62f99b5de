"""Raises Inputs/linalg_contractions.mlir with `ein-opt --ein-raise-linalg`
(checking that no linalg contraction is left), runs every function with
ein-run on random inputs and compares with numpy.

usage: raise_vs_numpy.py EIN_OPT EIN_RUN
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

from ein_run_check import mismatch, save_inputs

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "Inputs", "linalg_contractions.mlir")

# entry: (input shapes, dtype, numpy reference)
CASES = {
    "matmul": ([(5, 7), (7, 3)], "f8", lambda a, b: a @ b),
    "matmul_acc": ([(5, 7), (7, 3), (5, 3)], "f8", lambda a, b, c: c + a @ b),
    "batch_matmul": ([(4, 5, 7), (4, 7, 3)], "f4", lambda a, b: a @ b),
    "matvec_dot": ([(5, 7), (7,), (5,)], "f8", lambda a, v, w: np.dot(w, a @ v)),
    "contract_transposed": ([(7, 5), (3, 7)], "f8", lambda a, b: (a.T @ b.T).T),
    "trace": ([(6, 6)], "f8", np.trace),
    "three": ([(4, 5), (5, 6), (6,)], "f8",
              lambda x, y, v: np.einsum("ij,jk,k->i", x, y, v)),
    "chain": ([(6, 9), (9, 9), (9, 2)], "f8", lambda a, b, c: a @ b @ c),
    "dynamic_matmul": ([(5, 7), (7, 3), (5, 3)], "f8", lambda a, b, _: a @ b),
}


def main():
    ein_opt, ein_run = sys.argv[1:3]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        raised = os.path.join(tmp, "raised.mlir")
        subprocess.run([ein_opt, SOURCE, "--ein-raise-linalg", "-o", raised],
                       check=True)
        text = open(raised).read()
        for op in ("linalg.matmul", "linalg.batch_matmul", "linalg.matvec",
                   "linalg.dot", "linalg.contract", "linalg.generic"):
            if op in text:
                print(f"FAIL: {op} was not raised")
                failures += 1
        rng = np.random.default_rng(3)
        for entry, (shapes, dtype, ref_fn) in CASES.items():
            inputs = [rng.standard_normal(s).astype(dtype) for s in shapes]
            files = save_inputs(tmp, inputs)
            out = os.path.join(tmp, "out.npy")
            proc = subprocess.run([ein_run, raised, "--entry", entry, *files,
                                   "-o", out], capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"FAIL {entry}: exit {proc.returncode}: {proc.stderr.strip()}")
                failures += 1
                continue
            ref = ref_fn(*[x.astype(np.float64) for x in inputs])
            rtol = 1e-5 if dtype == "f4" else 1e-12
            problem = mismatch(np.load(out), ref, np.dtype(dtype), rtol)
            if problem:
                print(f"FAIL {entry}: {problem}")
                failures += 1
    print(f"raise vs numpy: {len(CASES) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
