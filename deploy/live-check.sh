#!/usr/bin/env bash
# Live end-to-end check of the worker against real BigQuery, in throw-away datasets that it deletes
# again: bootstrap, one onboarding, a no-op sync and a drift check, with calls, bytes billed and
# latency per step. Runbook: deploy/README.md, "Live check against real BigQuery".
#
#   deploy/live-check.sh [PROJECT_ID] [Maven arguments...]
#
# PROJECT_ID defaults to GOOGLE_CLOUD_PROJECT; credentials are Application Default Credentials
# (gcloud auth application-default login, or GOOGLE_APPLICATION_CREDENTIALS=key.json).
# Exit code: 0 passed, or skipped because a project or credentials are missing (it says which);
# non-zero when a step or the clean-up failed.
set -euo pipefail
cd "$(dirname "$0")/.."

project="${GOOGLE_CLOUD_PROJECT:-}"
if [[ $# -gt 0 && "$1" != -* ]]; then
  project="$1"
  shift
fi

if [[ -z "$project" ]]; then
  cat <<'TEXT'
Live BigQuery check skipped: no project. Set both of these and run it again:
  project:     deploy/live-check.sh <project-id>   (or GOOGLE_CLOUD_PROJECT=<project-id>)
  credentials: gcloud auth application-default login
               (or GOOGLE_APPLICATION_CREDENTIALS=/path/to/service-account-key.json)
TEXT
  exit 0
fi

# Credentials are looked up by the check itself, exactly as the BigQuery client looks them up.
exec ./mvnw -Plive-bigquery test -Dlive.project="$project" "$@"
