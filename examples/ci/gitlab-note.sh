#!/usr/bin/env sh
# Posts COMMENT_FILE as a note on the GitLab merge request of this pipeline, or updates the
# note posted before (found by the comment's hidden first line).
#
#   examples/ci/gitlab-note.sh COMMENT_FILE
#
# Environment: CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID (GitLab sets them) and
# LLM_DECIDE_GITLAB_TOKEN (a project access token with the api scope). Needs curl and jq.
set -eu
file=$1
api="$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes"
auth="PRIVATE-TOKEN: $LLM_DECIDE_GITLAB_TOKEN"
marker=$(head -n 1 "$file")
id=$(curl -fsS -H "$auth" "$api?per_page=100&sort=asc" \
  | jq -r --arg m "$marker" '[.[] | select(.body | startswith($m)) | .id][0] // empty')
body=$(jq -Rs '{body: .}' "$file")
if [ -n "$id" ]; then
  curl -fsS -X PUT -H "$auth" -H 'Content-Type: application/json' -d "$body" "$api/$id" > /dev/null
else
  curl -fsS -X POST -H "$auth" -H 'Content-Type: application/json' -d "$body" "$api" > /dev/null
fi
