-- Case attachments: documents stored once by content (SHA-256, hex), and which case holds which
-- document under which original file name. The journal event that records an attachment carries
-- the hash, so the log commits to the content.
-- Keep in step with migrations/postgres/0006_attachments.sql.

CREATE TABLE blobs (
    sha256             TEXT PRIMARY KEY,
    media_type         TEXT NOT NULL,
    size               BIGINT NOT NULL,
    content            BLOB NOT NULL,
    first_uploaded_by  BIGINT REFERENCES users(id),
    first_uploaded_at  TEXT NOT NULL
);

CREATE TABLE case_attachments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     BIGINT NOT NULL REFERENCES cases(id),
    sha256      TEXT NOT NULL REFERENCES blobs(sha256),
    file_name   TEXT NOT NULL,
    step_seq    BIGINT NOT NULL,
    event_id    BIGINT NOT NULL REFERENCES events(id),
    uploaded_by BIGINT NOT NULL REFERENCES users(id),
    uploaded_at TEXT NOT NULL,
    UNIQUE (case_id, sha256)
);
CREATE INDEX case_attachments_sha256 ON case_attachments(sha256);
