"""bench/compile_times.py: every case of the given files gets a row with
the seconds ein spent compiling its forward and its forward + VJP program
(both compiled: more than nothing), written to --json."""
import json
import os
import subprocess
import sys

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                      "bench", "compile_times.py")


def test_rows_for_every_case(tmp_path):
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"cases": [
        {"name": "mm", "spec": "ij,jk->ik", "shapes": [[8, 6], [6, 5]]},
        {"name": "chain64", "spec": "ab,bc,cd->ad",
         "shapes": [[4, 7], [7, 3], [3, 5]], "dtype": "float64"}]}))
    out = tmp_path / "out.json"
    done = subprocess.run([sys.executable, SCRIPT, str(cases), "--threads",
                           "1", "--json", str(out)], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    rows = json.loads(out.read_text())["rows"]
    assert [r["case"] for r in rows] == ["mm", "chain64"]
    for row in rows:
        assert row["forward_ms"] > 0
        assert row["vjp_ms"] > 0
    assert "slowest forward: " in done.stdout
