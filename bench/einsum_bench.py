#!/usr/bin/python3
"""Runs every case of shared/bench/cases.json through ein, numpy.einsum
(optimize=True) and torch.einsum (skipped with a notice when python3-torch
is absent) in the same run, at 1 and 2 threads, forward and forward + VJP of
all inputs (torch autograd as the peer), float32 unless a case names
its "dtype"; prints a table (median
time, GFLOP/s in opt_einsum's FLOP convention, % of the OpenBLAS sgemm rate
measured in the same run, ein's ratio to the best peer) and writes JSON.
Specs with flattened groups (`bij,(ij)k->bk`) run on the peers as their
users write them: the grouped axis split by a reshape (a view; timed too).
A benchmark, not a test.

Usage: PYTHONPATH=build/python_packages python3 bench/einsum_bench.py
           [--cases FILE] [--json OUT] [--threads 1,2] [--only NAME,...]
Each thread count runs in a child process (OpenBLAS, OpenMP and ein read
their thread counts at start-up).
"""
import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def median_time(fn, min_total=0.3, max_runs=50):
    fn()  # warm-up (and compilation for ein)
    times = []
    start = time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - start < min_total
                             and len(times) < max_runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def vjp_spec(spec_out, rank):
    y = "".join(chr(ord("A") + i) for i in range(len(spec_out)))
    x = "abcdefghijklmnop"[:rank]
    return f"{y},{y}%{x}->{x}"


def peer_form(spec, shapes):
    """What a numpy or torch user writes for a spec with flattened groups
    (`bij,(ij)k->bk`): (the spec with each group's labels, each operand's
    shape with its group axes split, a view); the spec itself without
    groups; None when a group's label sizes are not all known (a label
    must appear alone in some operand)."""
    if "(" not in spec:
        return spec, shapes
    if "." in spec or "_" in spec:
        return None
    inputs, out = spec.split("->")
    if "(" in out:
        return None
    terms = [re.findall(r"\([A-Za-z]+\)|[A-Za-z]", t)
             for t in inputs.split(",")]
    size = {}
    for axes, shape in zip(terms, shapes):
        for axis, n in zip(axes, shape):
            if len(axis) == 1:
                size[axis] = n
    plain, split = [], []
    for axes, shape in zip(terms, shapes):
        dims = []
        for axis, n in zip(axes, shape):
            labels = axis.strip("()")
            if any(c not in size for c in labels):
                return None
            dims += [size[c] for c in labels] if len(labels) > 1 else [n]
        plain.append("".join(a.strip("()") for a in axes))
        split.append(tuple(dims))
    return ",".join(plain) + "->" + out, split


def child(args):
    """Measures every case at this process's thread count; prints JSON."""
    import numpy as np
    import ein
    try:
        import torch
        torch.set_num_threads(args.threads)
    except ImportError:
        torch = None
    rng = np.random.default_rng(0)
    n = 2048
    a = rng.random((n, n), dtype=np.float32)
    sgemm = 2 * n ** 3 / median_time(lambda: a @ a) / 1e9
    cases = json.load(open(args.cases))["cases"]
    rows = []
    for case in cases:
        if args.only and case["name"] not in args.only.split(","):
            continue
        spec, shapes = case["spec"], [tuple(s) for s in case["shapes"]]
        dtype = np.dtype(case.get("dtype", "float32"))
        xs = [rng.uniform(-1, 1, s).astype(dtype) for s in shapes]
        flops = ein.einsum_path(spec, *shapes)[1].opt_cost
        out_spec = ein.to_mlir(spec, *shapes).split('"')[1].split("->")[1]
        row = {"case": case["name"], "spec": spec, "threads": args.threads,
               "dtype": dtype.name,
               "flops": flops, "times": {}}
        row["times"]["ein"] = median_time(lambda: ein.einsum(spec, *xs))
        # The peers split flattened groups with a reshape (a view), timed.
        peer = peer_form(spec, shapes)
        if peer is not None:
            pspec, pshapes = peer
            row["peer_spec"] = pspec
            row["times"]["numpy"] = median_time(lambda: np.einsum(
                pspec, *[x.reshape(s) for x, s in zip(xs, pshapes)],
                optimize=True))
        if torch is not None and peer is not None:
            ts = [torch.from_numpy(x) for x in xs]
            row["times"]["torch"] = median_time(lambda: torch.einsum(
                pspec, *[t.reshape(s) for t, s in zip(ts, pshapes)]))
        # Forward + VJP of every input (seed of the output's shape).
        s = np.ones(np.shape(ein.einsum(spec, *xs)), dtype)
        f = lambda *a: ein.einsum(spec, *a)  # noqa: E731

        @ein.function
        def both(seed, *a):
            grads = [ein.eingrad(vjp_spec(out_spec, x.ndim), seed, f, a, wrt=k)
                     for k, x in enumerate(a)]
            return (f(*a), *grads)

        row["times"]["ein_vjp"] = median_time(lambda: both(s, *xs))
        if torch is not None and peer is not None:
            def torch_vjp():
                ts = [torch.from_numpy(x).requires_grad_() for x in xs]
                y = torch.einsum(
                    pspec, *[t.reshape(s) for t, s in zip(ts, pshapes)])
                y.backward(torch.from_numpy(s))
                return [t.grad for t in ts]
            row["times"]["torch_vjp"] = median_time(torch_vjp)
        rows.append(row)
    print(json.dumps({"threads": args.threads, "sgemm_gflops": sgemm,
                      "torch": torch is not None, "rows": rows}))


def print_run(run):
    """The table rows of one thread count, printed as soon as it is done."""
    for r in run["rows"]:
        t = r["times"]
        peers = [v for k, v in t.items() if k in ("numpy", "torch") and v]
        best = min(peers) if peers else None
        gflops = r["flops"] / t["ein"] / 1e9
        ms = lambda v: f"{v * 1e3:9.3f}" if v else f"{'-':>9}"  # noqa: E731
        print(f"{r['case']:<20}{run['threads']:>4}  {ms(t['ein'])} "
              f"{ms(t.get('numpy'))} {ms(t.get('torch'))} {gflops:8.2f} "
              f"{100 * gflops / run['sgemm_gflops']:6.1f}% "
              f"{(t['ein'] / best if best else float('nan')):7.2f}x   "
              f"{ms(t.get('ein_vjp'))} {ms(t.get('torch_vjp'))}")
    ratios = [r["times"]["ein"] / min(v for k, v in r["times"].items()
                                      if k in ("numpy", "torch") and v)
              for r in run["rows"]
              if any(r["times"].get(k) for k in ("numpy", "torch"))]
    if ratios:
        geo = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
        print(f"  geometric mean of ein / best peer: {geo:.2f}x "
              f"({1 / geo:.2f}x faster)")
    print(f"  (OpenBLAS sgemm 2048 at {run['threads']} thread(s): "
          f"{run['sgemm_gflops']:.1f} GFLOP/s)", flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cases", default=os.path.join(
        HERE, "..", "..", "shared", "bench", "cases.json"))
    p.add_argument("--json", default=os.path.join(HERE, "einsum_bench.json"))
    p.add_argument("--threads", default="1,2")
    p.add_argument("--only", default="")
    p.add_argument("--child", action="store_true")
    args = p.parse_args()
    if args.child:
        args.threads = int(args.threads)
        return child(args)
    runs = []
    header = False
    for t in [int(x) for x in args.threads.split(",")]:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t),
                   OMP_NUM_THREADS=str(t), EIN_NUM_THREADS=str(t))
        out = subprocess.run([sys.executable, __file__, "--child", "--threads",
                              str(t), "--cases", args.cases, "--only",
                              args.only], env=env, capture_output=True,
                             text=True)
        if out.returncode:
            sys.exit(out.stderr)
        run = json.loads(out.stdout.splitlines()[-1])
        runs.append(run)
        if not header:
            header = True
            if not run["torch"]:
                print("torch: not installed (apt install python3-torch), "
                      "skipped")
            print(f"{'case':<20}{'thr':>4}  {'ein ms':>9} {'numpy ms':>9} "
                  f"{'torch ms':>9} {'GFLOP/s':>8} {'%sgemm':>7} "
                  f"{'vs best':>8}   {'ein+vjp':>9} {'torch+vjp':>9}")
        print_run(run)
    with open(args.json, "w") as f:
        json.dump({"machine": os.uname()._asdict() if hasattr(os.uname(), "_asdict")
                   else list(os.uname()), "runs": runs}, f, indent=1)
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
