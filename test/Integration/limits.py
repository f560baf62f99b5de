"""Edge cases of size and value through ein-run, against numpy.einsum:
zero-size dimensions (empty results, sums of nothing are 0), NaN and Inf
(propagated as IEEE arithmetic says), and a 1,000-operand spec.

usage: limits.py EIN_RUN
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

from ein_run_check import save_inputs


def run(ein_run, tmp, spec, inputs, extra=()):
    files = save_inputs(tmp, inputs)
    out = os.path.join(tmp, "out.npy")
    if os.path.exists(out):
        os.remove(out)
    proc = subprocess.run([ein_run, "-e", spec, *files, "-o", out, *extra],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return None, proc.stderr.strip()
    return np.load(out), None


def main():
    ein_run = sys.argv[1]
    nan, inf = np.nan, np.inf
    cases = [
        ("ij,jk->ik", [np.zeros((0, 3)), np.ones((3, 4))], ()),
        ("ij,jk->ik", [np.ones((2, 0)), np.ones((0, 4))], ()),
        ("ij->", [np.ones((0, 5))], ()),
        ("ii->i", [np.ones((0, 0))], ()),
        ("bij,bjk->bik", [np.ones((0, 2, 3)), np.ones((0, 3, 2))], ()),
        ("ij,jk->ik", [np.array([[1.0, nan], [inf, 2.0]]),
                       np.array([[inf, 0.0], [1.0, -inf]])], ()),
        ("ij->", [np.array([[1.0, inf], [-inf, 2.0]])], ()),
        ("ii->", [np.array([[inf, 1.0], [1.0, inf]])], ()),
        ("i,i->i", [np.array([0.0, inf, nan, -0.0]),
                    np.array([inf, 0.0, 1.0, 2.0])], ()),
        (",".join(["i"] * 1000) + "->i", [np.full(3, 1.001)] * 1000,
         ("--path=none",)),
        (",".join(["i"] * 1000) + "->", [np.full(2, 0.999)] * 1000,
         ("--path=none",)),
    ]

    def reference(spec, xs):
        # numpy.einsum takes at most 32 operands: the 1,000-operand products
        # are computed directly.
        if len(xs) > 32:
            prod = np.prod(np.stack(xs), axis=0)
            return prod if spec.endswith("->i") else np.sum(prod)
        return np.einsum(spec, *xs)

    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for spec, inputs, extra in cases:
            for dtype in (np.float32, np.float64):
                xs = [x.astype(dtype) for x in inputs]
                with np.errstate(all="ignore"):
                    want = reference(spec, [x.astype(np.float64) for x in xs])
                got, error = run(ein_run, tmp, spec, xs, extra)
                name = spec if len(spec) < 40 else f"{len(inputs)}-operand '{spec[:8]}...'"
                if error:
                    print(f"FAIL {name} {dtype.__name__}: {error}")
                    failures += 1
                    continue
                rtol = 1e-5 if dtype == np.float32 else 1e-12
                same_specials = (np.array_equal(np.isnan(got), np.isnan(want))
                                 and np.array_equal(np.isposinf(got), np.isposinf(want))
                                 and np.array_equal(np.isneginf(got), np.isneginf(want)))
                finite = np.isfinite(want)
                if (got.shape != want.shape or got.dtype != dtype or not same_specials
                        or not np.allclose(got[finite], want[finite], rtol=rtol, atol=0)):
                    print(f"FAIL {name} {dtype.__name__}: got {got!r}, want {want!r}")
                    failures += 1
    total = 2 * len(cases)
    print(f"limits: {total - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
