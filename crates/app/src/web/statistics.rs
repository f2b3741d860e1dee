//! 统计: every indicator of a year against the year before, for a jurisdiction (alone, or with
//! everything below it: 全市) or one department, with SVG charts; and from any figure, its
//! definition, provenance, breakdown by subordinate jurisdiction and by department, and the
//! records behind it (each with its ledger proof).
//!
//! A supervisor (系统管理员, 司法局工作人员, 领导) may choose any jurisdiction within its reach
//! (`?jurisdiction=<id>&breadth=alone|below`); one outside it is not found. Department roles see
//! their own department only.

use crate::indicators::{Breadth, Extent};
use crate::store::Reach;
use crate::store::jurisdictions::Jurisdiction;
use std::collections::BTreeMap;

use super::extract::{Path, Query};
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;

use super::AppState;
use super::error::WebError;
use super::layout::Layout;
use super::messages::figures as words;
use super::routes::Routes;
use super::session::SignedIn;
use crate::authz::{self, Action, Scope};
use crate::indicators::compute::Computation;
use crate::indicators::present::{compare_phrase, display_value};
use crate::indicators::{Indicator, Source};

pub(super) fn router() -> Routes {
    Routes::new()
        .get("/statistics", overview)
        .get("/statistics/{year}/{indicator}", figure)
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(super) struct StatisticsQuery {
    year: String,
    jurisdiction: String,
    breadth: String,
    department: String,
    page: String,
}

/// One row of the overview.
struct Row {
    id: String,
    label: String,
    value: String,
    previous: String,
    change: String,
    records: i64,
    manual: bool,
}

struct AreaRows {
    title: String,
    rows: Vec<Row>,
}

/// A jurisdiction the scope form offers: id, name indented by depth.
struct Choice {
    id: i64,
    label: String,
}

#[derive(Template)]
#[template(path = "statistics/overview.html")]
struct OverviewPage {
    layout: Layout,
    year: i32,
    view: View,
    scope_label: String,
    departments: Vec<(i64, String)>,
    jurisdictions: Vec<Choice>,
    areas: Vec<AreaRows>,
    chart: String,
    log_size: u64,
    computed_at: String,
    catalogue_version: String,
}

/// The year asked for; by default the last complete year (the report year).
fn parse_year(text: &str, state: &AppState) -> Result<i32, WebError> {
    super::forms::parse_year(text, state.clock.now().year() - 1)
}

/// What a statistics page shows: whose figures (the extent), and of which department if one.
struct View {
    /// The jurisdiction.
    jurisdiction: Jurisdiction,
    /// Whether it has jurisdictions below it (only then is 本级 / 含下级 a choice).
    has_children: bool,
    /// Alone or with everything below.
    extent: Extent,
    /// One department's figures, or the extent's.
    department: Option<i64>,
    /// Whether the account may choose the jurisdiction and department (a supervisor).
    may_choose: bool,
}

impl View {
    /// The query string that keeps this view (without `?`), for links to other pages of it.
    fn query(&self) -> String {
        let breadth = match self.extent.breadth {
            Breadth::Alone => "alone",
            Breadth::WithBelow => "below",
        };
        let mut query = format!("jurisdiction={}&breadth={breadth}", self.jurisdiction.id);
        if let Some(department) = self.department {
            query.push_str(&format!("&department={department}"));
        }
        query
    }

    /// The same view for another extent and no department.
    fn query_for(&self, extent: Extent) -> String {
        let breadth = match extent.breadth {
            Breadth::Alone => "alone",
            Breadth::WithBelow => "below",
        };
        format!("jurisdiction={}&breadth={breadth}", extent.jurisdiction_id)
    }

    fn is_alone(&self) -> bool {
        self.extent.breadth == Breadth::Alone
    }
}

/// The name of the extent: "示范市（含下级辖区）", "示范市本级", or just the name of a
/// jurisdiction without any below.
fn extent_label(jurisdiction: &Jurisdiction, has_children: bool, breadth: Breadth) -> String {
    match (has_children, breadth) {
        (false, _) => jurisdiction.name.clone(),
        (true, Breadth::Alone) => format!("{}{}", jurisdiction.name, words::ALONE),
        (true, Breadth::WithBelow) => format!("{}{}", jurisdiction.name, words::WITH_BELOW),
    }
}

/// The jurisdiction, breadth and department asked for (the user's own for department-scoped
/// roles), checked: a jurisdiction outside the account's reach, or a department outside the
/// extent, is not found.
async fn view_of(
    state: &AppState,
    query: &StatisticsQuery,
    user: &SignedIn,
) -> Result<View, WebError> {
    let asked_department = match query.department.trim() {
        "" => None,
        text => Some(
            text.parse::<i64>()
                .map_err(|_| WebError::BadRequest(words::BAD_DEPARTMENT.into()))?,
        ),
    };
    let asked_jurisdiction = match query.jurisdiction.trim() {
        "" => None,
        text => Some(
            text.parse::<i64>()
                .map_err(|_| WebError::BadRequest(words::BAD_JURISDICTION.into()))?,
        ),
    };
    let asked_breadth = match query.breadth.trim() {
        "" => None,
        "alone" => Some(Breadth::Alone),
        "below" => Some(Breadth::WithBelow),
        _ => return Err(WebError::BadRequest(words::BAD_BREADTH.into())),
    };
    let scope = authz::department_scope(&user.subject);
    let department = match (asked_department, scope) {
        (None, Scope::Department(own)) => Some(own),
        (asked, _) => asked,
    };
    authz::check(&user.subject, Action::ViewStatistics { department })?;
    let store = &state.store;
    let own = user.subject.jurisdiction_id;
    let jurisdiction_id = asked_jurisdiction.unwrap_or(own);
    // Within reach: the account's jurisdiction and what lies below it; a department role only
    // its own jurisdiction (where its department is).
    let within = store.jurisdictions_within(Reach::of(&user.subject)).await?;
    let may_choose = scope.is_jurisdiction_wide();
    if (!may_choose && jurisdiction_id != own)
        || !within.iter().any(|(j, _)| j.id == jurisdiction_id)
    {
        return Err(WebError::NotFound);
    }
    let jurisdiction = store.jurisdiction_by_id(jurisdiction_id).await?;
    let has_children = within
        .iter()
        .any(|(j, _)| j.parent_id == Some(jurisdiction_id));
    let breadth = asked_breadth.unwrap_or(if has_children {
        Breadth::WithBelow
    } else {
        Breadth::Alone
    });
    let extent = Extent {
        jurisdiction_id,
        breadth,
    };
    // A department that does not exist, or lies outside the extent, has no figures to show,
    // not a page of zeros.
    if let Some(id) = department {
        let record = store.department(Reach(jurisdiction_id), id).await?;
        if breadth == Breadth::Alone && record.jurisdiction_id != jurisdiction_id {
            return Err(WebError::NotFound);
        }
    }
    Ok(View {
        jurisdiction,
        has_children,
        extent,
        department,
        may_choose,
    })
}

/// The computations of `year` and the year before for the view's extent.
async fn computations(
    state: &AppState,
    view: &View,
    year: i32,
) -> Result<(std::sync::Arc<Computation>, std::sync::Arc<Computation>), WebError> {
    let now = crate::clock::to_db_time(state.clock.now());
    let cache = &state.computations;
    let current = cache
        .get(&state.store, &state.catalogue, view.extent, year, &now)
        .await?;
    let previous = cache
        .get(&state.store, &state.catalogue, view.extent, year - 1, &now)
        .await?;
    Ok((current, previous))
}

fn figures_of(
    computation: &Computation,
    department: Option<i64>,
) -> BTreeMap<&str, (Option<Decimal>, i64)> {
    match department {
        None => computation
            .figures
            .iter()
            .map(|f| (f.id.as_str(), (f.value, f.records)))
            .collect(),
        Some(id) => computation
            .by_department
            .get(&id)
            .map(|list| {
                list.iter()
                    .map(|f| (f.id.as_str(), (f.value, f.records)))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The departments whose names the pages show: those of the extent.
async fn departments_of(
    state: &AppState,
    extent: Extent,
) -> Result<Vec<crate::store::org::Department>, WebError> {
    let mut departments = state
        .store
        .active_departments(Scope::Subtree(extent.jurisdiction_id))
        .await?;
    if extent.breadth == Breadth::Alone {
        departments.retain(|d| d.jurisdiction_id == extent.jurisdiction_id);
    }
    Ok(departments)
}

async fn overview(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<StatisticsQuery>,
) -> Result<Html<String>, WebError> {
    let view = view_of(&state, &query, &user).await?;
    let year = parse_year(&query.year, &state)?;
    let store = &state.store;
    let (current, previous) = computations(&state, &view, year).await?;
    let this_year = figures_of(&current, view.department);
    let last_year = figures_of(&previous, view.department);
    let mut areas = Vec::new();
    for area in &state.catalogue.areas {
        let rows: Vec<Row> = state
            .catalogue
            .indicators
            .iter()
            .filter(|i| i.area == area.id)
            .map(|indicator| {
                let (value, records) = this_year
                    .get(indicator.id.as_str())
                    .copied()
                    .unwrap_or_default();
                let before = last_year.get(indicator.id.as_str()).and_then(|v| v.0);
                Row {
                    id: indicator.id.clone(),
                    label: indicator.label.clone(),
                    value: display_value(indicator, value),
                    previous: display_value(indicator, before),
                    change: compare_phrase(indicator, value, before).unwrap_or_default(),
                    records,
                    manual: indicator.source == Source::Submission,
                }
            })
            .collect();
        if !rows.is_empty() {
            areas.push(AreaRows {
                title: area.title.clone(),
                rows,
            });
        }
    }
    let bars: Vec<(String, f64, f64)> = state
        .catalogue
        .indicators
        .iter()
        .filter(|i| i.source == Source::Opened)
        .map(|i| {
            let value = |map: &BTreeMap<&str, (Option<Decimal>, i64)>| {
                map.get(i.id.as_str())
                    .and_then(|v| v.0)
                    .and_then(|v| v.to_f64())
                    .unwrap_or(0.0)
            };
            (i.label.clone(), value(&this_year), value(&last_year))
        })
        .collect();
    let any_cases = bars.iter().any(|b| b.1 > 0.0 || b.2 > 0.0);
    let chart = if any_cases {
        paired_bar_chart(
            &format!("{year}年与{}年新收案件对比", year - 1),
            &bars,
            (&format!("{year}年"), &format!("{}年", year - 1)),
        )
    } else {
        String::new()
    };
    let departments = departments_of(&state, view.extent).await?;
    let scope_label = match view.department {
        None => extent_label(&view.jurisdiction, view.has_children, view.extent.breadth),
        Some(id) => departments
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| format!("部门 {id}"), |d| d.name.clone()),
    };
    let jurisdictions = if view.may_choose {
        store
            .jurisdictions_within(Reach::of(&user.subject))
            .await?
            .into_iter()
            .map(|(j, depth)| Choice {
                id: j.id,
                label: format!("{}{}", "\u{3000}".repeat(depth), j.name),
            })
            .collect()
    } else {
        Vec::new()
    };
    let layout = Layout::new(
        store,
        &user,
        &format!("统计 · {year}年度"),
        "/statistics",
        None,
    )
    .await?;
    let page = OverviewPage {
        layout,
        year,
        scope_label,
        departments: departments.iter().map(|d| (d.id, d.name.clone())).collect(),
        jurisdictions,
        areas,
        chart,
        log_size: current.records_journaled(),
        computed_at: current.computed_at.clone(),
        catalogue_version: current.catalogue_version.clone(),
        view,
    };
    Ok(Html(page.render()?))
}

/// One department's share of a figure.
struct DepartmentShare {
    id: i64,
    name: String,
    value: String,
    records: i64,
}

/// One branch's share of a figure: the jurisdiction's own records (本级), or a child with
/// everything below it; `query` is the view of that share.
struct BranchShare {
    name: String,
    /// The value as a number, for the chart.
    number: Option<f64>,
    query: String,
    value: String,
    records: i64,
}

/// A record behind the figure.
struct RecordRow {
    case_id: i64,
    reference: String,
    department: String,
    on: String,
    what: String,
    event_id: Option<i64>,
}

#[derive(Template)]
#[template(path = "statistics/figure.html")]
struct FigurePage {
    layout: Layout,
    year: i32,
    indicator: Indicator,
    area: String,
    source: &'static str,
    value: String,
    previous: String,
    change: String,
    records: i64,
    view_query: String,
    extent_query: String,
    scope_label: String,
    parts: Vec<(String, String, String)>,
    branches: Vec<BranchShare>,
    shares: Vec<DepartmentShare>,
    chart: String,
    record_rows: Vec<RecordRow>,
    submissions: Vec<(String, String, String, String)>,
    pager: Option<super::forms::Pager>,
    log_size: u64,
    computed_at: String,
}

fn source_text(indicator: &Indicator) -> &'static str {
    match indicator.source {
        Source::Opened => "由案件登记记录计算（立案日期在年度内的案件）",
        Source::Steps if indicator.amount => "由案件步骤记录计算（年度内相关步骤所载金额之和）",
        Source::Steps if indicator.per == crate::indicators::Per::Instance => {
            "由案件步骤记录计算（每件案件每一审级计一次）"
        }
        Source::Steps => "由案件步骤记录计算（年度内完成相关步骤的件次）",
        Source::Field => "由案件步骤记录及其登记的情况计算",
        Source::Certified => "由行政执法证件登记计算（12月31日有效的证件持有人）",
        Source::Submission => "由各部门填报数据汇总（以各部门最新一次填报为准）",
        Source::Ratio => {
            "由两个指标的合计数相除计算（下级辖区合并计算时，先分别汇总分子和分母再相除，不取各辖区比率的平均值）"
        }
    }
}

async fn figure(
    State(state): State<AppState>,
    user: SignedIn,
    Path((year, id)): Path<(String, String)>,
    Query(query): Query<StatisticsQuery>,
) -> Result<Html<String>, WebError> {
    let view = view_of(&state, &query, &user).await?;
    let department = view.department;
    let year = parse_year(&year, &state)?;
    let indicator = state.catalogue.get(&id).ok_or(WebError::NotFound)?.clone();
    let store = &state.store;
    let (current, previous) = computations(&state, &view, year).await?;
    let (value, records) = figures_of(&current, department)
        .get(indicator.id.as_str())
        .copied()
        .unwrap_or_default();
    let before = figures_of(&previous, department)
        .get(indicator.id.as_str())
        .and_then(|v| v.0);
    let departments = departments_of(&state, view.extent).await?;
    let name_of = |id: i64| {
        departments
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| format!("部门 {id}"), |d| d.name.clone())
    };
    // Per branch: the jurisdiction's own records, then each jurisdiction below it (with
    // everything below that), each linking to its own view of the figure.
    let mut branches: Vec<BranchShare> = Vec::new();
    if department.is_none() && view.has_children && !view.is_alone() {
        let nodes = store.jurisdictions().await?;
        let mut ordered: Vec<&Jurisdiction> = nodes
            .iter()
            .filter(|n| n.parent_id == Some(view.jurisdiction.id))
            .collect();
        ordered.sort_by(|a, b| (&a.code, a.id).cmp(&(&b.code, b.id)));
        let own = std::iter::once((&view.jurisdiction, Extent::alone(view.jurisdiction.id)));
        for (node, extent) in own.chain(ordered.into_iter().map(|n| (n, Extent::with_below(n.id))))
        {
            let figure = current.branch_figure(node.id, &indicator.id);
            branches.push(BranchShare {
                name: if node.id == view.jurisdiction.id {
                    format!("{}{}", node.name, words::ALONE)
                } else {
                    node.name.clone()
                },
                query: view.query_for(extent),
                number: figure.and_then(|f| f.value).and_then(|v| v.to_f64()),
                value: display_value(&indicator, figure.and_then(|f| f.value)),
                records: figure.map_or(0, |f| f.records),
            });
        }
    }
    let mut shares: Vec<DepartmentShare> = Vec::new();
    if department.is_none() {
        for (department_id, list) in &current.by_department {
            // A rate over nothing is not a department's figure.
            if let Some(figure) = list
                .iter()
                .find(|f| f.id == indicator.id && f.value.is_some())
            {
                shares.push(DepartmentShare {
                    id: *department_id,
                    name: name_of(*department_id),
                    value: display_value(&indicator, figure.value),
                    records: figure.records,
                });
            }
        }
        shares.sort_by(|a, b| b.records.cmp(&a.records).then(a.name.cmp(&b.name)));
    }
    let chart_bars: Vec<(String, f64)> = if !branches.is_empty() {
        branches
            .iter()
            .filter_map(|share| Some((share.name.clone(), share.number?)))
            .collect()
    } else {
        current
            .by_department
            .iter()
            .filter(|_| department.is_none())
            .filter_map(|(id, list)| {
                let figure = list.iter().find(|f| f.id == indicator.id)?;
                Some((name_of(*id), figure.value?.to_f64()?))
            })
            .collect()
    };
    let chart = if chart_bars.len() > 1 {
        horizontal_bar_chart(
            &format!(
                "{}（{}）",
                indicator.label,
                if branches.is_empty() {
                    "按部门"
                } else {
                    "按辖区"
                }
            ),
            &chart_bars,
            &indicator.unit,
        )
    } else {
        String::new()
    };
    let parts: Vec<(String, String, String)> = [&indicator.numerator, &indicator.denominator]
        .into_iter()
        .zip(["分子", "分母"])
        .filter_map(|(id, role)| {
            let other = state.catalogue.get(id.as_deref()?)?;
            let other_value = figures_of(&current, department)
                .get(other.id.as_str())
                .and_then(|v| v.0);
            Some((
                format!("{role}：{}", other.label),
                display_value(other, other_value),
                other.id.clone(),
            ))
        })
        .collect();
    let page_number = super::forms::page_number(&query.page);
    let mut record_rows = Vec::new();
    let mut pager = None;
    let mut submissions = Vec::new();
    match indicator.source {
        Source::Opened | Source::Steps | Source::Field => {
            let procedure = indicator.procedure.clone().unwrap_or_default();
            // Exactly the records the figure counts (per instance, only after / not after).
            let records = crate::indicators::compute::records(
                store,
                &indicator,
                view.extent,
                year,
                department,
                page_number,
                50,
            )
            .await?;
            let base = format!("/statistics/{year}/{}?{}&", indicator.id, view.query());
            let procedure_definition = state.procedures.iter().find(|p| p.id == procedure);
            record_rows = records
                .items
                .iter()
                .map(|r| RecordRow {
                    case_id: r.case_id,
                    reference: r.reference.clone(),
                    department: r.department_name.clone(),
                    on: r.on.clone(),
                    what: procedure_definition
                        .map_or_else(|| r.what.clone(), |p| p.step_label(&r.what).to_owned()),
                    event_id: r.event_id,
                })
                .collect();
            pager = Some(super::forms::Pager {
                page: records.page,
                n_pages: records.n_pages(),
                total: records.total,
                previous: (records.page > 1).then(|| format!("{base}page={}", records.page - 1)),
                next: (records.page < records.n_pages())
                    .then(|| format!("{base}page={}", records.page + 1)),
            });
        }
        Source::Submission => {
            let values = store.latest_submissions(view.extent, year).await?;
            for row in store.submissions(view.extent, year, department).await? {
                let value = values.iter().find(|v| {
                    v.department_id == row.department_id && v.indicator_id == indicator.id
                });
                if let Some(value) = value {
                    if submissions
                        .iter()
                        .any(|s: &(String, String, String, String)| s.0 == row.department_name)
                    {
                        continue;
                    }
                    submissions.push((
                        row.department_name.clone(),
                        display_value(&indicator, Some(value.value)),
                        format!("{}（{}）", row.submitted_by, row.submitted_at),
                        value.comment.clone(),
                    ));
                }
            }
        }
        Source::Certified | Source::Ratio => {}
    }
    let scope_label = department.map_or_else(
        || extent_label(&view.jurisdiction, view.has_children, view.extent.breadth),
        name_of,
    );
    let area = state
        .catalogue
        .area(&indicator.area)
        .map(|a| a.title.clone())
        .unwrap_or_default();
    let layout = Layout::new(
        store,
        &user,
        &format!("{} · {year}年度", indicator.label),
        "/statistics",
        None,
    )
    .await?;
    let page = FigurePage {
        layout,
        year,
        source: source_text(&indicator),
        value: display_value(&indicator, value),
        previous: display_value(&indicator, before),
        change: compare_phrase(&indicator, value, before).unwrap_or_default(),
        records,
        view_query: view.query(),
        extent_query: view.query_for(view.extent),
        scope_label,
        parts,
        branches,
        shares,
        chart,
        record_rows,
        submissions,
        pager,
        log_size: current.records_journaled(),
        computed_at: current.computed_at.clone(),
        area,
        indicator,
    };
    Ok(Html(page.render()?))
}

/// XML-escapes text for SVG.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Two bars per label (this year, last year), as inline SVG with a title and a legend. The
/// labels are Chinese; the browser supplies the font.
pub fn paired_bar_chart(title: &str, bars: &[(String, f64, f64)], legend: (&str, &str)) -> String {
    let max = bars
        .iter()
        .flat_map(|b| [b.1, b.2])
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let width = 640.0;
    let label_width = 170.0;
    let row = 44.0;
    let height = 50.0 + row * bars.len() as f64;
    let scale = (width - label_width - 80.0) / max;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{t}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title>{t}</title>\
         <rect x=\"{label_width}\" y=\"6\" width=\"12\" height=\"12\" class=\"bar-now\"/><text x=\"{lx1}\" y=\"17\">{l1}</text>\
         <rect x=\"{lx2}\" y=\"6\" width=\"12\" height=\"12\" class=\"bar-before\"/><text x=\"{lx3}\" y=\"17\">{l2}</text>",
        t = escape(title),
        lx1 = label_width + 16.0,
        lx2 = label_width + 110.0,
        lx3 = label_width + 126.0,
        l1 = escape(legend.0),
        l2 = escape(legend.1),
    );
    for (index, (label, now, before)) in bars.iter().enumerate() {
        let y = 34.0 + row * index as f64;
        svg.push_str(&format!(
            "<text x=\"{lw}\" y=\"{ty}\" text-anchor=\"end\">{label}</text>\
             <rect x=\"{label_width}\" y=\"{y}\" width=\"{w1:.1}\" height=\"16\" class=\"bar-now\"/>\
             <text x=\"{x1:.1}\" y=\"{t1}\">{now}</text>\
             <rect x=\"{label_width}\" y=\"{y2}\" width=\"{w2:.1}\" height=\"16\" class=\"bar-before\"/>\
             <text x=\"{x2:.1}\" y=\"{t2}\">{before}</text>",
            lw = label_width - 8.0,
            ty = y + 20.0,
            label = escape(label),
            w1 = now * scale,
            x1 = label_width + now * scale + 4.0,
            t1 = y + 13.0,
            y2 = y + 18.0,
            w2 = before * scale,
            x2 = label_width + before * scale + 4.0,
            t2 = y + 31.0,
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// One bar per label, longest first, as inline SVG.
pub fn horizontal_bar_chart(title: &str, bars: &[(String, f64)], unit: &str) -> String {
    let mut bars = bars.to_vec();
    bars.sort_by(|a, b| b.1.total_cmp(&a.1));
    bars.truncate(30);
    let max = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max).max(1.0);
    let width = 640.0;
    let label_width = 210.0;
    let row = 22.0;
    let height = 12.0 + row * bars.len() as f64;
    let scale = (width - label_width - 90.0) / max;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{t}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{t}</title>",
        t = escape(title)
    );
    for (index, (label, value)) in bars.iter().enumerate() {
        let y = 6.0 + row * index as f64;
        svg.push_str(&format!(
            "<text x=\"{lw}\" y=\"{ty}\" text-anchor=\"end\">{label}</text>\
             <rect x=\"{label_width}\" y=\"{y}\" width=\"{w:.1}\" height=\"16\" class=\"bar-now\"/>\
             <text x=\"{x:.1}\" y=\"{ty}\">{value}{unit}</text>",
            lw = label_width - 8.0,
            ty = y + 13.0,
            label = escape(label),
            w = value * scale,
            x = label_width + value * scale + 4.0,
            unit = escape(unit),
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_labels_and_scale_to_the_largest_bar() {
        let svg = paired_bar_chart(
            "对比",
            &[("<复议>".into(), 100.0, 50.0), ("诉讼".into(), 0.0, 0.0)],
            ("2025年", "2024年"),
        );
        assert!(svg.contains("&lt;复议&gt;"));
        assert!(!svg.contains("<复议>"));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        let svg = horizontal_bar_chart("按部门", &[("甲".into(), 3.0), ("乙".into(), 9.0)], "件");
        let first = svg.find("乙").expect("乙");
        assert!(first < svg.find("甲").expect("甲"), "largest first");
    }
}
