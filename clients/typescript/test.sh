#!/usr/bin/env bash
# Node tests of the TypeScript client (clients/typescript): installs the locked dependencies,
# type-checks, then runs `node --test` (validator, generated-sources staleness, publish helpers
# against a Pub/Sub emulator it starts). Called by .ci/run after the Maven build.
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
npm ci --no-audit --no-fund
npm run typecheck
npm test
