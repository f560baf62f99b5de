"""bench/results_table.py (the tables of docs/performance.md) on a small
results file: values, ratios and the geometric mean; a bad file is a
one-line error."""
import json
import os
import subprocess
import sys

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                      "bench", "results_table.py")


def run(path):
    return subprocess.run([sys.executable, SCRIPT, path], capture_output=True,
                          text=True)


def test_table(tmp_path):
    rows = [{"case": "mm", "spec": "ij,jk->ik", "threads": 1,
             "dtype": "float64", "flops": 2e9,
             "times": {"ein": 0.01, "numpy": 0.02, "torch": 0.04,
                       "ein_vjp": 0.03, "torch_vjp": 0.06}},
            {"case": "tr", "spec": "ii->", "threads": 1, "flops": 1e3,
             "times": {"ein": 0.002, "numpy": 0.001, "torch": None,
                       "ein_vjp": 0.01, "torch_vjp": None}}]
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"machine": {}, "runs": [
        {"threads": 1, "sgemm_gflops": 100.0, "torch": True, "rows": rows}]}))
    out = run(str(path))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "**1 thread** (OpenBLAS sgemm 2048³: 100 GFLOP/s)"
    assert "| mm | `ij,jk->ik` | f64 | 10.000 | 20.000 | 40.000 | 200.0 | " \
           "200% | 0.50 | 30.000 | 60.000 | 0.50 |" in lines
    assert "| tr | `ii->` | f32 | 2.000 | 1.000 | – | 0.0 | 0% | 2.00 | " \
           "10.000 | – | – |" in lines
    # sqrt(0.5 * 2.0) = 1
    assert lines[-1] == "Geometric mean of ein / best peer: 1.00 (1.00x faster)."


def test_bad_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    out = run(str(path))
    assert out.returncode == 1
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1
    assert "expected an einsum_bench.py JSON file" in out.stderr
