#!/usr/bin/env bash
# Quick start on a fresh Debian 12 machine: install what is missing, build
# ein into build/, and run a demo. Idempotent; quick on a second run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ein_install_deps
ein_build

ein_log "demo: an exponential-space contraction round-tripped through ein-opt"
demo="$EIN_ROOT/test/Examples/demo.mlir"
echo "--- input ($demo)"
cat "$demo"
echo "--- ein-opt output"
"$EIN_BUILD/bin/ein-opt" "$demo"
