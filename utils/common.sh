# Shared by utils/quickstart.sh and utils/test.sh: install what is missing
# (Debian 12, apt), configure and build into build/. Source it; do not run it.

EIN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EIN_BUILD="${EIN_BUILD:-$EIN_ROOT/build}"
LLVM_PREFIX=/usr/lib/llvm-22

# Packages ein needs from Debian's archive (LLVM/MLIR 22 come from
# bookworm-security / the LLVM 22 backport that Debian 12 carries).
EIN_PACKAGES=(
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools clang-22 lld-22
  libomp-22-dev libclang-rt-22-dev
  cmake ninja-build libgtest-dev
  python3 python3-numpy python3-pytest pybind11-dev python3-dev
)

# Peers for the benchmarks only (bench/einsum_bench.sh installs them):
# numpy on OpenBLAS instead of the reference BLAS, and PyTorch.
EIN_BENCH_PACKAGES=(libopenblas0-pthread python3-torch)

ein_log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

ein_run_privileged() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the missing packages (the arguments, or EIN_PACKAGES); a no-op
# (no apt call) when all are present.
ein_install_deps() {
  local wanted=("$@")
  [ ${#wanted[@]} -eq 0 ] && wanted=("${EIN_PACKAGES[@]}")
  local missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    ein_log "all packages present"
    return 0
  fi
  ein_log "installing: ${missing[*]}"
  ein_run_privileged apt-get update -qq
  ein_run_privileged env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Configures (once) and builds everything into $EIN_BUILD (build/). Extra
# arguments go to the first configuration (e.g. -DLLVM_USE_SANITIZER=...).
ein_build() {
  if [ ! -f "$EIN_BUILD/build.ninja" ]; then
    ein_log "configuring $EIN_BUILD"
    cmake -G Ninja -S "$EIN_ROOT" -B "$EIN_BUILD" "$@" \
      -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_COMPILER="$LLVM_PREFIX/bin/clang" \
      -DCMAKE_CXX_COMPILER="$LLVM_PREFIX/bin/clang++" \
      -DLLVM_USE_LINKER=lld \
      -DCMAKE_EXE_LINKER_FLAGS="-fuse-ld=lld" \
      -DCMAKE_SHARED_LINKER_FLAGS="-fuse-ld=lld" \
      -DMLIR_DIR="$LLVM_PREFIX/lib/cmake/mlir" \
      -DLLVM_EXTERNAL_LIT="$LLVM_PREFIX/bin/lit" \
      -DPython3_EXECUTABLE=/usr/bin/python3 \
      -DPython_EXECUTABLE=/usr/bin/python3
  fi
  ein_log "building"
  cmake --build "$EIN_BUILD" --target all mlir-doc
}
