"""Helpers for derivative checks: central finite differences of NumPy
functions, MLIR type text, and running an .mlir entry through ein-run.

Derivatives are compared with central differences (step 1e-6) in float64:
|out - ref| <= rtol * |ref| + rtol * max|ref| with rtol = 1e-6.
"""
import os
import subprocess

import numpy as np

STEP = 1e-6
RTOL = 1e-6


def jacobian_fd(f, args, k, step=STEP):
    """J[y..., x...] = dY/dX_k by central differences (f returns an array)."""
    x = np.array(args[k], dtype=np.float64)
    y0 = np.asarray(f(*args))
    jac = np.zeros(y0.shape + x.shape)
    for idx in np.ndindex(*x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += step
        minus[idx] -= step
        a = list(args)
        a[k] = plus
        yp = np.asarray(f(*a))
        a[k] = minus
        ym = np.asarray(f(*a))
        jac[(Ellipsis,) + idx] = (yp - ym) / (2 * step)
    return jac


def ttype(shape, element="f64"):
    """MLIR tensor type text for a shape (None = dynamic)."""
    dims = "".join(("?" if d is None else str(d)) + "x" for d in shape)
    return f"tensor<{dims}{element}>"


def run_entry(ein_run, tmp, mlir, entry, inputs, n_outputs=1, extra=()):
    """Runs @entry of `mlir` on `inputs`; returns (outputs, None) or
    (None, error message)."""
    src = os.path.join(tmp, "prog.mlir")
    with open(src, "w") as f:
        f.write(mlir)
    files = []
    for i, x in enumerate(inputs):
        path = os.path.join(tmp, f"in{i}.npy")
        np.save(path, np.asarray(x, dtype=np.float64))
        files.append(path)
    outs = [os.path.join(tmp, f"out{i}.npy") for i in range(n_outputs)]
    for o in outs:
        if os.path.exists(o):
            os.remove(o)
    # EIN_RUN_EXTRA: more ein-run options for every run (--target=cuda).
    extra = (*extra, *os.environ.get("EIN_RUN_EXTRA", "").split())
    cmd = [ein_run, src, "--entry", entry, *files, *extra]
    for o in outs:
        cmd += ["-o", o]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return None, f"exit {proc.returncode}: {proc.stderr.strip()}"
    return [np.load(o) for o in outs], None


def compare(out, ref, rtol=RTOL, atol=0.0):
    """None if out matches ref, else a message."""
    ref = np.asarray(ref)
    if out.shape != ref.shape:
        return f"shape {out.shape}, want {ref.shape}"
    scale = float(np.max(np.abs(ref))) if ref.size else 0.0
    err = np.abs(out - ref)
    if np.all(err <= rtol * np.abs(ref) + rtol * scale + atol):
        return None
    return f"max error {err.max():.3g} (scale {scale:.3g})"
