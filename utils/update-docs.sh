#!/usr/bin/env bash
# Regenerates the reference docs from ODS (mlir-doc) and copies them into
# docs/: the dialect (docs/Dialects/Ein.md), the passes (docs/Passes.md) and
# the interface (docs/Interfaces/). The ctest tests docs-*-current fail when
# the checked-in copies are stale.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cmake --build "$EIN_BUILD" --target mlir-doc ein-doc
mkdir -p "$EIN_ROOT/docs/Dialects" "$EIN_ROOT/docs/Interfaces"
cp "$EIN_BUILD/docs/Dialects/Ein.md" "$EIN_ROOT/docs/Dialects/"
cp "$EIN_BUILD/docs/Passes.md" "$EIN_ROOT/docs/"
cp "$EIN_BUILD/docs/Interfaces/DifferentiableOpInterface.md" "$EIN_ROOT/docs/Interfaces/"
ein_log "docs/ updated from ODS"
