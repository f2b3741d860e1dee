//! What the indicators read: per-department counts for a year, from the step tallies (kept with
//! every step, see [`super::Store::insert_step`]), from cases, from steps' fields, from the
//! certificate registry and from submissions; and the records behind one figure, for the
//! drill-down. Every read is for an [`Extent`]: one jurisdiction alone, or it with everything
//! below it (one indexed condition on the leading `jurisdiction_id` column, never one query per
//! jurisdiction).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Page, ROOT_JURISDICTION, Store, StoreError, in_subtree_sql};

/// How much of the tree below a jurisdiction its figures take in.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Breadth {
    /// The jurisdiction's own records only (本级).
    Alone,
    /// The jurisdiction and every jurisdiction below it (全市, 全区): counts summed, rates
    /// recomputed from the summed numerator and denominator.
    #[default]
    WithBelow,
}

/// Whose records a figure counts: a jurisdiction, alone or with everything below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Extent {
    /// The jurisdiction.
    pub jurisdiction_id: i64,
    /// Alone or with everything below it.
    pub breadth: Breadth,
}

impl Extent {
    /// The whole deployment: the root with everything below it (what every figure counted
    /// before jurisdictions formed a tree).
    pub const EVERYTHING: Extent = Extent::with_below(ROOT_JURISDICTION);

    /// `jurisdiction_id`'s own records.
    pub const fn alone(jurisdiction_id: i64) -> Extent {
        Extent {
            jurisdiction_id,
            breadth: Breadth::Alone,
        }
    }

    /// `jurisdiction_id`'s records and those of every jurisdiction below it.
    pub const fn with_below(jurisdiction_id: i64) -> Extent {
        Extent {
            jurisdiction_id,
            breadth: Breadth::WithBelow,
        }
    }

    /// SQL: `column` (a jurisdiction id) is inside the extent whose jurisdiction is bound at
    /// `placeholder`.
    pub(crate) fn sql(self, column: &str, placeholder: &str) -> String {
        match self.breadth {
            Breadth::Alone => format!("{column} = {placeholder}"),
            Breadth::WithBelow => in_subtree_sql(column, placeholder),
        }
    }
}

/// One row of the step tallies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Procedure id.
    pub procedure: String,
    /// Action id (`open` for the opening step).
    pub action: String,
    /// Department.
    pub department_id: i64,
    /// Steps taken.
    pub steps: i64,
    /// Money they carried, in fen.
    pub amount_fen: i64,
}

/// A record behind a figure, as the drill-down lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureRecord {
    /// Case id (0 for records that are not cases).
    pub case_id: i64,
    /// Case number, certificate number or submission reference.
    pub reference: String,
    /// Department name.
    pub department_name: String,
    /// Date of the counted step, filing or submission.
    pub on: String,
    /// What was counted (action id, or a short description).
    pub what: String,
    /// The journal event that recorded it, for its ledger proof.
    pub event_id: Option<i64>,
}

/// Which steps [`Store::counted_steps`] reads.
#[derive(Debug, Clone, Copy)]
pub struct StepFilter<'a> {
    /// Whose cases.
    pub extent: Extent,
    /// Procedure id.
    pub procedure: &'a str,
    /// Actions of the steps.
    pub actions: &'a [String],
    /// First date (ISO), inclusive.
    pub from: &'a str,
    /// Last date (ISO), inclusive.
    pub until: &'a str,
    /// Only steps whose case took one of these actions before (a lower step number).
    pub only_after: &'a [String],
    /// Only steps whose case took none of these actions before.
    pub not_after: &'a [String],
    /// One department's cases, or all.
    pub department_id: Option<i64>,
}

/// A step as [`Store::counted_steps`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedStep {
    /// Case id.
    pub case_id: i64,
    /// Case number.
    pub reference: String,
    /// The case's department.
    pub department_id: i64,
    /// Its name.
    pub department_name: String,
    /// The step's number in its case.
    pub seq: i64,
    /// Action id.
    pub action: String,
    /// The step's date (办理日期, ISO).
    pub on: String,
    /// The step's fields (JSON).
    pub fields: String,
    /// The journal event that recorded it.
    pub event_id: i64,
}

/// A row of the step tallies' key: (jurisdiction, year, procedure, action, department).
type TallyKey = (i64, i64, String, String, i64);

/// The first and last day of `year`, as ISO dates.
pub fn years_range(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

impl Store {
    /// The step tallies of `year` within `extent`.
    pub async fn tallies(&self, extent: Extent, year: i32) -> Result<Vec<Tally>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT procedure, action, department_id, steps, amount_fen FROM step_tallies \
             WHERE {} AND year = $2",
            extent.sql("jurisdiction_id", "$1")
        )))
        .bind(extent.jurisdiction_id)
        .bind(i64::from(year))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Tally {
                    procedure: row.try_get("procedure")?,
                    action: row.try_get("action")?,
                    department_id: row.try_get("department_id")?,
                    steps: row.try_get("steps")?,
                    amount_fen: row.try_get("amount_fen")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Rebuilds the step tallies from the steps themselves, in one transaction (for databases
    /// whose steps predate the tallies, and as the check that the projection is exact).
    /// Returns the number of steps counted.
    pub async fn rebuild_tallies(&self) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM step_tallies")
            .execute(&mut *tx)
            .await?;
        let rows = sqlx::query(
            "SELECT c.jurisdiction_id, c.procedure, c.department_id, s.action, s.on_date, s.fields \
             FROM case_steps s JOIN cases c ON c.id = s.case_id",
        )
        .fetch_all(&mut *tx)
        .await?;
        // Keyed as the table is: a case's steps are tallied in its jurisdiction.
        let mut tallies: BTreeMap<TallyKey, (i64, i64)> = BTreeMap::new();
        for row in &rows {
            let on: String = row.try_get("on_date")?;
            let year: i64 = on.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
            let fields: String = row.try_get("fields")?;
            let entry = tallies
                .entry((
                    row.try_get("jurisdiction_id")?,
                    year,
                    row.try_get("procedure")?,
                    row.try_get("action")?,
                    row.try_get("department_id")?,
                ))
                .or_default();
            entry.0 += 1;
            entry.1 = entry
                .1
                .checked_add(money_in(&fields))
                .ok_or(StoreError::TotalOutOfRange)?;
        }
        for ((jurisdiction_id, year, procedure, action, department_id), (steps, amount)) in &tallies
        {
            sqlx::query(
                "INSERT INTO step_tallies (year, procedure, action, department_id, steps, amount_fen, \
                 jurisdiction_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(year)
            .bind(procedure)
            .bind(action)
            .bind(department_id)
            .bind(steps)
            .bind(amount)
            .bind(jurisdiction_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(i64::try_from(rows.len()).unwrap_or(i64::MAX))
    }

    /// Whether steps exist that no tally counts (a database from before the tallies).
    pub async fn tallies_missing(&self) -> Result<bool, StoreError> {
        let steps: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_steps")
            .fetch_one(self.pool())
            .await?;
        let tallied: Option<i64> =
            sqlx::query_scalar("SELECT CAST(SUM(steps) AS BIGINT) FROM step_tallies")
                .fetch_one(self.pool())
                .await?;
        Ok(steps != tallied.unwrap_or(0))
    }

    /// The steps `filter` selects, oldest first (by date, then as recorded), with what the
    /// indicators need of each: its case, department, action, date, fields and journal event.
    /// For indicators counted from the steps themselves (small procedures: the drill-down and
    /// the per-instance and conditional counts); everything else reads the tallies.
    pub async fn counted_steps(
        &self,
        filter: &StepFilter<'_>,
    ) -> Result<Vec<CountedStep>, StoreError> {
        if filter.actions.is_empty() {
            return Ok(Vec::new());
        }
        // Action ids come from the validated catalogue, never from a request; still bound.
        let mut next = 6;
        let mut list = |n: usize| {
            let placeholders: Vec<String> = (next..next + n).map(|i| format!("${i}")).collect();
            next += n;
            placeholders.join(", ")
        };
        let mut sql = format!(
            "SELECT c.id AS case_id, c.number, c.department_id, d.name AS department_name, s.seq, \
             s.action, s.on_date, s.fields, s.event_id \
             FROM case_steps s JOIN cases c ON c.id = s.case_id JOIN departments d ON d.id = c.department_id \
             WHERE {} AND c.procedure = $1 AND s.on_date >= $2 AND s.on_date <= $3 \
             AND ($4 = 0 OR c.department_id = $4) AND s.action IN ({})",
            // The step's own jurisdiction (always its case's), so that one jurisdiction's
            // figure reads its own steps by index (migration 0015), not the province's.
            filter.extent.sql("s.jurisdiction_id", "$5"),
            list(filter.actions.len())
        );
        if !filter.only_after.is_empty() {
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM case_steps e WHERE e.case_id = s.case_id AND e.seq < s.seq \
                 AND e.action IN ({}))",
                list(filter.only_after.len())
            ));
        }
        if !filter.not_after.is_empty() {
            sql.push_str(&format!(
                " AND NOT EXISTS (SELECT 1 FROM case_steps e WHERE e.case_id = s.case_id AND e.seq < s.seq \
                 AND e.action IN ({}))",
                list(filter.not_after.len())
            ));
        }
        sql.push_str(" ORDER BY s.on_date, s.id");
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(filter.procedure)
            .bind(filter.from)
            .bind(filter.until)
            .bind(filter.department_id.unwrap_or(0))
            .bind(filter.extent.jurisdiction_id);
        for action in filter
            .actions
            .iter()
            .chain(filter.only_after)
            .chain(filter.not_after)
        {
            query = query.bind(action);
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                Ok(CountedStep {
                    case_id: row.try_get("case_id")?,
                    reference: row.try_get("number")?,
                    department_id: row.try_get("department_id")?,
                    department_name: row.try_get("department_name")?,
                    seq: row.try_get("seq")?,
                    action: row.try_get("action")?,
                    on: row.try_get("on_date")?,
                    fields: row.try_get("fields")?,
                    event_id: row.try_get("event_id")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Per department within `extent`, the people holding a certificate valid on `date` (not
    /// revoked).
    pub async fn certified_people(
        &self,
        extent: Extent,
        date: &str,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT p.department_id, COUNT(DISTINCT p.id) AS n FROM officer_certificates o \
             JOIN people p ON p.id = o.person_id \
             WHERE {} AND o.revoked = 0 AND o.valid_from <= $1 AND o.valid_until >= $1 \
             GROUP BY p.department_id",
            extent.sql("o.jurisdiction_id", "$2")
        )))
        .bind(date)
        .bind(extent.jurisdiction_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("department_id")?, row.try_get("n")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// The steps behind a step-counted figure within `extent`, newest first.
    #[allow(clippy::too_many_arguments)]
    pub async fn figure_steps(
        &self,
        extent: Extent,
        year: i32,
        procedure: &str,
        actions: &[String],
        department_id: Option<i64>,
        page: i64,
        per_page: i64,
    ) -> Result<Page<FigureRecord>, StoreError> {
        let (from, until) = years_range(year);
        let per_page = per_page.clamp(1, 200);
        let page = page.max(1);
        // Actions come from the validated catalogue, never from the request; still bound.
        let placeholders: Vec<String> = (0..actions.len()).map(|i| format!("${}", i + 6)).collect();
        let condition = format!(
            "FROM case_steps s JOIN cases c ON c.id = s.case_id JOIN departments d ON d.id = c.department_id \
             WHERE {} AND c.procedure = $1 AND s.on_date >= $2 AND s.on_date <= $3 \
             AND ($4 = 0 OR c.department_id = $4) AND s.action IN ({})",
            extent.sql("c.jurisdiction_id", "$5"),
            placeholders.join(", ")
        );
        let department = department_id.unwrap_or(0);
        let mut count =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {condition}")))
                .bind(procedure)
                .bind(&from)
                .bind(&until)
                .bind(department)
                .bind(extent.jurisdiction_id);
        for action in actions {
            count = count.bind(action);
        }
        let total: i64 = count.fetch_one(self.pool()).await?;
        let limit = actions.len() + 6;
        let mut query = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT c.id, c.number, d.name AS department_name, s.on_date, s.action, s.event_id {condition} \
             ORDER BY s.on_date DESC, s.id DESC LIMIT ${limit} OFFSET ${}",
            limit + 1
        )))
        .bind(procedure)
        .bind(&from)
        .bind(&until)
        .bind(department)
        .bind(extent.jurisdiction_id);
        for action in actions {
            query = query.bind(action);
        }
        let rows = query
            .bind(per_page)
            .bind((page - 1).saturating_mul(per_page))
            .fetch_all(self.pool())
            .await?;
        let items = rows
            .iter()
            .map(|row: &AnyRow| {
                Ok(FigureRecord {
                    case_id: row.try_get("id")?,
                    reference: row.try_get("number")?,
                    department_name: row.try_get("department_name")?,
                    on: row.try_get("on_date")?,
                    what: row.try_get("action")?,
                    event_id: Some(row.try_get("event_id")?),
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }
}

impl Store {
    /// The size of every log within `extent`, by jurisdiction: each jurisdiction's records are
    /// journaled in its own log, so a figure over several is traced to each of them. Every change
    /// to anything an indicator counts grows one of these, so their sum also says whether a
    /// computation is still current.
    pub async fn log_sizes(&self, extent: Extent) -> Result<BTreeMap<i64, u64>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT jurisdiction_id, size FROM ledger_logs WHERE {}",
            extent.sql("jurisdiction_id", "$1")
        )))
        .bind(extent.jurisdiction_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let size: i64 = row.try_get("size")?;
                Ok((
                    row.try_get("jurisdiction_id")?,
                    u64::try_from(size).unwrap_or(0),
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// For every department of `jurisdiction_id`'s subtree (active or not: a deactivated
    /// department's records still count), the branch it belongs to: `jurisdiction_id` itself for
    /// its own departments (本级), else the child of `jurisdiction_id` it lies under. The
    /// breakdown of a figure over the tree sums its departments by branch.
    pub async fn department_branches(
        &self,
        jurisdiction_id: i64,
    ) -> Result<HashMap<i64, i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT d.id, d.jurisdiction_id AS branch FROM departments d WHERE d.jurisdiction_id = $1 \
             UNION ALL \
             SELECT d.id, k.ancestor_id AS branch FROM departments d \
             JOIN jurisdiction_closure k ON k.descendant_id = d.jurisdiction_id \
             JOIN jurisdictions j ON j.id = k.ancestor_id WHERE j.parent_id = $1",
        )
        .bind(jurisdiction_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("id")?, row.try_get("branch")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}

/// The money (fen) in a step's stored fields JSON.
pub(crate) fn money_in(fields_json: &str) -> i64 {
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(fields_json) else {
        return 0;
    };
    // Each stored amount is at most `MAX_MONEY_FEN` (checked when the step was taken), so the
    // saturation never bites on data Fazhi wrote; it only keeps foreign rows from panicking.
    fields
        .values()
        .filter(|v| v.get("type").and_then(|t| t.as_str()) == Some("money"))
        .filter_map(|v| v.get("value").and_then(serde_json::Value::as_i64))
        .fold(0i64, i64::saturating_add)
}

/// The most a tally of fines may hold, in fen: what a 64-bit integer column holds on both
/// databases. One amount is at most `fazhi_procedure::fields::MAX_MONEY_FEN` (10¹³ fen), so
/// reaching this takes close to a million maximal fines in one department, year and action; a
/// step that would pass it is refused rather than letting SQLite turn the sum into a REAL.
pub const MAX_TALLY_FEN: i64 = i64::MAX;

/// The sum of the amounts of one step's fields, or `None` if it would exceed [`MAX_TALLY_FEN`].
pub(crate) fn step_amount_fen<'a>(
    values: impl IntoIterator<Item = &'a crate::engine::FieldValue>,
) -> Option<i64> {
    values.into_iter().try_fold(0i64, |sum, value| match value {
        crate::engine::FieldValue::Money(fen) => sum.checked_add(*fen),
        _ => Some(sum),
    })
}
