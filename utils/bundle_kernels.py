#!/usr/bin/python3
"""Compiles the common GEMM and transposing kernels at build time (ein-kernels).

    PYTHONPATH=build/python_packages utils/bundle_kernels.py OUT_DIR
        [--ein-run build/bin/ein-run]

The packed GEMM's tile and packing functions (__ein_gemm_*) depend only on
the element type, the blocking and the operands' layout kind, and they are
most of the machine code of a contraction's forward + VJP
(lib/Runner/KernelCache.h); so are the transposing copies' kernel
(__ein_transpose_*, one per element type). This script runs contractions
that use every common variant, f32 and f64 (the batched ones copy their
operands transposed), and keeps the object files that ein's kernel
cache writes (lib/Runner/KernelDiskCache.h) in OUT_DIR: the build puts them
in `ein-kernels` next to the binary that compiled them (the Python
extension, or ein-run with --ein-run), where ein looks them up before the
user's cache. A kernel's key holds a hash of that binary, so a rebuilt ein
never takes the kernels of the build before it; the build runs this script
again after each. OUT_DIR is replaced whole, or left as it was on failure.
"""
import argparse
import itertools
import os
import shutil
import subprocess
import sys
import tempfile

# Each contraction twice in one function (on other operands): a kernel
# that only one call uses goes back inline (VectorizeContractions.cpp).
SIZES = {"j": 300, "b": 3}
ROWS = [400, 64, 36]  # GemmEmitter.cpp's tileRows: below 64-byte vectors
# 6-row register tiles (400, 36) and 4-row ones (64); with 64-byte vectors
# 8-row ones (400, 64) and 12-row ones (36)
SPECS = ["ik,kj->ij", "ki,kj->ij", "ik,jk->ij", "ki,jk->ij",
         "bik,kjb->bij", "ikb,kjb->bij"]
DEPTHS = [32, 100, 300]  # packed A's row pitch: 64, 128 and the KC (256, or
# 512 below 64-byte vectors)


def cases():
    for dtype in ("float32", "float64"):
        for spec in SPECS:
            for depth, rows in itertools.product(DEPTHS, ROWS):
                dims = dict(SIZES, i=rows, k=depth)
                inputs = spec.split("->")[0].split(",")
                yield spec, [tuple(dims[c] for c in s) for s in inputs], dtype


def twice(ein, spec):
    def f(a, b, c, d):
        return ein.einsum(spec, a, b), ein.einsum(spec, c, d)
    return ein.function(f)


def run_python(ein, np):
    for spec, shapes, dtype in cases():
        xs = [np.ones(s, dtype) for s in shapes * 2]
        twice(ein, spec)(*xs)


def run_ein_run(ein, np, ein_run, scratch):
    for n, (spec, shapes, dtype) in enumerate(cases()):
        xs = [np.ones(s, dtype) for s in shapes * 2]
        path = os.path.join(scratch, f"case{n}.mlir")
        with open(path, "w") as f:
            f.write(ein.to_mlir(twice(ein, spec), *xs))
        subprocess.run(
            [ein_run, path, "--entry", "f", "--random",
             ",".join("x".join(map(str, s)) for s in shapes * 2),
             "--dtype=" + {"float32": "f32", "float64": "f64"}[dtype]],
            check=True, stdout=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", help="the directory to (re)place")
    parser.add_argument("--ein-run", help="compile with this ein-run")
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix=".ein-kernels-", dir=parent)
    try:
        cache = os.path.join(scratch, "kernels")
        # The kernels compile (none from an earlier bundle) and land here.
        os.environ.update(EIN_KERNEL_CACHE_DIR=cache, EIN_KERNEL_BUNDLE="0")
        os.environ.pop("EIN_KERNEL_CACHE", None)
        import numpy as np
        import ein
        if args.ein_run:
            run_ein_run(ein, np, args.ein_run, scratch)
        else:
            run_python(ein, np)
        objects = [os.path.join(cache, f) for f in os.listdir(cache)
                   if f.endswith(".o")]
        if not objects:
            sys.exit("bundle_kernels.py: expected GEMM kernels in the "
                     "cache, found none")
        # A file holds its key, the kernel's MLIR with its name.
        transposing = 0
        for path in objects:
            with open(path, "rb") as f:
                transposing += b"@__ein_transpose_" in f.read()
        old = out + ".old"
        shutil.rmtree(old, ignore_errors=True)
        if os.path.exists(out):
            os.rename(out, old)
        os.rename(cache, out)
        shutil.rmtree(old, ignore_errors=True)
        print(f"bundle_kernels.py: {len(objects)} kernels "
              f"({transposing} transposing) in {out}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
