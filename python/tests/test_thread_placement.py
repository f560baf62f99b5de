"""Thread placement: before a threaded kernel runs, ein binds the calling
thread's OpenMP workers to the CPUs it may use except the one the caller
runs on (so that Linux does not put both on one core while another
library's thread spins on the other); EIN_PLACE_THREADS=0 or a binding of
the user's own (OMP_PROC_BIND) leaves them unbound. Each case runs in a
fresh process, whose new threads are libomp's workers."""
import json
import os
import subprocess
import sys

import pytest

CHILD = r"""
import json, os
import numpy as np
import ein

def allowed(tid):
    for line in open(f"/proc/self/task/{tid}/status"):
        if line.startswith("Cpus_allowed_list:"):
            cpus = set()
            for part in line.split(":")[1].strip().split(","):
                lo, _, hi = part.partition("-")
                cpus.update(range(int(lo), int(hi or lo) + 1))
            return sorted(cpus)

ein.set_num_threads(2)
rng = np.random.default_rng(0)
xs = [rng.standard_normal((32, 64, 64)).astype(np.float32) for _ in range(3)]
before = set(os.listdir("/proc/self/task"))
got = ein.einsum("bij,bjk,bkl->bil", *xs)
want = np.einsum("bij,bjk,bkl->bil", *xs)
err = float(np.max(np.abs(got - want)) / np.max(np.abs(want)))
new = sorted(set(os.listdir("/proc/self/task")) - before)
print(json.dumps({"process": sorted(os.sched_getaffinity(0)),
                  "workers": [allowed(t) for t in new], "err": err}))
"""

BINDINGS = ("OMP_PROC_BIND", "OMP_PLACES", "KMP_AFFINITY", "EIN_PLACE_THREADS")


def run_child(**env):
    base = {k: v for k, v in os.environ.items() if k not in BINDINGS}
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True,
                          text=True, env={**base, **env}, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


needs_two_cpus = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2,
                                    reason="needs two CPUs")


@needs_two_cpus
def test_workers_leave_the_callers_cpu():
    out = run_child()
    assert out["err"] < 1e-5
    process = set(out["process"])
    # The team's worker: every CPU of the process but one (the caller's).
    placed = [set(w) for w in out["workers"]
              if len(w) == len(process) - 1 and set(w) < process]
    assert placed, out


@needs_two_cpus
@pytest.mark.parametrize("env", [{"EIN_PLACE_THREADS": "0"},
                                 {"OMP_PROC_BIND": "false"}])
def test_placement_can_be_turned_off(env):
    out = run_child(**env)
    assert out["err"] < 1e-5
    process = out["process"]
    assert out["workers"], "expected libomp's worker among the new threads"
    assert all(w == process for w in out["workers"]), out
