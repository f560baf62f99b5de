#!/usr/bin/python3
"""Writes test/conformance/forward_shapes.json: numpy.einsum's result shape for
every case of test/conformance/forward.json (the reference the spec library's
shape inference is checked against). Cases numpy rejects (ein extensions such
as the diagonal embedding `i->ii`) are listed with "numpy": "unsupported" and
checked by hand-written unit tests instead.

Usage: utils/gen_conformance_shapes.py   (from the repository root)
"""
import json
import pathlib

import numpy as np

root = pathlib.Path(__file__).resolve().parent.parent / "test" / "conformance"
cases = json.loads((root / "forward.json").read_text())
out = []
for case in cases:
    operands = [np.ones(s, dtype=np.float64) for s in case["shapes"]]
    entry = {"eq": case["eq"], "shapes": case["shapes"]}
    try:
        entry["result_shape"] = list(np.einsum(case["eq"], *operands).shape)
    except ValueError as err:
        entry["numpy"] = "unsupported"
        entry["numpy_error"] = str(err)
    out.append(entry)
(root / "forward_shapes.json").write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {len(out)} cases to {root / 'forward_shapes.json'}")
