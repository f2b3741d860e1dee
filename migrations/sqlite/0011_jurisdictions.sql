-- no-transaction
-- Many jurisdictions in one deployment (issue #14): jurisdictions form a tree (省 → 市 → 县/区), and
-- departments, accounts, cases, events, submissions, reports, certificates, registries, tallies,
-- counters and each jurisdiction's own log belong to one. The single jurisdiction of an existing
-- database becomes the tree's root (id 1) and everything in it stays there.
-- Jurisdiction is the leading column of every large table's key, so that partitioning by
-- jurisdiction stays open. Every column defaults to the root until each writer names the
-- jurisdiction it writes for.
--
-- SQLite cannot change a table's keys in place: the tables whose keys change are rebuilt, with
-- foreign keys off for the rebuild (they cannot be switched inside a transaction, hence
-- `no-transaction` and the explicit BEGIN/COMMIT); the migration test runs
-- `PRAGMA foreign_key_check` on a migrated database.
-- Keep in step with migrations/postgres/0011_jurisdictions.sql.

PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE jurisdictions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id   BIGINT REFERENCES jurisdictions(id),
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX jurisdictions_parent ON jurisdictions(parent_id);
INSERT INTO jurisdictions (id, parent_id, code, name, level, created_at)
SELECT id, NULL, code, name, level, created_at FROM jurisdiction;
-- A database whose jurisdiction is not named yet (`fazhi init` without --jurisdiction; the demo
-- names it last) still has its root, unnamed, so that every row can belong to it; naming the
-- jurisdiction names the root.
INSERT INTO jurisdictions (id, parent_id, code, name, level, created_at)
SELECT 1, NULL, '', '', 'county', '' WHERE NOT EXISTS (SELECT 1 FROM jurisdictions);

-- Departments: a name is unique within its jurisdiction (every district has its 司法局).
CREATE TABLE departments_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    jurisdiction_id     BIGINT NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
    name                TEXT NOT NULL,
    kind                TEXT NOT NULL,
    is_justice_bureau   INTEGER NOT NULL DEFAULT 0,
    legal_contact_name  TEXT NOT NULL DEFAULT '',
    legal_contact_phone TEXT NOT NULL DEFAULT '',
    active              INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (jurisdiction_id, name)
);
INSERT INTO departments_new (id, jurisdiction_id, name, kind, is_justice_bureau, legal_contact_name,
                             legal_contact_phone, active, created_at, updated_at)
SELECT id, 1, name, kind, is_justice_bureau, legal_contact_name, legal_contact_phone, active,
       created_at, updated_at
FROM departments;
DROP TABLE departments;
ALTER TABLE departments_new RENAME TO departments;

-- Cases: a number is unique within its jurisdiction.
CREATE TABLE cases_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    jurisdiction_id BIGINT NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
    procedure       TEXT NOT NULL,
    number          TEXT NOT NULL,
    department_id   BIGINT NOT NULL REFERENCES departments(id),
    title           TEXT NOT NULL,
    state           TEXT NOT NULL,
    version         BIGINT NOT NULL,
    opened_by       BIGINT NOT NULL REFERENCES users(id),
    opened_on       TEXT NOT NULL,
    closed_on       TEXT,
    outcome         TEXT,
    fields          TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (jurisdiction_id, number)
);
INSERT INTO cases_new (id, jurisdiction_id, procedure, number, department_id, title, state, version,
                       opened_by, opened_on, closed_on, outcome, fields, updated_at)
SELECT id, 1, procedure, number, department_id, title, state, version, opened_by, opened_on,
       closed_on, outcome, fields, updated_at
FROM cases;
DROP TABLE cases;
ALTER TABLE cases_new RENAME TO cases;
CREATE INDEX cases_procedure_state ON cases(jurisdiction_id, procedure, state);
CREATE INDEX cases_department ON cases(department_id, procedure);
CREATE INDEX cases_opened_on ON cases(jurisdiction_id, procedure, opened_on);

-- Reports: one per jurisdiction and year.
CREATE TABLE reports_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    jurisdiction_id BIGINT NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
    year            INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (jurisdiction_id, year)
);
INSERT INTO reports_new (id, jurisdiction_id, year, created_at)
SELECT id, 1, year, created_at FROM reports;
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;

-- Tallies and counters: keyed by jurisdiction first.
CREATE TABLE step_tallies_new (
    jurisdiction_id BIGINT NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
    year            INTEGER NOT NULL,
    procedure       TEXT NOT NULL,
    action          TEXT NOT NULL,
    department_id   BIGINT NOT NULL REFERENCES departments(id),
    steps           BIGINT NOT NULL,
    amount_fen      BIGINT NOT NULL,
    PRIMARY KEY (jurisdiction_id, year, procedure, action, department_id)
);
INSERT INTO step_tallies_new (jurisdiction_id, year, procedure, action, department_id, steps, amount_fen)
SELECT 1, year, procedure, action, department_id, steps, amount_fen FROM step_tallies;
DROP TABLE step_tallies;
ALTER TABLE step_tallies_new RENAME TO step_tallies;

CREATE TABLE number_counters_new (
    jurisdiction_id BIGINT NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
    scope           TEXT NOT NULL,
    last_number     BIGINT NOT NULL,
    PRIMARY KEY (jurisdiction_id, scope)
);
INSERT INTO number_counters_new (jurisdiction_id, scope, last_number)
SELECT 1, scope, last_number FROM number_counters;
DROP TABLE number_counters;
ALTER TABLE number_counters_new RENAME TO number_counters;

-- Each jurisdiction's own log: its size, leaves, stored hashes and checkpoints.
CREATE TABLE ledger_logs (
    jurisdiction_id BIGINT PRIMARY KEY REFERENCES jurisdictions(id),
    size            BIGINT NOT NULL
);
INSERT INTO ledger_logs (jurisdiction_id, size) SELECT 1, size FROM ledger_state;
DROP TABLE ledger_state;

CREATE TABLE ledger_leaves_new (
    jurisdiction_id BIGINT NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
    leaf_index      BIGINT NOT NULL,
    event_id        BIGINT NOT NULL UNIQUE REFERENCES events(id),
    salt            BLOB NOT NULL,
    PRIMARY KEY (jurisdiction_id, leaf_index)
);
INSERT INTO ledger_leaves_new (jurisdiction_id, leaf_index, event_id, salt)
SELECT 1, leaf_index, event_id, salt FROM ledger_leaves;
DROP TABLE ledger_leaves;
ALTER TABLE ledger_leaves_new RENAME TO ledger_leaves;

CREATE TABLE ledger_hashes_new (
    jurisdiction_id BIGINT NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
    hash_index      BIGINT NOT NULL,
    hash            BLOB NOT NULL,
    PRIMARY KEY (jurisdiction_id, hash_index)
);
INSERT INTO ledger_hashes_new (jurisdiction_id, hash_index, hash)
SELECT 1, hash_index, hash FROM ledger_hashes;
DROP TABLE ledger_hashes;
ALTER TABLE ledger_hashes_new RENAME TO ledger_hashes;

CREATE TABLE ledger_checkpoints_new (
    jurisdiction_id BIGINT NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
    tree_size       BIGINT NOT NULL,
    root            BLOB NOT NULL,
    note            TEXT NOT NULL,
    signed_at       TEXT NOT NULL,
    PRIMARY KEY (jurisdiction_id, tree_size)
);
INSERT INTO ledger_checkpoints_new (jurisdiction_id, tree_size, root, note, signed_at)
SELECT 1, tree_size, root, note, signed_at FROM ledger_checkpoints;
DROP TABLE ledger_checkpoints;
ALTER TABLE ledger_checkpoints_new RENAME TO ledger_checkpoints;

-- The rest gain the column where their keys do not change.
ALTER TABLE users ADD COLUMN jurisdiction_id BIGINT NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE events ADD COLUMN jurisdiction_id BIGINT NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
CREATE INDEX events_jurisdiction ON events(jurisdiction_id, id);
ALTER TABLE case_steps ADD COLUMN jurisdiction_id BIGINT NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
CREATE INDEX case_steps_jurisdiction ON case_steps(jurisdiction_id, on_date);
ALTER TABLE submissions ADD COLUMN jurisdiction_id BIGINT NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE officer_certificates ADD COLUMN jurisdiction_id BIGINT NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE external_reports ADD COLUMN jurisdiction_id BIGINT NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE registry_members ADD COLUMN jurisdiction_id BIGINT NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);

COMMIT;
PRAGMA foreign_keys = ON;
