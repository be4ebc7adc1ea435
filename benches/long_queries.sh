#!/usr/bin/env bash
# Whole-process time of `passage query` for long queries: 100, 1,000 and 10,000 words
# and a 100 KB paste, cut from real text (contiguous runs of words, as a pasted
# paragraph would be).
#
# Usage: bash benches/long_queries.sh INDEX_DIR_OR_CORPUS [TEXT_SOURCE]
#   INDEX_DIR_OR_CORPUS  an index (a folder holding meta.json), or a corpus folder that
#                        is ingested into a temporary index first
#   TEXT_SOURCE          file or folder the queries are cut from (default: the corpus;
#                        with an index, the docs of ../shared/data/cranfield)
# Env: PASSAGE (default target/release/passage), RUNS (default 3; the median is shown),
#      TIMEOUT (seconds per run, default 120), SEED (default 1).
# Prints one line per query: words, bytes, median wall-clock ms, median CPU ms (user +
# system, steadier on a busy machine), hits, and the clause budget's
# warning in short (distinct clauses > limit) when the query went past it.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${PASSAGE:-$here/target/release/passage}
runs=${RUNS:-3}
timeout=${TIMEOUT:-120}
seed=${SEED:-1}
target=${1:?usage: long_queries.sh INDEX_DIR_OR_CORPUS [TEXT_SOURCE]}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ -f $target/meta.json ]]; then
    index=$target
    source=${2:-$here/../shared/data/cranfield/docs.jsonl}
else
    index=$work/index
    source=${2:-$target}
    "$bin" --index "$index" ingest --quiet "$target"
fi

if [[ ! -e $source ]]; then
    echo "long_queries.sh: no text source at $source; give TEXT_SOURCE" >&2
    exit 2
fi

# Queries: a contiguous run of words from a random file of the source, wrapping on to
# the next files when one is too short.
python3 - "$source" "$work" "$seed" <<'PY'
import os, random, re, sys
src, out, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = [src] if os.path.isfile(src) else sorted(
    os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs)
rng = random.Random(seed)
def text_from(i):
    with open(files[i % len(files)], encoding="utf-8", errors="replace") as f:
        return f.read()
def words(n):
    i = rng.randrange(len(files))
    got = []
    while len(got) < n:
        ws = text_from(i).split()
        start = rng.randrange(max(1, len(ws) - (n - len(got))))
        got += ws[start:start + n - len(got)]
        i += 1
    return " ".join(got)
def paste(nbytes):
    i = rng.randrange(len(files))
    got = ""
    while len(got.encode()) < nbytes:
        got += text_from(i) + "\n\n"
        i += 1
    b = got.encode()[:nbytes]
    return b.decode("utf-8", "ignore")
for name, q in [("w100", words(100)), ("w1000", words(1000)), ("w10000", words(10000)),
                ("b100k", paste(100_000))]:
    with open(os.path.join(out, name + ".txt"), "w") as f:
        f.write(q)
PY

printf '%-8s %8s %8s %10s %7s %5s  %s\n' query words bytes median_ms cpu_ms hits budget
for name in w100 w1000 w10000 b100k; do
    q=$work/$name.txt
    times=()
    cpus=()
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        set +e
        /usr/bin/time -f '%U %S' -o "$work/time" timeout "$timeout" \
            "$bin" --index "$index" query --json -- "$(cat "$q")" >"$work/out" 2>"$work/err"
        code=$?
        set -e
        end=$(date +%s%N)
        if [[ $code == 124 ]]; then
            times+=(">$((timeout * 1000))")
            break
        fi
        times+=($(((end - start) / 1000000)))
        cpus+=($(awk '{printf "%d", ($1 + $2) * 1000}' "$work/time"))
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((${#times[@]} + 1) / 2))p")
    cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(((${#cpus[@]} + 1) / 2))p")
    printf '%-8s %8s %8s %10s %7s %5s  %s\n' "$name" "$(wc -w <"$q")" "$(wc -c <"$q")" \
        "$median" "${cpu:-?}" "$(wc -l <"$work/out")" \
        "$(sed -n 's/^warning: the query has \([0-9]*\) distinct.* than the \([0-9]*\) .*/\1 > \2/p' "$work/err")"
done
