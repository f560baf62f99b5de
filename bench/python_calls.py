#!/usr/bin/python3
"""Python API costs (a benchmark, not a test): the call overhead of a cached
kernel (3x3 `ij,jk->ik`) next to numpy.einsum and torch.einsum (skipped with
a notice if python3-torch is absent), and the first call of new specs,
compilation included.

Usage: PYTHONPATH=build/python_packages python3 bench/python_calls.py
"""
import time

import numpy as np

import ein


def per_call(fn, repeat=20000):
    for _ in range(100):
        fn()
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        best = min(best, (time.perf_counter() - start) / repeat)
    return best


a, b = np.random.rand(3, 3), np.random.rand(3, 3)
start = time.perf_counter()
ein.einsum("ij,jk->ik", a, b)
print(f"first call in this process (context set-up + compile): "
      f"{(time.perf_counter() - start) * 1e3:.1f} ms")
rows = [("ein.einsum", lambda: ein.einsum("ij,jk->ik", a, b))]
expr = ein.compile("ij,jk->ik", a, b)
rows.append(("ein.compile(...)(a, b)", lambda: expr(a, b)))
rows.append(("numpy.einsum", lambda: np.einsum("ij,jk->ik", a, b)))
try:
    import torch
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    rows.append(("torch.einsum", lambda: torch.einsum("ij,jk->ik", ta, tb)))
except ImportError:
    print("torch: not installed (python3-torch), skipped")
print("\ncached 3x3 ij,jk->ik, float64, best of 5 x 20000 calls:")
for name, fn in rows:
    print(f"  {name:<24} {per_call(fn) * 1e6:8.2f} us")

print("\nfirst call of a new spec (compilation included):")
x = np.random.rand(4)
W = np.random.rand(3, 4)
cases = [
    ("ij,jk->ik 3x3", lambda: ein.einsum("ij,jk->ik", a, b, optimize="dp")),
    ("bij,bjk,bkl->bil 8x64x64", lambda: ein.einsum(
        "bij,bjk,bkl->bil", *[np.random.rand(8, 64, 64) for _ in range(3)])),
    ("ea,fb,abcd,gc,hd->efgh", lambda: ein.einsum(
        "ea,fb,abcd,gc,hd->efgh", *[np.random.rand(*s) for s in
                                    [(8, 8), (8, 8), (8, 8, 8, 8), (8, 8), (8, 8)]])),
    ("VJP i,i%j->j of tanh(Wx)", lambda: ein.eingrad(
        "i,i%j->j", np.ones(3),
        lambda x, W: ein.tanh(ein.einsum("ij,j->i", W, x)), (x, W))),
    ("hessian of x.A.x", lambda: ein.hessian(
        lambda x: ein.einsum("i,ij,j->", x, np.eye(4), x))(x)),
]
for name, fn in cases:
    start = time.perf_counter()
    fn()
    print(f"  {name:<28} {(time.perf_counter() - start) * 1e3:8.1f} ms")
print(f"\n{ein.cache_info()}")
