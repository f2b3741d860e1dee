//! Helpers shared by the list and form pages: list query parameters, a pager, and field
//! messages keyed by field name.

use serde::Deserialize;

use super::messages;
use crate::domain::FieldErrors;
use crate::store::Page;

/// Query parameters of a list page.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    /// Search text.
    pub q: String,
    /// Page number as sent (parsed leniently).
    pub page: String,
    /// `1` to include deactivated rows.
    pub inactive: String,
    /// Department filter, as sent.
    pub department: String,
    /// Notice code after a redirect.
    pub notice: String,
}

/// The highest page number a list answers; beyond it, as for a malformed number, page 1 (so that
/// no offset arithmetic can overflow: 20 rows × 10⁶ pages is far past any list).
pub const MAX_PAGE: i64 = 1_000_000;

/// A page number from a query string: 1 when absent, malformed, below 1 or above [`MAX_PAGE`].
pub fn page_number(text: &str) -> i64 {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|p| (1..=MAX_PAGE).contains(p))
        .unwrap_or(1)
}

impl ListQuery {
    /// The page number, 1 when absent or malformed.
    pub fn page(&self) -> i64 {
        page_number(&self.page)
    }

    /// Whether deactivated rows are asked for.
    pub fn include_inactive(&self) -> bool {
        self.inactive == "1"
    }

    /// The department filter, if a valid id was sent.
    pub fn department_id(&self) -> Option<i64> {
        self.department
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
    }

    /// The query string for page `page`, keeping the other filters.
    pub fn href(&self, path: &str, page: i64) -> String {
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            serializer.append_pair("q", &self.q);
        }
        if self.include_inactive() {
            serializer.append_pair("inactive", "1");
        }
        if let Some(department) = self.department_id() {
            serializer.append_pair("department", &department.to_string());
        }
        serializer.append_pair("page", &page.to_string());
        format!("{path}?{}", serializer.finish())
    }
}

/// Links to the previous and next pages of a list.
#[derive(Debug, Clone)]
pub struct Pager {
    /// Current page.
    pub page: i64,
    /// Number of pages.
    pub n_pages: i64,
    /// Rows over all pages.
    pub total: i64,
    /// Link to the previous page, if any.
    pub previous: Option<String>,
    /// Link to the next page, if any.
    pub next: Option<String>,
}

impl Pager {
    /// The pager for `page` of the list at `path` filtered by `query`.
    pub fn new<T>(page: &Page<T>, path: &str, query: &ListQuery) -> Pager {
        let n_pages = page.n_pages();
        Pager {
            page: page.page,
            n_pages,
            total: page.total,
            previous: (page.page > 1).then(|| query.href(path, page.page - 1)),
            next: (page.page < n_pages).then(|| query.href(path, page.page + 1)),
        }
    }
}

/// Field messages for a form page.
#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    messages: Vec<(String, &'static str)>,
}

impl FormErrors {
    /// The message for `field`, if it had a problem.
    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.messages
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, message)| *message)
    }

    /// Whether any field had a problem.
    pub fn any(&self) -> bool {
        !self.messages.is_empty()
    }

    /// The banner shown above a refused form.
    pub fn banner(&self) -> &'static str {
        messages::errors::FORM
    }
}

impl From<&FieldErrors> for FormErrors {
    fn from(errors: &FieldErrors) -> Self {
        FormErrors {
            messages: errors
                .0
                .iter()
                .map(|error| (error.field.to_owned(), messages::field_error(error.code)))
                .collect(),
        }
    }
}

/// Why an uploaded file could not be read from a multipart form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadError {
    /// The body is not a well-formed multipart form.
    Malformed,
    /// The file is larger than the route's limit.
    TooLarge,
    /// The form has no (non-empty) file part.
    Missing,
}

/// The file part `name` of a multipart form (its file name and bytes), read no further than one
/// byte past `limit`; other parts are collected as text into `texts`.
pub async fn read_upload(
    multipart: &mut axum::extract::Multipart,
    name: &str,
    limit: usize,
    texts: &mut Vec<(String, String)>,
) -> Result<(String, Vec<u8>), UploadError> {
    let mut found = None;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| UploadError::Malformed)?
    {
        let field_name = field.name().unwrap_or_default().to_owned();
        if field_name != name {
            // Bytes, then strict UTF-8: `text()` would replace undecodable bytes with U+FFFD
            // and store text nobody typed.
            let bytes = field.bytes().await.map_err(|_| UploadError::Malformed)?;
            let text = String::from_utf8(bytes.to_vec()).map_err(|_| UploadError::Malformed)?;
            if text.contains('\0') {
                return Err(UploadError::Malformed);
            }
            texts.push((field_name, text));
            continue;
        }
        let file_name = field.file_name().unwrap_or_default().to_owned();
        let mut content = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| UploadError::Malformed)? {
            content.extend_from_slice(&chunk);
            if content.len() > limit {
                return Err(UploadError::TooLarge);
            }
        }
        if !content.is_empty() {
            found = Some((file_name, content));
        }
    }
    found.ok_or(UploadError::Missing)
}

/// A year from a path or query (four digits, 2000–2100); empty means `default`.
pub fn parse_year(text: &str, default: i32) -> Result<i32, super::error::WebError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(default);
    }
    text.parse()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| {
            super::error::WebError::BadRequest("年度应为2000至2100之间的四位数字。".into())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_bounded() {
        assert_eq!(page_number("3"), 3);
        assert_eq!(page_number(" 1000000 "), MAX_PAGE);
        for text in [
            "",
            "0",
            "-1",
            "abc",
            "1000001",
            "9223372036854775807",
            "99999999999999999999",
        ] {
            assert_eq!(page_number(text), 1, "{text}");
        }
    }
}
