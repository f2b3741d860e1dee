-- The certificate registry pages: a revocation keeps its reason and when it was recorded.
-- Keep in step with migrations/sqlite/0007_certificate_revocation.sql.
ALTER TABLE officer_certificates ADD COLUMN revoked_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE officer_certificates ADD COLUMN revoked_at TEXT;
