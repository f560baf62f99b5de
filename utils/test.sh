#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite (GoogleTest unit
# tests and the lit suite, both through ctest). Exits non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ein_install_deps
ein_build

ein_log "running every suite (ctest: unit tests + lit)"
cd "$EIN_BUILD"
ctest --output-on-failure
