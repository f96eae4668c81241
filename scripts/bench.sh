#!/usr/bin/env bash
# Benchmarks anyone can rerun: `scripts/bench.sh`. Builds the release binary, then prints the
# median wall time and peak memory of whole processes next to `true` measured in the same run,
# then runs `cargo bench` (the library-level cases). No figure is asserted; they go into
# docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/llm-decide
runs=${RUNS:-41}

# median_ms CMD...: the median wall time of RUNS runs, in ms.
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" > /dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)] / 1000}'
}

peak_kb() {
  /usr/bin/time -f %M "$@" 2>&1 > /dev/null | tail -1
}

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# 1,000 scenario files: the ready-made ones at varied volumes.
for i in $(seq 0 999); do
  src=$(ls scenarios/*.yaml | sed -n "$(( i % 5 + 1 ))p")
  sed "s/^tokens_per_month: .*/tokens_per_month: $(( 50 + 7 * i ))M/" "$src" > "$dir/s$i.yaml"
done

printf '%-58s %10s %10s\n' "case" "median ms" "peak KB"
row() { printf '%-58s %10s %10s\n' "$1" "$(median_ms "${@:2}")" "$(peak_kb "${@:2}")"; }
row "true (process start, for reference)" true
row "llm-decide --tokens 800M --latency 150ms" "$bin" --tokens 800M --latency 150ms
row "llm-decide --tokens 800M --latency 150ms --format json" "$bin" --tokens 800M --latency 150ms --format json
row "llm-decide --tokens 800M --draws 100000" "$bin" --tokens 800M --draws 100000
row "llm-decide crossover --tokens 800M --steps 200" "$bin" crossover --tokens 800M --steps 200
runs=5 row "llm-decide check (1,000 files)" "$bin" check "$dir"
runs=5 row "llm-decide check (2,000 files: the same twice)" "$bin" check "$dir" "$dir"

cargo bench --bench engine
