-- Indexes found by measuring a province (issue #14, bench/province.sh; docs/SCALING.md).
-- Keep in step with migrations/sqlite/0015_scale_indexes.sql.

-- The agency's own deadlines (lapse = 'overdue') by due date: the supervision page and the 工作台
-- ask for the duty periods due by a day, and a case keeps the party's periods and the periods
-- that deem a step long after it is closed, so an index on the due date alone made them read
-- every period of the province (at 200,000 cases, 306,000 periods for 3,900 duty ones).
CREATE INDEX case_timers_lapse_due ON case_timers(lapse, due_on);

-- A jurisdiction's steps of one action by date: the indicators counted from the steps read one
-- jurisdiction's rows (case_steps_action_date alone made the largest jurisdiction's figure read
-- the whole province's steps of that action, 197,000 rows for 66,000 at 200,000 cases).
CREATE INDEX case_steps_jurisdiction_action_date ON case_steps(jurisdiction_id, action, on_date);
