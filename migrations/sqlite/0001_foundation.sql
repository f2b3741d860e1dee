-- Foundation schema: the jurisdiction, its departments and people, staff accounts, sessions,
-- sign-in attempts, and the event journal every record change is written to.
-- Types follow sqlx's Any driver: dates and times as ISO-8601 TEXT, booleans as INTEGER 0/1,
-- money as integer fen. Keep in step with migrations/postgres/0001_foundation.sql.

CREATE TABLE jurisdiction (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    code        TEXT NOT NULL,
    is_demo     INTEGER NOT NULL DEFAULT 0,
    demo_seed   BIGINT,
    demo_year   BIGINT,
    created_at  TEXT NOT NULL
);

CREATE TABLE departments (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    name                TEXT NOT NULL UNIQUE,
    kind                TEXT NOT NULL,
    is_justice_bureau   INTEGER NOT NULL DEFAULT 0,
    legal_contact_name  TEXT NOT NULL DEFAULT '',
    legal_contact_phone TEXT NOT NULL DEFAULT '',
    active              INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);

CREATE TABLE people (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    name          TEXT NOT NULL,
    position      TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX people_department ON people(department_id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    person_id     BIGINT REFERENCES people(id),
    department_id BIGINT REFERENCES departments(id),
    display_name  TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    csrf_token  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_attempts (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    username  TEXT NOT NULL,
    client    TEXT NOT NULL,
    at        TEXT NOT NULL,
    succeeded INTEGER NOT NULL
);
CREATE INDEX login_attempts_username ON login_attempts(username, at);
CREATE INDEX login_attempts_client ON login_attempts(client, at);

CREATE TABLE events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL,
    subject       TEXT NOT NULL,
    actor_user_id BIGINT,
    at            TEXT NOT NULL,
    body          TEXT NOT NULL
);
CREATE INDEX events_subject ON events(subject);
