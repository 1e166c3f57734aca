#!/usr/bin/env bash
# Node tests of the TypeScript client (clients/typescript): installs the locked dependencies,
# type-checks, then runs `node --test` (validator, generated-sources staleness, publish helpers
# against a Pub/Sub emulator it starts, and an onboarding through the worker when the Maven build
# left its jar: the worker runs in the local profile with its own emulators and is stopped after).
# Run by ./mvnw verify at its end (exec-maven-plugin), after the jar and the Java tests.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIPPED clients/typescript tests: node and npm are not on PATH (Node >= 20 needed)"
  exit 0
fi
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 20 ]; then
  echo "SKIPPED clients/typescript tests: Node $(node --version) found, Node >= 20 needed"
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
  java -Dquarkus.profile=local -D%local.provisioner.demo=false \
    "-D%local.warehouse.duckdb.path=$work/warehouse" -Dquarkus.http.port=0 \
    -jar "$jar" >"$log" 2>&1 &
  worker_pid=$!
  # The worker starts while npm installs and type-checks: the two overlap instead of queueing.
  npm ci --no-audit --no-fund --prefer-offline
  npm run typecheck
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
  npm ci --no-audit --no-fund --prefer-offline
  npm run typecheck
fi

npm test
