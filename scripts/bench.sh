#!/usr/bin/env bash
# Benchmarks anyone can rerun: `scripts/bench.sh`. Prints
#   1. peak memory of whole processes (`/usr/bin/time`, when the machine has it),
#   2. `cargo bench --bench process`: median wall time of whole processes next to `true`,
#      measured in the same rounds (RUNS rounds, default 101),
#   3. `cargo bench --bench engine`: the library-level cases.
# No figure is asserted; they go into docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/llm-decide

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# 1,000 and 10,000 scenario files: the ready-made ones at varied volumes (file i is scenario
# i mod 5 at 50M + 7i M tokens a month; the first 1,000 are the 1,000-file case).
mkdir -p "$dir/k1" "$dir/k10"
python3 - "$dir" <<'PY'
import pathlib, re, sys
out = pathlib.Path(sys.argv[1])
sources = sorted(pathlib.Path("scenarios").glob("*.yaml"))
texts = [p.read_text() for p in sources]
for i in range(10_000):
    text = re.sub(r"(?m)^tokens_per_month: .*$", f"tokens_per_month: {50 + 7 * i}M", texts[i % 5])
    (out / "k10" / f"s{i}.yaml").write_text(text)
    if i < 1_000:
        (out / "k1" / f"s{i}.yaml").write_text(text)
PY

if [ -x /usr/bin/time ]; then
  printf '%-58s %10s\n' "peak memory" "KB"
  peak() { printf '%-58s %10s\n' "$1" "$(/usr/bin/time -f %M "${@:2}" 2>&1 > /dev/null | tail -1)"; }
  peak "true" true
  peak "llm-decide --tokens 800M --latency 150ms" "$bin" --tokens 800M --latency 150ms
  peak "llm-decide --tokens 800M --latency 150ms --format json" "$bin" --tokens 800M --latency 150ms --format json
  peak "llm-decide --tokens 800M --draws 100000" "$bin" --tokens 800M --draws 100000
  peak "llm-decide crossover --tokens 800M --steps 200" "$bin" crossover --tokens 800M --steps 200
  peak "llm-decide check (1,000 files)" "$bin" check "$dir/k1"
  peak "llm-decide check (2,000 files: the folder twice)" "$bin" check "$dir/k1" "$dir/k1"
  peak "llm-decide check (10,000 files)" "$bin" check "$dir/k10"
  peak "llm-decide compare (1,000 files) --format json" "$bin" compare "$dir/k1" --format json
  echo
else
  echo "(no /usr/bin/time here: peak memory skipped)"
fi

# Usage exports: LiteLLM spend logs of 100 MiB and 1 GiB (JSON lines and CSV), read by
# `llm-decide usage` next to `wc -l` on the same file (the file in the page cache for both);
# the best of three wall times and the peak memory. USAGE_GIB=0 skips the 1 GiB files.
printf '\n%-34s %10s %10s %10s %10s\n' "usage export" "wc -l s" "usage s" "MB/s" "peak KB"
for size in 100 $(( ${USAGE_GIB:-1} * 1024 )); do
  [ "$size" = 0 ] && continue
  for ext in jsonl csv; do
    f="$dir/logs-$size.$ext"
    python3 scripts/usage_bench.py "$f" "$size"
    best() { for _ in 1 2 3; do /usr/bin/time -f "%e %M" "$@" 2>&1 > /dev/null | tail -1; done | sort -n | head -1; }
    read -r wc_s _ < <(best wc -l "$f")
    read -r u_s u_kb < <(best "$bin" usage "$f")
    mb=$(python3 -c "print(f'{$(stat -c %s "$f") / 1e6 / $u_s:.0f}')")
    printf '%-34s %10s %10s %10s %10s\n' "$size MiB $ext" "$wc_s" "$u_s" "$mb" "$u_kb"
    rm -f "$f"
  done
done
echo

cargo bench --bench process
cargo bench --bench engine
