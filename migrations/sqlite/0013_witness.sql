-- The government above witnesses each subordinate jurisdiction's log (issue #14): it cosigns a
-- checkpoint only if its consistency proof extends the last one it cosigned. What the witness
-- remembers is stored here, so that a restart does not reset its trust: the log key it trusts
-- (pinned on first use) and the last tree head it cosigned. Every cosigned note is kept to be
-- served, and every refusal with its reason and time. Keep in step with
-- migrations/postgres/0013_witness.sql.

CREATE TABLE witness_state (
    jurisdiction_id BIGINT NOT NULL REFERENCES jurisdictions(id),
    witness_id      BIGINT NOT NULL REFERENCES jurisdictions(id),
    log_key         TEXT NOT NULL,
    tree_size       BIGINT NOT NULL,
    root            BLOB NOT NULL,
    PRIMARY KEY (jurisdiction_id, witness_id)
);

CREATE TABLE ledger_cosignatures (
    jurisdiction_id BIGINT NOT NULL REFERENCES jurisdictions(id),
    tree_size       BIGINT NOT NULL,
    witness_id      BIGINT NOT NULL REFERENCES jurisdictions(id),
    root            BLOB NOT NULL,
    note            TEXT NOT NULL,
    cosigned_at     TEXT NOT NULL,
    PRIMARY KEY (jurisdiction_id, tree_size, witness_id)
);

CREATE TABLE witness_refusals (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    jurisdiction_id BIGINT NOT NULL REFERENCES jurisdictions(id),
    witness_id      BIGINT NOT NULL REFERENCES jurisdictions(id),
    tree_size       BIGINT NOT NULL,
    root            BLOB NOT NULL,
    kind            TEXT NOT NULL,
    reason          TEXT NOT NULL,
    refused_at      TEXT NOT NULL
);
CREATE INDEX witness_refusals_log ON witness_refusals(jurisdiction_id, witness_id, tree_size);
