//! Computing every indicator of the catalogue for a year, for a jurisdiction (alone, or with
//! everything below it: 全市), for each of its branches (itself and each child jurisdiction) and
//! for each department, with its provenance: the rule (the indicator's definition), how many
//! records were counted, and the size of the logs when the computation ran, so a figure can be
//! traced to the records and checked against a later log.
//!
//! Over several jurisdictions counts are summed and a rate is recomputed from the summed
//! numerator and denominator, never averaged: every figure is taken from per-department raw
//! counts (value, records), and a ratio only ever divides two sums of them.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Catalogue, Indicator, Per, Source};
use crate::engine::FieldValue;
pub use crate::store::statistics::{Breadth, Extent};
use crate::store::statistics::{CountedStep, FigureRecord, StepFilter, money_in, years_range};
use crate::store::{Page, Store, StoreError};

/// One indicator's value for one scope and year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    /// Indicator id.
    pub id: String,
    /// The value (`None`: a ratio over zero, or nothing submitted).
    pub value: Option<Decimal>,
    /// Records counted: steps, certificates or submissions; for ratios, the denominator's.
    pub records: i64,
}

/// All indicators for one year: the extent's values, each branch's and each department's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Computation {
    /// The year.
    pub year: i32,
    /// Whose records were counted (computations stored before jurisdictions formed a tree
    /// counted everything).
    #[serde(default = "everything")]
    pub extent: Extent,
    /// Catalogue version used.
    pub catalogue_version: String,
    /// Leaves in the extent's jurisdiction's own log when computed: a report drafted from these
    /// figures is published fixed at this size of that log (where its own events go).
    pub log_size: u64,
    /// Leaves in each log of the extent when computed, by jurisdiction: every counted record is
    /// among them.
    #[serde(default)]
    pub log_sizes: BTreeMap<i64, u64>,
    /// When (RFC 3339).
    pub computed_at: String,
    /// Values over the whole extent, in catalogue order.
    pub figures: Vec<Figure>,
    /// For an extent with everything below: per branch (the jurisdiction itself, 本级, and each
    /// of its children with everything below it), every indicator's value, in catalogue order.
    /// The branches' counts sum to the extent's. Empty for an extent of one jurisdiction alone.
    #[serde(default)]
    pub by_branch: BTreeMap<i64, Vec<Figure>>,
    /// Per department id, the values of indicators that have them.
    pub by_department: BTreeMap<i64, Vec<Figure>>,
    /// Departments that have submitted for the year.
    pub submitted_departments: Vec<i64>,
}

fn everything() -> Extent {
    Extent::EVERYTHING
}

impl Computation {
    /// The jurisdiction-wide figure of `id`.
    pub fn figure(&self, id: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.id == id)
    }

    /// The jurisdiction-wide value of `id`.
    pub fn value(&self, id: &str) -> Option<Decimal> {
        self.figure(id).and_then(|f| f.value)
    }

    /// The records journaled in the extent's logs when computed.
    pub fn records_journaled(&self) -> u64 {
        self.log_sizes.values().sum()
    }

    /// Branch `branch`'s figure of `id` (see [`Computation::by_branch`]).
    pub fn branch_figure(&self, branch: i64, id: &str) -> Option<&Figure> {
        self.by_branch
            .get(&branch)
            .and_then(|figures| figures.iter().find(|f| f.id == id))
    }

    /// Department `department`'s value of `id`.
    pub fn department_value(&self, department: i64, id: &str) -> Option<Decimal> {
        self.by_department
            .get(&department)
            .and_then(|figures| figures.iter().find(|f| f.id == id))
            .and_then(|f| f.value)
    }
}

/// Raw per-department counts of one indicator: (value, records).
type Counts = HashMap<i64, (Decimal, i64)>;

/// The extent a jurisdiction's report and default figures are for: with everything below it
/// if it has jurisdictions below (a city's report is drafted from its 全市 figures), else alone.
pub async fn natural_extent(store: &Store, jurisdiction_id: i64) -> Result<Extent, StoreError> {
    let nodes = store.jurisdictions().await?;
    if !nodes.iter().any(|n| n.id == jurisdiction_id) {
        return Err(StoreError::NotFound);
    }
    Ok(
        if nodes.iter().any(|n| n.parent_id == Some(jurisdiction_id)) {
            Extent::with_below(jurisdiction_id)
        } else {
            Extent::alone(jurisdiction_id)
        },
    )
}

/// Computes every indicator of `catalogue` for `year` over `extent`.
pub async fn compute(
    store: &Store,
    catalogue: &Catalogue,
    extent: Extent,
    year: i32,
    computed_at: &str,
) -> Result<Computation, StoreError> {
    // The log sizes first: everything counted below was journaled before this point or after;
    // records added during the computation can only make the counts newer, never older.
    let log_sizes = store.log_sizes(extent).await?;
    compute_at(store, catalogue, extent, year, log_sizes, computed_at).await
}

/// [`compute`] for the log sizes of the extent the caller has just read.
async fn compute_at(
    store: &Store,
    catalogue: &Catalogue,
    extent: Extent,
    year: i32,
    log_sizes: BTreeMap<i64, u64>,
    computed_at: &str,
) -> Result<Computation, StoreError> {
    let log_size = log_sizes
        .get(&extent.jurisdiction_id)
        .copied()
        .unwrap_or_default();
    // One query per source over the whole extent (the tallies, certificates and submissions
    // for every figure at once; the step-counted figures one each), never one per jurisdiction.
    let tallies = store.tallies(extent, year).await?;
    let certified = store
        .certified_people(extent, &format!("{year:04}-12-31"))
        .await?;
    let submissions = store.latest_submissions(extent, year).await?;
    let submitted_departments: Vec<i64> = {
        let mut ids: Vec<i64> = submissions.iter().map(|s| s.department_id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let mut raw: BTreeMap<&str, Counts> = BTreeMap::new();
    for indicator in &catalogue.indicators {
        let mut counts = Counts::new();
        match indicator.source {
            Source::Steps | Source::Field if indicator.reads_steps() => {
                for step in counted_records(
                    indicator,
                    &read_steps(store, indicator, extent, year, None).await?,
                    year,
                ) {
                    let entry = counts.entry(step.department_id).or_default();
                    entry.0 += if indicator.amount {
                        Decimal::new(money_in(&step.fields), 2)
                    } else {
                        Decimal::ONE
                    };
                    entry.1 += 1;
                }
            }
            Source::Opened | Source::Steps | Source::Field => {
                let actions: Vec<&str> = if indicator.source == Source::Opened {
                    vec!["open"]
                } else {
                    indicator.actions.iter().map(String::as_str).collect()
                };
                let procedure = indicator.procedure.as_deref().unwrap_or_default();
                for tally in tallies
                    .iter()
                    .filter(|t| t.procedure == procedure && actions.contains(&t.action.as_str()))
                {
                    let entry = counts.entry(tally.department_id).or_default();
                    entry.0 += if indicator.amount {
                        Decimal::new(tally.amount_fen, 2)
                    } else {
                        Decimal::from(tally.steps)
                    };
                    entry.1 += tally.steps;
                }
            }
            Source::Certified => {
                for (department, n) in &certified {
                    counts.insert(*department, (Decimal::from(*n), *n));
                }
            }
            Source::Submission => {
                for submission in submissions
                    .iter()
                    .filter(|s| s.indicator_id == indicator.id)
                {
                    let entry = counts.entry(submission.department_id).or_default();
                    entry.0 += submission.value;
                    entry.1 += 1;
                }
            }
            Source::Ratio => {}
        }
        raw.insert(indicator.id.as_str(), counts);
    }
    let figures = totals(catalogue, &raw, |_| true);
    let mut by_branch = BTreeMap::new();
    if extent.breadth == Breadth::WithBelow {
        let branches = store.department_branches(extent.jurisdiction_id).await?;
        // A department the map does not place (none should exist) counts as the jurisdiction's
        // own, so that the branches always sum to the whole.
        let branch_of = |department: i64| {
            branches
                .get(&department)
                .copied()
                .unwrap_or(extent.jurisdiction_id)
        };
        // Every child is a branch, with or without departments yet.
        let mut ids: Vec<i64> = store
            .jurisdictions()
            .await?
            .into_iter()
            .filter(|j| j.parent_id == Some(extent.jurisdiction_id))
            .map(|j| j.id)
            .chain(branches.values().copied())
            .collect();
        ids.push(extent.jurisdiction_id);
        ids.sort_unstable();
        ids.dedup();
        for branch in ids {
            by_branch.insert(
                branch,
                totals(catalogue, &raw, |department| {
                    branch_of(department) == branch
                }),
            );
        }
    }
    let mut departments: Vec<i64> = raw.values().flat_map(|c| c.keys().copied()).collect();
    departments.sort_unstable();
    departments.dedup();
    let mut by_department = BTreeMap::new();
    for department in departments {
        let of = |id: &str| raw.get(id).and_then(|c| c.get(&department)).copied();
        let list: Vec<Figure> = catalogue
            .indicators
            .iter()
            .filter_map(|indicator| match indicator.source {
                Source::Ratio => {
                    let numerator = of(indicator.numerator.as_deref().unwrap_or_default());
                    let denominator = of(indicator.denominator.as_deref().unwrap_or_default());
                    denominator.map(|_| ratio_figure(indicator, numerator, denominator))
                }
                _ => of(&indicator.id).map(|(value, records)| Figure {
                    id: indicator.id.clone(),
                    value: Some(value),
                    records,
                }),
            })
            .collect();
        by_department.insert(department, list);
    }
    Ok(Computation {
        year,
        extent,
        catalogue_version: catalogue.version.clone(),
        log_size,
        log_sizes,
        computed_at: computed_at.to_owned(),
        figures,
        by_branch,
        by_department,
        submitted_departments,
    })
}

/// Every indicator's value over the departments `include` admits: counts and amounts summed,
/// a ratio the quotient of its summed numerator and summed denominator (never an average of
/// rates), a submitted figure `None` when none of them submitted it.
fn totals(
    catalogue: &Catalogue,
    raw: &BTreeMap<&str, Counts>,
    include: impl Fn(i64) -> bool,
) -> Vec<Figure> {
    let total = |id: &str| -> Option<(Decimal, i64)> {
        raw.get(id).map(|counts| {
            counts
                .iter()
                .filter(|(department, _)| include(**department))
                .fold((Decimal::ZERO, 0), |(v, n), (_, (value, records))| {
                    (v + value, n + records)
                })
        })
    };
    let submitted = |id: &str| {
        raw.get(id)
            .is_some_and(|counts| counts.keys().any(|department| include(*department)))
    };
    catalogue
        .indicators
        .iter()
        .map(|indicator| match indicator.source {
            Source::Ratio => {
                let numerator = total(indicator.numerator.as_deref().unwrap_or_default());
                let denominator = total(indicator.denominator.as_deref().unwrap_or_default());
                ratio_figure(indicator, numerator, denominator)
            }
            Source::Submission if !submitted(&indicator.id) => Figure {
                id: indicator.id.clone(),
                value: None,
                records: 0,
            },
            _ => {
                let (value, records) = total(&indicator.id).unwrap_or_default();
                Figure {
                    id: indicator.id.clone(),
                    value: Some(value),
                    records,
                }
            }
        })
        .collect()
}

/// Computations kept per (extent, year, records journaled in the extent's logs). Every change to
/// anything an indicator counts (a case step, a certificate, a submission) journals an event in
/// the log of the record's jurisdiction, inside the extent, and so grows the sum of its logs: an
/// entry for the current sum is therefore still exact, and a grown log simply misses the cache.
#[derive(Debug, Default)]
pub struct ComputationCache {
    entries: std::sync::Mutex<HashMap<(Extent, i32, u64), std::sync::Arc<Computation>>>,
}

/// Most entries kept; more than a few extents × years × log sizes is not worth memory.
const CACHE_ENTRIES: usize = 32;

impl ComputationCache {
    /// The computation of `year` over `extent` for the logs as they are now, computed only if
    /// one of them has grown since the last one.
    pub async fn get(
        &self,
        store: &Store,
        catalogue: &Catalogue,
        extent: Extent,
        year: i32,
        computed_at: &str,
    ) -> Result<std::sync::Arc<Computation>, StoreError> {
        let sizes = store.log_sizes(extent).await?;
        let key = (extent, year, sizes.values().sum::<u64>());
        if let Some(hit) = self
            .entries
            .lock()
            .ok()
            .and_then(|entries| entries.get(&key).cloned())
        {
            return Ok(hit);
        }
        let computed = std::sync::Arc::new(
            compute_at(store, catalogue, extent, year, sizes, computed_at).await?,
        );
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CACHE_ENTRIES {
                entries.clear();
            }
            entries.insert(key, computed.clone());
        }
        Ok(computed)
    }
}

/// numerator ÷ denominator × 100, rounded half-up to two decimals; `None` over zero.
pub fn percent(numerator: Decimal, denominator: Decimal) -> Option<Decimal> {
    if denominator.is_zero() {
        return None;
    }
    Some(
        (numerator * Decimal::ONE_HUNDRED / denominator)
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
    )
}

fn ratio_figure(
    indicator: &Indicator,
    numerator: Option<(Decimal, i64)>,
    denominator: Option<(Decimal, i64)>,
) -> Figure {
    let (denominator_value, records) = denominator.unwrap_or_default();
    Figure {
        id: indicator.id.clone(),
        value: percent(numerator.unwrap_or_default().0, denominator_value),
        records,
    }
}

/// The steps an indicator that [`Indicator::reads_steps`] may count for `year`: those dated in
/// the year; where field values or instances are read, also the earlier steps of the same actions
/// (a value recorded earlier carries over, and an appearance earlier in the same instance counts,
/// 出庭规定第七条).
async fn read_steps(
    store: &Store,
    indicator: &Indicator,
    extent: Extent,
    year: i32,
    department_id: Option<i64>,
) -> Result<Vec<CountedStep>, StoreError> {
    let (from, until) = years_range(year);
    let from = if indicator.source == Source::Field || indicator.per == Per::Instance {
        "0000-01-01".to_owned()
    } else {
        from
    };
    store
        .counted_steps(&StepFilter {
            extent,
            procedure: indicator.procedure.as_deref().unwrap_or_default(),
            actions: &indicator.actions,
            from: &from,
            until: &until,
            only_after: &indicator.only_after,
            not_after: &indicator.not_after,
            department_id,
        })
        .await
}

/// A step with the values the count reads: its own, or failing that the ones its case recorded
/// before (the engine accepts a required field recorded earlier; the catalogue check makes sure
/// only the counted steps record these fields).
struct Valued<'s> {
    step: &'s CountedStep,
    /// The value of the indicator's field, for a `field` source.
    value: Option<String>,
    /// The instance (the value of `instance_field`; the action for a step without one).
    instance: String,
}

/// `steps` with their values, in each case's step order.
fn valued<'s>(indicator: &Indicator, steps: &'s [CountedStep]) -> Vec<Valued<'s>> {
    let mut ordered: Vec<&CountedStep> = steps.iter().collect();
    ordered.sort_by_key(|s| (s.case_id, s.seq));
    let text = |fields: &serde_json::Value, id: Option<&str>| text_value(fields, id?);
    let field = indicator
        .field
        .as_deref()
        .filter(|_| indicator.source == Source::Field);
    let mut out = Vec::with_capacity(ordered.len());
    let mut case = None;
    let (mut value, mut instance): (Option<String>, Option<String>) = (None, None);
    for step in ordered {
        if case != Some(step.case_id) {
            case = Some(step.case_id);
            (value, instance) = (None, None);
        }
        let fields: serde_json::Value =
            serde_json::from_str(&step.fields).unwrap_or(serde_json::Value::Null);
        value = text(&fields, field).or(value);
        instance = text(&fields, indicator.instance_field.as_deref()).or(instance);
        out.push(Valued {
            step,
            value: value.clone(),
            instance: instance.clone().unwrap_or_else(|| step.action.clone()),
        });
    }
    out
}

/// The records an indicator counts among `steps` (as [`read_steps`] gives them), oldest first,
/// one step standing for each: a step dated in `year` (whose field has one of the values, for a
/// `field` source); per instance, one per case and instance that has a step in the year — its
/// first step in the year, or for a `field` source its first step up to the year's end with one
/// of the values.
fn counted_records<'s>(
    indicator: &Indicator,
    steps: &'s [CountedStep],
    year: i32,
) -> Vec<&'s CountedStep> {
    let (from, until) = years_range(year);
    let in_year = |step: &CountedStep| step.on >= from && step.on <= until;
    let matches = |valued: &Valued<'_>| {
        indicator.source != Source::Field
            || valued
                .value
                .as_ref()
                .is_some_and(|v| indicator.values.contains(v))
    };
    let valued = valued(indicator, steps);
    let mut records: Vec<&CountedStep> = match indicator.per {
        Per::Step => valued
            .iter()
            .filter(|v| in_year(v.step) && matches(v))
            .map(|v| v.step)
            .collect(),
        Per::Instance => {
            // In step order: the first step that stands for the instance is kept.
            let mut instances: BTreeMap<(i64, &str), (bool, Option<&CountedStep>)> =
                BTreeMap::new();
            for v in &valued {
                let (heard_in_year, counted) = instances
                    .entry((v.step.case_id, v.instance.as_str()))
                    .or_default();
                *heard_in_year |= in_year(v.step);
                let stands_for = if indicator.source == Source::Field {
                    matches(v)
                } else {
                    in_year(v.step)
                };
                if counted.is_none() && stands_for {
                    *counted = Some(v.step);
                }
            }
            instances
                .into_values()
                .filter_map(|(heard_in_year, counted)| counted.filter(|_| heard_in_year))
                .collect()
        }
    };
    records.sort_by(|a, b| (&a.on, a.case_id, a.seq).cmp(&(&b.on, b.case_id, b.seq)));
    records
}

/// The records behind one figure of `year` over `extent`, newest first, for the drill-down:
/// exactly those the figure counts (one step standing for each), of one department or all. Empty
/// for sources whose records are not case steps (certificates, submissions, ratios).
#[allow(clippy::too_many_arguments)]
pub async fn records(
    store: &Store,
    indicator: &Indicator,
    extent: Extent,
    year: i32,
    department_id: Option<i64>,
    page: i64,
    per_page: i64,
) -> Result<Page<FigureRecord>, StoreError> {
    let procedure = indicator.procedure.as_deref().unwrap_or_default();
    match indicator.source {
        Source::Opened => {
            store
                .figure_steps(
                    extent,
                    year,
                    procedure,
                    &["open".to_owned()],
                    department_id,
                    page,
                    per_page,
                )
                .await
        }
        Source::Steps | Source::Field if indicator.reads_steps() => {
            let per_page = per_page.clamp(1, 200);
            let page = page.max(1);
            let steps = read_steps(store, indicator, extent, year, department_id).await?;
            let mut counted = counted_records(indicator, &steps, year);
            counted.reverse();
            let total = i64::try_from(counted.len()).unwrap_or(i64::MAX);
            let skip = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
            let take = usize::try_from(per_page).unwrap_or(200);
            Ok(Page {
                items: counted
                    .into_iter()
                    .skip(skip)
                    .take(take)
                    .map(|step| FigureRecord {
                        case_id: step.case_id,
                        reference: step.reference.clone(),
                        department_name: step.department_name.clone(),
                        on: step.on.clone(),
                        what: step.action.clone(),
                        event_id: Some(step.event_id),
                    })
                    .collect(),
                total,
                page,
                per_page,
            })
        }
        Source::Steps | Source::Field => {
            store
                .figure_steps(
                    extent,
                    year,
                    procedure,
                    &indicator.actions,
                    department_id,
                    page,
                    per_page,
                )
                .await
        }
        Source::Certified | Source::Submission | Source::Ratio => Ok(Page {
            items: Vec::new(),
            total: 0,
            page: 1,
            per_page,
        }),
    }
}

/// The text (or enum) value of field `id` in a step's stored fields, if it has one.
fn text_value(fields: &serde_json::Value, id: &str) -> Option<String> {
    let value = fields.get(id)?;
    match serde_json::from_value::<FieldValue>(value.clone()).ok()? {
        FieldValue::Text(text) => Some(text),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_up_to_two_places_and_refuse_zero_bases() {
        assert_eq!(
            percent(Decimal::from(23219), Decimal::from(23540)),
            Some(Decimal::new(9864, 2))
        );
        assert_eq!(
            percent(Decimal::from(1573), Decimal::from(2640)),
            Some(Decimal::new(5958, 2))
        );
        assert_eq!(percent(Decimal::ONE, Decimal::ZERO), None);
        assert_eq!(
            percent(Decimal::from(1), Decimal::from(8)),
            Some(Decimal::new(1250, 2))
        );
    }

    /// A hearing step; `None` leaves the field out (the case's earlier value applies).
    fn hearing(
        case_id: i64,
        seq: i64,
        action: &str,
        on: &str,
        instance: Option<&str>,
        head: Option<&str>,
    ) -> CountedStep {
        let mut fields = serde_json::Map::new();
        for (id, value) in [("instance", instance), ("head_appearance", head)] {
            if let Some(value) = value {
                fields.insert(
                    id.into(),
                    serde_json::json!({"type": "text", "value": value}),
                );
            }
        }
        CountedStep {
            case_id,
            reference: format!("诉{case_id}"),
            department_id: 1,
            department_name: "市场监督管理局".to_owned(),
            seq,
            action: action.to_owned(),
            on: on.to_owned(),
            fields: serde_json::Value::Object(fields).to_string(),
            event_id: case_id * 100 + seq,
        }
    }

    fn catalogue() -> Catalogue {
        Catalogue::embedded(&crate::procedure::load_embedded().expect("procedures"))
            .expect("catalogue")
    }

    fn at(records: &[&CountedStep]) -> Vec<(i64, String)> {
        records.iter().map(|s| (s.case_id, s.on.clone())).collect()
    }

    #[test]
    fn per_instance_counts_each_case_once_per_instance_and_an_earlier_appearance_counts() {
        let catalogue = catalogue();
        let heard = catalogue.get("litigation.heard_cases").expect("indicator");
        let appeared = catalogue
            .get("litigation.head_appearances")
            .expect("indicator");
        let sessions = catalogue.get("litigation.hearings").expect("indicator");
        let (head, absent) = (
            Some("行政机关正职负责人出庭"),
            Some("负责人未出庭，委托相应工作人员出庭"),
        );
        let (first, retrial, second) = (Some("一审"), Some("发回重审后一审"), Some("二审"));
        // Case 1: two first-instance sessions in 2025, the head at the second; one appeal session
        // without; then, after a remand, the retried first instance without the head. Case 2:
        // the head in December 2024, absent in January 2025, same instance.
        let steps = vec![
            hearing(2, 3, "record_hearing", "2024-12-10", first, head),
            hearing(2, 4, "record_hearing", "2025-01-14", first, absent),
            hearing(1, 3, "record_hearing", "2025-04-10", first, absent),
            hearing(1, 4, "record_hearing", "2025-05-10", first, head),
            hearing(1, 7, "record_appeal_hearing", "2025-07-01", second, absent),
            hearing(1, 9, "record_hearing", "2025-10-09", retrial, absent),
        ];
        let in_2025: Vec<CountedStep> = steps
            .iter()
            .filter(|s| s.on.starts_with("2025"))
            .cloned()
            .collect();
        assert_eq!(counted_records(sessions, &in_2025, 2025).len(), 5);
        assert_eq!(
            at(&counted_records(heard, &steps, 2025)),
            [
                (2, "2025-01-14".to_owned()),
                (1, "2025-04-10".to_owned()),
                (1, "2025-07-01".to_owned()),
                (1, "2025-10-09".to_owned()),
            ],
            "case 1: first instance, appeal, retried first instance; case 2: first instance"
        );
        assert_eq!(
            at(&counted_records(appeared, &steps, 2025)),
            [(2, "2024-12-10".to_owned()), (1, "2025-05-10".to_owned())],
            "one per instance with the head present; case 2's December appearance counts"
        );
        assert_eq!(at(&counted_records(appeared, &steps, 2024)).len(), 1);
        assert!(
            counted_records(appeared, &steps[..1], 2025).is_empty(),
            "an instance not heard in the year is not counted in it"
        );
    }

    #[test]
    fn a_value_left_out_is_the_one_the_case_recorded_before() {
        let catalogue = catalogue();
        let heard = catalogue.get("litigation.heard_cases").expect("indicator");
        let appeared = catalogue
            .get("litigation.head_appearances")
            .expect("indicator");
        // The second session gives neither field: the engine took the recorded ones.
        let steps = vec![
            hearing(
                1,
                3,
                "record_hearing",
                "2025-04-10",
                Some("一审"),
                Some("行政机关副职负责人出庭"),
            ),
            hearing(1, 4, "record_hearing", "2025-05-10", None, None),
            hearing(
                2,
                3,
                "record_hearing",
                "2025-04-11",
                Some("一审"),
                Some("负责人未出庭，委托相应工作人员出庭"),
            ),
        ];
        assert_eq!(
            counted_records(heard, &steps, 2025).len(),
            2,
            "case 1 is one instance"
        );
        assert_eq!(
            at(&counted_records(appeared, &steps, 2025)),
            [(1, "2025-04-10".to_owned())]
        );
        // Unreadable fields count as no value.
        let mut broken = steps[0].clone();
        broken.fields = "not json".to_owned();
        assert!(counted_records(appeared, &[broken], 2025).is_empty());
    }
}
