//! 行政执法公示: decisions published on the public portal by each procedure's publicity rule
//! (which fields, which redacted, within which period). Natural persons' names are masked to the
//! surname (张**); identity numbers and contact details are never among the published fields (the
//! loader refuses a rule that would publish a personal field unredacted).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use serde::Deserialize;

use super::AppState;
use super::error::WebError;
use super::routes::Routes;
use crate::engine::FieldValue;

pub(super) fn router() -> Routes {
    Routes::new().get("/publicity", list)
}

/// Masks a natural person's name to the surname; organisations' names stay (they are published
/// by law); anything else personal is replaced entirely.
pub fn redact(value: &str, is_person: bool) -> String {
    let value = value.trim();
    if !is_person {
        return value.to_owned();
    }
    let mut chars = value.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().clamp(1, 3))),
        None => String::new(),
    }
}

struct Row {
    cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "publicity.html")]
struct PublicityPage {
    procedure: String,
    rule: String,
    headers: Vec<String>,
    rows: Vec<Row>,
    /// Decisions whose publication was withdrawn, with the reason.
    withdrawn: Vec<Row>,
    total: i64,
    page: i64,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(super) struct PageQuery {
    page: String,
}

async fn list(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, WebError> {
    let procedure = state
        .procedures
        .iter()
        .find(|p| p.publicity.is_some())
        .ok_or(WebError::NotFound)?;
    let Some(rule) = &procedure.publicity else {
        return Err(WebError::NotFound);
    };
    let page_number = query
        .page
        .parse()
        .ok()
        .filter(|p: &i64| *p > 0)
        .unwrap_or(1);
    let withdrawn_by: Vec<&str> = rule.withdrawn_by.iter().map(|a| a.as_str()).collect();
    let page = state
        .store
        .published_decisions(
            &procedure.id,
            rule.after.as_str(),
            &withdrawn_by,
            false,
            page_number,
            20,
        )
        .await?;
    // 行政处罚法第四十八条第二款: withdrawn decisions are no longer shown; the withdrawal and its
    // reason (an enum of the definition, never free text) are.
    let withdrawn_page = state
        .store
        .published_decisions(
            &procedure.id,
            rule.after.as_str(),
            &withdrawn_by,
            true,
            1,
            100,
        )
        .await?;
    let withdrawn: Vec<Row> = withdrawn_page
        .items
        .iter()
        .map(|decision| {
            let fields: BTreeMap<String, FieldValue> =
                serde_json::from_str(&decision.fields_json).unwrap_or_default();
            let reason = rule
                .withdrawal_reason
                .as_ref()
                .and_then(|f| match fields.get(f.as_str()) {
                    Some(FieldValue::Text(text)) => Some(text.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| "依法撤回".to_owned());
            // The first published field that is not masked (the decision's number) names it.
            let name = rule
                .fields
                .iter()
                .find(|f| !rule.redacted.contains(f))
                .and_then(|f| match fields.get(f.as_str()) {
                    Some(FieldValue::Text(text)) => Some(text.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            Row {
                cells: vec![
                    decision.department_name.clone(),
                    name,
                    decision.decided_on.clone(),
                    reason,
                ],
            }
        })
        .collect();
    let mut headers: Vec<String> = rule
        .fields
        .iter()
        .map(|f| procedure.field_label(f).to_owned())
        .collect();
    headers.insert(0, "执法机关".to_owned());
    let mut rows = Vec::new();
    let n_pages = page.n_pages();
    for decision in page.items {
        let fields: BTreeMap<String, FieldValue> =
            serde_json::from_str(&decision.fields_json).unwrap_or_default();
        // Without a rule saying who is a natural person, every party is masked as one.
        let is_person = rule.person_when.as_ref().is_none_or(|m| {
            match (fields.get(m.field.as_str()), &m.values) {
                (Some(FieldValue::Text(value)), Some(values)) => values.contains(value),
                (Some(FieldValue::Bool(b)), None) => *b,
                _ => true,
            }
        });
        let mut cells = vec![decision.department_name.clone()];
        for field in &rule.fields {
            let text = match fields.get(field.as_str()) {
                Some(FieldValue::Text(text)) => text.clone(),
                Some(FieldValue::Date(date)) => crate::store::cases::date_text(*date),
                Some(FieldValue::Money(fen)) => format!("{}.{:02} 元", fen / 100, fen % 100),
                Some(FieldValue::Department(_)) => decision.department_name.clone(),
                Some(other) => format!("{other:?}"),
                None => "—".to_owned(),
            };
            cells.push(if rule.redacted.contains(field) {
                redact(&text, is_person)
            } else {
                text
            });
        }
        rows.push(Row { cells });
    }
    let html = PublicityPage {
        procedure: procedure.name.clone(),
        rule: rule.article.clone(),
        headers,
        rows,
        withdrawn,
        total: page.total,
        page: page.page,
        previous: (page.page > 1).then(|| format!("/publicity?page={}", page.page - 1)),
        next: (page.page < n_pages).then(|| format!("/publicity?page={}", page.page + 1)),
    };
    Ok(Html(html.render()?))
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn persons_are_masked_to_the_surname_and_organisations_are_not() {
        assert_eq!(redact("张三", true), "张*");
        assert_eq!(redact("欧阳晓明", true), "欧***");
        assert_eq!(
            redact("示范市滨河区某某商贸有限公司", false),
            "示范市滨河区某某商贸有限公司"
        );
    }
}
