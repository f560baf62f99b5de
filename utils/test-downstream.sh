#!/usr/bin/env bash
# Installs the built ein (build/, or $EIN_BUILD) into a temporary prefix,
# then configures, builds and lit-tests examples/downstream against it: the
# check that a compiler outside this tree can use ein through
# find_package(Ein). ctest runs it as the `downstream` test. Exits non-zero
# on any failure; the prefix and the example's build are removed afterwards
# (kept with EIN_KEEP_DOWNSTREAM=1).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/ein-downstream.XXXXXX")"
if [ "${EIN_KEEP_DOWNSTREAM:-0}" != 1 ]; then
  trap 'rm -rf "$work"' EXIT
fi
prefix="$work/prefix"

ein_log "installing ein into $prefix"
cmake --install "$EIN_BUILD" --prefix "$prefix" >/dev/null

ein_log "building examples/downstream against it"
cmake -G Ninja -S "$EIN_ROOT/examples/downstream" -B "$work/build" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$LLVM_PREFIX/bin/clang" \
  -DCMAKE_CXX_COMPILER="$LLVM_PREFIX/bin/clang++" \
  -DCMAKE_EXE_LINKER_FLAGS="-fuse-ld=lld" \
  -DCMAKE_PREFIX_PATH="$prefix" \
  -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build "$work/build"

ein_log "running the downstream lit tests"
cmake --build "$work/build" --target check-downstream
