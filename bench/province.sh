#!/usr/bin/env bash
# A province at scale (issue #14): `fazhi bench province` builds 示范省 (a demo database: 100
# jurisdictions of Zipf-like sizes, departments, people, certificates, accounts) and writes its
# cases through the batched write path (every step checked by the engine, every event with its
# ledger leaf), growing it to each size of $SIZES; after each size `fazhi bench measure` times,
# in-process (medians of $RUNS runs, one warm-up), the largest jurisdiction's indicators, the
# province's aggregate (root with everything below) and the supervision page's queries, each
# beside a plain COUNT(*) over the same cases measured in the same run. The table at the end
# gives each figure in ms and as a ratio to its reference, the bytes per case
# (pg_database_size / cases), and each figure projected to 10 million cases by a log-log fit
# (least squares of log figure on log cases over the sizes measured).
#
# Needs: a release build (`cargo build --release -p fazhi`), jq, python3, psql/createdb/dropdb and
# a server that lets $PG_USER create databases.
#
# Environment:
#   SIZES="200000 500000 2000000"   the sizes measured, ascending (the province grows between)
#   PG_HOST=127.0.0.1 PG_PORT=5432 PG_USER=postgres PGDB=fazhi_bench_province
#   KEEP_DB=1     keep the database afterwards and reuse an existing one (resumes generation)
#   YEAR=2025 RUNS=5 WORKERS=2 BATCH=1000 SEED=2026
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/fazhi}
SIZES=${SIZES:-"200000 500000 2000000"}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
PG_USER=${PG_USER:-postgres}
PGDB=${PGDB:-fazhi_bench_province}
KEEP_DB=${KEEP_DB:-0}
YEAR=${YEAR:-2025}
RUNS=${RUNS:-5}
WORKERS=${WORKERS:-2}
BATCH=${BATCH:-1000}
SEED=${SEED:-2026}
export PGOPTIONS="-c client_min_messages=warning"
URL="postgres://$PG_USER@$PG_HOST:$PG_PORT/$PGDB"
PG=(-h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER")

[[ -x $BIN ]] || { echo "build first: cargo build --release -p fazhi" >&2; exit 1; }
if [[ $KEEP_DB != 1 ]]; then
    dropdb "${PG[@]}" --if-exists "$PGDB"
    trap 'dropdb "${PG[@]}" --if-exists "$PGDB"' EXIT
fi
psql "${PG[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PGDB'" | grep -q 1 \
    || createdb "${PG[@]}" "$PGDB"

RESULTS=$(mktemp)
for size in $SIZES; do
    echo "== growing the province to $size cases" >&2
    start=$(date +%s)
    "$BIN" bench province --url "$URL" --cases "$size" --seed "$SEED" \
        --workers "$WORKERS" --batch "$BATCH"
    echo "   generation took $(( $(date +%s) - start )) s" >&2
    # Measured on settled statistics, as a running server's would be after autovacuum.
    psql "${PG[@]}" -d "$PGDB" -qc "VACUUM ANALYZE" >/dev/null
    "$BIN" bench measure --url "$URL" --year "$YEAR" --runs "$RUNS" | tee -a "$RESULTS" >&2
done

python3 - "$RESULTS" <<'EOF'
import json, math, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
figures = [
    ("bytes per case", "bytes_per_case", None, None),
    ("largest jurisdiction's indicators (ms)", "largest_indicators_ms", "largest_reference_ms", 200),
    ("province aggregate (ms)", "province_aggregate_ms", "province_reference_ms", 2000),
    ("supervision queries (ms)", "supervision_ms", "province_reference_ms", 500),
]
def fit(xs, ys):
    lx = [math.log(x) for x in xs]; ly = [math.log(max(y, 1e-6)) for y in ys]
    n = len(lx); mx = sum(lx) / n; my = sum(ly) / n
    sxx = sum((x - mx) ** 2 for x in lx)
    b = sum((x - mx) * (y - my) for x, y in zip(lx, ly)) / sxx if sxx else 0.0
    return b, math.exp(my + b * (math.log(1e7) - mx))
sizes = [r["cases"] for r in rows]
print("| figure | " + " | ".join(f"{s:,} cases" for s in sizes) + " | exponent | 10 M (fit) | goal |")
print("|---|" + "---|" * (len(sizes) + 3))
for label, key, ref, goal in figures:
    cells = []
    for r in rows:
        v = r[key]
        cells.append(f"{v:,.0f}" if ref is None else f"{v:,.1f} ({v / max(r[ref], 1e-6):.1f}×)")
    if len(rows) >= 2:
        b, projected = fit(sizes, [r[key] for r in rows])
        exponent, proj = f"{b:.2f}", f"{projected:,.0f}" if ref is None else f"{projected:,.1f}"
    else:
        exponent, proj = "–", "–"
    print(f"| {label} | " + " | ".join(cells) + f" | {exponent} | {proj} | {'< %d ms' % goal if goal else ''} |")
print()
print("| reference (plain COUNT(*)) | " + " | ".join(
    f"{r['largest_reference_ms']:.1f} / {r['province_reference_ms']:.1f} ms" for r in rows) + " |")
print("| largest jurisdiction | " + " | ".join(f"{r['largest_cases']:,} cases" for r in rows) + " |")
EOF
rm -f "$RESULTS"
