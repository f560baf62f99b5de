#!/usr/bin/python3
"""Times ein's threaded kernels right after numpy's OpenBLAS GEMMs, whose
worker thread keeps spinning for ~120 ms after each call: per case, ROUNDS
rounds of one 512² numpy matmul and then the median of 20 ein calls, one
number per round (milliseconds). On two cores, ein's worker used to land
on the caller's core in some rounds (docs/performance.md, "Worker
placement"); EIN_PLACE_THREADS=0 shows that. A benchmark, not a test.

Usage: PYTHONPATH=build/python_packages python3 bench/after_blas.py
           [--rounds N] [--threads T]
"""
import argparse
import statistics
import time

import numpy as np

import ein

CASES = {
    "ring4": ("ab,bc,cd,da->", [(256, 256)] * 4),
    "bchain": ("bij,bjk,bkl->bil", [(16, 128, 128)] * 3),
    "3mm_b32_64": ("bij,bjk,bkl->bil", [(32, 64, 64)] * 3),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    ein.set_num_threads(args.threads)
    rng = np.random.default_rng(0)
    a = rng.random((512, 512), dtype=np.float32)
    for name, (spec, shapes) in CASES.items():
        xs = [rng.uniform(-1, 1, s).astype(np.float32) for s in shapes]
        ein.einsum(spec, *xs)  # compile

        def once():
            start = time.perf_counter()
            ein.einsum(spec, *xs)
            return time.perf_counter() - start
        rounds = []
        for _ in range(args.rounds):
            a @ a
            rounds.append(statistics.median(once() for _ in range(20)))
        slow = sum(t > 1.5 * min(rounds) for t in rounds)
        print(f"{name:12} " + " ".join(f"{t * 1e3:.2f}" for t in rounds)
              + f"   ({slow} of {len(rounds)} rounds > 1.5x the fastest)")


if __name__ == "__main__":
    main()
