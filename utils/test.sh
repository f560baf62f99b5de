#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite through ctest:
# GoogleTest unit tests, the lit suite, pytest, the docs-*-current checks and
# `downstream` (examples/downstream built and lit-tested against ein
# installed into a temporary prefix). Exits non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ein_install_deps
ein_build

ein_log "running every suite (ctest: unit tests + lit)"
cd "$EIN_BUILD"
ctest --output-on-failure
