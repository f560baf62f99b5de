"""Writes a.npy, b.npy, c.npy, d.npy, z.npy (float64, seeded) into argv[1]."""
import os
import sys

import numpy as np

rng = np.random.default_rng(7)
shapes = {"a": (8, 64), "b": (64, 64), "c": (64, 64), "d": (64, 2), "z": (8, 2)}
for name, shape in shapes.items():
    np.save(os.path.join(sys.argv[1], name + ".npy"), rng.standard_normal(shape))
