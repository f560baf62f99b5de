#!/usr/bin/python3
"""ein-run's .npy handling and error contract.

Good files (versions 1.0/2.0/3.0, Fortran order, float32/float64, empty and
rank-0 arrays) must give numpy's results. Bad input (malformed or truncated
files, unsupported dtypes, big-endian data, shape mismatches, bad specs,
bad options) must give exactly one line `ein-run: error: ...` on stderr,
exit status 1, and leave no output file.

Usage: npy_and_errors.py EIN_RUN
"""
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np

ein_run = sys.argv[1]
passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {what} {detail}")


def npy_bytes(array, version=(1, 0), fortran=False, descr=None, shape=None):
    descr = descr or np.lib.format.dtype_to_descr(array.dtype)
    shape = array.shape if shape is None else shape
    header = repr({"descr": descr, "fortran_order": fortran, "shape": shape})
    header = header.encode("latin-1")
    pre = 10 if version[0] == 1 else 12
    header += b" " * ((64 - (pre + len(header) + 1) % 64) % 64) + b"\n"
    size = struct.pack("<H", len(header)) if version[0] == 1 else struct.pack("<I", len(header))
    data = array.tobytes(order="F" if fortran else "C")
    return b"\x93NUMPY" + bytes(version) + size + header + data


with tempfile.TemporaryDirectory() as tmp:
    def path(name):
        return os.path.join(tmp, name)

    def write(name, data):
        with open(path(name), "wb") as f:
            f.write(data)
        return path(name)

    def run(*args):
        return subprocess.run([ein_run, *args], capture_output=True, text=True)

    rng = np.random.default_rng(7)
    a = rng.uniform(-1, 1, (3, 4))
    b = rng.uniform(-1, 1, (4, 5))

    # Good files.
    for version in ((1, 0), (2, 0), (3, 0)):
        for fortran in (False, True):
            for dtype in (np.float32, np.float64):
                x, y = a.astype(dtype), b.astype(dtype)
                fa = write("a.npy", npy_bytes(x, version, fortran))
                fb = write("b.npy", npy_bytes(y, version, fortran))
                out = path("out.npy")
                proc = run("-e", "ij,jk->ik", fa, fb, "-o", out)
                what = f"good v{version} fortran={fortran} {dtype.__name__}"
                if proc.returncode != 0:
                    check(False, what, proc.stderr)
                    continue
                got = np.load(out)
                tol = 1e-5 if dtype == np.float32 else 1e-12
                check(got.dtype == dtype and np.allclose(got, x.astype(np.float64) @ y, rtol=tol, atol=tol),
                      what, f"{got}")
                os.remove(out)
    # Empty and rank-0 arrays.
    fe = write("e.npy", npy_bytes(np.zeros((0, 3), np.float32)))
    proc = run("-e", "ij->j", fe, "-o", path("out.npy"))
    check(proc.returncode == 0 and np.array_equal(np.load(path("out.npy")), np.zeros(3, np.float32)),
          "zero-size reduction", proc.stderr)
    fs = write("s.npy", npy_bytes(np.array(2.5)))
    proc = run("-e", ",ij->ij", fs, write("a2.npy", npy_bytes(a)), "-o", path("out2.npy"))
    check(proc.returncode == 0 and np.allclose(np.load(path("out2.npy")), 2.5 * a, rtol=1e-12),
          "rank-0 operand", proc.stderr)
    # Mixed float32/float64 inputs promote to float64 like numpy.
    proc = run("-e", "ij,jk->ik", write("a32.npy", npy_bytes(a.astype(np.float32))),
               write("b64.npy", npy_bytes(b)), "-o", path("out3.npy"))
    check(proc.returncode == 0 and np.load(path("out3.npy")).dtype == np.float64, "promotion", proc.stderr)
    # --dtype converts.
    proc = run("-e", "ij,jk->ik", path("a32.npy"), path("b64.npy"), "--dtype", "f32", "-o", path("out4.npy"))
    check(proc.returncode == 0 and np.load(path("out4.npy")).dtype == np.float32, "--dtype", proc.stderr)
    # Several results, and an .mlir function.
    mlir = write("f.mlir", b"""
func.func @two(%a: tensor<3x4xf64>, %b: tensor<4x5xf64>) -> (tensor<3x5xf64>, tensor<4x3xf64>) {
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<3x4xf64>, tensor<4x5xf64> -> tensor<3x5xf64>
  %t = ein.contract "ij->ji" %a : tensor<3x4xf64> -> tensor<4x3xf64>
  return %r, %t : tensor<3x5xf64>, tensor<4x3xf64>
}
""")
    fa, fb = write("a.npy", npy_bytes(a)), write("b.npy", npy_bytes(b))
    proc = run(mlir, "--entry", "two", fa, fb, "-o", path("r.npy"), "-o", path("t.npy"))
    check(proc.returncode == 0 and np.allclose(np.load(path("r.npy")), a @ b, rtol=1e-12)
          and np.array_equal(np.load(path("t.npy")), a.T), "mlir file, two results", proc.stderr)

    # Bad input: one line, status 1, no output file.
    good = npy_bytes(a)
    bad_files = {
        "not npy": b"hello world, not numpy",
        "empty file": b"",
        "truncated header": good[:30],
        "truncated data": good[:-8],
        "extra data": good + b"\0" * 8,
        "version 9": good[:6] + bytes([9, 0]) + good[8:],
        "int64": npy_bytes(np.arange(12).reshape(3, 4)),
        "complex": npy_bytes(a.astype(np.complex128)),
        "big-endian": npy_bytes(a.astype(">f8")),
        "bool": npy_bytes(a > 0),
        "bad shape": npy_bytes(a, shape="nonsense"),
        "negative shape": npy_bytes(a, shape=(3, -4)),
        "huge shape": npy_bytes(a, shape=(2**40, 2**40)),
        "structured": npy_bytes(np.zeros(3, dtype=[("x", "<f4")]), descr=[("x", "<f4")]),
        "random bytes": bytes(rng.integers(0, 256, 300, dtype=np.uint8)),
        "header not a dict": b"\x93NUMPY\x01\x00\x10\x00" + b"[1, 2, 3]      \n",
    }
    out = path("never.npy")
    for name, data in bad_files.items():
        f = write("bad.npy", data)
        proc = run("-e", "ij,jk->ik", f, fb, "-o", out)
        lines = proc.stderr.strip().splitlines()
        check(proc.returncode == 1 and len(lines) == 1 and lines[0].startswith("ein-run: error: ")
              and "bad.npy" in lines[0] and not os.path.exists(out),
              f"bad file: {name}", repr(proc.stderr))
    bad_runs = {
        "shape mismatch": (["-e", "ij,jk->ik", fa, fa], "label 'j' has size 4 in operand #0 but 3 in operand #1"),
        "bad spec": (["-e", "ij,jk>ik", fa, fb], "invalid einsum spec 'ij,jk>ik': unexpected '>' at column 6"),
        "operand count": (["-e", "ij,jk->ik", fa], "spec 'ij,jk->ik' takes 2 operand(s), but 1 input(s) were given"),
        "rank": (["-e", "ijk,jk->ik", fa, fb], "expected operand #0 to have rank 3 for 'ijk', but found rank 2"),
        "missing file": (["-e", "ij->ji", path("missing.npy")], "cannot read"),
        "bad dtype option": (["-e", "ij->ji", fa, "--dtype", "i32"], "--dtype: expected f32 or f64"),
        "bad random": (["-e", "ij->ji", "--random", "3xq"], "--random: expected shapes"),
        "mlir parse error": ([write("bad.mlir", b"func.func @main( {"), fa], "bad.mlir:1:"),
        "mlir wrong arg shape": ([mlir, "--entry", "two", fb, fb], "argument #0 of @two is tensor<3x4xf64>, but input #0 has shape (4, 5)"),
        "mlir no entry": ([mlir, "--entry", "nope", fa], "no function @nope"),
        "too many outputs": (["-e", "ij->ji", fa, "-o", out, "-o", path("x2.npy")], "2 -o files given"),
        "dynamic broadcast": (["-e", "ij,ij->ij", "--random", "1x3,4x3", "--dynamic"], "--dynamic: operand #0 broadcasts label 'i'"),
    }
    for name, (args, expected) in bad_runs.items():
        proc = run(*args, "-o", out) if "-o" not in args else run(*args)
        lines = proc.stderr.strip().splitlines()
        check(proc.returncode == 1 and len(lines) == 1 and lines[0].startswith("ein-run: error: ")
              and expected in lines[0] and not os.path.exists(out) and not os.path.exists(path("x2.npy")),
              f"bad run: {name}", repr(proc.stderr))
    # A runtime size check in compiled code is an error too, not an abort.
    dyn = write("dyn.mlir", b"""
func.func @main(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}
""")
    f32 = write("a32.npy", npy_bytes(a.astype(np.float32)))
    proc = run(dyn, f32, f32, "-o", out)
    check(proc.returncode == 1 and proc.stderr.count("\n") == 1 and "label j of operand #1 differs" in proc.stderr
          and not os.path.exists(out), "runtime size check", repr(proc.stderr))

print(f"npy and errors: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
