#!/usr/bin/python3
"""The cost of computing an einsum and the VJPs of all its operands (one
function, after ein's pipeline) against computing the einsum alone, from
`ein-opt --ein-cost-report`; and, in the IR after `ein-opt --ein-core`, no
contraction computed twice (compared up to operand order, label renaming and
the order of the result's axes, by a canonical form written here).

Usage: reuse_costs.py EIN_OPT
"""
import itertools
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from all_vjps import program  # noqa: E402

ein_opt = sys.argv[1]
NET = ("bc,bd,be,bf,bg,bh,bi,bj,bk,cm,mdn,neo,ofp,pgzq,qhr,ris,sjt,tk->bz",
       [[512, 2]] * 9 + [[2, 7]] + [[7, 2, 7]] * 3 + [[7, 2, 10, 7]]
       + [[7, 2, 7]] * 3 + [[7, 2]])
# (spec, shapes, bound on total / forward FLOPs). Backward ~= 2 x forward in
# a binary tree whose steps all sum a label; an outer product's adjoints
# sum what its forward did not, hence 5x for i,j,k->ijk.
CASES = [
    ("ij,jk,kl,lm->im", [[10, 20], [20, 30], [30, 40], [40, 50]], 3.1),
    ("bij,bjk,bkl->bil", [[32, 64, 64]] * 3, 3.1),
    (NET[0], NET[1], 3.1),
    ("ab,bc,cd,de,ef->af", [[64, 32], [32, 64], [64, 16], [16, 64], [64, 8]],
     3.1),
    ("abc,bcd,cde->ae", [[8, 16, 16], [16, 16, 8], [16, 8, 32]], 3.1),
    ("ab,bc,ca->", [[50, 40], [40, 30], [30, 50]], 3.1),
    ("ai,ijb,jkc,kd->abcd", [[4, 16], [16, 16, 4], [16, 16, 4], [16, 4]],
     3.1),
    ("abcd,ea,fb,gc,hd->efgh", [[8, 8, 8, 8]] + [[8, 8]] * 4, 3.1),
    ("ab,cd,ac,bd->", [[30, 30]] * 4, 3.1),
    ("bi,bj,ij->b", [[64, 32], [64, 32], [32, 32]], 3.1),
    ("bij,bjk,bkl,blm->bim", [[16, 32, 32]] * 4, 3.1),
    ("ij,jk,ll->ik", [[8, 16], [16, 4], [5, 5]], 3.1),
    ("i,j,k->ijk", [[10], [20], [30]], 5.0),
]

CONTRACT = re.compile(r'ein\.contract "([^"]*)" ([^:{]*)')


def canonical(spec, operands):
    """Smallest (operands, renamed spec with sorted output) over operand
    orders."""
    ins, out = spec.split("->")
    terms = ins.split(",")
    best = None
    for order in itertools.permutations(range(len(terms))):
        names = {}
        renamed = []
        for k in order:
            renamed.append("".join(
                chr(65 + names.setdefault(c, len(names))) for c in terms[k]))
        output = sorted(chr(65 + names[c]) for c in out)
        key = (tuple(operands[k] for k in order),
               ",".join(renamed) + "->" + "".join(output))
        best = key if best is None or key < best else best
    return best


def contractions(ir, function):
    body = ir.split(f"func.func @{function}(")[1].split("\n  }")[0]
    return [(m.group(1), [o.strip() for o in m.group(2).split(",")])
            for m in CONTRACT.finditer(body)]


def cost_lines(text):
    return {c["function"]: c for c in
            (json.loads(line[len("ein-cost: "):])
             for line in text.splitlines() if line.startswith("ein-cost: "))}


failed = 0
for eq, shapes, bound in CASES:
    text = program(eq, shapes)
    proc = subprocess.run([ein_opt, "--ein-cost-report", "-o", os.devnull],
                          input=text, capture_output=True, text=True)
    costs = cost_lines(proc.stdout)
    core = subprocess.run([ein_opt, "--ein-core"], input=text,
                          capture_output=True, text=True)
    problems = []
    if proc.returncode or core.returncode or "all" not in costs:
        problems.append(proc.stderr.strip() + core.stderr.strip())
    else:
        ratio = costs["all"]["flops"] / costs["fwd"]["flops"]
        if ratio > bound:
            problems.append(f"total/forward FLOPs {ratio:.3f} > {bound}")
        keys = [canonical(s, ops) for s, ops in contractions(core.stdout, "all")]
        if len(keys) != len(set(keys)):
            twice = [k for k in set(keys) if keys.count(k) > 1]
            problems.append(f"computed twice: {twice}")
        if len(keys) != costs["all"]["contractions"]:
            problems.append(f"{len(keys)} contractions in the IR, "
                            f"{costs['all']['contractions']} reported")
        print(f"{eq}: forward {costs['fwd']['flops']} FLOPs, with all VJPs "
              f"{costs['all']['flops']} ({ratio:.3f}x), "
              f"{costs['all']['contractions']} contractions")
    for p in problems:
        failed += 1
        print(f"FAIL {eq}: {p}")
print(f"reuse costs: {len(CASES) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
