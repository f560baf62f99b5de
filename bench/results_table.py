#!/usr/bin/python3
"""Markdown tables of a bench/einsum_bench.py JSON file (the tables of
docs/performance.md): one per thread count, with the geometric mean of
ein / best peer.

    bench/results_table.py bench/results-2026-11-22.json
"""
import json
import math
import sys


def ms(value):
    return f"{value * 1e3:.3f}" if value else "–"


def table(run, with_dtype):
    head = ["case", "spec"] + (["dtype"] if with_dtype else []) + [
        "ein ms", "numpy ms", "torch ms", "ein GFLOP/s", "% sgemm",
        "ein / best peer", "ein fwd+VJP ms", "torch fwd+bwd ms", "VJP ratio"]
    lines = [f"**{run['threads']} thread{'s' if run['threads'] > 1 else ''}**"
             f" (OpenBLAS sgemm 2048³: {run['sgemm_gflops']:.0f} GFLOP/s)",
             "", "| " + " | ".join(head) + " |",
             "|" + "---|" * (3 if with_dtype else 2) + "---:|" * 9]
    ratios = []
    for r in run["rows"]:
        t = r["times"]
        peers = [v for k, v in t.items() if k in ("numpy", "torch") and v]
        best = min(peers) if peers else None
        gflops = r["flops"] / t["ein"] / 1e9
        ratio = t["ein"] / best if best else None
        if ratio:
            ratios.append(ratio)
        vjp = t.get("ein_vjp") / t["torch_vjp"] \
            if t.get("torch_vjp") and t.get("ein_vjp") else None
        cells = [r["case"], f"`{r['spec']}`"]
        if with_dtype:
            cells.append("f64" if r.get("dtype") == "float64" else "f32")
        cells += [ms(t["ein"]), ms(t.get("numpy")), ms(t.get("torch")),
                  f"{gflops:.1f}", f"{100 * gflops / run['sgemm_gflops']:.0f}%",
                  f"{ratio:.2f}" if ratio else "–", ms(t.get("ein_vjp")),
                  ms(t.get("torch_vjp")), f"{vjp:.2f}" if vjp else "–"]
        lines.append("| " + " | ".join(cells) + " |")
    mean = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
    lines += ["", f"Geometric mean of ein / best peer: {mean:.2f} "
              f"({1 / mean:.2f}x faster)."]
    return "\n".join(lines)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench/results_table.py RESULTS.json")
    try:
        with open(sys.argv[1]) as f:
            data = json.load(f)
        runs = data["runs"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        sys.exit(f"results_table.py: expected an einsum_bench.py JSON file, "
                 f"found {sys.argv[1]}: {e}")
    with_dtype = any(r.get("dtype", "float32") != "float32"
                     for run in runs for r in run["rows"])
    print("\n\n".join(table(run, with_dtype) for run in runs))


if __name__ == "__main__":
    main()
