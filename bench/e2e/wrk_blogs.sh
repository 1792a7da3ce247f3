#!/usr/bin/env bash
# End-to-end throughput of GET /blogs?limit=20 with a READ token (blog → author on every request,
# SQLite read), driven by wrk at 64 connections, with tracing off (OTEL_SDK_DISABLED=true) and on
# (100% sampling, spans exported to the embedded collector). Prints requests/s per run and the
# median of the runs.
#
#   bench/e2e/wrk_blogs.sh [build-dir] [seconds-per-run] [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
seconds=${2:-10}
runs=${3:-3}
bin="$build/bin/blogtrace"
[ -x "$bin" ] || { echo "no $bin: build first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

base=$((20000 + RANDOM % 20000))
export USER_ADDR=127.0.0.1:$((base + 1)) AUTHEN_ADDR=127.0.0.1:$((base + 2))
export AUTHOR_ADDR=127.0.0.1:$((base + 3)) BLOG_ADDR=127.0.0.1:$((base + 4))
export COLLECTOR_ADDR=127.0.0.1:$((base + 5)) QUERY_ADDR=127.0.0.1:$((base + 6))
export LOG_LEVEL=warn
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

up_pid=""
start_system() {  # $1: OTEL_SDK_DISABLED value
  OTEL_SDK_DISABLED=$1 OTEL_TRACES_SAMPLER=always_on DATA_DIR="$data" "$bin" up >"$data/up-$1.log" 2>&1 &
  up_pid=$!
  for _ in $(seq 1 300); do
    curl -sf "http://$BLOG_ADDR/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "the system did not start; see $data/up-$1.log" >&2
  cat "$data/up-$1.log" >&2
  exit 1
}
stop_system() {
  kill -TERM "$up_pid" 2>/dev/null || true
  wait "$up_pid" 2>/dev/null || true
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

results=()
for tracing_off in true false; do
  start_system "$tracing_off"
  admin=$(cat "$data/admin.key")
  curl -s -o /dev/null -X POST "http://$USER_ADDR/users" -H "X-Admin-Key: $admin" \
    -H 'Content-Type: application/json' \
    -d '{"username":"benchreader","password":"bench-password","permission":"READ"}'
  curl -s -o /dev/null -X POST "http://$USER_ADDR/users" -H "X-Admin-Key: $admin" \
    -H 'Content-Type: application/json' \
    -d '{"username":"benchwriter","password":"bench-password","permission":"WRITE"}'
  wtoken=$(curl -s -X POST "http://$AUTHEN_ADDR/login" -H 'Content-Type: application/json' \
    -d '{"username":"benchwriter","password":"bench-password"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
  if [ "$(curl -s "http://$BLOG_ADDR/blogs?limit=1" -H "Authorization: Bearer $wtoken" | grep -c '"total":0')" = 1 ]; then
    for i in $(seq 1 30); do
      curl -s -o /dev/null -X POST "http://$BLOG_ADDR/blogs" -H "Authorization: Bearer $wtoken" \
        -H 'Content-Type: application/json' -d "{\"title\":\"post $i\",\"content\":\"some content for post $i\"}"
    done
  fi
  token=$(curl -s -X POST "http://$AUTHEN_ADDR/login" -H 'Content-Type: application/json' \
    -d '{"username":"benchreader","password":"bench-password"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
  label=$([ "$tracing_off" = true ] && echo "tracing off" || echo "tracing on (100%)")
  values=()
  for run in $(seq 1 "$runs"); do
    rps=$(wrk -t2 -c64 -d"${seconds}s" -H "Authorization: Bearer $token" \
      "http://$BLOG_ADDR/blogs?limit=20" | awk '/Requests\/sec/ {print $2}')
    echo "$label run $run: $rps requests/s"
    values+=("$rps")
  done
  med=$(printf '%s\n' "${values[@]}" | median)
  results+=("$label: median $med requests/s over $runs runs of ${seconds}s")
  stop_system
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf '%s\n' "${results[@]}"
