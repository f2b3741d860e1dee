-- The tamper-evident log (crates/ledger): one leaf per journaled event, committing to the event's
-- canonical bytes with a per-event random salt; the tree's stored hashes in Go tlog order; and
-- the signed checkpoints. Keep in step with migrations/sqlite/0003_ledger.sql.

CREATE TABLE ledger_state (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    size BIGINT NOT NULL
);
INSERT INTO ledger_state (id, size) VALUES (1, 0);

CREATE TABLE ledger_leaves (
    leaf_index BIGINT PRIMARY KEY,
    event_id   BIGINT NOT NULL UNIQUE REFERENCES events(id),
    salt       BYTEA NOT NULL
);

CREATE TABLE ledger_hashes (
    hash_index BIGINT PRIMARY KEY,
    hash       BYTEA NOT NULL
);

CREATE TABLE ledger_checkpoints (
    tree_size BIGINT PRIMARY KEY,
    root      BYTEA NOT NULL,
    note      TEXT NOT NULL,
    signed_at TEXT NOT NULL
);
