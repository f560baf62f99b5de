#!/usr/bin/python3
"""Feeds ein-opt malformed input and checks that each run either succeeds or
prints an `error:` diagnostic and exits with status 1: never a crash, an
assertion, a stack dump or another exit status.

Inputs (deterministic, seeded):
- random bytes, and random printable text;
- every prefix of a valid ein program (truncated IR), at a fixed stride;
- the valid program with its spec strings mutated (characters inserted,
  deleted, replaced) and with its types mutated (ranks and sizes changed).

Usage: malformed_inputs.py EIN_OPT VALID.mlir
"""
import random
import re
import subprocess
import sys
import tempfile

ein_opt, valid_path = sys.argv[1], sys.argv[2]
valid = open(valid_path, "rb").read()
rng = random.Random(20261122)

SPEC_CHARS = "ijkbAZ,->.()_% $&\x00\x7f\xff9"


def inputs():
    for n in (0, 1, 7, 64, 512, 4096):
        yield f"random bytes ({n})", bytes(rng.randrange(256) for _ in range(n))
    for _ in range(10):
        yield "random text", "".join(
            rng.choice("%@^#<>(){}[]:,=\"x0123456789 \n\tabcdefghijklmnopqrstuvwxyz.-_")
            for _ in range(rng.randrange(1, 300))).encode()
    for cut in range(0, len(valid), max(1, len(valid) // 80)):
        yield f"truncated at byte {cut}", valid[:cut]
    specs = [m for m in re.finditer(rb'ein\.contract "([^"]*)"', valid)]
    for _ in range(120):
        m = rng.choice(specs)
        spec = bytearray(m.group(1))
        op = rng.randrange(3)
        pos = rng.randrange(len(spec) + 1)
        ch = rng.choice(SPEC_CHARS).encode("latin-1")
        if op == 0:
            spec[pos:pos] = ch
        elif op == 1 and spec:
            del spec[min(pos, len(spec) - 1)]
        elif spec:
            spec[min(pos, len(spec) - 1):min(pos, len(spec) - 1) + 1] = ch
        text = valid[:m.start(1)] + bytes(spec) + valid[m.end(1):]
        yield f"spec {m.group(1)!r} -> {bytes(spec)!r}", text
    dims = [m for m in re.finditer(rb"tensor<([0-9?x]*)x?f(32|64)>", valid)]
    for _ in range(60):
        m = rng.choice(dims)
        new = rng.choice([b"", b"1x", b"7x", b"?x", b"0x", b"3x5x", b"9223372036854775807x"])
        text = valid[:m.start(1)] + new + valid[m.start(1):]
        yield f"type mutated at byte {m.start(1)}", text


failures = 0
runs = 0
with tempfile.NamedTemporaryFile(suffix=".mlir") as f:
    for what, data in inputs():
        f.seek(0)
        f.truncate()
        f.write(data)
        f.flush()
        proc = subprocess.run([ein_opt, f.name, "-o", "/dev/null"],
                              capture_output=True, timeout=60)
        runs += 1
        err = proc.stderr.decode("utf-8", "replace")
        bad = None
        if proc.returncode not in (0, 1):
            bad = f"exit status {proc.returncode}"
        elif proc.returncode == 1 and "error:" not in err:
            bad = "exit status 1 without an error: diagnostic"
        elif any(s in err for s in ("Stack dump", "Assertion", "UNREACHABLE",
                                    "PLEASE submit a bug report")):
            bad = "crash report on stderr"
        if bad:
            failures += 1
            print(f"FAIL ({bad}): {what}\n{err[:2000]}")
print(f"malformed inputs: {runs - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
