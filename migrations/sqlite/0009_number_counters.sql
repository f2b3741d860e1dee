-- Counters for numbers that must never repeat: a case's number within its prefix and year
-- (`case:罚-2025` for 罚-2025-000123), a report's version within its year (`report:2025`).
-- The store takes the next number with one upsert in the transaction that uses it, so the row
-- lock (PostgreSQL) or the write lock (SQLite, `BEGIN IMMEDIATE`) orders concurrent writers and
-- a rolled-back transaction gives its number back: numbers stay distinct and gapless.
-- Keep in step with migrations/postgres/0009_number_counters.sql.
CREATE TABLE number_counters (
    scope       TEXT PRIMARY KEY,
    last_number BIGINT NOT NULL
);

-- Numbering continues after the rows already there: from the highest number in each scope
-- (case numbers end in their counter, after the last '-').
INSERT INTO number_counters (scope, last_number)
SELECT 'case:' || substr(stem, 1, length(stem) - 1),
       MAX(CAST(substr(number, length(stem) + 1) AS BIGINT))
FROM (SELECT number, rtrim(number, '0123456789') AS stem FROM cases) AS numbered
WHERE length(stem) < length(number) AND substr(stem, length(stem)) = '-'
GROUP BY stem;

INSERT INTO number_counters (scope, last_number)
SELECT 'report:' || CAST(r.year AS TEXT), MAX(v.number)
FROM reports r JOIN report_versions v ON v.report_id = r.id
GROUP BY r.year;
