-- Personal API tokens for /api/v1: stored as SHA-256 hashes, like sessions.
-- Keep in step with migrations/postgres/0004_api_tokens.sql.
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
