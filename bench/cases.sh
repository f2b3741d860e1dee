#!/usr/bin/env bash
# Case pages and the 统计 page under load (issues #4 and #6), against the full demo served by
# `fazhi serve`, signed in as the 司法局 staff account (sees every department's cases):
#   /case/{id} (a closed penalty case with a full history), /cases/penalty (the first page of the
#   list), /statistics (every indicator for the demo year and the year before),
# each under `wrk -t2 -c64` for $DURATION, as requests/s and p99 ratios to `/healthz` measured
# the same way in the same run.
#
# Needs: a release build (`cargo build --release -p fazhi`), curl, wrk (Debian package `wrk`).
# Environment: DEMO_DB=FILE reuses an existing full demo (made by `fazhi demo --no-serve`)
# instead of building one (≈ 75 s); PORT, DURATION (default 10s), CONNECTIONS (default 64).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/fazhi}
PORT=${PORT:-18182}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
WORK=$(mktemp -d)
SERVER=
cleanup() {
    if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
[ -x "$BIN" ] || cargo build --release --quiet -p fazhi
BASE="http://127.0.0.1:$PORT"

if [ -n "${DEMO_DB:-}" ]; then
    DB_FILE=$DEMO_DB
else
    DB_FILE="$WORK/demo.db"
    echo "== building the full demo (fazhi demo --no-serve)"
    "$BIN" demo --db "sqlite://$DB_FILE" --no-serve >/dev/null
fi

"$BIN" serve --db "sqlite://$DB_FILE" --addr "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 500); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.02; done
curl -fs "$BASE/healthz" >/dev/null || { echo "server did not start:"; cat "$WORK/serve.log"; exit 1; }

# Sign in as in bench/foundation.sh: the login form's CSRF token and cookie, then the session.
JAR="$WORK/cookies"
TOKEN=$(curl -s -c "$JAR" -b "$JAR" "$BASE/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -c "$JAR" -b "$JAR" -o /dev/null -X POST "$BASE/login" \
    --data "_csrf=$TOKEN&username=sifa&password=demo-sifa-2026"
SESSION=$(awk '$6=="fazhi_session" {print $7}' "$JAR")
[ -n "$SESSION" ] || { echo "sign-in failed"; exit 1; }
COOKIE="Cookie: fazhi_session=$SESSION"

# A case to show: the first closed one the list links to (a full history, decision to execution).
CASE_PATH=$(curl -fs -H "$COOKIE" "$BASE/cases/penalty?state=closed" | grep -o 'href="/case/[0-9]*"' | head -1 | sed 's/href="//;s/"$//')
[ -n "$CASE_PATH" ] || { echo "no case link on /cases/penalty"; exit 1; }
for path in "$CASE_PATH" /cases/penalty /statistics; do
    code=$(curl -s -o "$WORK/page.html" -w '%{http_code}' -H "$COOKIE" "$BASE$path")
    [ "$code" = 200 ] || { echo "$path answered $code"; exit 1; }
    echo "$path: 200, $(wc -c <"$WORK/page.html") bytes"
done

run_wrk() { wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -H "$COOKIE" "$BASE$1"; }
# requests/s, p99 in ms, non-2xx responses and socket errors from wrk's report.
parse() {
    awk '
        function ms(v) { if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
                         if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
                         if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000
                         return v + 0 }
        /Requests\/sec/ {rps = $2}
        / 99%/ {p99 = ms($2)}
        /Non-2xx/ {bad = $NF}
        /Socket errors/ {err = $0}
        END {printf "%s %s %d\n", rps, p99, bad + 0; if (err != "") print err > "/dev/stderr"}'
}
echo "== wrk -t2 -c$CONNECTIONS -d$DURATION, each path in turn"
read -r H_RPS H_P99 H_BAD < <(run_wrk /healthz | parse)
printf '%-26s %10s rps   p99 %8s ms\n' /healthz "$H_RPS" "$H_P99"
for path in "$CASE_PATH" /cases/penalty /statistics; do
    read -r RPS P99 BAD < <(run_wrk "$path" | parse)
    [ "$BAD" = 0 ] || { echo "$path: $BAD non-2xx responses under load"; exit 1; }
    awk -v r="$RPS" 'BEGIN {exit !(r > 0)}' || { echo "$path: no request completed"; exit 1; }
    awk -v p="$path" -v r="$RPS" -v l="$P99" -v hr="$H_RPS" -v hl="$H_P99" 'BEGIN {
        printf "%-26s %10s rps   p99 %8.2f ms   ratio to /healthz: rps %.3f, p99 %.1f×\n", p, r, l, r / hr, l / hl }'
done
