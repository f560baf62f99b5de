#!/usr/bin/env bash
# Quick start on a fresh Debian 12 machine: install what is missing, build
# ein into build/, and run a demo. Idempotent; quick on a second run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ein_install_deps
ein_build

ein_log "demo 1: an exponential-space contraction round-tripped through ein-opt"
demo="$EIN_ROOT/test/Examples/demo.mlir"
"$EIN_BUILD/bin/ein-opt" "$demo"

ein_log "demo 2: bij,bjk,bkl->bil on random 8x256x256 inputs, JIT-compiled by ein-run"
"$EIN_BUILD/bin/ein-run" -e "bij,bjk,bkl->bil" \
  --random 8x256x256,8x256x256,8x256x256 --seed 1 --checksum --time --repeat 5

ein_log "demo 3: the Python package: einsum against numpy and a gradient"
PYTHONPATH="$EIN_BUILD/python_packages" /usr/bin/python3 - <<'PY'
import numpy as np, ein
a, b, c = (np.random.default_rng(1).random((8, 64, 64)) for _ in range(3))
r = ein.einsum("bij,bjk,bkl->bil", a, b, c)
print("ein.einsum == numpy.einsum:", np.allclose(r, np.einsum("bij,bjk,bkl->bil", a, b, c)))
x = np.linspace(-1, 1, 5)
g = ein.grad(lambda x: ein.sum(ein.tanh(x) ** 2))(x)
print("grad of sum(tanh(x)^2):", np.round(g, 6))
PY
