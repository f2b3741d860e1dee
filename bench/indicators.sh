#!/usr/bin/env bash
# Indicators and annual-report figures (issue #6), each next to a reference measured in the same
# run (`fazhi --version`: process start-up and exit, nothing else):
#   1. `fazhi indicators --json` for the demo year on the full SQLite demo (goal < 200 ms), and
#      for one department;
#   2. the same on a generated jurisdiction of a million penalty cases on PostgreSQL (goal < 2 s),
#      checked against counts taken straight from the steps;
#   3. `fazhi report build --format docx` on both.
# Wall times are medians of $RUNS runs after one warm-up run.
#
# Needs: a release build (`cargo build --release -p fazhi`), jq, and for part 2 the PostgreSQL
# client tools (psql, createdb, dropdb) and a server that lets $PG_USER create databases.
#
# Environment:
#   PARTS=sqlite,postgres      which parts to run (default both)
#   DEMO_DB=FILE               reuse an existing full demo (made by `fazhi demo --no-serve
#                              --year $YEAR`) instead of building one (≈ 75 s)
#   PG_HOST=127.0.0.1 PG_PORT=5432 PG_USER=postgres PGDB=fazhi_bench_1m
#   CASES=1000000 DEPTS=40     size of the generated jurisdiction
#   KEEP_DB=1                  keep the PostgreSQL database afterwards (it is dropped otherwise;
#                              with KEEP_DB=1 an existing one of that name is reused). The
#                              fixture's events have no ledger leaves: a binary with a newer
#                              migration than the one that made it backfills them on open
#                              (hours for 5.75 M events), so rebuild it after a new migration.
#   YEAR=2025 RUNS=5
set -euo pipefail
shopt -s inherit_errexit  # a failing timed command stops the script
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/fazhi}
YEAR=${YEAR:-2025}
RUNS=${RUNS:-5}
PARTS=${PARTS:-sqlite,postgres}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
PG_USER=${PG_USER:-postgres}
PGDB=${PGDB:-fazhi_bench_1m}
CASES=${CASES:-1000000}
DEPTS=${DEPTS:-40}
KEEP_DB=${KEEP_DB:-0}
export PGOPTIONS="-c client_min_messages=warning"
PG_URL="postgres://$PG_USER@$PG_HOST:$PG_PORT/$PGDB"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER")
WORK=$(mktemp -d)
PG_CREATED=0
cleanup() {
    if [ "$PG_CREATED" = 1 ] && [ "$KEEP_DB" != 1 ]; then
        dropdb --if-exists -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$PGDB" || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
[ -x "$BIN" ] || cargo build --release --quiet -p fazhi

# Wall time of one run of "$@" in milliseconds (0.1 ms), output discarded.
wall_ms() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    awk -v d=$((end - start)) 'BEGIN {printf "%.1f\n", d / 1e6}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Median wall time of "$@" over $RUNS runs after a warm-up.
timed() {
    "$@" >/dev/null
    for _ in $(seq "$RUNS"); do wall_ms "$@"; done | median
}
has_command() { "$BIN" "$1" --help >/dev/null 2>&1; }
# The jurisdiction-wide value of indicator $1 in the JSON on stdin, wherever the output puts it.
value_of() {
    jq -r --arg id "$1" '[.. | objects | select(.id? == $id and has("value"))] | first | .value | tostring'
}
report() { # name measured reference goal
    awk -v n="$1" -v m="$2" -v r="$3" -v g="$4" 'BEGIN {
        net = m - r
        printf "%-44s %9.1f ms   minus reference %9.1f ms   goal < %s ms: %s\n", n, m, net, g, (net < g ? "met" : "NOT met")
    }'
}

REF_MS=$(timed "$BIN" --version)
echo "reference: fazhi --version  ${REF_MS} ms (median of $RUNS)"
has_command indicators || echo "note: this build has no \`fazhi indicators\`; those figures are skipped"
has_command report || echo "note: this build has no \`fazhi report\`; those figures are skipped"

indicators_figures() { # label url department goal_ms
    local label=$1 url=$2 department=$3 goal=$4 ms
    has_command indicators || return 0
    ms=$(timed "$BIN" indicators --db "$url" --year "$YEAR" --json)
    report "$label: indicators --json (all)" "$ms" "$REF_MS" "$goal"
    ms=$(timed "$BIN" indicators --db "$url" --year "$YEAR" --department "$department" --json)
    report "$label: indicators --department $department --json" "$ms" "$REF_MS" "$goal"
}

report_figures() { # label url
    local label=$1 url=$2 ms
    has_command report || return 0
    ms=$(timed "$BIN" report build --db "$url" --year "$YEAR" --format docx --out "$WORK/report.docx" --force)
    [ -s "$WORK/report.docx" ] || { echo "report build wrote no DOCX"; exit 1; }
    awk -v n="$label: report build --format docx" -v m="$ms" -v r="$REF_MS" -v s="$(wc -c <"$WORK/report.docx")" \
        'BEGIN {printf "%-44s %9.1f ms   minus reference %9.1f ms   (%d bytes)\n", n, m, m - r, s}'
}

if [[ ",$PARTS," == *,sqlite,* ]]; then
    echo "== SQLite: the full demo, year $YEAR"
    if [ -n "${DEMO_DB:-}" ]; then
        DB_FILE=$DEMO_DB
    else
        DB_FILE="$WORK/demo.db"
        ms=$(wall_ms "$BIN" demo --db "sqlite://$DB_FILE" --year "$YEAR" --no-serve)
        echo "demo built in ${ms} ms"
    fi
    SQLITE_URL="sqlite://$DB_FILE"
    DEPT=$(sqlite3 "$DB_FILE" "SELECT department_id FROM cases WHERE procedure = 'penalty' GROUP BY department_id ORDER BY COUNT(*) DESC LIMIT 1")
    echo "penalty cases opened in $YEAR (straight from cases): $(sqlite3 "$DB_FILE" \
        "SELECT COUNT(*) FROM cases WHERE procedure = 'penalty' AND opened_on BETWEEN '$YEAR-01-01' AND '$YEAR-12-31'")"
    if has_command indicators; then
        echo "penalty cases opened in $YEAR (fazhi indicators): $("$BIN" indicators --db "$SQLITE_URL" --year "$YEAR" --json | value_of enforcement.penalty_cases)"
    fi
    indicators_figures sqlite "$SQLITE_URL" "$DEPT" 200
    report_figures sqlite "$SQLITE_URL"
fi

if [[ ",$PARTS," == *,postgres,* ]]; then
    echo "== PostgreSQL: $CASES generated penalty cases, year $YEAR, $DEPTS departments"
    export FAZHI_LOG_KEY="$WORK/log.key"
    if [ "$KEEP_DB" = 1 ] && "${PSQL[@]}" -d "$PGDB" -c 'SELECT 1 FROM cases LIMIT 1' >/dev/null 2>&1; then
        echo "reusing database $PGDB (KEEP_DB=1)"
    else
        dropdb --if-exists -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$PGDB"
        createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$PGDB"
        PG_CREATED=1
        FAZHI_ADMIN_PASSWORD=bench-admin-password "$BIN" init --db "$PG_URL" \
            --jurisdiction 示范市基准区 --code 999903 >/dev/null
        start=$(date +%s)
        "${PSQL[@]}" -d "$PGDB" -v cases="$CASES" -v year="$YEAR" -v depts="$DEPTS" \
            -f bench/penalty_fixture.sql >/dev/null
        echo "fixture generated in $(($(date +%s) - start)) s:" \
            "$("${PSQL[@]}" -At -d "$PGDB" -c "SELECT (SELECT COUNT(*) FROM cases) || ' cases, ' || \
                (SELECT COUNT(*) FROM case_steps) || ' steps, ' || (SELECT COUNT(*) FROM events) || ' events, ' || \
                (SELECT COUNT(*) FROM step_tallies) || ' tally rows; database ' || \
                pg_size_pretty(pg_database_size(current_database()))")"
    fi
    [ "$KEEP_DB" = 1 ] || PG_CREATED=1
    DEPT=$("${PSQL[@]}" -At -d "$PGDB" -c "SELECT department_id FROM cases GROUP BY department_id ORDER BY COUNT(*) DESC, department_id LIMIT 1")
    if has_command indicators; then
        # Correctness: the figures against counts taken straight from cases and steps.
        "$BIN" indicators --db "$PG_URL" --year "$YEAR" --json >"$WORK/pg.json"
        read -r want_cases want_decisions want_fines < <("${PSQL[@]}" -At -F ' ' -d "$PGDB" -c "
            SELECT (SELECT COUNT(*) FROM cases WHERE procedure = 'penalty' AND opened_on BETWEEN '$YEAR-01-01' AND '$YEAR-12-31'),
                   COUNT(*), SUM((s.fields::jsonb -> 'fine_amount' ->> 'value')::numeric) / 100
            FROM case_steps s JOIN cases c ON c.id = s.case_id
            WHERE c.procedure = 'penalty' AND s.action IN ('decide_penalty', 'decide_on_the_spot')
              AND s.on_date BETWEEN '$YEAR-01-01' AND '$YEAR-12-31'")
        got_cases=$(value_of enforcement.penalty_cases <"$WORK/pg.json")
        got_decisions=$(value_of enforcement.penalty_decisions <"$WORK/pg.json")
        got_fines=$(value_of enforcement.fines <"$WORK/pg.json")
        echo "penalty_cases     indicators $got_cases      straight from cases $want_cases"
        echo "penalty_decisions indicators $got_decisions  straight from steps $want_decisions"
        echo "fines (元)        indicators $got_fines  straight from steps $want_fines"
        want_dept=$("${PSQL[@]}" -At -d "$PGDB" -c "SELECT COUNT(*) FROM cases WHERE procedure = 'penalty' \
            AND department_id = $DEPT AND opened_on BETWEEN '$YEAR-01-01' AND '$YEAR-12-31'")
        got_dept=$("$BIN" indicators --db "$PG_URL" --year "$YEAR" --department "$DEPT" --json | value_of enforcement.penalty_cases)
        echo "penalty_cases of department $DEPT: indicators $got_dept  straight from cases $want_dept"
        same() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a + 0 == b + 0)}'; }
        if same "$got_cases" "$want_cases" && same "$got_decisions" "$want_decisions" && same "$got_fines" "$want_fines" \
            && same "$got_dept" "$want_dept"; then
            echo "figures check: OK"
        else
            echo "figures check: MISMATCH"; exit 1
        fi
    fi
    indicators_figures postgres "$PG_URL" "$DEPT" 2000
    report_figures postgres "$PG_URL"
    echo "-- where the time goes: the queries the computation runs, EXPLAIN ANALYZE"
    "${PSQL[@]}" -d "$PGDB" -c "EXPLAIN (ANALYZE, BUFFERS) SELECT procedure, action, department_id, steps, amount_fen FROM step_tallies WHERE year = $YEAR" \
        | grep -E 'Scan|Execution Time|Planning Time'
    "${PSQL[@]}" -d "$PGDB" -c "EXPLAIN (ANALYZE, BUFFERS) SELECT c.department_id, s.fields FROM case_steps s JOIN cases c ON c.id = s.case_id \
        WHERE s.action = 'record_hearing' AND s.on_date >= '$YEAR-01-01' AND s.on_date <= '$YEAR-12-31' AND c.procedure = 'litigation'" \
        | grep -E 'Scan|Execution Time|Planning Time'
    "${PSQL[@]}" -d "$PGDB" -c "EXPLAIN (ANALYZE, BUFFERS) SELECT p.department_id, COUNT(DISTINCT p.id) AS n FROM officer_certificates o \
        JOIN people p ON p.id = o.person_id WHERE o.revoked = 0 AND o.valid_from <= '$YEAR-12-31' AND o.valid_until >= '$YEAR-12-31' GROUP BY p.department_id" \
        | grep -E 'Scan|Execution Time|Planning Time'
fi
