//! Where a browser may be sent after sign-in (the `next` target): only to a path on this site.
//! Every return target taken from a request goes through [`same_site_path`].

/// The longest target followed; our own pages never produce one this long.
const MAX_LEN: usize = 2048;

/// `target` when it is a path on this site that every browser reads as one; otherwise `/` (the
/// 工作台).
///
/// Accepted: one leading `/` (`//host` is another site), only printable ASCII (browsers drop
/// tabs and newlines, so `/\t/evil.example` would become `//evil.example`, and a CR or LF
/// cannot go into a `Location` header at all), no backslash (browsers read `\` as `/`), at most
/// `MAX_LEN` bytes; and, once percent-escapes are decoded, still one leading `/`, no backslash
/// and no control character (`/%2F%2Fevil.example`, `/%09/evil.example`).
pub fn same_site_path(target: &str) -> &str {
    let raw = target.as_bytes();
    let printable = raw.iter().all(|byte| (0x21..=0x7e).contains(byte));
    if printable && raw.len() <= MAX_LEN && is_plain_path(raw) && is_plain_path(&decoded(raw)) {
        target
    } else {
        "/"
    }
}

/// A single leading slash, and no control character or backslash anywhere.
fn is_plain_path(bytes: &[u8]) -> bool {
    bytes.first() == Some(&b'/')
        && bytes.get(1) != Some(&b'/')
        && !bytes
            .iter()
            .any(|&byte| byte < 0x20 || byte == 0x7f || byte == b'\\')
}

/// `bytes` with every `%XX` escape decoded once (a `%` not followed by two hex digits is kept).
fn decoded(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%'
            && let [high, low, after @ ..] = tail
            && let (Some(high), Some(low)) = (hex_value(*high), hex_value(*low))
        {
            out.push(high << 4 | low);
            rest = after;
        } else {
            out.push(first);
            rest = tail;
        }
    }
    out
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}

#[cfg(test)]
mod tests {
    use super::same_site_path;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        let accepted = [
            "/",
            "/cases?x=1",
            "/case/5#a",
            "/people?page=2",
            "/cases?q=%E5%BC%A0%E4%B8%89",
            "/cases?q=a%2Fb",
            "/report?year=2025&notice=report_saved",
        ];
        for target in accepted {
            assert_eq!(same_site_path(target), target, "{target:?} is accepted");
        }
        let long = format!("/{}", "a".repeat(3000));
        let refused = [
            "",
            "cases",
            "/%09/evil.example",
            "/\t/x",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/%0D%0ALocation:https://evil.example",
            "%0D%0ALocation: https://evil.example",
            "//evil.example",
            "//evil.example/",
            "/\\evil.example",
            "/%5Cevil.example",
            "\\\\evil.example",
            "https://evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "/%2F%2Fevil.example",
            "/%2fevil.example",
            "/ /evil.example",
            "/\u{7f}",
            "/%7F",
            "/%00",
            "/案件",
            long.as_str(),
        ];
        for target in refused {
            assert_eq!(same_site_path(target), "/", "{target:?} is refused");
        }
    }
}
