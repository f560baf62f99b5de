#!/usr/bin/python3
"""Writes a cases file of random contractions of the benchmark's kinds, for
bench/einsum_bench.sh --cases: GEMMs with any operand and output
orientation, batched GEMMs with the batch label anywhere, attention
layouts, matrix chains (some ending in a vector), tensor networks,
tensordots with shuffled label orders, and memory-bound sums, diagonals,
outer and Hadamard products; about a third in float64; sizes that are not
multiples of the vector width. A search tool, not a test: the random cases
of docs/performance.md found the slow paths it lists as fixed.

Usage: bench/random_cases.py SEED OUT.json
"""
import json
import math
import random
import sys


def main(seed, out):
    r = random.Random(seed)
    cases = []

    def add(name, spec, dims, f64):
        shapes = [[dims[c] for c in t] for t in spec.split("->")[0].split(",")]
        case = {"name": name, "spec": spec, "shapes": shapes}
        if f64:
            case["dtype"] = "float64"
        cases.append(case)

    def f64():
        return r.random() < 0.3

    def shuffled(labels):
        labels = list(labels)
        r.shuffle(labels)
        return "".join(labels)

    sizes = [96, 100, 127, 200, 255, 300, 384, 500, 513, 640, 777, 1000]
    for n in range(8):
        spec = (r.choice(["ij", "ji"]) + "," + r.choice(["jk", "kj"]) + "->" +
                r.choice(["ik", "ik", "ki"]))
        add(f"gemm{n}", spec, {c: r.choice(sizes) for c in "ijk"}, f64())
    for n, spec in enumerate(["bij,bjk->bik", "ibj,bjk->bik", "bij,bkj->bki",
                              "ijb,jkb->ikb", "bij,jk->bik", "bij,bjk->ibk"]):
        add(f"bmm{n}", spec, {"b": r.choice([4, 12, 32]),
                              "i": r.choice([64, 100, 200]),
                              "j": r.choice([32, 64, 100]),
                              "k": r.choice([64, 96, 200])}, f64())
    for n in range(8):
        spec = r.choice(["bhqd,bhkd->bhqk", "bhqk,bhkd->bhqd",
                         "bqhd,bkhd->bhqk", "bhqk,bkhd->bqhd",
                         "bqhd,bkhd->bqhk", "bhqd,bhkd->bqhk",
                         "bhqd,bkd->bhqk"])
        add(f"attn{n}", spec, {"b": r.choice([1, 2, 4]),
                               "h": r.choice([2, 8, 16]),
                               "q": r.choice([64, 197, 256, 512]),
                               "k": r.choice([64, 197, 256, 500]),
                               "d": r.choice([16, 64, 80, 128])}, f64())
    letters = "abcdefgh"
    for n in range(8):
        m = r.randint(3, 6)
        dims = {letters[i]: r.choice([10, 32, 60, 128, 200, 333, 512, 1024])
                for i in range(m + 1)}
        terms = [letters[i:i + 2][::r.choice([1, -1])] for i in range(m)]
        result = letters[0] + letters[m]
        if r.random() < 0.25:  # a vector at the start
            terms[0], result = letters[1], letters[m]
        add(f"chain{n}", ",".join(terms) + "->" + result, dims, f64())
    for n, spec in enumerate(["abc,cde,efa->bdf", "ab,bcd,de,efg->acfg",
                              "abcd,cdef,efgh->abgh", "ijk,klm,mni->jln",
                              "ab,bc,cd,da->", "abc,bdc,de->ae",
                              "ai,bi,ci->abc", "ijk,jr,kr->ir"]):
        labels = sorted(set(spec) - set(",->"))
        add(f"tn{n}", spec, {c: r.choice([16, 24, 32, 40, 64]) for c in labels},
            f64())
    for n in range(8):
        labels = iter("abcdefghij")
        shared = [next(labels) for _ in range(r.randint(1, 3))]
        own_a = [next(labels) for _ in range(r.randint(1, 2))]
        own_b = [next(labels) for _ in range(r.randint(1, 2))]
        spec = (shuffled(own_a + shared) + "," + shuffled(shared + own_b) +
                "->" + shuffled(own_a + own_b))
        dims = {c: r.choice([8, 16, 24, 32, 48, 64, 100])
                for c in own_a + own_b + shared}
        while math.prod(dims.values()) > 3e8:
            c = r.choice(list(dims))
            dims[c] = max(8, dims[c] // 2)
        add(f"tdot{n}", spec, dims, f64())
    for n, (spec, size) in enumerate([
            ("ii->", 3000), ("ii->i", 3000), ("ij->i", 3000), ("ij->j", 2500),
            ("i,j->ij", 3000), ("i,ij,j->", 3000), ("ij,ij->", 2000),
            ("ij,ij->ij", 2000), ("ij,j->i", 3000), ("ji,j->i", 3000),
            ("ijk->ik", 200), ("ij,kj->jik", 128), ("ij,ij->j", 2000),
            ("ij,ji->ij", 2000), ("ij,ij->i", 2000)]):
        add(f"mem{n}", spec, {c: size for c in "ijk"}, f64())
    json.dump({"cases": cases}, open(out, "w"), indent=1)
    print(f"{len(cases)} cases written to {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        sys.exit("usage: bench/random_cases.py SEED OUT.json")
    main(int(sys.argv[1]), sys.argv[2])
