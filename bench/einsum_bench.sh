#!/usr/bin/env bash
# Installs the benchmark peers (OpenBLAS for numpy, PyTorch) if missing,
# builds ein, and runs bench/einsum_bench.py (every case of
# shared/bench/cases.json through ein, numpy and torch, 1 and 2 threads,
# forward and forward + VJP). Arguments go to einsum_bench.py.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../utils/common.sh"
ein_install_deps
ein_install_deps "${EIN_BENCH_PACKAGES[@]}"
ein_build
PYTHONPATH="$EIN_BUILD/python_packages" /usr/bin/python3 \
  "$EIN_ROOT/bench/einsum_bench.py" "$@"
