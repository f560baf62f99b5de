#!/usr/bin/python3
"""Runs programs with ein-run on the GPU (--target=cuda) and on the CPU and
checks that the results agree: |gpu - cpu| <= rtol * (|cpu| + max|cpu|),
rtol 1e-5 for f32 and 1e-12 for f64. Sizes cross the 64x64 tile and the
16-deep panel of the GPU GEMM kernel.

Usage: gpu_vs_cpu.py EIN_RUN INPUTS_DIR
"""
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "Integration"))
from ein_run_check import mismatch  # noqa: E402

ein_run, inputs = sys.argv[1], sys.argv[2]
SPECS = [
    ("ij,jk->ik", "100x70,70x90"),
    ("ij,jk->ik", "1x1,1x1"),
    ("ij,jk->ik", "257x129,129x65"),
    ("ji,jk->ik", "70x100,70x90"),
    ("ij,kj->ik", "100x70,90x70"),
    ("bij,bjk->bik", "7x20x33,7x33x17"),
    ("bij,bjk,bkl->bil", "4x40x30,4x30x20,4x20x50"),
    ("abcd,dcef->abef", "3x4x5x6,6x5x7x2"),
    ("bhqd,bhkd->bhqk", "2x3x40x16,2x3x50x16"),
    ("ii->", "300x300"),
    ("ii->i", "40x40"),
    ("i->ii", "50"),
    ("ij->", "123x77"),
    ("ij,ij->ij", "30x40,30x40"),
    ("i,j->ij", "33,65"),
    ("ij,j->i", "70x90,90"),
    (",ij->ij", "(),5x6"),
    ("bij,(ij)k->bk", "8x2x3,6x5"),
]
# Also compiled for dynamic dimensions (sizes checked at run time).
DYNAMIC = [("ij,jk->ik", "100x70,70x90"), ("bij,(ij)k->bk", "8x2x3,6x5"),
           ("ii->", "300x300"), ("bij,bjk->bik", "7x20x33,7x33x17")]
FILES = ["elementwise.mlir", "gradient.mlir"]


def run(args, out):
    proc = subprocess.run([ein_run, *args, "-o", out], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        return proc.stderr.strip()
    return None


passed, failed = 0, 0
with tempfile.TemporaryDirectory() as tmp:
    cases = []
    for spec, shapes in SPECS:
        for dtype in ("f32", "f64"):
            cases.append((f"{spec} {shapes} {dtype}",
                          ["-e", spec, "--random", shapes, "--seed", "3",
                           "--dtype", dtype],
                          1e-5 if dtype == "f32" else 1e-12))
    for spec, shapes in DYNAMIC:
        cases.append((f"{spec} {shapes} dynamic",
                      ["-e", spec, "--random", shapes, "--seed", "5",
                       "--dynamic"], 1e-5))
    for name in FILES:
        path = os.path.join(inputs, name)
        text = open(path).read()
        shapes = re.search(r"func.func @main\(([^)]*)\)", text).group(1)
        dims = re.findall(r"tensor<([0-9x]+)xf32>", shapes)
        cases.append((name, [path, "--random", ",".join(dims), "--seed", "4"],
                       1e-5))
    for name, args, rtol in cases:
        gpu, cpu = os.path.join(tmp, "gpu.npy"), os.path.join(tmp, "cpu.npy")
        error = run([*args, "--target=cuda"], gpu) or run(args, cpu)
        if error is None:
            cpu_out = np.load(cpu)
            error = mismatch(np.load(gpu), cpu_out, cpu_out.dtype, rtol)
        if error is None:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}: {error}")
print(f"gpu vs cpu: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
