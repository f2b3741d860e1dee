-- Supervision (法治督察, issue #14): a jurisdiction's annual report as submitted to the government
-- above, and 督办 — a supervision notice on a case, a department or a report of a jurisdiction
-- within the supervisor's reach, with a reply due on the working-day calendar. The notice's and
-- the reply's free text stay in this table; their events carry only its SHA-256 (free text may
-- name people, and the journal's leaves are published).
-- Keep in step with the other database's 0014_supervision.sql.

CREATE TABLE report_submissions (
    jurisdiction_id BIGINT NOT NULL REFERENCES jurisdictions(id),
    year            BIGINT NOT NULL,
    submitted_on    TEXT NOT NULL,
    submitted_by    BIGINT NOT NULL REFERENCES users(id),
    event_id        BIGINT NOT NULL REFERENCES events(id),
    PRIMARY KEY (jurisdiction_id, year)
);

CREATE TABLE supervision_notices (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The addressee's jurisdiction leads the key, like every large table's.
    jurisdiction_id         BIGINT NOT NULL REFERENCES jurisdictions(id),
    issued_by_jurisdiction  BIGINT NOT NULL REFERENCES jurisdictions(id),
    target_kind             TEXT NOT NULL,
    target_id               BIGINT NOT NULL,
    department_id           BIGINT REFERENCES departments(id),
    title                   TEXT NOT NULL,
    body                    TEXT NOT NULL,
    issued_on               TEXT NOT NULL,
    reply_workdays          BIGINT NOT NULL,
    reply_due               TEXT NOT NULL,
    issued_by               BIGINT NOT NULL REFERENCES users(id),
    issued_event_id         BIGINT NOT NULL REFERENCES events(id),
    replied_on              TEXT,
    reply                   TEXT,
    replied_by              BIGINT REFERENCES users(id),
    replied_event_id        BIGINT REFERENCES events(id),
    created_at              TEXT NOT NULL
);
CREATE INDEX supervision_notices_open ON supervision_notices(jurisdiction_id, replied_on, reply_due);
CREATE INDEX supervision_notices_issuer ON supervision_notices(issued_by_jurisdiction, issued_on);
