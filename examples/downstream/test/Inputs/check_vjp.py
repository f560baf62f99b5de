"""Compares ein-run's g.npy with numpy's VJP of ((a b) c) d w.r.t. b."""
import os
import sys

import numpy as np

d = sys.argv[1]
a, c, dd, z = (np.load(os.path.join(d, n + ".npy")) for n in "acdz")
want = a.T @ z @ (c @ dd).T
got = np.load(os.path.join(d, "g.npy"))
if got.shape != want.shape or not np.allclose(got, want, rtol=1e-12, atol=1e-12):
    print(f"vjp_b differs: max error {np.max(np.abs(got - want))}")
    sys.exit(1)
print("vjp_b matches numpy")
