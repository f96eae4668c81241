#!/usr/bin/env sh
# Gate a pull request on LLM budgets with llm-decide, and write a Markdown comment.
#
#   examples/ci/budget-gate.sh [BASE_REF] [SCENARIO_DIR] [COMMENT_FILE]
#
#   BASE_REF      the branch or commit the pull request goes into (default origin/main)
#   SCENARIO_DIR  the folder of scenario files (default scenarios)
#   COMMENT_FILE  where to write the Markdown comment (default llm-decide-comment.md)
#
# Environment:
#   LLM_DECIDE    the llm-decide command (default llm-decide)
#   MAX_INCREASE  the largest growth of a scenario's recommended monthly cost (default 10%;
#                 a share like 10% or an amount like 500)
#   PRICING       a pricing file or folder in the repository (optional); when the change
#                 edits it, every scenario is diffed against the base's pricing data
#
# It runs `llm-decide check` on every scenario (each file's `budget:` block), then
# `llm-decide diff` for every scenario the pull request changed, gated by --fail-on-flip and
# --max-increase. Exit status: 0 every budget and gate holds, 1 one failed, 2 bad input.
set -u

BASE_REF=${1:-origin/main}
DIR=${2:-scenarios}
COMMENT=${3:-llm-decide-comment.md}
LLM_DECIDE=${LLM_DECIDE:-llm-decide}
MAX_INCREASE=${MAX_INCREASE:-10%}
PRICING_ARGS=""
if [ -n "${PRICING:-}" ]; then PRICING_ARGS="--pricing $PRICING"; fi

work=.llm-decide-gate
rm -rf "$work"
mkdir -p "$work/base"
trap 'rm -rf "$work"' EXIT INT TERM

status=0
worst() { if [ "$1" -gt "$status" ]; then status=$1; fi; }

# 1. Every scenario against its budget.
# shellcheck disable=SC2086
"$LLM_DECIDE" check "$DIR" $PRICING_ARGS --format markdown --output "$work/check.md"
code=$?
if [ "$code" -ge 2 ]; then exit "$code"; fi
worst "$code"
{
  echo "# LLM cost and deployment report"
  echo
  cat "$work/check.md"
} > "$COMMENT"

# 2. What the change does to each scenario: the base (its file and pricing data on BASE_REF)
#    saved as a JSON report, then diffed against the head. A pricing change touches every
#    scenario; otherwise only the scenario files the change added or modified are diffed.
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
if [ "$pricing_changed" = yes ]; then
  find "$DIR" -type f \( -name '*.yaml' -o -name '*.yml' \) | sort > "$work/changed"
else
  git diff --name-only --diff-filter=AM "$BASE_REF" -- "$DIR" | grep -E '\.ya?ml$' > "$work/changed" || true
fi
while IFS= read -r file; do
  [ -f "$file" ] || continue
  echo >> "$COMMENT"
  if git cat-file -e "$BASE_REF:$file" 2>/dev/null; then
    mkdir -p "$work/base/$(dirname "$file")"
    git show "$BASE_REF:$file" > "$work/base/$file"
    # shellcheck disable=SC2086
    "$LLM_DECIDE" --scenario "$work/base/$file" $BASE_PRICING_ARGS --format json \
      --output "$work/base/$file.json"
    code=$?
    if [ "$code" -ge 2 ]; then exit "$code"; fi
    # shellcheck disable=SC2086
    "$LLM_DECIDE" diff "$work/base/$file.json" "$file" $PRICING_ARGS \
      --fail-on-flip --max-increase "$MAX_INCREASE" --format markdown --output "$work/diff.md"
    code=$?
    if [ "$code" -ge 2 ]; then exit "$code"; fi
    worst "$code"
    cat "$work/diff.md" >> "$COMMENT"
  else
    echo "New scenario \`$file\`:" >> "$COMMENT"
    echo >> "$COMMENT"
    # shellcheck disable=SC2086
    "$LLM_DECIDE" --scenario "$file" $PRICING_ARGS --format markdown --output "$work/new.md"
    code=$?
    if [ "$code" -ge 2 ]; then exit "$code"; fi
    worst "$code"
    cat "$work/new.md" >> "$COMMENT"
  fi
done < "$work/changed"

if [ "$status" -eq 0 ]; then
  printf '\n**Every budget and gate holds.**\n' >> "$COMMENT"
else
  printf '\n**A budget or gate failed: see the FAIL rows above.**\n' >> "$COMMENT"
fi
echo "llm-decide: wrote $COMMENT (exit status $status)" >&2
exit "$status"
