//! 行政执法公示: decisions published on the public portal by each procedure's publicity rule
//! (which fields, which redacted, within which period). Only the rule's fields are printed.
//! Natural persons' names are masked to the surname (张**); identity numbers and contact details
//! are never among the published fields (the loader refuses a rule that would publish a personal
//! field unredacted); and every text printed goes through [`crate::scrub`], which takes identity,
//! phone and bank card numbers out of free text (a 案由 or 处罚依据 as staff wrote it) and masks the
//! natural-person party's name wherever it appears.

use std::collections::BTreeMap;

use super::extract::Query;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use serde::Deserialize;

use super::AppState;
use super::error::WebError;
use super::routes::Routes;
use crate::engine::FieldValue;
use crate::procedure::{FieldKind, Procedure, Publicity};
use crate::scrub;

pub(super) fn router() -> Routes {
    Routes::new().get("/publicity", list)
}

/// Masks a natural person's name to the surname; organisations' names stay (they are published
/// by law).
pub fn redact(value: &str, is_person: bool) -> String {
    if is_person {
        scrub::mask_name(value)
    } else {
        value.trim().to_owned()
    }
}

/// Whether the decision's party is a natural person, by the rule's `person_when`; without one,
/// every party is masked as one.
fn is_person(rule: &Publicity, fields: &BTreeMap<String, FieldValue>) -> bool {
    rule.person_when
        .as_ref()
        .is_none_or(|m| match (fields.get(m.field.as_str()), &m.values) {
            (Some(FieldValue::Text(value)), Some(values)) => values.contains(value),
            (Some(FieldValue::Bool(b)), None) => *b,
            _ => true,
        })
}

/// One decision as the public may see it: its fields, the natural persons' names to mask in
/// every text printed.
struct Published<'a> {
    fields: BTreeMap<String, FieldValue>,
    is_person: bool,
    names: Vec<String>,
    department: &'a str,
}

impl<'a> Published<'a> {
    fn new(
        procedure: &Procedure,
        rule: &Publicity,
        fields_json: &str,
        department: &'a str,
    ) -> Self {
        let fields: BTreeMap<String, FieldValue> =
            serde_json::from_str(fields_json).unwrap_or_default();
        let is_person = is_person(rule, &fields);
        // Every party field of the case (published or not): its name must not appear in full
        // in a 案由 or 处罚依据 either.
        let names = if is_person {
            procedure
                .fields
                .iter()
                .filter(|f| f.kind == FieldKind::Party)
                .filter_map(|f| match fields.get(f.id.as_str()) {
                    Some(FieldValue::Text(name)) => Some(name.trim().to_owned()),
                    _ => None,
                })
                .collect()
        } else {
            Vec::new()
        };
        Published {
            fields,
            is_person,
            names,
            department,
        }
    }

    /// Free text, scrubbed of personal data.
    fn scrub(&self, text: &str) -> String {
        let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
        scrub::scrub(text, &names)
    }

    /// The text of a published field: masked when the rule redacts it, always scrubbed. Values
    /// that name people or documents by id are not printed.
    fn cell(&self, rule: &Publicity, field: &str) -> String {
        let text = match self.fields.get(field) {
            Some(FieldValue::Text(text)) if rule.redacted.iter().any(|f| f.as_str() == field) => {
                redact(text, self.is_person)
            }
            Some(FieldValue::Text(text)) => text.clone(),
            Some(FieldValue::Date(date)) => crate::store::cases::date_text(*date),
            Some(FieldValue::Money(fen)) => format!("{}.{:02} 元", fen / 100, fen % 100),
            Some(FieldValue::Number(n)) => n.to_string(),
            Some(FieldValue::Bool(b)) => if *b { "是" } else { "否" }.to_owned(),
            Some(FieldValue::Department(_)) => self.department.to_owned(),
            Some(FieldValue::Person(_) | FieldValue::People(_) | FieldValue::Document(_))
            | None => return "—".to_owned(),
        };
        self.scrub(&text)
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
    let page_number = super::forms::page_number(&query.page);
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
            let published = Published::new(
                procedure,
                rule,
                &decision.fields_json,
                &decision.department_name,
            );
            let reason = rule
                .withdrawal_reason
                .as_ref()
                .and_then(|f| match published.fields.get(f.as_str()) {
                    Some(FieldValue::Text(text)) => Some(published.scrub(text)),
                    _ => None,
                })
                .unwrap_or_else(|| "依法撤回".to_owned());
            // The first published field that is not masked (the decision's number) names it.
            let name = rule
                .fields
                .iter()
                .find(|f| !rule.redacted.contains(f))
                .map(|f| published.cell(rule, f.as_str()))
                .unwrap_or_default();
            Row {
                cells: vec![
                    published.scrub(&decision.department_name),
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
    let n_pages = page.n_pages();
    let rows = page
        .items
        .iter()
        .map(|decision| {
            let published = Published::new(
                procedure,
                rule,
                &decision.fields_json,
                &decision.department_name,
            );
            let mut cells = vec![published.scrub(&decision.department_name)];
            cells.extend(rule.fields.iter().map(|f| published.cell(rule, f.as_str())));
            Row { cells }
        })
        .collect();
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
