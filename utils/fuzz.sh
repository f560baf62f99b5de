#!/usr/bin/env bash
# A bounded fuzzing campaign: each libFuzzer target of $EIN_BUILD/bin (spec
# parser and shape inference, .npy reader, ein-opt's parse -> verify ->
# pipeline) runs for the given seconds (default 20) from a copy of its
# checked-in corpus (fuzz/corpus/<target>/), then the Python package's
# random-spec campaign (fuzz/python_campaign.py) for as long. A crash fails
# the script; libFuzzer leaves the input as crash-* in the work directory,
# which is printed: add it to fuzz/corpus/<target>/ (the ctest
# fuzz-corpus-* tests replay it) and fix. The Python campaign prints its
# failing case: add it to fuzz/corpus/python/ (pytest replays it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

seconds="${1:-20}"
work="$(mktemp -d "${TMPDIR:-/tmp}/ein-fuzz.XXXXXX")"
for target in spec npy pipeline; do
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
ein_log "Python random-spec campaign for ${seconds}s"
if ! PYTHONPATH="$EIN_BUILD/python_packages" /usr/bin/python3 \
     "$EIN_ROOT/fuzz/python_campaign.py" --seconds "$seconds" \
     --seed "${EIN_FUZZ_SEED:-1}"; then
  echo "utils/fuzz.sh: the Python campaign failed (case above)" >&2
  exit 1
fi
rm -rf "$work"
