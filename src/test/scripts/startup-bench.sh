#!/usr/bin/env bash
# Start-up of the packaged worker to its first ready probe (issue 17, goal 2), by hand: starts the
# Pub/Sub and Firestore emulators, creates the topology once, then starts each variant N times in
# turn (alternating, so a change in the machine's load hits all variants alike), polls
# /q/health/ready every 20 ms and prints wall time, worker CPU (utime + stime) and RSS at ready.
#
#   src/test/scripts/startup-bench.sh [-n STARTS] NAME=JAR[:EXTRA JVM FLAGS] ...
#   src/test/scripts/startup-bench.sh -n 4 shipped=target/worker/org-provisioner-runner.jar
#   src/test/scripts/startup-bench.sh base=/tmp/a/org-provisioner-runner.jar \
#     "xss=target/worker/org-provisioner-runner.jar:-Xss256k"
#
# JAR is the runner jar of a build (copy target/worker aside to compare two builds; its lib/ must
# stay beside it), or the directory of a Quarkus fast-jar build (its quarkus-run.jar).
# Each variant is started with src/main/jvm/jvm.options, the extra flags and a class-data archive
# written for it first (`cds-training`, as run-local and the image do), bootstrap off. Run from the
# project root after `./mvnw -o -q package -DskipTests`. Results: target/startup-bench/results.tsv.
set -euo pipefail
cd "$(dirname "$0")/../../.."
starts=4
if [ "${1:-}" = "-n" ]; then
  starts=$2
  shift 2
fi
[ $# -gt 0 ] || { sed -n '2,17p' "$0"; exit 2; }

out=target/startup-bench
mkdir -p "$out"
sdk=${CLOUDSDK_ROOT_DIR:-$(gcloud info --format='value(installation.sdk_root)' 2>/dev/null || echo /usr/lib/google-cloud-sdk)}
tick=$(getconf CLK_TCK)
pids=()
# Each emulator runs in a process group of its own (the Firestore script starts a JVM of its own).
cleanup() { for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_line() { # file, text, seconds
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "timed out waiting for '$2' in $1" >&2; exit 1; }
    sleep 0.2
  done
}

pubsub_port=$(free_port)
pubsub_jar=$(ls "$sdk"/platform/pubsub-emulator/lib/cloud-pubsub-emulator-*.jar | tail -1)
setsid java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -cp "target/emulator-lib/grpc-api-1.68.1.jar:$pubsub_jar" com.google.cloud.pubsub.testing.v1.Main \
  --host=127.0.0.1 --port="$pubsub_port" >"$out/pubsub.log" 2>&1 &
pids+=($!)
firestore_port=$(free_port)
JAVA_TOOL_OPTIONS="-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1" \
  setsid "$sdk/platform/cloud-firestore-emulator/cloud_firestore_emulator" start \
  --host=127.0.0.1 --port="$firestore_port" >"$out/firestore.log" 2>&1 &
pids+=($!)
wait_line "$out/pubsub.log" "Server started, listening on $pubsub_port" 60
wait_line "$out/firestore.log" "Dev App Server is now running" 90

export MESSAGING_PROJECT_ID=bench-project LEDGER_PROJECT_ID=bench-project \
  MESSAGING_EMULATOR_HOST=127.0.0.1:$pubsub_port LEDGER_EMULATOR_HOST=127.0.0.1:$firestore_port \
  WAREHOUSE_KIND=duckdb PROVISIONER_BOOTSTRAP_ON_START=false QUARKUS_HTTP_HOST=127.0.0.1

# One start per variant: the topology (first only; Terraform's job in production) and the archive.
declare -A dir flags
names=()
first=true
for spec in "$@"; do
  name=${spec%%=*}
  rest=${spec#*=}
  dir[$name]=${rest%%:*}
  [ -d "${dir[$name]}" ] && dir[$name]=${dir[$name]}/quarkus-run.jar
  flags[$name]=$([ "$rest" != "${rest#*:}" ] && echo "${rest#*:}" || true)
  names+=("$name")
  archive="$out/$name.jsa"
  rm -f "$archive"
  # shellcheck disable=SC2086
  java @src/main/jvm/jvm.options ${flags[$name]} -XX:ArchiveClassesAtExit="$archive" \
    -jar "${dir[$name]}" cds-training >"$out/$name-training.log" 2>&1
  if $first; then
    port=$(free_port)
    # shellcheck disable=SC2086
    MESSAGING_CREATE_TOPOLOGY=true QUARKUS_HTTP_PORT=$port WAREHOUSE_DUCKDB_PATH="$out/topology.duckdb" \
      java @src/main/jvm/jvm.options -jar "${dir[$name]}" >"$out/topology.log" 2>&1 &
    worker=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do sleep 0.2; done
    kill "$worker"; wait "$worker" || true
    first=false
  fi
done

printf 'variant\tstart\twall_ms\tcpu_ms\trss_mib\tload\n' | tee "$out/results.tsv"
for ((i = 1; i <= starts; i++)); do
  for name in "${names[@]}"; do
    port=$(free_port)
    db="$out/$name.duckdb"
    rm -rf "$db" "$db.wal"
    load=$(cut -d' ' -f1 /proc/loadavg)
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    QUARKUS_HTTP_PORT=$port WAREHOUSE_DUCKDB_PATH="$db" java @src/main/jvm/jvm.options ${flags[$name]} \
      -XX:SharedArchiveFile="$out/$name.jsa" -jar "${dir[$name]}" >"$out/$name-$i.log" 2>&1 &
    worker=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do
      kill -0 "$worker" 2>/dev/null || { echo "$name exited, see $out/$name-$i.log" >&2; exit 1; }
      sleep 0.02
    done
    t1=$(date +%s%N)
    read -r utime stime < <(awk '{print $14, $15}' "/proc/$worker/stat")
    rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$worker/status")
    kill "$worker"; wait "$worker" || true
    printf '%s\t%d\t%d\t%d\t%d\t%s\n' "$name" "$i" $(((t1 - t0) / 1000000)) \
      $(((utime + stime) * 1000 / tick)) "$rss" "$load" | tee -a "$out/results.tsv"
  done
done
awk -F'\t' 'NR > 1 { n[$1]++; w[$1] += $3; c[$1] += $4; r[$1] += $5 }
  END { for (v in n) printf "%s: mean of %d starts: wall %d ms, CPU %d ms, RSS %d MiB\n", v, n[v], w[v] / n[v], c[v] / n[v], r[v] / n[v] }' \
  "$out/results.tsv"
