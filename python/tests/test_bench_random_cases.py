"""bench/random_cases.py: the same seed writes the same file; every case
is a contraction whose shapes agree with its spec (ein.einsum_path accepts
it) and names a dtype only when float64; a bad command line is a one-line
error."""
import json
import os
import subprocess
import sys

import ein

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                      "bench", "random_cases.py")


def run(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True,
                          text=True)


def test_cases_are_valid_and_reproducible(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert run("3", str(first)).returncode == 0
    assert run("3", str(second)).returncode == 0
    assert first.read_text() == second.read_text()
    cases = json.loads(first.read_text())["cases"]
    assert len(cases) > 40
    assert len({c["name"] for c in cases}) == len(cases)
    for case in cases:
        ein.einsum_path(case["spec"], *[tuple(s) for s in case["shapes"]])
        assert case.get("dtype", "float64") == "float64"
    assert run("4", str(second)).returncode == 0
    assert first.read_text() != second.read_text()


def test_bad_arguments():
    out = run("seven")
    assert out.returncode == 1
    assert out.stderr.strip() == "usage: bench/random_cases.py SEED OUT.json"
