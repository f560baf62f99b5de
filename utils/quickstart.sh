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
