-- Every jurisdiction with each of its ancestors and itself (issue #14): "this jurisdiction and
-- everything below it" is one indexed lookup, `jurisdiction_id IN (SELECT descendant_id FROM
-- jurisdiction_closure WHERE ancestor_id = $1)`, the condition every supervisor's query uses.
-- Kept by `Store::create_jurisdiction` in the transaction that adds a jurisdiction; a
-- jurisdiction never moves to another parent.
-- Keep in step with the other database's 0012_jurisdiction_closure.sql.

CREATE TABLE jurisdiction_closure (
    ancestor_id     BIGINT NOT NULL REFERENCES jurisdictions(id),
    descendant_id   BIGINT NOT NULL REFERENCES jurisdictions(id),
    depth           BIGINT NOT NULL,
    PRIMARY KEY (ancestor_id, descendant_id)
);
CREATE INDEX jurisdiction_closure_descendant ON jurisdiction_closure(descendant_id);

INSERT INTO jurisdiction_closure (ancestor_id, descendant_id, depth)
WITH RECURSIVE below(ancestor_id, descendant_id, depth) AS (
    SELECT id, id, 0 FROM jurisdictions
    UNION ALL
    SELECT b.ancestor_id, j.id, b.depth + 1
    FROM below b JOIN jurisdictions j ON j.parent_id = b.descendant_id
)
SELECT ancestor_id, descendant_id, depth FROM below;
