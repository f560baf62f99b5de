#!/usr/bin/env bash
# Execution time of bij,bjk,bkl->bil with one loop nest (--path=none) and
# with the optimised path (--path=auto), through ein-run's JIT. Not a test.
# Usage: bench/path_exec.sh [BUILD_DIR]   (default: build)
set -euo pipefail
build=${1:-build}
run() { # shape repeat path
  local s=$1
  "$build/bin/ein-run" -e "bij,bjk,bkl->bil" --random "$s,$s,$s" --seed 1 \
    --time --repeat "$2" --path="$3" --checksum
}
for shape in 32x64x64 8x256x256; do
  for path in auto none; do
    repeat=5
    [[ $path == none && $shape == 8x256x256 ]] && repeat=1
    echo "== $shape --path=$path"
    run "$shape" "$repeat" "$path"
  done
done
