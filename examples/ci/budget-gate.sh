#!/usr/bin/env sh
# Gate a pull request on LLM budgets with llm-decide, and write a short Markdown comment.
#
#   examples/ci/budget-gate.sh [BASE_REF] [SCENARIO_DIR] [COMMENT_FILE]
#
#   BASE_REF      the branch or commit the pull request goes into (default origin/main)
#   SCENARIO_DIR  the folder of scenario files (default scenarios)
#   COMMENT_FILE  where to write the Markdown comment (default llm-decide-comment.md)
#
# Environment:
#   LLM_DECIDE     the llm-decide command (default llm-decide)
#   PRICING        a pricing file or folder in the repository (optional): used for the head,
#                  the base branch's copy for the base; when the change edits it, every
#                  scenario is compared against the base's prices
#   WARN_INCREASE  a scenario's recommended monthly cost may grow by this share... (default 5%)
#   WARN_USD       ...and by this amount before the comment warns (default 100)
#   FAIL_INCREASE  the share... (default 10%)
#   FAIL_USD       ...and the amount above which the gate fails (default 500): a change fails
#                  only when it is over both, so a large share of a small bill, or a large
#                  amount on a large bill, is not a failure on its own
#   FAIL_ON_FLIP   fail when a scenario's recommendation changes (default yes)
#   MAX_COMMENT    the longest comment, characters (default 60000; GitHub takes 65536): the
#                  folded details are cut first, with a note
#   GITHUB_STEP_SUMMARY  when set (GitHub Actions sets it), the comment is added to it
#
# It runs `llm-decide check` on every scenario (each file's `budget:` block), then compares
# every scenario the change added, modified or renamed (every scenario when it edits PRICING)
# with its base: the base's file (its old path for a rename) decided at the base's prices,
# against the head's. The comment leads with one line and one small table and folds the
# rest; its first line is a hidden marker, so a workflow can find and update the same comment
# on every run. Bad input still writes a comment saying what is wrong, and each problem with a
# file and line is printed as a GitHub annotation (::error file=..,line=..::).
#
# Exit status: 0 every budget and gate holds, 1 one failed, 2 bad input. Needs git and jq.
set -u

BASE_REF=${1:-origin/main}
DIR=${2:-scenarios}
COMMENT=${3:-llm-decide-comment.md}
LLM_DECIDE=${LLM_DECIDE:-llm-decide}
WARN_INCREASE=${WARN_INCREASE:-5%}
WARN_USD=${WARN_USD:-100}
FAIL_INCREASE=${FAIL_INCREASE:-10%}
FAIL_USD=${FAIL_USD:-500}
FAIL_ON_FLIP=${FAIL_ON_FLIP:-yes}
MAX_COMMENT=${MAX_COMMENT:-60000}
MARKER='<!-- llm-decide budget gate -->'

work=.llm-decide-gate
rm -rf "$work"
mkdir -p "$work/base" "$work/out"
trap 'rm -rf "$work"' EXIT INT TERM

status=0
worst() { if [ "$1" -gt "$status" ]; then status=$1; fi; }
share() { echo "${1%\%}" | awk '{ printf "%.10g", $1 / 100 }'; }
WARN_SHARE=$(share "$WARN_INCREASE")
FAIL_SHARE=$(share "$FAIL_INCREASE")

# shellcheck disable=SC2016 # jq's own $-variables and \( interpolations, not the shell's
# jq helpers: text made safe for a Markdown table cell (no line breaks; the characters that
# would open markup, close the cell or start HTML escaped), and dollars.
JQ_DEFS='def md: tostring | gsub("[\r\n]+"; " ") | gsub("(?<c>[\\\\`*_{}\\[\\]<>|#!~])"; "\\\(.c)");
  def thousands: tostring | [scan(".{1,3}(?=(?:.{3})*$)")] | join(",");
  def usd: if . >= 100 then "$" + (round | thousands)
    else (. * 100 | round) as $c | "$\($c / 100 | floor)." + ("0\($c % 100)" | .[-2:]) end;
  def signed: if . >= 0 then "+" + usd else "-" + (-. | usd) end;
  def pct: (if . >= 0 then "+" else "" end) + "\(. * 1000 | round / 10)%";'
md() { printf '%s' "$1" | jq -Rr "$JQ_DEFS md"; }

# Each problem of a JSON error document as a GitHub annotation (with its file and line when
# it has them), its values escaped as the workflow-command format asks.
annotate() {
  jq -r '
    def data: tostring | gsub("%"; "%25") | gsub("\r"; "%0D") | gsub("\n"; "%0A");
    def prop: data | gsub(":"; "%3A") | gsub(","; "%2C");
    .error.problems[]?
    | "::error "
      + (if .source != null and .line != null
         then "file=" + (.source | prop) + ",line=" + (.line | tostring) + ","
         else "" end)
      + "title=llm-decide::"
      + ((if .field != null then "field `" + .field + "`: " else "" end)
         + .message + (if .fix != null then "; " + .fix else "" end) | data)
  ' "$1" 2>/dev/null
}

# Runs llm-decide; on bad input keeps the error document and its annotations. $1 names the
# run for the comment; the rest is the command line (which must ask for --format json).
problems=$work/problems.md
: > "$problems"
: > "$work/annotations"
run_json() {
  run_what=$1
  run_file=$2
  shift 2
  "$LLM_DECIDE" "$@" > "$run_file" 2> "$work/stderr"
  run_code=$?
  if [ "$run_code" -ge 2 ]; then
    annotate "$run_file" >> "$work/annotations"
    {
      echo "- $run_what:"
      echo '  ```text'
      if jq -e .error "$run_file" > /dev/null 2>&1; then
        jq -r '.error.message' "$run_file" | sed 's/^/  /'
      else
        sed 's/^/  /' "$work/stderr"
      fi
      echo '  ```'
    } >> "$problems"
  fi
  return "$run_code"
}

PRICING_ARGS=""
if [ -n "${PRICING:-}" ]; then PRICING_ARGS="--pricing $PRICING"; fi

# 1. Every scenario against its budget.
# shellcheck disable=SC2086
run_json "Budgets (\`llm-decide check $DIR\`)" "$work/check.json" check "$DIR" $PRICING_ARGS --format json
code=$?
worst "$code"
if [ "$code" -lt 2 ]; then
  # shellcheck disable=SC2086
  "$LLM_DECIDE" check "$DIR" $PRICING_ARGS --format markdown --output "$work/check.md" 2> /dev/null
fi

# 2. Which scenarios to compare, and with which base file: renames are followed (a moved or
#    renamed scenario is compared with its old path), a pricing change compares them all, a
#    new scenario is reported as new and a deleted one as removed.
BASE_PRICING_ARGS=""
pricing_changed=no
if [ -n "${PRICING:-}" ] && ! git diff --quiet "$BASE_REF" -- "$PRICING"; then
  pricing_changed=yes
fi
if [ -n "${PRICING:-}" ] && git cat-file -e "$BASE_REF:$PRICING" 2>/dev/null; then
  mkdir -p "$work/base-tree"
  git archive "$BASE_REF" "$PRICING" | tar -x -C "$work/base-tree"
  BASE_PRICING_ARGS="--pricing $work/base-tree/$PRICING"
fi
# "head<TAB>base" per scenario: base "-" for a new file, head "-" for a removed one.
git diff --name-status -M --diff-filter=AMRD "$BASE_REF" -- "$DIR" > "$work/status"
: > "$work/pairs"
while IFS="$(printf '\t')" read -r kind first second; do
  case "$kind" in
    R*) printf '%s\t%s\n' "$second" "$first" ;;
    A) printf '%s\t-\n' "$first" ;;
    D) printf -- '-\t%s\n' "$first" ;;
    *) printf '%s\t%s\n' "$first" "$first" ;;
  esac
done < "$work/status" | grep -E '\.ya?ml	|\.ya?ml$' >> "$work/pairs" || true
if [ "$pricing_changed" = yes ]; then
  cut -f1 "$work/pairs" > "$work/listed"
  find "$DIR" -type f \( -name '*.yaml' -o -name '*.yml' \) | sort | while IFS= read -r f; do
    if ! grep -qxF "$f" "$work/listed"; then
      if git cat-file -e "$BASE_REF:$f" 2>/dev/null; then printf '%s\t%s\n' "$f" "$f"; else printf '%s\t-\n' "$f"; fi
    fi
  done >> "$work/pairs"
fi

# 3. Each pair compared: one row of the table, the full diff folded.
rows=$work/rows.md
details=$work/details.md
: > "$rows"
: > "$details"
n=0
while IFS="$(printf '\t')" read -r head base; do
  n=$((n + 1))
  out=$work/out/$n
  if [ "$head" = - ]; then
    printf '| %s | removed | - | - | - |\n' "$(md "$base")" >> "$rows"
    continue
  fi
  name=$(md "$head")
  based=no
  if [ "$base" != - ] && git cat-file -e "$BASE_REF:$base" 2>/dev/null; then
    mkdir -p "$work/base/$n"
    copy=$work/base/$n/$(basename "$base")
    git show "$BASE_REF:$base" > "$copy"
    # A base that no longer decides (the tool or its prices moved under it) leaves the
    # head reported as new, never skipped.
    # shellcheck disable=SC2086
    if "$LLM_DECIDE" --scenario "$copy" $BASE_PRICING_ARGS --format json --output "$out.base.json" 2> /dev/null \
      || [ -s "$out.base.json" ]; then
      based=yes
    fi
  fi
  if [ "$based" = no ]; then
    # shellcheck disable=SC2086
    run_json "\`$head\` (new)" "$out.json" --scenario "$head" $PRICING_ARGS --format json
    if [ $? -ge 2 ]; then
      worst 2
      printf '| %s | bad input | - | - | :x: see below |\n' "$name" >> "$rows"
      continue
    fi
    jq -r --arg name "$name" "$JQ_DEFS"' .recommendation
      | "| \($name) | \(.choice | md) | \(.monthly_cost_usd | usd) | new | new scenario |"' "$out.json" >> "$rows"
    continue
  fi
  # shellcheck disable=SC2086
  run_json "\`$head\`" "$out.diff.json" diff "$out.base.json" "$head" $PRICING_ARGS --format json
  if [ $? -ge 2 ]; then
    worst 2
    printf '| %s | bad input | - | - | :x: see below |\n' "$name" >> "$rows"
    continue
  fi
  # shellcheck disable=SC2086
  "$LLM_DECIDE" diff "$out.base.json" "$head" $PRICING_ARGS --format markdown 2> /dev/null >> "$details"
  echo >> "$details"
  if [ "$base" != "$head" ]; then name="$name (was $(md "$base"))"; fi
  jq -r --arg name "$name" \
    --argjson warn "$WARN_SHARE" --argjson wusd "$WARN_USD" \
    --argjson fail "$FAIL_SHARE" --argjson fusd "$FAIL_USD" \
    --arg flip "$FAIL_ON_FLIP" "$JQ_DEFS"'
    .recommended as $r
    | ($r.delta_usd // 0) as $d | ($r.delta_share // 0) as $s
    | (if .flipped and $flip == "yes" then ["fail", ":x: recommendation changed"]
       elif $d > $fusd and $s > $fail then ["fail", ":x: over \($fail * 100)% and \($fusd | usd)"]
       elif $d > $wusd and $s > $warn then ["warn", ":warning: over \($warn * 100)% and \($wusd | usd)"]
       elif $d == 0 and (.flipped | not) then ["same", "no change"]
       else ["ok", ":white_check_mark:"] end) as $v
    | $v[0] + "\t| \($name) | "
      + (if .flipped then "\(.base.choice | md) → \(.head.choice | md)" else (.head.choice | md) end)
      + " | \($r.base_usd | usd) → \($r.head_usd | usd) | \($d | signed)"
      + (if $r.delta_share == null then "" else " (\($s | pct))" end)
      + " | \($v[1])" + (if .prices_changed then " (prices changed)" else "" end) + " |"
    ' "$out.diff.json" > "$out.row"
  case "$(cut -f1 "$out.row")" in fail) worst 1 ;; esac
  cut -f2- "$out.row" >> "$rows"
done < "$work/pairs"

# 4. The comment: a headline, one small table, the rest folded, cut to size.
diffs=$(find "$work/out" -name '*.diff.json' | sort)
others=$(grep -cv -e '| no change |' "$rows" || true)
# shellcheck disable=SC2086
summary=$(jq -rn "$JQ_DEFS"'
  [inputs] as $d
  | ($d | map(.recommended.delta_usd // 0) | add // 0) as $t
  | ($d | map(.recommended.delta_usd // 0) | add // 0 | . / ([$d[].recommended.base_usd // 0] | add // 1)) as $s
  | if ($d | length) == 1 then
      $d[0] | (if .flipped then "\(.base.choice | md) → \(.head.choice | md)" else (.head.choice | md) end)
        + ", \($t | signed) a month"
        + (if .recommended.delta_share == null then "" else " (\(.recommended.delta_share | pct))" end)
    else "\($t | signed) a month across \($d | length) scenarios" end
' $diffs < /dev/null 2> /dev/null)
if [ "$status" -ge 2 ]; then
  headline="**llm-decide could not read the input**: what is wrong is below."
elif [ "$others" -eq 0 ]; then
  headline="**No change** to any scenario's recommendation or cost."
else
  if [ -n "$diffs" ]; then headline="**$summary**."; else headline="**New or removed scenarios only.**"; fi
fi
case "$status" in
  0) headline="$headline Every budget and gate holds." ;;
  1) headline="$headline A budget or gate failed." ;;
esac
{
  echo "$MARKER"
  echo "### LLM cost and deployment"
  echo
  echo "$headline"
  if [ -s "$rows" ]; then
    echo
    echo "| Scenario | Recommendation | Monthly cost | Change | |"
    echo "| --- | --- | ---: | ---: | --- |"
    cat "$rows"
  fi
  if [ -s "$problems" ]; then
    echo
    echo "**What is wrong:**"
    echo
    cat "$problems"
  fi
} > "$work/head.md"
{
  if [ -f "$work/check.md" ]; then cat "$work/check.md"; echo; fi
  cat "$details"
} > "$work/fold.md"
room=$((MAX_COMMENT - $(wc -c < "$work/head.md") - 200))
{
  cat "$work/head.md"
  if [ -s "$work/fold.md" ]; then
    echo
    echo "<details><summary>Budgets and each scenario's options</summary>"
    echo
    if [ "$(wc -c < "$work/fold.md")" -gt "$room" ]; then
      head -c "$room" "$work/fold.md" | sed '$d'
      echo
      echo "*Cut at $MAX_COMMENT characters: run the job's llm-decide commands for the rest.*"
    else
      cat "$work/fold.md"
    fi
    echo
    echo "</details>"
  fi
} > "$COMMENT"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$COMMENT" >> "$GITHUB_STEP_SUMMARY"; fi
# Each problem once, though the check and the comparison both meet it.
awk '!seen[$0]++' "$work/annotations"
echo "llm-decide: wrote $COMMENT (exit status $status)" >&2
exit "$status"
