-- Registries people are named from in a procedure's person fields, besides the certificate
-- registry (officer_certificates) and the accounts: 人民调解员, 法律援助人员, 法律顾问, 检查人员.
-- An entry may be limited in time and is revoked, never deleted.
-- The projection of running periods learns what each period's lapse means (the agency's duty is
-- overdue; the party's period simply ends; a deemed step is taken by the law) and its unit.
-- Keep in step with migrations/postgres/0010_registries.sql.

CREATE TABLE registry_members (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    registry    TEXT NOT NULL,
    person_id   BIGINT NOT NULL REFERENCES people(id),
    valid_from  TEXT,
    valid_until TEXT,
    revoked     INTEGER NOT NULL DEFAULT 0,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX registry_members_person ON registry_members(person_id);
CREATE INDEX registry_members_registry ON registry_members(registry);

ALTER TABLE case_timers ADD COLUMN lapse TEXT NOT NULL DEFAULT 'overdue';
-- The period's unit, so that lateness is counted in it (a calendar-day period is late by 日).
ALTER TABLE case_timers ADD COLUMN unit TEXT NOT NULL DEFAULT 'days';

-- A step the law deemed taken (视为受理…), stored once someone acts after it: the timer whose
-- lapse took it. NULL for steps people took.
ALTER TABLE case_steps ADD COLUMN deemed_by TEXT;
