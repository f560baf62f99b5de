#!/usr/bin/python3
"""Compile times of every benchmark case, forward and forward + VJP.

    PYTHONPATH=build/python_packages bench/compile_times.py [CASES.json ...]
        [--threads N] [--json OUT.json] [--cold | --fresh]

For each case: the seconds ein spent compiling on the first call (JIT:
MLIR passes, LLVM IR and -O2, machine code; from ein.cache_info()), and
the first call's whole wall time. Defaults to ../shared/bench/cases.json.
The cases run in one process, which compiles each GEMM tile and packing
function once (ein.cache_info()["gemm_kernels"]); --cold turns that cache
off (EIN_KERNEL_CACHE=0, the kernels built with ein included), so that
every case compiles as the first one of a process with no kernels would;
--fresh starts from an empty disk cache (a new machine: the kernels built
with ein only).
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from einsum_bench import vjp_spec  # noqa: E402


def measure(call):
    """(compile seconds, first call's seconds) of `call`'s first run."""
    import ein
    ein.clear_cache()
    start = time.perf_counter()
    call()
    wall = time.perf_counter() - start
    return ein.cache_info()["compile_seconds"], wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cases", nargs="*", default=[
        os.path.join(HERE, "..", "..", "shared", "bench", "cases.json")])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", help="also write the rows here")
    modes = parser.add_mutually_exclusive_group()
    modes.add_argument("--cold", action="store_true",
                       help="no GEMM kernel cache, no kernels built with ein")
    modes.add_argument("--fresh", action="store_true",
                       help="an empty disk cache")
    args = parser.parse_args()
    if args.cold:
        os.environ["EIN_KERNEL_CACHE"] = "0"
    if args.fresh:
        fresh = tempfile.mkdtemp(prefix="ein-fresh-kernels-")
        os.environ["EIN_KERNEL_CACHE_DIR"] = fresh
        import atexit
        atexit.register(shutil.rmtree, fresh, True)
    import numpy as np
    import ein
    ein.set_num_threads(args.threads)
    rng = np.random.default_rng(0)
    # Context set-up and one-time LLVM initialization are not a case's.
    ein.einsum("ij,jk->ik", np.ones((2, 2), np.float32),
               np.ones((2, 2), np.float32))
    rows = []
    print(f"{'case':<24} {'fwd ms':>8} {'fwd+vjp ms':>11}")
    for path in args.cases:
        for case in json.load(open(path))["cases"]:
            spec = case["spec"]
            dtype = np.dtype(case.get("dtype", "float32"))
            xs = [rng.uniform(-1, 1, s).astype(dtype) for s in case["shapes"]]
            fwd, _ = measure(lambda: ein.einsum(spec, *xs))
            out = ein.to_mlir(spec, *[x.shape for x in xs])
            out_spec = out.split('"')[1].split("->")[1]
            seed = np.ones(np.shape(ein.einsum(spec, *xs)), dtype)
            f = lambda *a: ein.einsum(spec, *a)  # noqa: E731

            @ein.function
            def both(s, *a):
                grads = [ein.eingrad(vjp_spec(out_spec, x.ndim), s, f, a,
                                     wrt=k) for k, x in enumerate(a)]
                return (f(*a), *grads)

            vjp, _ = measure(lambda: both(seed, *xs))
            rows.append({"case": case["name"], "spec": spec,
                         "forward_ms": fwd * 1e3, "vjp_ms": vjp * 1e3})
            print(f"{case['name']:<24} {fwd * 1e3:8.1f} {vjp * 1e3:11.1f}",
                  flush=True)
    worst = max(rows, key=lambda r: r["forward_ms"])
    worst_vjp = max(rows, key=lambda r: r["vjp_ms"])
    print(f"slowest forward: {worst['case']} {worst['forward_ms']:.1f} ms; "
          f"slowest forward + VJP: {worst_vjp['case']} "
          f"{worst_vjp['vjp_ms']:.1f} ms")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"threads": args.threads, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
