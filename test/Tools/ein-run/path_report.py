#!/usr/bin/python3
"""Checks `ein-run --report --no-run` against opt_einsum's published costs.

For every forward.json case carrying opt_einsum's numbers and every
algorithm, the `ein-path:` line must be valid JSON with the spec, a path
that contracts all operands, FLOPs that a cost model written here from
opt_einsum's definition (contract_path's flop_count) reproduces from the
path, opt_einsum's naive FLOPs, and:
  greedy <= opt_einsum greedy; optimal, dp <= the best opt_einsum found;
  auto <= opt_einsum auto-hq.
Also: shapes far too large to allocate are costed, every contraction of a
.mlir file gets a line, and bad options are one-line errors.

Usage: path_report.py EIN_RUN CONFORMANCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

ein_run, conformance = sys.argv[1], sys.argv[2]
passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {what} {detail}")


def labels_of(eq, shapes):
    """Operand label sets, output labels and sizes, '...' as fresh labels."""
    lhs, _, rhs = eq.replace(" ", "").partition("->")
    terms = lhs.split(",")
    ell = max((len(s) - len(t.replace("...", "")) for t, s in zip(terms, shapes)
               if "..." in t), default=0)
    fresh = [chr(0x100 + i) for i in range(ell)]

    def expand(term, rank):
        if "..." not in term:
            return list(term)
        k = rank - len(term.replace("...", ""))
        a, b = term.split("...")
        return list(a) + fresh[ell - k:] + list(b)

    ins = [expand(t, len(s)) for t, s in zip(terms, shapes)]
    sizes = {}
    for t, s in zip(ins, shapes):
        for l, d in zip(t, s):
            sizes[l] = max(sizes.get(l, 1), d)
    if "->" in eq:
        out = expand(rhs, ell + len(rhs.replace("...", "")))
    else:
        counts = {}
        for t in ins:
            for l in t:
                counts[l] = counts.get(l, 0) + 1
        out = fresh + sorted(l for l, c in counts.items()
                             if c == 1 and l not in fresh)
    return [set(t) for t in ins], set(out), sizes


def size(ls, sizes):
    n = 1
    for l in ls:
        n *= sizes[l]
    return n


def path_cost(ins, out, sizes, path):
    """opt_einsum's contract_path: sum of flop_count over the steps."""
    ops = list(ins)
    flops, largest = 0, 0
    for step in path:
        if not step or len(set(step)) != len(step) or max(step) >= len(ops):
            return None
        either = set().union(*(ops[i] for i in step))
        rest = set(out).union(*(ops[i] for i in range(len(ops))
                                if i not in step))
        keep = either & rest
        factor = max(1, len(step) - 1) + (1 if either - keep else 0)
        flops += size(either, sizes) * factor
        largest = max(largest, size(keep, sizes))
        ops = [o for i, o in enumerate(ops) if i not in step] + [keep]
    return (flops, largest) if len(ops) == 1 else None


def report(*args):
    proc = subprocess.run([ein_run, *args, "--report", "--no-run"],
                          capture_output=True, text=True)
    lines = [l for l in proc.stdout.splitlines() if l.startswith("ein-path: ")]
    return proc, [json.loads(l[len("ein-path: "):]) for l in lines]


def shapes_arg(shapes):
    return ",".join("x".join(map(str, s)) for s in shapes)


for c in json.load(open(os.path.join(conformance, "forward.json"))):
    oe = c.get("opt_einsum")
    if not oe:
        continue
    eq, shapes = c["eq"], c["shapes"]
    ins, out, sizes = labels_of(eq, shapes)
    best = min(v["flops"] for v in oe.values())
    limits = {"greedy": oe["greedy"]["flops"], "optimal": best, "dp": best,
              "auto": oe["auto-hq"]["flops"], "none": None}
    for algo, limit in limits.items():
        what = f"{eq!r} --path={algo}"
        proc, rows = report("-e", eq, "--random", shapes_arg(shapes),
                            f"--path={algo}")
        if proc.returncode != 0 or len(rows) != 1:
            check(False, what, proc.stderr.strip())
            continue
        r = rows[0]
        check(set(r) == {"spec", "path", "flops", "naive_flops",
                         "largest_intermediate"}, what, f"keys {sorted(r)}")
        cost = path_cost(ins, out, sizes, r["path"])
        check(cost is not None and cost[0] == r["flops"]
              and cost[1] == r["largest_intermediate"], what,
              f"path {r['path']} costs {cost}, reported {r['flops']}")
        check(r["naive_flops"] == oe["greedy"]["naive_flops"], what,
              f"naive {r['naive_flops']} != {oe['greedy']['naive_flops']}")
        if limit is not None:
            check(r["flops"] <= limit, what, f"{r['flops']} > {limit}")
        else:
            check(len(r["path"]) == 1, what, f"none gave {r['path']}")

# opt_einsum counts 2 * 512^4 = 1.4e11 FLOPs for ij,kl->; summing each
# operand first costs 2 * 2 * 512^2 + 1.
proc, rows = report("-e", "ij,kl->", "--random", "512x512,512x512")
check(rows and rows[0]["flops"] == 1048577 and rows[0]["spec"] == "ij,kl->",
      "ij,kl-> pre-reduction", str(rows))
# Far too large to allocate: costed only.
proc, rows = report("-e", "ij,jk,kl->il", "--random",
                    "100000x100000,100000x100000,100000x10")
check(proc.returncode == 0 and rows and rows[0]["path"] == [[1, 2], [0, 1]],
      "huge shapes", proc.stderr + str(rows))
# Implicit output: the report names the explicit spec.
proc, rows = report("-e", "ij,jk", "--random", "2x3,3x4")
check(rows and rows[0]["spec"] == "ij,jk->ik", "implicit output", str(rows))

with tempfile.TemporaryDirectory() as tmp:
    mlir = os.path.join(tmp, "two.mlir")
    with open(mlir, "w") as f:
        f.write("""
func.func @main(%a: tensor<2x3xf64>, %b: tensor<3x4xf64>, %c: tensor<4x5xf64>) -> tensor<2x5xf64> {
  %t = ein.contract "ij,jk,kl->il" %a, %b, %c : tensor<2x3xf64>, tensor<3x4xf64>, tensor<4x5xf64> -> tensor<2x5xf64>
  %u = ein.contract "ij->ij" %t : tensor<2x5xf64> -> tensor<2x5xf64>
  return %u : tensor<2x5xf64>
}
""")
    proc, rows = report(mlir)
    check(proc.returncode == 0 and [r["spec"] for r in rows] ==
          ["ij,jk,kl->il", "ij->ij"], "two contractions", str(rows))

for args, expected in [
        (["--path=fast"], "--path: expected none, greedy, optimal, dp or auto, but found 'fast'"),
        (["--objective=time"], "--objective: expected flops, size, write or combo, but found 'time'"),
        (["--memory-limit=-5"], "--memory-limit: expected a number of elements >= 0, but found -5")]:
    proc, rows = report("-e", "ij,jk", "--random", "2x3,3x4", *args)
    lines = proc.stderr.strip().splitlines()
    check(proc.returncode == 1 and len(lines) == 1 and not rows
          and lines[0] == "ein-run: error: " + expected, f"bad option {args}",
          repr(proc.stderr))

print(f"path report: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
