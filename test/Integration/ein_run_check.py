"""Helpers shared by the integration scripts: run `ein-run -e` on .npy
inputs and compare the result with a float64 reference.

Tolerance: |out - ref| <= rtol * |ref| + rtol * max|ref|.
"""
import os
import subprocess

import numpy as np


def save_inputs(tmp, inputs):
    files = []
    for i, x in enumerate(inputs):
        path = os.path.join(tmp, f"in{i}.npy")
        np.save(path, x)
        files.append(path)
    return files


def run_and_compare(ein_run, tmp, spec, files, ref, dtype, rtol, extra=()):
    """Returns None if ein-run's result matches `ref`, else a message."""
    out_path = os.path.join(tmp, "out.npy")
    if os.path.exists(out_path):
        os.remove(out_path)
    extra = (*extra, *os.environ.get("EIN_RUN_EXTRA", "").split())
    proc = subprocess.run([ein_run, "-e", spec, *files, "-o", out_path, *extra],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return f"exit {proc.returncode}: {proc.stderr.strip()}"
    return mismatch(np.load(out_path), ref, dtype, rtol)


def mismatch(out, ref, dtype, rtol):
    """None if `out` has `dtype`, `ref`'s shape and is within the tolerance
    of `ref`, else a message."""
    scale = float(np.max(np.abs(ref))) if np.size(ref) else 0.0
    if (out.dtype == np.dtype(dtype) and out.shape == np.shape(ref)
            and np.all(np.abs(out - ref) <= rtol * np.abs(ref) + rtol * scale)):
        return None
    err = np.max(np.abs(out - ref)) if out.shape == np.shape(ref) else "shape"
    return (f"got {out.dtype} {out.shape}, want {dtype} {np.shape(ref)}; "
            f"max error {err}")
