#!/usr/bin/env bash
# Foundation figures (issue #2), each as a ratio to a reference measured in the same run:
#   1. `fazhi demo --no-serve` on a fresh SQLite file (wall time, median of 5);
#   2. `fazhi serve` start-up until the first `/healthz` answer (median of 5);
#   3. 工作台 for a signed-in user under wrk at 64 connections: requests/s and p99, as a ratio to
#      `/healthz` measured the same way in the same run.
# Needs: a release build (`cargo build --release`), curl, wrk (Debian package `wrk`).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/fazhi
PORT=${PORT:-18181}
DURATION=${DURATION:-10s}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
[ -x "$BIN" ] || cargo build --release --quiet

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== demo --no-serve on a fresh SQLite file"
for i in 1 2 3 4 5; do
    start=$(now_ms); "$BIN" demo --db "sqlite://$WORK/demo$i.db" --no-serve >/dev/null; echo $(( $(now_ms) - start ))
done | median | xargs -I{} echo "demo_ms_median {}"

echo "== serve start-up to first /healthz"
for i in 1 2 3 4 5; do
    start=$(now_ms)
    "$BIN" serve --db "sqlite://$WORK/demo1.db" --addr "127.0.0.1:$PORT" >/dev/null 2>&1 &
    pid=$!
    until curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.005; done
    echo $(( $(now_ms) - start ))
    kill $pid; wait $pid 2>/dev/null || true
done | median | xargs -I{} echo "startup_ms_median {}"

echo "== 工作台 vs /healthz under wrk, 64 connections, $DURATION each"
"$BIN" serve --db "sqlite://$WORK/demo1.db" --addr "127.0.0.1:$PORT" >/dev/null 2>&1 &
until curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.01; done
JAR="$WORK/cookies"
TOKEN=$(curl -s -c "$JAR" -b "$JAR" "http://127.0.0.1:$PORT/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -c "$JAR" -b "$JAR" -o /dev/null -X POST "http://127.0.0.1:$PORT/login" \
    --data "_csrf=$TOKEN&username=sifa&password=demo-sifa-2026"
SESSION=$(awk '$6=="fazhi_session" {print $7}' "$JAR")
[ -n "$SESSION" ] || { echo "sign-in failed"; exit 1; }
run_wrk() { wrk -t2 -c64 -d"$DURATION" --latency -H "Cookie: fazhi_session=$SESSION" "http://127.0.0.1:$PORT$1"; }
parse() { awk '/Requests\/sec/ {rps=$2} / 99%/ {p=$2} END {print rps, p}'; }
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}'; }
read -r H_RPS H_P99 < <(run_wrk /healthz | parse)
read -r D_RPS D_P99 < <(run_wrk / | parse)
H_P99_MS=$(echo "$H_P99" | to_ms); D_P99_MS=$(echo "$D_P99" | to_ms)
echo "healthz_rps $H_RPS healthz_p99_ms $H_P99_MS"
echo "dashboard_rps $D_RPS dashboard_p99_ms $D_P99_MS"
awk -v d="$D_RPS" -v h="$H_RPS" -v dp="$D_P99_MS" -v hp="$H_P99_MS" \
    'BEGIN {printf "dashboard/healthz rps_ratio %.3f p99_ratio %.2f\n", d/h, dp/hp}'
