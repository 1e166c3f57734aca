#!/usr/bin/env bash
# Node tests of the TypeScript client (clients/typescript): installs the locked dependencies,
# type-checks, then runs `node --test` (validator, generated-sources staleness, publish helpers
# against a Pub/Sub emulator it starts, and an onboarding through the worker when the Maven build
# left its jar: the worker runs in the local profile with its own emulators and is stopped after).
#
#   ./test.sh                 install, type-check and test (by hand)
#   ./test.sh install STATE   install and type-check only: STATE.running holds its process id while
#                             it works, STATE.log its output, STATE.rc its exit code. ./mvnw verify
#                             starts it in the background before the Java tests.
#   ./test.sh tests STATE     waits for that install, prints its output, then tests (installing
#                             itself when no install ran). ./mvnw verify runs it after the jar.
set -euo pipefail
cd "$(dirname "$0")"
mode="${1:-all}"
state="${2:-}"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIPPED clients/typescript tests: node and npm are not on PATH (Node >= 20 needed)"
  exit 0
fi
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 20 ]; then
  echo "SKIPPED clients/typescript tests: Node $(node --version) found, Node >= 20 needed"
  exit 0
fi

install() {
  npm ci --no-audit --no-fund --prefer-offline
  npm run typecheck
}

if [ "$mode" = install ]; then
  rm -f "$state.rc"
  exec >"$state.log" 2>&1
  echo $$ >"$state.running"
  trap 'rc=$?; echo "$rc" >"$state.rc"; rm -f "$state.running"' EXIT
  trap 'exit 143' TERM INT
  echo "clients/typescript: node $(node --version), npm $(npm --version) (install and type-check)"
  install
  exit 0
fi

echo "clients/typescript: node $(node --version), npm $(npm --version)"

jar=../../target/worker/org-provisioner-runner.jar
worker_pid=""
stop_worker() {
  if [ -n "$worker_pid" ]; then
    kill "$worker_pid" 2>/dev/null || true
    wait "$worker_pid" 2>/dev/null || true
  fi
}
trap stop_worker EXIT
if [ -f "$jar" ] && command -v java >/dev/null 2>&1; then
  work="$(mktemp -d)"
  log="$work/worker.log"
  # The local profile starts its own emulators; no demo, a throw-away warehouse, a free HTTP port.
  # The production JVM flags (src/main/jvm/jvm.options, as run-local and the Docker image use them).
  java @../../src/main/jvm/jvm.options -Dquarkus.profile=local -D%local.provisioner.demo=false \
    "-D%local.warehouse.duckdb.path=$work/warehouse" -Dquarkus.http.port=0 \
    -jar "$jar" >"$log" 2>&1 &
  worker_pid=$!
fi

# The worker starts while the dependencies install (or while the background install finishes).
installed=""
if [ "$mode" = tests ]; then
  deadline=$((SECONDS + 300))
  while [ -f "$state.running" ] && kill -0 "$(cat "$state.running" 2>/dev/null || echo 0)" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "clients/typescript: the background install did not finish within 300 s" >&2
      exit 1
    fi
    sleep 1
  done
  if [ -f "$state.rc" ]; then
    echo "clients/typescript: the background install's output ($state.log):"
    cat "$state.log" 2>/dev/null || true
    if [ "$(cat "$state.rc")" != 0 ]; then
      echo "clients/typescript: the background install failed (exit $(cat "$state.rc"))" >&2
      exit 1
    fi
    installed=yes
  fi
fi
if [ -z "$installed" ]; then
  install
fi

if [ -n "$worker_pid" ]; then
  deadline=$((SECONDS + 180))
  until grep -q "Installed features" "$log"; do
    if ! kill -0 "$worker_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      echo "clients/typescript: the worker did not start within 180 s; its log:" >&2
      tail -40 "$log" >&2
      exit 1
    fi
    sleep 1
  done
  ORG_PROVISIONER_PUBSUB_EMULATOR_HOST="$(sed -n 's/.*Local stack: Pub\/Sub emulator at \([^ ]*\) .*/\1/p' "$log" | head -1)"
  export ORG_PROVISIONER_PUBSUB_EMULATOR_HOST
  echo "clients/typescript: worker started (Pub/Sub emulator $ORG_PROVISIONER_PUBSUB_EMULATOR_HOST, log $log)"
else
  echo "clients/typescript: no worker jar at $jar or no java; the worker test is skipped"
fi

npm test
