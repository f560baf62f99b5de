#!/usr/bin/env bash
# A bounded libFuzzer campaign: each fuzzer of $EIN_BUILD/bin runs for the
# given seconds (default 20) from a copy of its checked-in corpus
# (fuzz/corpus/<target>/). A crash fails the script; libFuzzer leaves the
# input as crash-* in the work directory, which is printed: add it to
# fuzz/corpus/<target>/ (the ctest fuzz-corpus-* tests replay it) and fix.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

seconds="${1:-20}"
work="$(mktemp -d "${TMPDIR:-/tmp}/ein-fuzz.XXXXXX")"
for target in spec npy; do
  fuzzer="$EIN_BUILD/bin/ein-$target-fuzzer"
  mkdir -p "$work/$target"
  cp "$EIN_ROOT/fuzz/corpus/$target/"* "$work/$target/"
  ein_log "fuzzing $target for ${seconds}s"
  if ! (cd "$work" && "$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -seed="${EIN_FUZZ_SEED:-1}" \
          -max_len=4096 -print_final_stats=1 "$work/$target" 2>"$work/$target.log"); then
    tail -40 "$work/$target.log"
    echo "utils/fuzz.sh: ein-$target-fuzzer crashed; inputs kept in $work" >&2
    exit 1
  fi
  grep -E "stat::number_of_executed_units|stat::new_units_added" "$work/$target.log" || true
done
rm -rf "$work"
