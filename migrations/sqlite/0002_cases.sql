-- Cases run under procedure definitions (procedures/*.toml), their steps, the projection of their
-- running statutory periods, and the enforcement-officer certificate registry.
-- Keep in step with migrations/postgres/0002_cases.sql.

CREATE TABLE officer_certificates (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id    BIGINT NOT NULL REFERENCES people(id),
    number       TEXT NOT NULL UNIQUE,
    field_of_law TEXT NOT NULL DEFAULT '',
    valid_from   TEXT NOT NULL,
    valid_until  TEXT NOT NULL,
    revoked      INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL
);
CREATE INDEX officer_certificates_person ON officer_certificates(person_id);

CREATE TABLE cases (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    procedure     TEXT NOT NULL,
    number        TEXT NOT NULL UNIQUE,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    title         TEXT NOT NULL,
    state         TEXT NOT NULL,
    version       BIGINT NOT NULL,
    opened_by     BIGINT NOT NULL REFERENCES users(id),
    opened_on     TEXT NOT NULL,
    closed_on     TEXT,
    outcome       TEXT,
    fields        TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX cases_procedure_state ON cases(procedure, state);
CREATE INDEX cases_department ON cases(department_id, procedure);
CREATE INDEX cases_opened_on ON cases(procedure, opened_on);

CREATE TABLE case_assignees (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_assignees_user ON case_assignees(user_id);

CREATE TABLE case_steps (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id       BIGINT NOT NULL REFERENCES cases(id),
    seq           BIGINT NOT NULL,
    action        TEXT NOT NULL,
    on_date       TEXT NOT NULL,
    state_after   TEXT NOT NULL,
    actor_user_id BIGINT NOT NULL REFERENCES users(id),
    fields        TEXT NOT NULL,
    event_id      BIGINT NOT NULL REFERENCES events(id),
    at            TEXT NOT NULL,
    UNIQUE (case_id, seq)
);

CREATE TABLE case_timers (
    case_id     BIGINT NOT NULL REFERENCES cases(id),
    timer_id    TEXT NOT NULL,
    label       TEXT NOT NULL,
    article     TEXT NOT NULL,
    started_on  TEXT NOT NULL,
    due_on      TEXT,
    provisional INTEGER NOT NULL DEFAULT 0,
    paused      INTEGER NOT NULL DEFAULT 0,
    extended    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (case_id, timer_id)
);
CREATE INDEX case_timers_due ON case_timers(due_on);
