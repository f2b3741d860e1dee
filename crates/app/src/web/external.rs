//! 外部报告: other governments' published reports, uploaded (TXT, HTML as saved, DOCX) or
//! pasted, read by `fazhi-reader`, checked by its lint, and compared side by side with each
//! other and with our own indicators (the catalogue's ids are the reader's ids).

use std::collections::BTreeMap;

use super::extract::{Path, Query};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use fazhi_reader::lint::FindingSeverity;
use rust_decimal::Decimal;

use super::AppState;
use super::error::WebError;
use super::layout::Layout;
use super::routes::Routes;
use super::session::SignedIn;
use crate::authz::{self, Action};
use crate::indicators::compute::compute;
use crate::indicators::present::display_value;
use crate::store::external::{ExternalReportRow, NewExternalReport};

/// Largest upload; the reader itself refuses 50 MB and more.
const MAX_REPORT_BYTES: usize = 20 * 1024 * 1024;

pub(super) fn router() -> Routes {
    Routes::new()
        .get("/external", list)
        .upload("/external/upload", upload, MAX_REPORT_BYTES + 64 * 1024)
        .get("/external/compare", compare)
        .get("/external/{id}", show)
}

/// Who may read and compare other governments' reports: those who see the whole jurisdiction's
/// statistics.
fn allowed(user: &SignedIn) -> Result<(), WebError> {
    authz::check(&user.subject, Action::ViewStatistics { department: None })?;
    Ok(())
}

#[derive(Template)]
#[template(path = "external/list.html")]
struct ListPage {
    layout: Layout,
    reports: Vec<ExternalReportRow>,
    error: Option<String>,
    may_upload: bool,
}

#[derive(Debug, serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct NoticeQuery {
    notice: String,
}

/// The shared library of other governments' published reports (public documents, one for the
/// deployment), naming who stored each only within the account's reach: an account of a
/// sibling jurisdiction is not the reader's to know.
async fn shared_library(
    state: &AppState,
    user: &SignedIn,
) -> Result<Vec<crate::store::external::ExternalReportRow>, WebError> {
    let within: Vec<i64> = state
        .store
        .jurisdictions_within(crate::store::Reach::of(&user.subject))
        .await?
        .into_iter()
        .map(|(j, _)| j.id)
        .collect();
    Ok(state
        .store
        .external_reports()
        .await?
        .into_iter()
        .map(|mut row| {
            if !within.contains(&row.uploader_jurisdiction_id) {
                row.uploaded_by = "其他辖区".to_owned();
            }
            row
        })
        .collect())
}

async fn list_page(
    state: &AppState,
    user: &SignedIn,
    notice: Option<&str>,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let layout = Layout::new(&state.store, user, "外部报告", "/external", notice).await?;
    let page = ListPage {
        layout,
        reports: shared_library(state, user).await?,
        error,
        may_upload: authz::check(&user.subject, Action::AddExternalReports).is_ok(),
    };
    Ok(Html(page.render()?))
}

async fn list(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Html<String>, WebError> {
    allowed(&user)?;
    list_page(&state, &user, Some(&query.notice), None).await
}

async fn upload(
    State(state): State<AppState>,
    user: SignedIn,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    // Reading is not enough: storing a report is a change, which 领导 may not make.
    authz::check(&user.subject, Action::AddExternalReports)?;
    let mut texts = Vec::new();
    let file = match multipart {
        Ok(mut multipart) => {
            super::forms::read_upload(&mut multipart, "file", MAX_REPORT_BYTES, &mut texts).await
        }
        Err(_) => Err(super::forms::UploadError::Malformed),
    };
    let pasted = texts
        .iter()
        .find(|(name, _)| name == "text")
        .map(|(_, text)| text.trim().to_owned())
        .filter(|text| !text.is_empty());
    let (file_name, bytes) = match (file, pasted) {
        (Ok(file), _) => file,
        (Err(super::forms::UploadError::Missing), Some(text)) => {
            ("粘贴的文本".to_owned(), text.into_bytes())
        }
        (Err(super::forms::UploadError::TooLarge), _) => {
            return refuse(&state, &user, "文件超过 20 MB，无法读取。".into()).await;
        }
        (Err(super::forms::UploadError::Missing), None) => {
            return refuse(
                &state,
                &user,
                "请选择报告文件，或把报告全文粘贴到文本框中。".into(),
            )
            .await;
        }
        (Err(super::forms::UploadError::Malformed), _) => {
            return refuse(&state, &user, "上传未完成，请重新提交。".into()).await;
        }
    };
    let read = match fazhi_reader::read(&bytes, None) {
        Ok(read) => read,
        Err(error) => {
            let reason = fazhi_reader::zh::not_a_report(&error);
            return refuse(
                &state,
                &user,
                format!("未能读取“{file_name}”：{reason}。未保存。"),
            )
            .await;
        }
    };
    let sha256 = crate::attachments::sha256_hex(&bytes);
    let file_name = crate::attachments::clean_file_name(&file_name);
    let (id, _) = state
        .store
        .add_external_report(&NewExternalReport {
            sha256: &sha256,
            file_name: &file_name,
            title: read.meta.title.as_deref().unwrap_or("（未找到标题）"),
            jurisdiction: read
                .meta
                .jurisdiction
                .as_ref()
                .map_or("", |j| j.name.as_str()),
            year: read.meta.year,
            n_figures: i64::try_from(read.figures.len()).unwrap_or(i64::MAX),
            n_errors: i64::try_from(
                read.findings
                    .iter()
                    .filter(|f| f.severity == FindingSeverity::Error)
                    .count(),
            )
            .unwrap_or(i64::MAX),
            content: &bytes,
            user_id: user.subject.user_id,
            at: &crate::clock::to_db_time(state.clock.now()),
        })
        .await?;
    Ok(Redirect::to(&format!("/external/{id}?notice=external_report_read")).into_response())
}

async fn refuse(state: &AppState, user: &SignedIn, message: String) -> Result<Response, WebError> {
    let page = list_page(state, user, None, Some(message)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

struct FindingRow {
    level: &'static str,
    class: &'static str,
    message: String,
}

struct FigureRow {
    indicator: String,
    subject: String,
    text: String,
    sentence: String,
}

#[derive(Template)]
#[template(path = "external/show.html")]
struct ShowPage {
    layout: Layout,
    report: ExternalReportRow,
    published: String,
    source_unit: String,
    findings: Vec<FindingRow>,
    figures: Vec<FigureRow>,
}

/// A finding's severity in Chinese, with its CSS class (the report pages and 法治督察 share it).
pub(super) fn severity_label(severity: FindingSeverity) -> (&'static str, &'static str) {
    match severity {
        FindingSeverity::Error => ("错误", "error"),
        FindingSeverity::Warning => ("提示", "warning"),
        FindingSeverity::Info => ("信息", "info"),
    }
}

/// The catalogue's label for a reader indicator id, or the id.
fn indicator_label(state: &AppState, id: Option<&str>) -> String {
    match id {
        Some(id) => state
            .catalogue
            .get(id)
            .map_or_else(|| id.to_owned(), |i| i.label.clone()),
        None => String::new(),
    }
}

async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<NoticeQuery>,
) -> Result<Html<String>, WebError> {
    allowed(&user)?;
    let (row, bytes) = state.store.external_report(id).await?;
    let read = fazhi_reader::read(&bytes, None)
        .map_err(|e| WebError::Internal(format!("stored external report unreadable: {e}")))?;
    let normalised = &read.document.normalised;
    let mut findings: Vec<(FindingSeverity, FindingRow)> = read
        .findings
        .iter()
        .map(|f| {
            let (level, class) = severity_label(f.severity);
            (
                f.severity,
                FindingRow {
                    level,
                    class,
                    message: fazhi_reader::zh::finding(f),
                },
            )
        })
        .collect();
    findings.sort_by_key(|f| std::cmp::Reverse(f.0));
    let figures = read
        .figures
        .iter()
        .map(|f| FigureRow {
            indicator: indicator_label(&state, f.indicator),
            subject: f.subject.clone(),
            text: f.text.clone(),
            sentence: normalised.slice(f.sentence).chars().take(120).collect(),
        })
        .collect();
    let meta = &read.meta;
    let layout = Layout::new(
        &state.store,
        &user,
        "外部报告",
        "/external",
        Some(&query.notice),
    )
    .await?;
    let page = ShowPage {
        layout,
        published: meta.published.map(|d| d.to_string()).unwrap_or_default(),
        source_unit: meta.source_unit.clone().unwrap_or_default(),
        findings: findings.into_iter().map(|(_, row)| row).collect(),
        figures,
        report: row,
    };
    Ok(Html(page.render()?))
}

struct CompareRow {
    label: String,
    cells: Vec<String>,
    own: String,
}

#[derive(Template)]
#[template(path = "external/compare.html")]
struct ComparePage {
    layout: Layout,
    year: i32,
    headers: Vec<String>,
    own_header: String,
    rows: Vec<CompareRow>,
}

async fn compare(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    allowed(&user)?;
    let ids: Vec<i64> = query
        .iter()
        .filter(|(k, _)| k == "r")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    if ids.is_empty() {
        return Err(WebError::BadRequest(
            "请至少勾选一份外部报告再比较。".into(),
        ));
    }
    let mut reads = Vec::new();
    for id in ids.iter().take(8) {
        let (row, bytes) = state.store.external_report(*id).await?;
        let read = fazhi_reader::read(&bytes, None)
            .map_err(|e| WebError::Internal(format!("stored external report unreadable: {e}")))?;
        reads.push((row, read));
    }
    let asked_year = query
        .iter()
        .find(|(k, _)| k == "year")
        .and_then(|(_, v)| v.parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y));
    let year = asked_year
        .or_else(|| reads.iter().find_map(|(row, _)| row.year))
        .unwrap_or_else(|| state.clock.now().year() - 1);
    let now = crate::clock::to_db_time(state.clock.now());
    // Our own figures as our report states them: the account's jurisdiction's natural extent.
    let extent =
        crate::indicators::compute::natural_extent(&state.store, user.subject.jurisdiction_id)
            .await?;
    let own = compute(&state.store, &state.catalogue, extent, year, &now).await?;
    // Rows: the catalogue's order first, then ids only the reader knows.
    let mut found: BTreeMap<&str, Vec<Vec<String>>> = BTreeMap::new();
    for (index, (_, read)) in reads.iter().enumerate() {
        for figure in &read.figures {
            let Some(id) = figure.indicator else { continue };
            let cells = found
                .entry(id)
                .or_insert_with(|| vec![Vec::new(); reads.len()]);
            let value = written(figure.value, &figure.unit);
            if let Some(cell) = cells.get_mut(index)
                && !cell.contains(&value)
            {
                cell.push(value);
            }
        }
    }
    let mut rows = Vec::new();
    for indicator in &state.catalogue.indicators {
        let own_value = display_value(indicator, own.value(&indicator.id));
        let cells = found.remove(indicator.id.as_str());
        if cells.is_none() && own.value(&indicator.id).is_none_or(|v| v.is_zero()) {
            continue;
        }
        rows.push(CompareRow {
            label: indicator.label.clone(),
            cells: joined(cells.unwrap_or_else(|| vec![Vec::new(); reads.len()])),
            own: own_value,
        });
    }
    for (id, cells) in found {
        rows.push(CompareRow {
            label: id.to_owned(),
            cells: joined(cells),
            own: "—".to_owned(),
        });
    }
    let headers = reads
        .iter()
        .map(|(row, _)| {
            format!(
                "{}{}",
                if row.jurisdiction.is_empty() {
                    &row.title
                } else {
                    &row.jurisdiction
                },
                row.year.map(|y| format!("（{y}年）")).unwrap_or_default()
            )
        })
        .collect();
    let jurisdiction = state
        .store
        .jurisdiction()
        .await?
        .map(|j| j.name)
        .unwrap_or_else(|| "本辖区".into());
    let layout = Layout::new(&state.store, &user, "外部报告对比", "/external", None).await?;
    let page = ComparePage {
        layout,
        year,
        headers,
        own_header: format!("{jurisdiction}（本系统，{year}年）"),
        rows,
    };
    Ok(Html(page.render()?).into_response())
}

/// Each report's values as one cell: "83件、92件", or "—" when it states none.
fn joined(cells: Vec<Vec<String>>) -> Vec<String> {
    cells
        .into_iter()
        .map(|values| {
            if values.is_empty() {
                "—".to_owned()
            } else {
                values.join("、")
            }
        })
        .collect()
}

/// A figure as a cell: "83件", "98.64%".
fn written(value: Decimal, unit: &str) -> String {
    format!("{}{unit}", value.normalize())
}
