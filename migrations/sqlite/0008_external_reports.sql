-- Other governments' published reports, read for checking and comparison (外部报告). Stored by
-- content (SHA-256) with what the reader found, so the list needs no re-reading; the page that
-- shows one reads its bytes again with the current reader.
-- Keep in step with migrations/postgres/0008_external_reports.sql.
CREATE TABLE external_reports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256       TEXT NOT NULL UNIQUE,
    file_name    TEXT NOT NULL,
    title        TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    year         INTEGER,
    n_figures    BIGINT NOT NULL,
    n_errors     BIGINT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_by  BIGINT NOT NULL REFERENCES users(id),
    uploaded_at  TEXT NOT NULL,
    event_id     BIGINT NOT NULL REFERENCES events(id)
);
