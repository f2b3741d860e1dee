-- Statistics and the annual report (issue #6).
-- Keep in step with migrations/postgres/0005_statistics.sql.

-- A projection of case steps, kept in the transaction that records each step: how many steps
-- of one action a department took in one year, and the money they carried (fen). Indicators read
-- this instead of scanning every step, so a year of a million cases is counted in milliseconds.
CREATE TABLE step_tallies (
    year          INTEGER NOT NULL,
    procedure     TEXT NOT NULL,
    action        TEXT NOT NULL,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    steps         BIGINT NOT NULL,
    amount_fen    BIGINT NOT NULL,
    PRIMARY KEY (year, procedure, action, department_id)
);
-- Drill-down from a figure to its records: the steps of one action in a date range.
CREATE INDEX case_steps_action_date ON case_steps(action, on_date);

-- A department's submission (填报) of figures no record gives, for one year. Each submission is
-- complete (all items); the newest one counts; every one is journaled.
CREATE TABLE submissions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    year          INTEGER NOT NULL,
    source        TEXT NOT NULL,
    submitted_by  BIGINT NOT NULL REFERENCES users(id),
    submitted_at  TEXT NOT NULL,
    event_id      BIGINT NOT NULL REFERENCES events(id)
);
CREATE INDEX submissions_department_year ON submissions(department_id, year);

CREATE TABLE submission_values (
    submission_id BIGINT NOT NULL REFERENCES submissions(id),
    indicator_id  TEXT NOT NULL,
    value         TEXT NOT NULL,
    comment       TEXT NOT NULL,
    PRIMARY KEY (submission_id, indicator_id)
);

-- The annual report of the jurisdiction for one year, and every version of it. A published
-- version is never changed (the store has no statement that updates one); a correction is a new
-- version with its reason.
CREATE TABLE reports (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    year       INTEGER NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE report_versions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id     BIGINT NOT NULL REFERENCES reports(id),
    number        INTEGER NOT NULL,
    body          TEXT NOT NULL,
    computation   TEXT NOT NULL,
    note          TEXT NOT NULL,
    created_by    BIGINT REFERENCES users(id),
    created_at    TEXT NOT NULL,
    published_at  TEXT,
    log_size      BIGINT,
    log_root      TEXT,
    body_sha256   TEXT NOT NULL,
    event_id      BIGINT NOT NULL REFERENCES events(id),
    UNIQUE (report_id, number)
);
