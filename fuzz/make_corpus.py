"""Regenerates the seed corpus in fuzz/corpus/ from the conformance files:
one spec-fuzzer input per einsum of forward.json, grads.json and errors.json
(text, '\\n', the case's dimensions as bytes), .npy files of a few
dtypes and shapes for the npy fuzzer (valid ones and truncated ones), and
pipeline-fuzzer inputs: each forward.json einsum with control bytes that
pick, in turn, every program kind and pipeline (fuzz/ProgramGenerator.h).

usage: /usr/bin/python3 fuzz/make_corpus.py
"""
import hashlib
import io
import json
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFORMANCE = os.path.join(ROOT, "test", "conformance")
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def write(kind, data):
    folder = os.path.join(CORPUS, kind)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def spec_inputs():
    for file in ("forward.json", "grads.json", "errors.json"):
        with open(os.path.join(CONFORMANCE, file)) as f:
            cases = json.load(f)
        for case in cases:
            eq = case.get("eq") or case.get("spec")
            if not isinstance(eq, str):
                continue
            dims = bytearray()
            for shape in case.get("shapes") or []:
                if isinstance(shape, list):
                    dims.extend(min(int(d), 6) for d in shape
                                if isinstance(d, int))
            write("spec", eq.encode() + b"\n" + bytes(dims))


def pipeline_inputs():
    with open(os.path.join(CONFORMANCE, "forward.json")) as f:
        cases = json.load(f)
    for i, case in enumerate(cases):
        eq = case.get("eq")
        if not isinstance(eq, str):
            continue
        kind, pipeline = i % 5, (i // 5) % 7
        # f64 on odd cases, one in six operands dynamic, sizes 1-4.
        control = bytes([kind, pipeline, i % 2, 1 if i % 6 == 0 else 0,
                         *[(i + j) % 4 for j in range(12)]])
        write("pipeline", eq.encode() + b"\n" + control)


def npy_inputs():
    rng = np.random.default_rng(0)
    for dtype in ("<f4", "<f8", ">f8", "<i4"):
        for shape in ((), (0,), (3,), (2, 3), (1, 0, 2)):
            buf = io.BytesIO()
            np.save(buf, rng.standard_normal(shape).astype(dtype))
            data = buf.getvalue()
            write("npy", data)
            write("npy", data[: len(data) // 2])
    buf = io.BytesIO()
    np.save(buf, np.asfortranarray(np.ones((2, 3), "<f4")))
    write("npy", buf.getvalue())


if __name__ == "__main__":
    spec_inputs()
    npy_inputs()
    pipeline_inputs()
