#!/bin/sh
# Writes the organization's OpenAI usage (completions, hourly buckets, grouped by model) for the
# last DAYS days to OUT, one page a line, following next_page: the export `llm-decide usage`
# and `llm-decide check --usage` read.
#   OPENAI_ADMIN_KEY=... sh examples/ci/fetch-openai-usage.sh [DAYS] [OUT]
# Needs curl and jq. The API: GET /v1/organization/usage/completions (OpenAI's API reference).
set -eu
days=${1:-35}
out=${2:-usage.jsonl}
base=${OPENAI_API_BASE:-https://api.openai.com}
start=$(( $(date +%s) / 3600 * 3600 - days * 86400 ))
page=""
: > "$out"
while :; do
  url="$base/v1/organization/usage/completions?start_time=$start&bucket_width=1h&group_by=model&limit=168"
  [ -n "$page" ] && url="$url&page=$page"
  body=$(curl -fsS -H "Authorization: Bearer $OPENAI_ADMIN_KEY" "$url")
  printf '%s' "$body" | jq -c . >> "$out"
  page=$(printf '%s' "$body" | jq -r '.next_page // empty')
  [ -n "$page" ] || break
done
