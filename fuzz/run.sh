#!/usr/bin/env bash
# Runs one fuzz target for a fixed time on the stable toolchain and prints what it did.
#
#   fuzz/run.sh TARGET SECONDS [LIBFUZZER_FLAG...]
#   MERGE=1 fuzz/run.sh TARGET SECONDS   # then add the inputs that cover new edges to corpus/TARGET
#
# TARGET is one of: split analyzer query highlight decode terminal cost. Needs cargo-fuzz
# (`cargo install cargo-fuzz`); no nightly: `--sanitizer none` builds with the stable
# compiler (coverage instrumentation, debug assertions, no AddressSanitizer, which safe
# Rust does not need). The saved corpus corpus/TARGET is read, never written (unless
# MERGE=1); new inputs go to work/TARGET, a crash to artifacts/TARGET/, the full libFuzzer
# log to work/TARGET.log. Exit status: 0 when nothing was found, non-zero on a crash.
set -euo pipefail

usage="usage: fuzz/run.sh TARGET SECONDS [LIBFUZZER_FLAG...] (TARGET: split analyzer query highlight decode terminal cost)"
target=${1:?$usage}
seconds=${2:?$usage}
shift 2
case $target in
    split | analyzer | query | highlight | decode | terminal | cost) ;;
    *) echo "$usage" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is missing: cargo install cargo-fuzz" >&2
    exit 2
fi

mkdir -p "work/$target" "artifacts/$target"
log="work/$target.log"
cargo fuzz build --fuzz-dir "$here" --sanitizer none "$target"
status=0
cargo fuzz run --fuzz-dir "$here" --sanitizer none "$target" "work/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -max_len=8192 -print_final_stats=1 "$@" \
    >"$log" 2>&1 || status=$?

# The summary: seeds loaded, the last coverage line, the final statistics, any crash.
grep -E '^INFO: seed corpus|INITED|DONE|^stat::|panicked at|^SUMMARY|Test unit written|ERROR: libFuzzer' "$log" || true
grep -E '^#[0-9]+' "$log" | tail -n 1 || true
if [ "$status" -ne 0 ]; then
    echo "fuzz/run.sh: $target stopped with status $status; see fuzz/$log and fuzz/artifacts/$target/" >&2
    grep -A3 'panicked at' "$log" | head -n 20 >&2 || true
    exit "$status"
fi
if [ "${MERGE:-0}" = 1 ]; then
    cargo fuzz run --fuzz-dir "$here" --sanitizer none "$target" "corpus/$target" "work/$target" -- \
        -merge=1 -use_counters=0 -timeout=10 -max_len=8192 >"work/$target.merge.log" 2>&1
    grep -E '^MERGE-OUTER: [0-9]+ new files' "work/$target.merge.log" || true
fi
