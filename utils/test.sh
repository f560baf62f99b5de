#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite through ctest:
# GoogleTest unit tests, the lit suite, pytest, the docs-*-current checks and
# `downstream` (examples/downstream built and lit-tested against ein
# installed into a temporary prefix). Exits non-zero on any failure.
#
#   utils/test.sh             the normal build in build/
#   utils/test.sh --sanitize  an AddressSanitizer + UndefinedBehaviorSanitizer
#                             build in build-sanitize/ (clang-22,
#                             libclang-rt-22-dev); runs the unit, lit and
#                             Python suites with every report fatal
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

sanitize=0
for arg in "$@"; do
  case "$arg" in
    --sanitize) sanitize=1 ;;
    *) echo "utils/test.sh: unknown argument '$arg' (expected --sanitize or nothing)" >&2
       exit 1 ;;
  esac
done

if [ "$sanitize" = 1 ]; then
  ein_install_deps
  EIN_BUILD="${EIN_SANITIZE_BUILD:-$EIN_ROOT/build-sanitize}"
  # LLVM's own sanitizer switch; UBSan with every check fatal, minus vptr and
  # function (the uninstrumented libMLIR.so's types would be false reports).
  ein_build "-DLLVM_USE_SANITIZER=Address;Undefined" \
    "-DLLVM_UBSAN_FLAGS=-fsanitize=undefined -fno-sanitize=vptr,function -fno-sanitize-recover=all"
  ein_log "running the unit, lit and Python suites under ASan + UBSan"
  cd "$EIN_BUILD"
  # UBSan reports abort (-fno-sanitize-recover=all); ASan aborts on its
  # first error. The
  # downstream example is left out: it links the instrumented archives into
  # an uninstrumented tool.
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  # libMLIR.so is not instrumented: allocator poisoning that LLVM's headers
  # inline into ein's code would be reported when libMLIR writes the memory,
  # and likewise container annotations; both are off. Leak checking is off
  # too: ein-run's one-line errors exit(1) with the JIT alive, which LSan
  # reports (memory the exiting process still owns).
  export ASAN_OPTIONS="abort_on_error=1:detect_leaks=0:allow_user_poisoning=0:detect_container_overflow=0"
  ctest --output-on-failure -E '^downstream$'
  exit 0
fi

ein_install_deps
ein_build

ein_log "running every suite (ctest)"
(cd "$EIN_BUILD" && ctest --output-on-failure)

"$EIN_ROOT/utils/fuzz.sh" "${EIN_FUZZ_SECONDS:-20}"
