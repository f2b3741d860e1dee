-- A generated jurisdiction of :cases penalty cases for the indicators benchmark (PostgreSQL).
-- A benchmark fixture, not the demo: rows are written directly, after `fazhi init` created the
-- schema. Run by bench/indicators.sh as
--   psql -v cases=1000000 -v year=2025 -v depts=40 -f bench/penalty_fixture.sql URL
--
-- What it writes (deterministic: every choice is a multiplicative hash of the case number):
--   * :depts departments and one officer account each (the accounts cannot sign in: their
--     password hash is not an argon2 string);
--   * :cases closed penalty cases opened through the year, spread over the departments, in three
--     shapes: 15 % 当场处罚 (open, decide_on_the_spot, report_on_the_spot), 10 % general
--     procedure with legal review (open, file_case, notify_rights, submit_legal_review,
--     pass_legal_review, decide_penalty, serve_decision, record_execution), 75 % general
--     procedure (open, file_case, notify_rights, decide_penalty, serve_decision,
--     record_execution): 5.75 steps per case; decisions carry a fine as the app stores money,
--     `{"fine_amount":{"type":"money","value":FEN}}`; steps of cases opened late in the year
--     fall in the next year, as they would;
--   * one `events` row per step (the journal row case_steps.event_id references, with a body
--     shaped like the app's `case.opened` / `case.step` events);
--   * the step_tallies projection, computed from the stored steps in one INSERT … SELECT … GROUP
--     BY (the app keeps it with every step).
-- Shortcut, stated in docs/benchmarks.md: the events get no ledger leaves (the indicators do not
-- read the log beyond its size), so `fazhi ledger verify` does not hold on this database.
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SET maintenance_work_mem = '256MB';
SET work_mem = '64MB';

BEGIN;
-- Departments and one officer each.
INSERT INTO departments (name, kind, created_at, updated_at)
SELECT '基准区第' || d || '执法部门', '政府工作部门', '2024-12-01T00:00:00Z', '2024-12-01T00:00:00Z'
FROM generate_series(1, :depts) d;
CREATE TEMP TABLE dep AS
SELECT (row_number() OVER (ORDER BY id) - 1)::bigint AS k, id
FROM departments WHERE name LIKE '基准区第%执法部门';
INSERT INTO users (username, password_hash, role, department_id, display_name, created_at)
SELECT 'bench.d' || k, 'not-a-hash', 'officer', id, '基准执法人员' || k, '2024-12-01T00:00:00Z' FROM dep;
CREATE TEMP TABLE dep_user AS
SELECT d.k, d.id AS department_id, u.id AS user_id
FROM dep d JOIN users u ON u.username = 'bench.d' || d.k;

-- The cases' draws. h: a 32-bit multiplicative hash of the case number.
CREATE TEMP TABLE g AS
SELECT i, h,
       CASE WHEN h % 100 < 15 THEN 'spot' WHEN h % 100 < 25 THEN 'review' ELSE 'general' END AS shape,
       (h / 100) % :depts AS k,
       make_date(:year, 1, 1) + ((h / 7) % 365)::int AS opened,
       ((h / 13) % 10)::int AS spread,
       CASE WHEN h % 100 < 15 THEN 5000 * (1 + (h / 17) % 4)     -- 当场: 50–200 元
            ELSE 10000 * (1 + (h / 17) % 200) END AS fine           -- 100–20,000 元
FROM (SELECT i, (i * 2654435761) % 4294967296 AS h FROM generate_series(1, :cases) i) s;

-- Each shape's steps: sequence, action, days after opening (plus the case's spread from the
-- third step on), state after.
CREATE TEMP TABLE tpl (shape text, seq int, action text, days int, state_after text);
INSERT INTO tpl VALUES
 ('spot', 1, 'open', 0, 'registered'), ('spot', 2, 'decide_on_the_spot', 0, 'decided_on_spot'),
 ('spot', 3, 'report_on_the_spot', 2, 'closed'),
 ('general', 1, 'open', 0, 'registered'), ('general', 2, 'file_case', 0, 'investigating'),
 ('general', 3, 'notify_rights', 20, 'notified'), ('general', 4, 'decide_penalty', 30, 'decided'),
 ('general', 5, 'serve_decision', 33, 'served'), ('general', 6, 'record_execution', 45, 'closed'),
 ('review', 1, 'open', 0, 'registered'), ('review', 2, 'file_case', 0, 'investigating'),
 ('review', 3, 'notify_rights', 20, 'notified'), ('review', 4, 'submit_legal_review', 25, 'under_review'),
 ('review', 5, 'pass_legal_review', 28, 'reviewed'), ('review', 6, 'decide_penalty', 32, 'decided'),
 ('review', 7, 'serve_decision', 35, 'served'), ('review', 8, 'record_execution', 50, 'closed');

SELECT coalesce(max(id), 0) AS case_base FROM cases \gset
SELECT coalesce(max(id), 0) AS event_base FROM events \gset

-- Every step, generated (read twice: for the events and for the steps).
CREATE TEMP VIEW st AS
SELECT :case_base + g.i AS case_id, g.i, g.k, du.department_id, du.user_id, t.seq, t.action,
       t.state_after, g.fine,
       :event_base + (g.i - 1) * 8 + t.seq AS event_id,
       g.opened + t.days + CASE WHEN t.seq >= 3 THEN g.spread ELSE 0 END AS on_day,
       '罚-' || :year || '-' || lpad(g.i::text, 7, '0') AS number
FROM g JOIN tpl t ON t.shape = g.shape JOIN dep_user du ON du.k = g.k;
CREATE TEMP VIEW st_fields AS
SELECT st.*, to_char(on_day, 'YYYY-MM-DD') AS on_date,
       '[' || extract(year FROM on_day)::int || ',' || extract(doy FROM on_day)::int || ']' AS date_json,
       CASE action
         WHEN 'open' THEN '{"case_cause":{"type":"text","value":"占道经营"},"discovered_date":{"type":"date","value":'
              || '[' || extract(year FROM on_day)::int || ',' || extract(doy FROM on_day)::int || ']' || '}}'
         WHEN 'file_case' THEN '{"department":{"type":"department","value":' || department_id
              || '},"filing_date":{"type":"date","value":[' || extract(year FROM on_day)::int || ','
              || extract(doy FROM on_day)::int || ']},"party":{"type":"text","value":"某某"},"party_kind":{"type":"text","value":"公民"}}'
         WHEN 'notify_rights' THEN '{"notice_date":{"type":"date","value":[' || extract(year FROM on_day)::int || ','
              || extract(doy FROM on_day)::int || ']},"proposed_penalty":{"type":"text","value":"罚款' || fine / 100 || '元"}}'
         WHEN 'decide_penalty' THEN '{"decision_date":{"type":"date","value":[' || extract(year FROM on_day)::int || ','
              || extract(doy FROM on_day)::int || ']},"decision_number":{"type":"text","value":"基罚〔' || :year || '〕'
              || i || '号"},"fine_amount":{"type":"money","value":' || fine || '},"penalty_type":{"type":"text","value":"罚款"}}'
         WHEN 'decide_on_the_spot' THEN '{"decision_date":{"type":"date","value":[' || extract(year FROM on_day)::int || ','
              || extract(doy FROM on_day)::int || ']},"decision_number":{"type":"text","value":"基当罚〔' || :year || '〕'
              || i || '号"},"fine_amount":{"type":"money","value":' || fine || '},"penalty_type":{"type":"text","value":"罚款"}}'
         WHEN 'serve_decision' THEN '{"service_date":{"type":"date","value":[' || extract(year FROM on_day)::int || ','
              || extract(doy FROM on_day)::int || ']}}'
         WHEN 'record_execution' THEN '{"execution_note":{"type":"text","value":"当事人已按期缴纳罚款"}}'
         ELSE '{}'
       END AS fields
FROM st;

-- Bulk load without the secondary indexes; they are rebuilt below with the migrations'
-- definitions. Foreign keys and unique constraints stay on.
DROP INDEX IF EXISTS events_subject;
DROP INDEX IF EXISTS case_steps_action_date;
COMMIT;

\echo events …
INSERT INTO events (id, kind, subject, actor_user_id, at, body)
SELECT event_id, CASE WHEN seq = 1 THEN 'case.opened' ELSE 'case.step' END, 'case:' || case_id, user_id,
       on_date || 'T09:00:00Z',
       '{"action":"' || action || '","fields":' || fields || ',"number":"' || number || '","on":"' || on_date
       || '","procedure":"penalty","state":"' || state_after || '"}'
FROM st_fields;
SELECT setval(pg_get_serial_sequence('events', 'id'), (SELECT max(id) FROM events));

\echo cases …
INSERT INTO cases (id, procedure, number, department_id, title, state, version, opened_by, opened_on,
                   closed_on, outcome, fields, updated_at)
SELECT :case_base + g.i, 'penalty', '罚-' || :year || '-' || lpad(g.i::text, 7, '0'), du.department_id,
       '占道经营', 'closed', CASE g.shape WHEN 'spot' THEN 3 WHEN 'review' THEN 8 ELSE 6 END, du.user_id,
       to_char(g.opened, 'YYYY-MM-DD'),
       to_char(g.opened + CASE g.shape WHEN 'spot' THEN 2 WHEN 'review' THEN 50 ELSE 45 END + CASE WHEN g.shape = 'spot' THEN 0 ELSE g.spread END, 'YYYY-MM-DD'),
       'penalised',
       '{"case_cause":{"type":"text","value":"占道经营"},"fine_amount":{"type":"money","value":' || g.fine
       || '},"party":{"type":"text","value":"某某"},"penalty_type":{"type":"text","value":"罚款"}}',
       to_char(g.opened, 'YYYY-MM-DD') || 'T09:00:00Z'
FROM g JOIN dep_user du ON du.k = g.k;
SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases));

\echo case_steps …
INSERT INTO case_steps (case_id, seq, action, on_date, state_after, actor_user_id, fields, event_id, at)
SELECT case_id, seq, action, on_date, state_after, user_id, fields, event_id, on_date || 'T09:00:00Z'
FROM st_fields;

\echo indexes …
CREATE INDEX events_subject ON events(subject);
CREATE INDEX case_steps_action_date ON case_steps(action, on_date);

\echo step_tallies …
-- From the stored steps: year of the step's date, its case's procedure and department, the count
-- and the money fields' sum (the decision's fine_amount is the only money field written here).
INSERT INTO step_tallies (year, procedure, action, department_id, steps, amount_fen)
SELECT substr(s.on_date, 1, 4)::int, c.procedure, s.action, c.department_id, count(*),
       coalesce(sum((s.fields::jsonb -> 'fine_amount' ->> 'value')::bigint), 0)
FROM case_steps s JOIN cases c ON c.id = s.case_id
WHERE c.id > :case_base
GROUP BY 1, 2, 3, 4
ON CONFLICT (year, procedure, action, department_id)
DO UPDATE SET steps = step_tallies.steps + excluded.steps, amount_fen = step_tallies.amount_fen + excluded.amount_fen;

ANALYZE;
