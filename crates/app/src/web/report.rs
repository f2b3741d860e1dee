//! 年度报告: the staff pages (draft from the figures, edit the narrative per section, check,
//! publish, export) and the public portal's 年度报告 pages (published versions only, each with the
//! log checkpoint its figures were computed at; corrections shown with their reason).
//!
//! A report is a jurisdiction's: staff work on their own jurisdiction's (a city's drafted from its
//! 全市 figures); the portal shows the root's, and a subordinate's with `?jurisdiction=<code>` on
//! the same routes.

use super::extract::{Form, Path, Query};
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use fazhi_report::model::{ManualFigure, Origin, Paragraph, PartKind, Report, Section};
use serde::Deserialize;

use super::AppState;
use super::error::WebError;
use super::layout::Layout;
use super::routes::Routes;
use super::session::SignedIn;
use crate::authz::{self, Action};
use crate::reports::{self, Check, service};
use crate::store::ROOT_JURISDICTION;
use crate::store::jurisdictions::Jurisdiction;

pub(super) fn router() -> Routes {
    Routes::new()
        .get("/report", overview)
        .post("/report/{year}/draft", make_draft)
        .get("/report/{year}/edit", edit_page)
        .post("/report/{year}/edit", save_edit)
        .post("/report/{year}/publish", publish)
        .get("/report/{year}/versions/{number}/{format}", export_draft)
        .get("/reports", portal_list)
        .get("/reports/{year}", portal_report)
        .get(
            "/reports/{year}/versions/{number}/{format}",
            export_published,
        )
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(super) struct ReportQuery {
    year: String,
    notice: String,
}

/// The year asked for; by default the last complete year (the report year).
fn year_of(text: &str, state: &AppState) -> Result<i32, WebError> {
    super::forms::parse_year(text, state.clock.now().year() - 1)
}

fn now_text(state: &AppState) -> String {
    crate::clock::to_db_time(state.clock.now())
}

struct VersionRow {
    number: i64,
    note: String,
    author: String,
    at: String,
    published: Option<String>,
    log_size: Option<i64>,
}

impl VersionRow {
    fn of(version: &service::Version) -> VersionRow {
        VersionRow {
            number: version.row.number,
            note: version.row.note.clone(),
            author: if version.row.created_by.is_empty() {
                "系统".to_owned()
            } else {
                version.row.created_by.clone()
            },
            at: version.row.created_at.clone(),
            published: version.row.published_at.clone(),
            log_size: version.row.log_size,
        }
    }
}

struct CheckRow {
    level: &'static str,
    class: &'static str,
    message: String,
}

fn check_rows(checks: &[Check]) -> Vec<CheckRow> {
    use fazhi_reader::lint::FindingSeverity;
    let mut rows: Vec<(FindingSeverity, CheckRow)> = checks
        .iter()
        .map(|c| {
            let (level, class) = super::external::severity_label(c.severity);
            (
                c.severity,
                CheckRow {
                    level,
                    class,
                    message: c.message.clone(),
                },
            )
        })
        .collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.0));
    rows.into_iter().map(|(_, row)| row).collect()
}

#[derive(Template)]
#[template(path = "report/overview.html")]
struct OverviewPage {
    layout: Layout,
    year: i32,
    /// Whose report, and from which figures.
    jurisdiction_name: String,
    figures_label: String,
    /// The portal's query for this jurisdiction's report (empty for the root's).
    portal_query: String,
    body: String,
    latest: Option<i64>,
    latest_published: bool,
    has_published: bool,
    checks: Vec<CheckRow>,
    blocking: usize,
    versions: Vec<VersionRow>,
    may_edit: bool,
    may_publish: bool,
}

/// The checks of `version` as of today, against the figures of the extent it was drafted from.
pub(super) async fn checks_of(
    state: &AppState,
    version: &service::Version,
) -> Result<Vec<Check>, WebError> {
    // The same cached computations the 统计 pages use: the overview checks on every view.
    let now = now_text(state);
    let year = version.report.year;
    let extent = version.computation.extent;
    let current = state
        .computations
        .get(&state.store, &state.catalogue, extent, year, &now)
        .await?;
    let previous = state
        .computations
        .get(&state.store, &state.catalogue, extent, year - 1, &now)
        .await?;
    let last_year = service::published(&state.store, extent.jurisdiction_id, year - 1)
        .await?
        .into_iter()
        .next();
    Ok(reports::check(
        &version.report,
        &state.catalogue,
        &current,
        &previous,
        last_year.as_ref().map(|v| &v.report),
        state.clock.now().date(),
    ))
}

async fn overview(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<ReportQuery>,
) -> Result<Html<String>, WebError> {
    authz::check(&user.subject, Action::ViewReportDrafts)?;
    let year = year_of(&query.year, &state)?;
    let own = user.subject.jurisdiction_id;
    let versions = service::versions(&state.store, own, year).await?;
    let jurisdiction = state.store.jurisdiction_by_id(own).await?;
    let extent = crate::indicators::compute::natural_extent(&state.store, own).await?;
    let figures_label = match extent.breadth {
        crate::indicators::Breadth::WithBelow => {
            format!("{}全域（本级及所有下级辖区合计）", jurisdiction.name)
        }
        crate::indicators::Breadth::Alone => jurisdiction.name.clone(),
    };
    let latest = versions.first();
    let checks = match latest {
        Some(version) => checks_of(&state, version).await?,
        None => Vec::new(),
    };
    let layout = Layout::new(
        &state.store,
        &user,
        &format!("{year}年度法治政府建设报告"),
        "/report",
        Some(&query.notice),
    )
    .await?;
    let page = OverviewPage {
        layout,
        year,
        portal_query: portal_query(&jurisdiction),
        jurisdiction_name: jurisdiction.name,
        figures_label,
        body: latest.map_or_else(String::new, |v| {
            fazhi_report::html::body_fragment(&v.report)
        }),
        latest: latest.map(|v| v.row.number),
        latest_published: latest.is_some_and(|v| v.row.published_at.is_some()),
        has_published: versions.iter().any(|v| v.row.published_at.is_some()),
        blocking: checks.iter().filter(|c| c.blocks_publication()).count(),
        checks: check_rows(&checks),
        versions: versions.iter().map(VersionRow::of).collect(),
        may_edit: authz::check(&user.subject, Action::EditReport).is_ok(),
        may_publish: authz::check(&user.subject, Action::PublishReport).is_ok(),
    };
    Ok(Html(page.render()?))
}

async fn make_draft(
    State(state): State<AppState>,
    user: SignedIn,
    Path(year): Path<String>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::EditReport)?;
    let year = year_of(&year, &state)?;
    service::draft(
        &state.store,
        &state.catalogue,
        user.subject.jurisdiction_id,
        year,
        Some(user.subject.user_id),
        &now_text(&state),
    )
    .await?;
    Ok(Redirect::to(&format!("/report?year={year}&notice=report_drafted")).into_response())
}

/// One editable block of the edit form.
struct Block {
    name: String,
    heading: String,
    text: String,
    manual: Option<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "report/edit.html")]
struct EditPage {
    layout: Layout,
    year: i32,
    title: String,
    recipients: String,
    date: String,
    preamble: String,
    blocks: Vec<Block>,
    errors: Vec<String>,
}

fn lines(paragraphs: &[Paragraph]) -> String {
    paragraphs
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn manual_lines(figures: &[ManualFigure]) -> String {
    figures
        .iter()
        .map(|m| format!("{}｜{}", m.value, m.source))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The editable blocks of `report`: every outline area under part one (so staff can write the
/// areas without figures too), then the other four parts.
fn blocks_of(state: &AppState, report: &Report) -> Vec<Block> {
    let mut blocks = Vec::new();
    for part in &report.parts {
        if part.kind == PartKind::Measures {
            blocks.push(Block {
                name: "part.measures".into(),
                heading: format!("一、{}（总述）", part.heading),
                text: lines(&part.paragraphs),
                manual: None,
                error: None,
            });
            let mut keys: Vec<(String, String)> = state
                .catalogue
                .areas
                .iter()
                .map(|a| (a.id.clone(), a.title.clone()))
                .collect();
            for section in &part.sections {
                if !keys.iter().any(|(k, _)| *k == section.key) {
                    keys.push((section.key.clone(), section.heading.clone()));
                }
            }
            for (key, title) in keys {
                let section = part.sections.iter().find(|s| s.key == key);
                blocks.push(Block {
                    name: format!("section.{key}"),
                    heading: format!("（{}）", section.map_or(title, |s| s.heading.clone())),
                    text: section.map(|s| lines(&s.paragraphs)).unwrap_or_default(),
                    manual: Some(
                        section
                            .map(|s| manual_lines(&s.manual_figures))
                            .unwrap_or_default(),
                    ),
                    error: None,
                });
            }
        } else {
            blocks.push(Block {
                name: format!("part.{}", part_key(part.kind)),
                heading: part.heading.clone(),
                text: lines(&part.paragraphs),
                manual: None,
                error: None,
            });
        }
    }
    blocks
}

fn part_key(kind: PartKind) -> &'static str {
    match kind {
        PartKind::Measures => "measures",
        PartKind::Shortcomings => "shortcomings",
        PartKind::FirstResponsible => "first_responsible",
        PartKind::NextYear => "next_year",
        PartKind::Other => "other",
    }
}

async fn latest_or_draft(
    state: &AppState,
    user: &SignedIn,
    year: i32,
) -> Result<service::Version, WebError> {
    service::versions(&state.store, user.subject.jurisdiction_id, year)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| WebError::BadRequest("该年度还没有报告草稿，请先“由统计数据起草”。".into()))
}

async fn edit_page(
    State(state): State<AppState>,
    user: SignedIn,
    Path(year): Path<String>,
) -> Result<Html<String>, WebError> {
    authz::check(&user.subject, Action::EditReport)?;
    let year = year_of(&year, &state)?;
    let latest = latest_or_draft(&state, &user, year).await?;
    let report = &latest.report;
    let fields = EditFields {
        title: report.title.clone(),
        recipients: report.recipients.clone(),
        date: report
            .date
            .map(crate::store::cases::date_text)
            .unwrap_or_default(),
        preamble: lines(&report.preamble),
    };
    render_edit(
        &state,
        &user,
        year,
        fields,
        blocks_of(&state, report),
        Vec::new(),
    )
    .await
}

/// The edit form's fields above the blocks, as stored or as typed.
struct EditFields {
    title: String,
    recipients: String,
    date: String,
    preamble: String,
}

async fn render_edit(
    state: &AppState,
    user: &SignedIn,
    year: i32,
    fields: EditFields,
    blocks: Vec<Block>,
    errors: Vec<String>,
) -> Result<Html<String>, WebError> {
    let layout = Layout::new(
        &state.store,
        user,
        &format!("编辑{year}年度报告"),
        "/report",
        None,
    )
    .await?;
    let page = EditPage {
        layout,
        year,
        title: fields.title,
        recipients: fields.recipients,
        date: fields.date,
        preamble: fields.preamble,
        blocks,
        errors,
    };
    Ok(Html(page.render()?))
}

/// Paragraphs from a textarea: one per non-empty line. A line equal to a drafted paragraph of
/// the previous version stays drafted (with its indicators); any other line is staff text.
fn paragraphs_from(text: &str, previous: &[Paragraph]) -> Vec<Paragraph> {
    text.lines()
        .map(|line| line.trim().trim_start_matches('\u{3000}').trim())
        .filter(|line| !line.is_empty())
        .map(|line| {
            previous
                .iter()
                .find(|p| p.origin == Origin::Drafted && p.text == line)
                .cloned()
                .unwrap_or_else(|| Paragraph::staff(line))
        })
        .collect()
}

/// Manual figures from "数值｜来源" lines; the error names the line.
fn manual_from(text: &str, heading: &str) -> Result<Vec<ManualFigure>, String> {
    let mut figures = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let split = line
            .split_once('｜')
            .or_else(|| line.split_once('|'))
            .or_else(|| line.split_once('\t'));
        match split {
            Some((value, source)) if !value.trim().is_empty() && !source.trim().is_empty() => {
                figures.push(ManualFigure {
                    value: value.trim().to_owned(),
                    source: source.trim().to_owned(),
                });
            }
            _ => {
                return Err(format!(
                    "{heading}的人工数字第{}行：请按“数值｜来源”填写，例如“538｜区委编办权力清单”。",
                    index + 1
                ));
            }
        }
    }
    Ok(figures)
}

async fn save_edit(
    State(state): State<AppState>,
    user: SignedIn,
    Path(year): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::EditReport)?;
    let year = year_of(&year, &state)?;
    let latest = latest_or_draft(&state, &user, year).await?;
    let field = |name: &str| {
        form.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    let mut errors = Vec::new();
    let mut report = latest.report.clone();
    if let Some(title) = field("title") {
        if title.trim().is_empty() {
            errors.push("标题不能为空。".to_owned());
        }
        report.title = title.trim().to_owned();
    }
    report.recipients = field("recipients").unwrap_or_default().trim().to_owned();
    report.date = match field("date").unwrap_or_default().trim() {
        "" => None,
        text => match crate::engine::fields_parse_date(text) {
            Some(date) => Some(date),
            None => {
                errors.push("成文日期应为“2027-03-05”格式的日期。".to_owned());
                None
            }
        },
    };
    report.preamble = paragraphs_from(
        &field("preamble").unwrap_or_default(),
        &latest.report.preamble,
    );
    let mut blocks = blocks_of(&state, &latest.report);
    for block in &mut blocks {
        if let Some(text) = field(&block.name) {
            block.text = text;
        }
        if block.manual.is_some() {
            block.manual = Some(field(&format!("manual.{}", block.name)).unwrap_or_default());
        }
    }
    for part in &mut report.parts {
        if part.kind == PartKind::Measures {
            let old_sections = part.sections.clone();
            part.paragraphs = paragraphs_from(
                &field("part.measures").unwrap_or_default(),
                latest
                    .report
                    .parts
                    .iter()
                    .find(|p| p.kind == PartKind::Measures)
                    .map_or(&[][..], |p| &p.paragraphs),
            );
            let mut sections = Vec::new();
            for block in blocks.iter_mut().filter(|b| b.name.starts_with("section.")) {
                let key = block.name.trim_start_matches("section.").to_owned();
                let old = old_sections.iter().find(|s| s.key == key);
                let paragraphs =
                    paragraphs_from(&block.text, old.map_or(&[][..], |s| &s.paragraphs));
                let manual = match manual_from(
                    block.manual.as_deref().unwrap_or_default(),
                    &block.heading,
                ) {
                    Ok(manual) => manual,
                    Err(message) => {
                        block.error = Some(message.clone());
                        errors.push(message);
                        Vec::new()
                    }
                };
                if paragraphs.is_empty() && manual.is_empty() {
                    continue;
                }
                let heading = old.map_or_else(
                    || {
                        state
                            .catalogue
                            .area(&key)
                            .map(|a| a.title.clone())
                            .unwrap_or_else(|| key.clone())
                    },
                    |s| s.heading.clone(),
                );
                sections.push(Section {
                    key,
                    heading,
                    paragraphs,
                    manual_figures: manual,
                });
            }
            part.sections = sections;
        } else {
            let name = format!("part.{}", part_key(part.kind));
            let previous = part.paragraphs.clone();
            part.paragraphs = paragraphs_from(&field(&name).unwrap_or_default(), &previous);
        }
    }
    let note = field("note").unwrap_or_default().trim().to_owned();
    if !errors.is_empty() {
        let typed = EditFields {
            title: field("title").unwrap_or_default(),
            recipients: field("recipients").unwrap_or_default(),
            date: field("date").unwrap_or_default(),
            preamble: field("preamble").unwrap_or_default(),
        };
        let page = render_edit(&state, &user, year, typed, blocks, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let note = if note.is_empty() {
        "修改报告内容".to_owned()
    } else {
        note
    };
    service::save(
        &state.store,
        &report,
        &latest.computation,
        &note,
        Some(user.subject.user_id),
        &now_text(&state),
        false,
    )
    .await?;
    Ok(Redirect::to(&format!("/report?year={year}&notice=report_saved")).into_response())
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(super) struct PublishForm {
    reason: String,
}

async fn publish(
    State(state): State<AppState>,
    user: SignedIn,
    Path(year): Path<String>,
    Form(form): Form<PublishForm>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::PublishReport)?;
    let year = year_of(&year, &state)?;
    let versions = service::versions(&state.store, user.subject.jurisdiction_id, year).await?;
    let latest = versions
        .first()
        .ok_or_else(|| WebError::BadRequest("该年度还没有报告草稿。".into()))?;
    if latest.row.published_at.is_some() {
        return Err(WebError::BadRequest(
            "最新版本已经发布。如需更正，请先修改报告形成新版本，再发布更正。".into(),
        ));
    }
    let correcting = versions.iter().any(|v| v.row.published_at.is_some());
    let reason = form.reason.trim();
    if correcting && reason.is_empty() {
        return Err(WebError::BadRequest(
            "本年度报告已经发布过，再次发布即为更正，请填写更正原因。".into(),
        ));
    }
    let checks = checks_of(&state, latest).await?;
    let blocking: Vec<&Check> = checks.iter().filter(|c| c.blocks_publication()).collect();
    if !blocking.is_empty() {
        return Err(WebError::BadRequest(format!(
            "报告检查发现 {} 个错误，改正后才能发布：{}",
            blocking.len(),
            blocking
                .iter()
                .map(|c| c.message.as_str())
                .collect::<Vec<_>>()
                .join("；")
        )));
    }
    let mut report = latest.report.clone();
    if correcting {
        report.correction_note = Some(format!("更正说明：{reason}"));
    }
    let note = if correcting {
        format!("发布更正：{reason}")
    } else {
        "发布".to_owned()
    };
    service::save(
        &state.store,
        &report,
        &latest.computation,
        &note,
        Some(user.subject.user_id),
        &now_text(&state),
        true,
    )
    .await?;
    Ok(Redirect::to(&format!("/report?year={year}&notice=report_published")).into_response())
}

/// The report in `format` as a download.
fn export(report: &Report, number: i64, format: &str) -> Result<Response, WebError> {
    let stem = format!("{}（第{number}版）", report.title);
    let (content_type, extension, bytes) = match format {
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            fazhi_report::docx::to_docx(report).map_err(|e| WebError::Internal(e.to_string()))?,
        ),
        "html" => (
            "text/html; charset=utf-8",
            "html",
            fazhi_report::html::to_html(report).into_bytes(),
        ),
        "md" => (
            "text/markdown; charset=utf-8",
            "md",
            fazhi_report::markdown::to_markdown(report).into_bytes(),
        ),
        _ => return Err(WebError::NotFound),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                crate::attachments::content_disposition(&format!("{stem}.{extension}")),
            ),
        ],
        bytes,
    )
        .into_response())
}

async fn export_draft(
    State(state): State<AppState>,
    user: SignedIn,
    Path((year, number, format)): Path<(String, i64, String)>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ViewReportDrafts)?;
    let year = year_of(&year, &state)?;
    let version = service::versions(&state.store, user.subject.jurisdiction_id, year)
        .await?
        .into_iter()
        .find(|v| v.row.number == number)
        .ok_or(WebError::NotFound)?;
    export(&version.report, number, &format)
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(super) struct PortalQuery {
    jurisdiction: String,
}

/// The jurisdiction whose published reports a portal page shows: the root's, or the one whose
/// six-digit code `?jurisdiction=` names (anything else is not found).
async fn portal_jurisdiction(
    state: &AppState,
    query: &PortalQuery,
) -> Result<Jurisdiction, WebError> {
    let code = query.jurisdiction.trim();
    if code.is_empty() {
        return Ok(state.store.jurisdiction_by_id(ROOT_JURISDICTION).await?);
    }
    // Checked before the database sees it (PostgreSQL refuses a NUL as an error).
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WebError::NotFound);
    }
    state
        .store
        .jurisdiction_by_code(code)
        .await?
        .ok_or(WebError::NotFound)
}

/// `?jurisdiction=<code>` for a portal link to `jurisdiction`'s reports (nothing for the root's).
fn portal_query(jurisdiction: &Jurisdiction) -> String {
    if jurisdiction.id == ROOT_JURISDICTION {
        String::new()
    } else {
        format!("?jurisdiction={}", jurisdiction.code)
    }
}

/// Where the public checks `jurisdiction`'s log.
fn log_path(jurisdiction: &Jurisdiction) -> String {
    if jurisdiction.id == ROOT_JURISDICTION {
        "/log".to_owned()
    } else {
        format!("/j/{}/log", jurisdiction.code)
    }
}

async fn export_published(
    State(state): State<AppState>,
    Path((year, number, format)): Path<(String, i64, String)>,
    Query(query): Query<PortalQuery>,
) -> Result<Response, WebError> {
    let year = year_of(&year, &state)?;
    let jurisdiction = portal_jurisdiction(&state, &query).await?;
    let version = service::published(&state.store, jurisdiction.id, year)
        .await?
        .into_iter()
        .find(|v| v.row.number == number)
        .ok_or(WebError::NotFound)?;
    export(&crate::scrub::report(&version.report), number, &format)
}

/// Another jurisdiction's published reports, as the portal lists them.
struct OtherReports {
    name: String,
    query: String,
    years: Vec<i32>,
}

#[derive(Template)]
#[template(path = "report/portal_list.html")]
struct PortalList {
    jurisdiction: String,
    query: String,
    years: Vec<i32>,
    others: Vec<OtherReports>,
}

async fn portal_list(
    State(state): State<AppState>,
    Query(query): Query<PortalQuery>,
) -> Result<Html<String>, WebError> {
    let jurisdiction = portal_jurisdiction(&state, &query).await?;
    let nodes = state.store.jurisdictions().await?;
    let others = state
        .store
        .published_report_years_by_jurisdiction()
        .await?
        .into_iter()
        .filter(|(id, _)| *id != jurisdiction.id)
        .filter_map(|(id, years)| {
            let node = nodes.iter().find(|n| n.id == id)?;
            Some(OtherReports {
                name: node.name.clone(),
                query: portal_query(node),
                years,
            })
        })
        .collect();
    let page = PortalList {
        years: state.store.published_report_years(jurisdiction.id).await?,
        query: portal_query(&jurisdiction),
        jurisdiction: jurisdiction.name,
        others,
    };
    Ok(Html(page.render()?))
}

struct PublishedRow {
    number: i64,
    published_at: String,
    note: String,
    log_size: i64,
    log_root: String,
    sha256: String,
}

#[derive(Template)]
#[template(path = "report/portal_report.html")]
struct PortalReport {
    year: i32,
    title: String,
    body: String,
    query: String,
    log_path: String,
    current: PublishedRow,
    history: Vec<PublishedRow>,
}

async fn portal_report(
    State(state): State<AppState>,
    Path(year): Path<String>,
    Query(query): Query<PortalQuery>,
) -> Result<Html<String>, WebError> {
    let year = year_of(&year, &state)?;
    let jurisdiction = portal_jurisdiction(&state, &query).await?;
    let published = service::published(&state.store, jurisdiction.id, year).await?;
    let latest = published.first().ok_or(WebError::NotFound)?;
    // The public sees the report with personal data taken out of its text (crate::scrub).
    let report = crate::scrub::report(&latest.report);
    let row = |v: &service::Version| PublishedRow {
        number: v.row.number,
        published_at: v.row.published_at.clone().unwrap_or_default(),
        note: crate::scrub::scrub(&v.row.note, &[]),
        log_size: v.row.log_size.unwrap_or_default(),
        log_root: v.row.log_root.clone().unwrap_or_default(),
        sha256: v.row.body_sha256.clone(),
    };
    let page = PortalReport {
        year,
        title: report.title.clone(),
        body: fazhi_report::html::body_fragment(&report),
        query: portal_query(&jurisdiction),
        log_path: log_path(&jurisdiction),
        current: row(latest),
        history: published.iter().map(row).collect(),
    };
    Ok(Html(page.render()?))
}
