#!/usr/bin/env bash
# Forward vs VJPs (and forward + VJPs) with respect to all three operands of
# bij,bjk,bkl->bil (f32), through ein-run's JIT: how many forwards the
# gradients cost. Not a test.
# Usage: bench/grad_exec.sh [BUILD_DIR] [BxNxN]   (default: build 32x64x64)
set -euo pipefail
build=${1:-build}
shape=${2:-32x64x64}
T="tensor<${shape}xf32>"
file=$(mktemp --suffix=.mlir)
trap 'rm -f "$file"' EXIT
cat > "$file" <<MLIR
func.func private @f(%a: $T, %b: $T, %c: $T) -> $T {
  %r = ein.contract "bij,bjk,bkl->bil" %a, %b, %c : $T, $T, $T -> $T
  return %r : $T
}
func.func @fwd(%g: $T, %a: $T, %b: $T, %c: $T) -> $T {
  %r = func.call @f(%a, %b, %c) : ($T, $T, $T) -> $T
  return %r : $T
}
func.func @grads(%g: $T, %a: $T, %b: $T, %c: $T) -> ($T, $T, $T) {
  %ga = ein.grad "bil,bil%bij->bij" %g, @f(%a, %b, %c) wrt 0 : ($T, $T, $T, $T) -> $T
  %gb = ein.grad "bil,bil%bjk->bjk" %g, @f(%a, %b, %c) wrt 1 : ($T, $T, $T, $T) -> $T
  %gc = ein.grad "bil,bil%bkl->bkl" %g, @f(%a, %b, %c) wrt 2 : ($T, $T, $T, $T) -> $T
  return %ga, %gb, %gc : $T, $T, $T
}
func.func @all(%g: $T, %a: $T, %b: $T, %c: $T) -> ($T, $T, $T, $T) {
  %r = func.call @f(%a, %b, %c) : ($T, $T, $T) -> $T
  %ga = ein.grad "bil,bil%bij->bij" %g, @f(%a, %b, %c) wrt 0 : ($T, $T, $T, $T) -> $T
  %gb = ein.grad "bil,bil%bjk->bjk" %g, @f(%a, %b, %c) wrt 1 : ($T, $T, $T, $T) -> $T
  %gc = ein.grad "bil,bil%bkl->bkl" %g, @f(%a, %b, %c) wrt 2 : ($T, $T, $T, $T) -> $T
  return %r, %ga, %gb, %gc : $T, $T, $T, $T
}
MLIR
run() {
  echo "== $shape @$1 ${*:2}"
  "$build/bin/ein-run" "$file" --entry "$1" "${@:2}" \
    --random "$shape,$shape,$shape,$shape" --seed 1 --time --repeat 10
}
run fwd
run grads
run all
# Checkpointing: nothing kept for the backward pass, A.B recomputed.
run all --max-stored-bytes 1
# FLOPs of each function after ein's passes.
"$build/bin/ein-run" "$file" --report --no-run
