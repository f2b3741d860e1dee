//! Sessions and CSRF, as one middleware that runs before every handler:
//!
//! 1. It reads the `fazhi_session` cookie, looks the session up (the database holds only the
//!    token's hash) and puts the result in the request's extensions, where the [`SignedIn`]
//!    extractor finds it.
//! 2. For every state-changing method it refuses cross-site requests (`Sec-Fetch-Site`,
//!    `Origin`) and requires the CSRF token: the session's token for a signed-in user, or the
//!    `fazhi_csrf` double-submit cookie before sign-in. The token comes from the `_csrf` form
//!    field or the `X-CSRF-Token` header.
//!
//! Cookies are `HttpOnly; SameSite=Strict; Path=/`, plus `Secure` when the server is configured
//! for TLS.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::AppState;
use crate::authz::Subject;
use crate::clock::to_db_time;
use crate::store::auth::SessionRecord;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "fazhi_session";
/// Name of the pre-sign-in CSRF cookie.
pub const CSRF_COOKIE: &str = "fazhi_csrf";
/// Largest urlencoded form body the CSRF check will buffer.
const MAX_FORM_BYTES: usize = 256 * 1024;

/// What the middleware learned about the request's session.
#[derive(Debug, Clone)]
pub struct RequestSession {
    /// The live session, if signed in.
    pub session: Option<SessionRecord>,
    /// The CSRF token forms on this page must carry.
    pub csrf_token: String,
    /// The raw session token from the cookie (for sign-out).
    pub token: Option<String>,
}

/// Reads one cookie from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| cookie::Cookie::parse(pair.trim().to_owned()).ok())
        .find(|parsed| parsed.name() == name)
        .map(|parsed| parsed.value().to_owned())
}

/// A `Set-Cookie` value with the attributes every Fazhi cookie has.
pub fn set_cookie(name: &str, value: &str, secure: bool, remove: bool) -> String {
    let mut built = cookie::Cookie::build((name.to_owned(), value.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .secure(secure);
    if remove {
        built = built.max_age(cookie::time::Duration::ZERO);
    }
    built.build().to_string()
}

/// Compares two tokens in time independent of where they differ.
fn same_token(left: &str, right: &str) -> bool {
    left.len() == right.len()
        && left
            .bytes()
            .zip(right.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Whether the request comes from our own pages (Fetch Metadata and Origin checks).
fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let origin_host = origin.split("://").nth(1).unwrap_or_default();
        if origin == "null" || origin_host != host {
            return false;
        }
    }
    true
}

/// The `_csrf` field of an urlencoded body.
fn csrf_field(body: &[u8]) -> Option<String> {
    serde_urlencoded_pairs(body)
        .into_iter()
        .find(|(key, _)| key == "_csrf")
        .map(|(_, value)| value)
}

/// The boundary of a `multipart/form-data` content type.
fn multipart_boundary(content_type: &str) -> Option<&str> {
    let (essence, parameters) = content_type.split_once(';')?;
    if !essence.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    parameters.split(';').find_map(|parameter| {
        let (key, value) = parameter.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"'))
            .filter(|b| !b.is_empty())
    })
}

/// The `_csrf` part of a `multipart/form-data` body (the upload forms put it first).
fn multipart_csrf_field(body: &[u8], boundary: &str) -> Option<String> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut rest = body;
    while let Some(at) = find(rest, delimiter) {
        rest = rest.get(at + delimiter.len()..)?;
        let part = rest.strip_prefix(b"\r\n")?;
        let header_end = find(part, b"\r\n\r\n")?;
        let headers = String::from_utf8_lossy(part.get(..header_end)?).to_ascii_lowercase();
        let is_csrf = headers.lines().any(|line| {
            line.starts_with("content-disposition:")
                && line
                    .split(';')
                    .any(|parameter| parameter.trim() == "name=\"_csrf\"")
        });
        if is_csrf {
            let content = part.get(header_end + 4..)?;
            let end = find(content, delimiter)?;
            let value = content.get(..end)?.strip_suffix(b"\r\n")?;
            return std::str::from_utf8(value).ok().map(str::to_owned);
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Whether every name and value of an urlencoded body decodes to UTF-8 text without NUL. The
/// standard parser replaces undecodable bytes with U+FFFD, which would store and journal text
/// nobody typed, and PostgreSQL cannot store a NUL in text at all; such a form is refused.
pub(crate) fn form_is_utf8(body: &[u8]) -> bool {
    body.split(|b| *b == b'&').all(|pair| {
        let spaced: Vec<u8> = pair
            .iter()
            .map(|b| if *b == b'+' { b' ' } else { *b })
            .collect();
        let decoded: Vec<u8> = percent_encoding::percent_decode(&spaced).collect();
        !decoded.contains(&0) && std::str::from_utf8(&decoded).is_ok()
    })
}

/// The pre-sign-in CSRF token: random bytes and their HMAC under a key this process chose, so
/// that only a value the server issued is ever accepted (a cookie planted by another site or a
/// sibling domain is replaced, not adopted). Tokens from before a restart are replaced too; the
/// sign-in page then simply asks again.
mod pre_token {
    use base64::Engine as _;
    use hmac::{KeyInit, Mac};

    const RANDOM_BYTES: usize = 24;
    type Hmac = hmac::Hmac<sha2::Sha256>;

    fn key() -> Option<&'static [u8; 32]> {
        static KEY: std::sync::OnceLock<Option<[u8; 32]>> = std::sync::OnceLock::new();
        KEY.get_or_init(|| {
            let mut key = [0u8; 32];
            getrandom::fill(&mut key).ok().map(|()| key)
        })
        .as_ref()
    }

    fn tag(random: &[u8]) -> Option<Vec<u8>> {
        let mut mac = Hmac::new_from_slice(key()?).ok()?;
        mac.update(random);
        Some(mac.finalize().into_bytes().to_vec())
    }

    /// A fresh token, `random.tag` in URL-safe base64.
    pub(super) fn issue() -> Option<String> {
        let mut random = [0u8; RANDOM_BYTES];
        getrandom::fill(&mut random).ok()?;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        Some(format!(
            "{}.{}",
            b64.encode(random),
            b64.encode(tag(&random)?)
        ))
    }

    /// Whether `token` is one [`issue`] made in this process.
    pub(super) fn is_ours(token: &str) -> bool {
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let Some((random, sent_tag)) = token.split_once('.') else {
            return false;
        };
        let (Ok(random), Ok(sent_tag)) = (b64.decode(random), b64.decode(sent_tag)) else {
            return false;
        };
        if random.len() != RANDOM_BYTES {
            return false;
        }
        let Some(key) = key() else { return false };
        let Ok(mut mac) = Hmac::new_from_slice(key) else {
            return false;
        };
        mac.update(&random);
        mac.verify_slice(&sent_tag).is_ok()
    }
}

fn serde_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

/// The middleware described in the module documentation.
pub async fn session_and_csrf(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let now = to_db_time(state.clock.now());
    let token = cookie(request.headers(), SESSION_COOKIE);
    let session = match &token {
        Some(token) => match state.store.session(token, &now).await {
            Ok(found) => found,
            Err(error) => return super::error::internal(&error),
        },
        None => None,
    };
    let pre_token = cookie(request.headers(), CSRF_COOKIE);
    let mut new_pre_token = None;
    let csrf_token = match (&session, &pre_token) {
        (Some(session), _) => session.csrf_token.clone(),
        (None, Some(pre)) if pre_token::is_ours(pre) => pre.clone(),
        (None, _) => match pre_token::issue() {
            Some(fresh) => {
                new_pre_token = Some(fresh.clone());
                fresh
            }
            None => return super::error::internal(&"no randomness for the CSRF token"),
        },
    };
    // Only a token the server issued is compared with: a planted cookie is as good as none.
    let pre_token = pre_token.filter(|pre| pre_token::is_ours(pre));

    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let request = if unsafe_method {
        if !same_origin(request.headers()) {
            return super::error::csrf_refused();
        }
        let (parts, body) = request.into_parts();
        let header_token = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        // Uploads (multipart) may be as large as an attachment; every other form is small.
        let boundary = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(multipart_boundary)
            .map(str::to_owned);
        // Only a signed-in user's upload routes get the large limit: nobody else can make the
        // server buffer megabytes.
        let path = parts.uri.path();
        let upload_route = path.ends_with("/attachments")
            || path.ends_with("/upload")
            || path == "/certificates/import";
        let limit = if boundary.is_some() && upload_route && session.is_some() {
            crate::attachments::MAX_UPLOAD_REQUEST_BYTES
        } else {
            MAX_FORM_BYTES
        };
        let bytes = match axum::body::to_bytes(body, limit).await {
            Ok(bytes) => bytes,
            Err(_) => {
                // Say the limit that applied: an attachment's, or a form's.
                let message = if limit == MAX_FORM_BYTES {
                    super::messages::errors::FORM_TOO_LARGE
                } else {
                    super::messages::errors::TOO_LARGE
                };
                return super::error::page(StatusCode::PAYLOAD_TOO_LARGE, "内容过大", message);
            }
        };
        let sent = header_token.or_else(|| match &boundary {
            Some(boundary) => multipart_csrf_field(&bytes, boundary),
            None => csrf_field(&bytes),
        });
        // A request that establishes no session (first sign-in form) compares with the
        // double-submit cookie, which only our own pages can have set.
        let expected = session
            .as_ref()
            .map(|s| s.csrf_token.clone())
            .or(pre_token.clone());
        match (sent, expected) {
            (Some(sent), Some(expected)) if same_token(&sent, &expected) => {}
            _ => return super::error::csrf_refused(),
        }
        if boundary.is_none() && !form_is_utf8(&bytes) {
            return super::error::page(
                StatusCode::BAD_REQUEST,
                "请求有误",
                super::messages::errors::NOT_UTF8,
            );
        }
        Request::from_parts(parts, Body::from(bytes))
    } else {
        request
    };

    let mut request = request;
    request.extensions_mut().insert(RequestSession {
        session,
        csrf_token,
        token,
    });
    let mut response = next.run(request).await;
    if let Some(fresh) = new_pre_token
        && let Ok(value) =
            set_cookie(CSRF_COOKIE, &fresh, state.config.secure_cookies, false).parse()
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The signed-in user; extracting it from a request without a session redirects to sign-in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Who, for access decisions.
    pub subject: Subject,
    /// Name shown in the page header.
    pub display_name: String,
    /// The CSRF token for this page's forms.
    pub csrf_token: String,
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let request_session = parts.extensions.get::<RequestSession>();
        match request_session.and_then(|rs| rs.session.as_ref().map(|s| (s, &rs.csrf_token))) {
            Some((session, csrf_token)) => Ok(SignedIn {
                subject: session.user.subject(),
                display_name: session.user.display_name.clone(),
                csrf_token: csrf_token.clone(),
            }),
            None => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|pq| pq.as_str())
                    .unwrap_or("/");
                let target = if parts.method == Method::GET && next != "/" {
                    format!(
                        "/login?next={}",
                        form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                    )
                } else {
                    "/login".to_owned()
                };
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csrf_token_is_found_in_a_multipart_body() {
        let content_type = "multipart/form-data; boundary=----x1";
        let boundary = multipart_boundary(content_type).expect("boundary");
        assert_eq!(boundary, "----x1");
        let body = b"------x1\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntok123\r\n\
              ------x1\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\
              Content-Type: application/pdf\r\n\r\n%PDF-1\r\n------x1--\r\n";
        assert_eq!(
            multipart_csrf_field(body, boundary).as_deref(),
            Some("tok123")
        );
        // A file part named like the token does not count, nor does a missing part.
        let sneaky = b"------x1\r\nContent-Disposition: form-data; name=\"file\"; filename=\"_csrf\"\r\n\r\nx\r\n------x1--";
        assert_eq!(multipart_csrf_field(sneaky, boundary), None);
        assert_eq!(multipart_csrf_field(b"garbage", boundary), None);
        assert_eq!(
            multipart_boundary("application/x-www-form-urlencoded"),
            None
        );
    }

    #[test]
    fn cross_site_requests_are_not_same_origin() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::HOST,
            "127.0.0.1:8080"
                .parse()
                .unwrap_or(header::HeaderValue::from_static("x")),
        );
        assert!(same_origin(&headers));
        headers.insert(
            "sec-fetch-site",
            header::HeaderValue::from_static("cross-site"),
        );
        assert!(!same_origin(&headers));
        headers.insert(
            "sec-fetch-site",
            header::HeaderValue::from_static("same-origin"),
        );
        headers.insert(
            header::ORIGIN,
            header::HeaderValue::from_static("http://evil.example"),
        );
        assert!(!same_origin(&headers));
        headers.insert(
            header::ORIGIN,
            header::HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(same_origin(&headers));
    }

    #[test]
    fn forms_with_undecodable_bytes_are_found() {
        assert!(form_is_utf8(b"name=%E5%BC%A0%E4%B8%89&x=a+b"));
        assert!(form_is_utf8(b""));
        assert!(form_is_utf8("name=张三".as_bytes()));
        assert!(!form_is_utf8(b"name=%FF"));
        assert!(!form_is_utf8(b"name=%E5%BC"), "a truncated sequence");
        assert!(!form_is_utf8(b"%C0%AF=x"), "an overlong encoding in a name");
        assert!(
            !form_is_utf8(b"ok=1&name=\xff"),
            "a raw byte that is no UTF-8"
        );
        assert!(
            !form_is_utf8(b"q=a%00b"),
            "a NUL, which PostgreSQL text cannot hold"
        );
    }

    #[test]
    fn only_a_pre_sign_in_token_the_server_issued_is_accepted() {
        let issued = pre_token::issue().expect("randomness");
        assert!(pre_token::is_ours(&issued));
        assert!(
            issued.len() >= 70,
            "24 random bytes and a 32-byte tag: {issued}"
        );
        for planted in [
            "",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            &crate::password::random_token(24).expect("randomness"),
            &format!("{}.", issued.split('.').next().unwrap_or_default()),
            &format!("{}x", issued),
            &issued.replacen('A', "B", 1).replacen('a', "b", 1),
        ] {
            if planted != issued {
                assert!(!pre_token::is_ours(planted), "{planted}");
            }
        }
    }

    #[test]
    fn the_csrf_field_is_found_in_a_form_body() {
        assert_eq!(
            csrf_field(b"name=x&_csrf=abc%2Bd"),
            Some("abc+d".to_owned())
        );
        assert_eq!(csrf_field(b"name=x"), None);
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "abcd"));
    }

    #[test]
    fn cookies_are_http_only_and_strict() {
        let value = set_cookie(SESSION_COOKIE, "t", true, false);
        assert!(value.contains("HttpOnly"));
        assert!(value.contains("SameSite=Strict"));
        assert!(value.contains("Secure"));
        assert!(!set_cookie(SESSION_COOKIE, "t", false, false).contains("Secure"));
    }
}
