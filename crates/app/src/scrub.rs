//! Personal data out of free text printed on public surfaces (行政执法公示, the 年度报告 portal and
//! its exports). Pure: no IO.
//!
//! Used by every page, export and response anyone may fetch without signing in: the publicity
//! list ([`crate::web::publicity`]) and the 年度报告 portal with its DOCX/HTML/Markdown exports
//! ([`report`]). (The log's public endpoints carry hashes only; the JSON API needs a token.)
//!
//! Public pages print only the fields a procedure's `[publicity]` rule names, and they mask the
//! party's name; but a field such as 案由 or 处罚依据 is free text, and staff write
//! "张三丰（身份证110101199003071233，电话13800138000）" into it. [`scrub`] replaces, in any text:
//!
//! - resident identity numbers (居民身份证号码, GB 11643-1999): 18 characters, the last a check
//!   digit or X, with a valid province code and birth date; the old 15-digit form with a valid
//!   19YY birth date; also written 6-8-4 with separators. Shortly after a label (身份证, 身份号码,
//!   证件号) an 18- or 15-digit number is replaced even when its check fails: a mistyped number is
//!   still mostly someone's number.
//! - mobile numbers (1[3-9] and 9 digits, also 3-4-4 with spaces or dashes, with +86, 86 or 0086
//!   before them) and landlines (0, an area code of 2 or 3 digits, optional dash or parentheses,
//!   7 or 8 digits, optional extension);
//! - bank card numbers: 16 to 19 digits passing the Luhn check, also in groups of 4;
//! - the natural persons' full names given, masked as the party field is (张**, [`mask_name`]).
//!
//! It keeps a 统一社会信用代码 (GB 32100-2015: 18 characters of its alphabet with a valid check
//! character; an organisation's code is public by law) and ordinary numbers: amounts, dates,
//! decision and article numbers, and 15- or 18-digit strings that fail the checks. Numbers are
//! judged whole: digits are never cut out of a longer run of digits (`202513800138000` is one
//! number, not 2025 and a phone), and a run with a decimal point (`13800138000.5`) is an amount.
//! An 18-digit string that is a valid credit code and also a valid identity or bank card number
//! is replaced: a leak is worse than a masked code.
//!
//! The result is stable: scrubbing scrubbed text changes nothing (the replacement texts hold no
//! digits, and a replacement text found in the input is copied as it is).

/// What an identity number is replaced by.
pub const ID_NUMBER: &str = "[身份证号已隐去]";
/// What a mobile or landline number is replaced by.
pub const PHONE: &str = "[电话已隐去]";
/// What a bank card number is replaced by.
pub const BANK_CARD: &str = "[银行卡号已隐去]";

const PLACEHOLDERS: [&str; 3] = [ID_NUMBER, PHONE, BANK_CARD];

/// Labels after which an identity-number-shaped string is replaced even if its check fails.
const ID_LABELS: [&str; 3] = ["身份证", "身份号码", "证件号"];

/// Masks a natural person's name to the surname: 张三丰 → 张**, 欧阳晓明 → 欧***.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().clamp(1, 3))),
        None => String::new(),
    }
}

/// `text` with identity, phone and bank card numbers replaced and every occurrence of the natural
/// persons' `names` masked (see the module documentation for what is replaced and kept).
pub fn scrub(text: &str, names: &[&str]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let names = Names::new(names);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if let Some(len) = placeholder_at(&chars, i) {
            out.extend(chars.iter().skip(i).take(len));
            i += len;
        } else if let Some((len, mask)) = names.at(&chars, i) {
            out.push_str(mask);
            i += len;
        } else if let Some(end) = credit_code_at(&chars, i) {
            out.extend(chars.iter().take(end).skip(i));
            i = end;
        } else if let Some((end, replacement)) =
            number_at(&chars, i, digit(c).is_some() && labelled(&out))
        {
            out.push_str(replacement);
            i = end;
        } else if digit(c).is_some() {
            // Not a number we replace: copy the whole run, so nothing starts inside it.
            let end = run_end(&chars, i);
            out.extend(chars.iter().take(end).skip(i));
            i = end;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// A published report as the public may read it: every text in it scrubbed (no party names are
/// known for a report, so only numbers are replaced).
pub fn report(report: &fazhi_report::model::Report) -> fazhi_report::model::Report {
    let text = |t: &str| scrub(t, &[]);
    let paragraphs = |ps: &mut Vec<fazhi_report::model::Paragraph>| {
        for p in ps {
            p.text = text(&p.text);
        }
    };
    let mut report = report.clone();
    report.title = text(&report.title);
    report.issuer = text(&report.issuer);
    report.recipients = text(&report.recipients);
    report.correction_note = report.correction_note.as_deref().map(text);
    paragraphs(&mut report.preamble);
    for part in &mut report.parts {
        part.heading = text(&part.heading);
        paragraphs(&mut part.paragraphs);
        for section in &mut part.sections {
            section.heading = text(&section.heading);
            paragraphs(&mut section.paragraphs);
            for figure in &mut section.manual_figures {
                figure.value = text(&figure.value);
                figure.source = text(&figure.source);
            }
        }
    }
    report
}

/// The names to mask, longest first (so 欧阳晓明 wins over 欧阳), with their masks.
struct Names {
    names: Vec<(Vec<char>, String)>,
}

impl Names {
    /// Only names that can be names: two or more letters (any script), with the middle dots,
    /// spaces, hyphens and apostrophes of transcribed names. A name with digits, brackets or
    /// asterisks could overlap a replacement text or a mask and make scrubbing unstable.
    fn new(names: &[&str]) -> Names {
        let mut names: Vec<(Vec<char>, String)> = names
            .iter()
            .map(|name| name.trim())
            .filter(|name| name.chars().count() >= 2)
            .filter(|name| {
                name.chars().all(|c| {
                    c.is_alphabetic() || matches!(c, '·' | '•' | '・' | '.' | ' ' | '-' | '\'')
                })
            })
            .map(|name| (name.chars().collect(), mask_name(name)))
            .collect();
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        names.dedup_by(|a, b| a.0 == b.0);
        Names { names }
    }

    fn at(&self, chars: &[char], i: usize) -> Option<(usize, &str)> {
        self.names
            .iter()
            .find(|(name, _)| chars.get(i..i + name.len()) == Some(name.as_slice()))
            .map(|(name, mask)| (name.len(), mask.as_str()))
    }
}

/// The length of a replacement text starting at `i`.
fn placeholder_at(chars: &[char], i: usize) -> Option<usize> {
    PLACEHOLDERS.iter().find_map(|p| {
        let len = p.chars().count();
        chars
            .get(i..i + len)
            .is_some_and(|s| s.iter().copied().eq(p.chars()))
            .then_some(len)
    })
}

/// Whether the text just written ends with an identity number's label (a label inside a
/// replacement text, before its `]`, does not count).
fn labelled(out: &str) -> bool {
    let tail: String = {
        let mut tail: Vec<char> = out.chars().rev().take(10).collect();
        if let Some(bracket) = tail.iter().position(|c| *c == ']') {
            tail.truncate(bracket);
        }
        tail.into_iter().rev().collect()
    };
    ID_LABELS.iter().any(|label| tail.contains(label))
}

/// A decimal digit, ASCII or full-width.
fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => u8::try_from(u32::from(c) - u32::from('０')).ok(),
        _ => None,
    }
}

fn digit_at(chars: &[char], i: usize) -> Option<u8> {
    chars.get(i).copied().and_then(digit)
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}'
            | '\u{3000}'
            | '-'
            | '\u{2010}'
            | '\u{2011}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{ff0d}'
    )
}

fn is_open(c: Option<&char>) -> bool {
    matches!(c, Some('(' | '（'))
}

fn is_close(c: Option<&char>) -> bool {
    matches!(c, Some(')' | '）'))
}

fn is_plus(c: Option<&char>) -> bool {
    matches!(c, Some('+' | '＋'))
}

/// Where the run of digits starting at `i` ends; a decimal point between digits joins the run.
fn run_end(chars: &[char], mut i: usize) -> usize {
    while digit_at(chars, i).is_some()
        || (matches!(chars.get(i), Some('.' | '．'))
            && i > 0
            && digit_at(chars, i - 1).is_some()
            && digit_at(chars, i + 1).is_some())
    {
        i += 1;
    }
    i
}

/// A run of digits (no decimal point) starting at `i`.
struct Group {
    end: usize,
    digits: Vec<u8>,
}

fn group_at(chars: &[char], i: usize) -> Option<Group> {
    let end = run_end(chars, i);
    let digits: Vec<u8> = chars
        .iter()
        .take(end)
        .skip(i)
        .map(|c| digit(*c))
        .collect::<Option<_>>()?;
    (!digits.is_empty()).then_some(Group { end, digits })
}

/// The group after `end` and one separator.
fn next_group(chars: &[char], end: usize) -> Option<Group> {
    chars
        .get(end)
        .is_some_and(|c| is_separator(*c))
        .then(|| group_at(chars, end + 1))
        .flatten()
}

/// The end and replacement of the longest number to replace starting at `i`.
fn number_at(chars: &[char], i: usize, labelled: bool) -> Option<(usize, &'static str)> {
    let candidates = [
        id_number_at(chars, i, labelled).map(|end| (end, ID_NUMBER)),
        mobile_at(chars, i).map(|end| (end, PHONE)),
        landline_at(chars, i).map(|end| (end, PHONE)),
        bank_card_at(chars, i).map(|end| (end, BANK_CARD)),
    ];
    candidates
        .into_iter()
        .flatten()
        .fold(None, |best: Option<(usize, &'static str)>, c| match best {
            Some(b) if b.0 >= c.0 => Some(b),
            _ => Some(c),
        })
}

// ─────────────────────────────── identity numbers ───────────────────────────────

/// The value of X as a check digit.
const X: u8 = 10;

fn is_x(c: Option<&char>) -> bool {
    matches!(c, Some('X' | 'x' | 'Ｘ' | 'ｘ'))
}

/// An X at `at` ending an identity number: not starting a word (`…123Xiaoming` is no number).
fn x_at(chars: &[char], at: usize) -> bool {
    is_x(chars.get(at)) && !chars.get(at + 1).is_some_and(char::is_ascii_alphabetic)
}

fn id_number_at(chars: &[char], i: usize, labelled: bool) -> Option<usize> {
    let group = group_at(chars, i)?;
    let valid = |digits: &[u8]| is_id_number(digits) || (labelled && digits.len() != 15);
    match group.digits.len() {
        18 if valid(&group.digits) => return Some(group.end),
        15 if is_old_id_number(&group.digits) || labelled => return Some(group.end),
        17 if x_at(chars, group.end) => {
            let mut digits = group.digits.clone();
            digits.push(X);
            if valid(&digits) {
                return Some(group.end + 1);
            }
        }
        _ => {}
    }
    // Written 6-8-4 (the region, the birth date, the rest).
    if group.digits.len() != 6 {
        return None;
    }
    let birth = next_group(chars, group.end).filter(|g| g.digits.len() == 8)?;
    let rest = next_group(chars, birth.end)?;
    let mut digits = group.digits;
    digits.extend_from_slice(&birth.digits);
    digits.extend_from_slice(&rest.digits);
    let end = match rest.digits.len() {
        4 => rest.end,
        3 if x_at(chars, rest.end) => {
            digits.push(X);
            rest.end + 1
        }
        _ => return None,
    };
    is_id_number(&digits).then_some(end)
}

/// Province codes of GB/T 2260 (11 北京 … 65 新疆, 71 台湾, 81 香港, 82 澳门, 83 台湾居民居住证).
fn is_province(first: u8, second: u8) -> bool {
    matches!(
        (first, second),
        (1, 1..=5)
            | (2, 1..=3)
            | (3, 1..=7)
            | (4, 1..=6)
            | (5, 0..=4)
            | (6, 1..=5)
            | (7, 1)
            | (8, 1..=3)
    )
}

fn number(digits: &[u8]) -> Option<u32> {
    digits
        .iter()
        .try_fold(0u32, |n, d| (*d < 10).then(|| n * 10 + u32::from(*d)))
}

fn is_date(year: u32, month: u32, day: u32) -> bool {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// 18 values (digits, the last possibly X): a region, a birth date and the ISO 7064 MOD 11-2
/// check digit of GB 11643. A leading 9 is the 2023 外国人永久居留身份证, which has the same form.
fn is_id_number(digits: &[u8]) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [u8; 11] = [1, 0, X, 9, 8, 7, 6, 5, 4, 3, 2];
    let (Some(body), Some(&check)) = (digits.get(..17), digits.get(17)) else {
        return false;
    };
    if digits.len() != 18 {
        return false;
    }
    let region = matches!(body, [9, ..]) || matches!(body, [a, b, ..] if is_province(*a, *b));
    let birth = match (
        body.get(6..10).and_then(number),
        body.get(10..12).and_then(number),
        body.get(12..14).and_then(number),
    ) {
        (Some(y), Some(m), Some(d)) => (1900..=2100).contains(&y) && is_date(y, m, d),
        _ => false,
    };
    let Some(sum) = body.iter().zip(WEIGHTS).try_fold(0u32, |sum, (d, w)| {
        (*d < 10).then(|| sum + u32::from(*d) * w)
    }) else {
        return false;
    };
    region && birth && CHECK.get((sum % 11) as usize) == Some(&check)
}

/// The 15-digit form (before 1999): a region, a 19YYMMDD birth date written YYMMDD, 3 digits.
fn is_old_id_number(digits: &[u8]) -> bool {
    let date = digits.get(6..12).and_then(|d| {
        Some((
            number(d.get(..2)?)?,
            number(d.get(2..4)?)?,
            number(d.get(4..)?)?,
        ))
    });
    digits.len() == 15
        && matches!(digits, [a, b, ..] if is_province(*a, *b))
        && date.is_some_and(|(y, m, d)| is_date(1900 + y, m, d))
}

// ─────────────────────────────── phones ───────────────────────────────

/// 1[3-9] and 9 digits.
fn is_mobile(digits: &[u8]) -> bool {
    digits.len() == 11 && matches!(digits, [1, 3..=9, ..])
}

/// A mobile number starting at `i` (the prefix +86, 86, 0086, (+86) included).
fn mobile_at(chars: &[char], i: usize) -> Option<usize> {
    let body = mobile_body(chars, i);
    let prefixed = mobile_prefix(chars, i).and_then(|start| mobile_body(chars, start));
    body.max(prefixed)
}

/// Where the number starts after a country prefix at `i`.
fn mobile_prefix(chars: &[char], i: usize) -> Option<usize> {
    let mut p = i;
    let open = is_open(chars.get(p));
    if open {
        p += 1;
    }
    let plus = is_plus(chars.get(p));
    if plus {
        p += 1;
    }
    let group = group_at(chars, p)?;
    if matches!(group.digits.as_slice(), [8, 6] | [0, 0, 8, 6]) {
        p = group.end;
        if open {
            if !is_close(chars.get(p)) {
                return None;
            }
            p += 1;
        }
        if chars.get(p).is_some_and(|c| is_separator(*c)) {
            p += 1;
        }
        Some(p)
    } else if plus && !open {
        // +8613800138000: the prefix is glued to the number, which `mobile_body` takes.
        Some(p)
    } else {
        None
    }
}

fn mobile_body(chars: &[char], i: usize) -> Option<usize> {
    let group = group_at(chars, i)?;
    let digits = group.digits.as_slice();
    let whole = match digits {
        [8, 6, rest @ ..] | [0, 0, 8, 6, rest @ ..] if is_mobile(rest) => true,
        _ => is_mobile(digits),
    };
    if whole {
        return Some(group.end);
    }
    // 138 0013 8000
    if digits.len() != 3 || !matches!(digits, [1, 3..=9, _]) {
        return None;
    }
    let middle = next_group(chars, group.end).filter(|g| g.digits.len() == 4)?;
    let last = next_group(chars, middle.end).filter(|g| g.digits.len() == 4)?;
    Some(last.end)
}

/// The length of a valid area code at the start of `digits` (010, 02X, 0[3-9]XX).
fn area_code(digits: &[u8]) -> Option<usize> {
    match digits {
        [0, 1, 0, ..] | [0, 2, _, ..] => Some(3),
        [0, 3..=9, _, _, ..] => Some(4),
        _ => None,
    }
}

/// A local number: 7 or 8 digits, not starting with 0 (real ones start with 2–9, but examples
/// such as 010-12345678 are written too, and a missed number is worse than a masked one).
fn is_local(digits: &[u8]) -> bool {
    (7..=8).contains(&digits.len()) && matches!(digits, [1..=9, ..])
}

/// A landline starting at `i`: 010-12345678, (0755)1234567, 0755 8888 6666, 02112345678,
/// each optionally with an extension (-123, 转123, 分机123, ext.123).
fn landline_at(chars: &[char], i: usize) -> Option<usize> {
    let open = is_open(chars.get(i));
    let start = if open { i + 1 } else { i };
    let area = group_at(chars, start)?;
    let area_len = area_code(&area.digits)?;
    let end = if !open && area.digits.get(area_len..).is_some_and(is_local) {
        area.end
    } else {
        if area.digits.len() != area_len {
            return None;
        }
        let mut p = area.end;
        if open {
            if !is_close(chars.get(p)) {
                return None;
            }
            p += 1;
        }
        if chars.get(p).is_some_and(|c| is_separator(*c)) {
            p += 1;
        } else if !open {
            return None;
        }
        let local = group_at(chars, p)?;
        if is_local(&local.digits) {
            local.end
        } else if matches!(local.digits.len(), 3 | 4)
            && matches!(local.digits.as_slice(), [1..=9, ..])
        {
            next_group(chars, local.end)
                .filter(|g| g.digits.len() == 4)?
                .end
        } else {
            return None;
        }
    };
    Some(extension_at(chars, end).unwrap_or(end))
}

/// The end of an extension after a landline ending at `end`.
fn extension_at(chars: &[char], end: usize) -> Option<usize> {
    const MARKERS: [&str; 8] = ["-", "－", "转", "分机", "ext.", "ext", "EXT.", "EXT"];
    MARKERS.iter().find_map(|marker| {
        let len = marker.chars().count();
        let matches = chars
            .get(end..end + len)
            .is_some_and(|s| s.iter().copied().eq(marker.chars()));
        let group = group_at(chars, end + len).filter(|_| matches)?;
        (1..=6).contains(&group.digits.len()).then_some(group.end)
    })
}

// ─────────────────────────────── bank cards ───────────────────────────────

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(k, d)| {
            let d = u32::from(*d);
            if k % 2 == 1 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn is_card(digits: &[u8]) -> bool {
    (16..=19).contains(&digits.len()) && luhn(digits)
}

/// A bank card number starting at `i`: contiguous, or in groups of 4 (the last may be shorter).
fn bank_card_at(chars: &[char], i: usize) -> Option<usize> {
    let group = group_at(chars, i)?;
    if is_card(&group.digits) {
        return Some(group.end);
    }
    if group.digits.len() != 4 {
        return None;
    }
    let mut digits = group.digits;
    let mut end = group.end;
    let mut best = None;
    while let Some(next) = next_group(chars, end) {
        let len = next.digits.len();
        if len > 4 || digits.len() + len > 19 {
            break;
        }
        digits.extend_from_slice(&next.digits);
        end = next.end;
        if is_card(&digits) {
            best = Some(end);
        }
        if len < 4 {
            break;
        }
    }
    best
}

// ─────────────────────────────── credit codes ───────────────────────────────

/// The end of a 统一社会信用代码 starting at `i`: a whole word (ASCII letters and digits) of 18
/// characters of the GB 32100 alphabet, the region (3rd–8th) in digits, with a valid check
/// character, that is not also an identity or bank card number.
fn credit_code_at(chars: &[char], i: usize) -> Option<usize> {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    if i > 0 && chars.get(i - 1).is_some_and(char::is_ascii_alphanumeric) {
        return None;
    }
    let word = chars.get(i..i + 18)?;
    if chars.get(i + 18).is_some_and(char::is_ascii_alphanumeric) {
        return None;
    }
    let values: Vec<u32> = word
        .iter()
        .map(|c| ALPHABET.find(*c).and_then(|v| u32::try_from(v).ok()))
        .collect::<Option<_>>()?;
    let (body, check) = (values.get(..17)?, *values.get(17)?);
    if !body.get(2..8)?.iter().all(|v| *v < 10) {
        return None;
    }
    let sum: u32 = body.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    if (31 - sum % 31) % 31 != check {
        return None;
    }
    let as_id: Option<Vec<u8>> = word
        .iter()
        .enumerate()
        .map(|(k, c)| {
            if k == 17 && *c == 'X' {
                Some(X)
            } else {
                digit(*c)
            }
        })
        .collect();
    if as_id.is_some_and(|digits| is_id_number(&digits) || is_card(&digits)) {
        return None;
    }
    Some(i + 18)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[&str] = &["张三丰"];

    /// (input, expected output) with the party 张三丰 a natural person.
    const TABLE: &[(&str, &str)] = &[
        // The case that started it: a 案由 with the party's name, a (mistyped) identity number
        // after its label and a mobile number.
        (
            "张三丰（身份证110101199003071234，电话13800138000）销售过期食品",
            "张**（身份证[身份证号已隐去]，电话[电话已隐去]）销售过期食品",
        ),
        // Identity numbers.
        ("当事人110101199003071233销售", "当事人[身份证号已隐去]销售"),
        ("号码440305198512310026。", "号码[身份证号已隐去]。"),
        ("44030519881005004X", "[身份证号已隐去]"),
        ("尾号44030519881005004x，", "尾号[身份证号已隐去]，"),
        (
            "公民身份号码：51010419700101001X；",
            "公民身份号码：[身份证号已隐去]；",
        ),
        ("110101 19900307 1233", "[身份证号已隐去]"),
        ("旧证110101900307123号", "旧证[身份证号已隐去]号"),
        ("１１０１０１１９９００３０７１２３３", "[身份证号已隐去]"),
        // After a label, a mistyped number goes too.
        (
            "身份证号码：110101901307123，",
            "身份证号码：[身份证号已隐去]，",
        ),
        ("证件号 110101199003071234", "证件号 [身份证号已隐去]"),
        // A wrong check digit, an impossible date or province, without a label: kept.
        ("编号110101199003071234", "编号110101199003071234"),
        ("110101199002301233", "110101199002301233"),
        ("990101199003071233", "990101199003071233"),
        ("流水号110101901307123", "流水号110101901307123"),
        // Digits glued to an identity number make another number.
        ("1101011990030712331", "1101011990030712331"),
        ("3110101199003071233", "3110101199003071233"),
        // Mobile numbers.
        ("联系电话：13800138000。", "联系电话：[电话已隐去]。"),
        (
            "手机138 0013 8000或139-0013-9000",
            "手机[电话已隐去]或[电话已隐去]",
        ),
        ("+86 13800138000", "[电话已隐去]"),
        ("+8613800138000", "[电话已隐去]"),
        ("（+86）138-0013-8000", "[电话已隐去]"),
        ("0086 13800138000，", "[电话已隐去]，"),
        ("13800138000 13900139000", "[电话已隐去] [电话已隐去]"),
        ("2025 13800138000", "2025 [电话已隐去]"),
        ("202513800138000元", "202513800138000元"),
        ("12800138000", "12800138000"),
        ("金额13800138000.50元", "金额13800138000.50元"),
        // Landlines.
        ("办公电话010-12345678", "办公电话[电话已隐去]"),
        ("（0755）8888 6666转123", "[电话已隐去]"),
        ("(021)62345678", "[电话已隐去]"),
        ("0571-8765432-801，", "[电话已隐去]，"),
        ("02162345678", "[电话已隐去]"),
        ("热线12345", "热线12345"),
        // Bank cards.
        ("卡号6222021234567890128", "卡号[银行卡号已隐去]"),
        ("6228 4800 1234 5671", "[银行卡号已隐去]"),
        ("6222 0212 3456 7890 128。", "[银行卡号已隐去]。"),
        ("6222021234567890127", "6222021234567890127"),
        // Credit codes are public.
        (
            "统一社会信用代码91350100M000100Y43的公司",
            "统一社会信用代码91350100M000100Y43的公司",
        ),
        ("91110108551385082Q", "91110108551385082Q"),
        ("12100000400000624D", "12100000400000624D"),
        ("代码911101681241586833，", "代码911101681241586833，"),
        // Ordinary numbers.
        ("罚款5000元", "罚款5000元"),
        ("2025年3月1日作出", "2025年3月1日作出"),
        ("罚〔2025〕12号", "罚〔2025〕12号"),
        (
            "违反《食品安全法》第一百二十四条第五十七条",
            "违反《食品安全法》第一百二十四条第五十七条",
        ),
        ("2025-03-01", "2025-03-01"),
        ("罚-2025-0001", "罚-2025-0001"),
        ("1,380,013,800元", "1,380,013,800元"),
        // Names: every occurrence of the party's full name, not other people's.
        ("张三丰与张三丰之妻", "张**与张**之妻"),
        ("张三向张三丰出售", "张三向张**出售"),
        // Replacement texts already there stay.
        ("[身份证号已隐去]", "[身份证号已隐去]"),
        ("", ""),
    ];

    #[test]
    fn the_table() {
        let failures: Vec<String> = TABLE
            .iter()
            .filter_map(|(input, expected)| {
                let got = scrub(input, NAMES);
                (got != *expected).then(|| format!("{input:?}: got {got:?}, expected {expected:?}"))
            })
            .collect();
        assert!(TABLE.len() >= 25);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn names_are_masked_longest_first_and_odd_names_are_ignored() {
        assert_eq!(scrub("欧阳晓明和欧阳", &["欧阳", "欧阳晓明"]), "欧***和欧*");
        assert_eq!(scrub("阿卜杜·热合曼", &["阿卜杜·热合曼"]), "阿***");
        // A one-letter name would mask every 张; names with digits or brackets are not names.
        assert_eq!(scrub("张某", &["张", "1号", "]张"]), "张某");
        assert_eq!(mask_name(" 张三 "), "张*");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn a_report_is_scrubbed_everywhere_it_has_text() {
        use fazhi_report::model::{ManualFigure, Paragraph, Part, PartKind, Report, Section};
        let written = Report {
            title: "报告".into(),
            issuer: "示范市滨河区人民政府".into(),
            year: 2025,
            recipients: String::new(),
            date: None,
            preamble: vec![Paragraph::staff("联系电话010-62345678")],
            parts: vec![Part {
                kind: PartKind::Other,
                heading: PartKind::Other.heading().into(),
                paragraphs: vec![Paragraph::staff("来信人13912345678")],
                sections: vec![Section {
                    key: "x".into(),
                    heading: "小节".into(),
                    paragraphs: vec![Paragraph::staff("身份证440305198512310026")],
                    manual_figures: vec![ManualFigure {
                        value: "538".into(),
                        source: "经办人13800138000".into(),
                    }],
                }],
            }],
            correction_note: Some("更正：删去6222021234567890128".into()),
        };
        let public = report(&written);
        let text = format!("{public:?}");
        for personal in [
            "010-62345678",
            "13912345678",
            "440305198512310026",
            "13800138000",
            "6222021234567890128",
        ] {
            assert!(!text.contains(personal), "{text}");
        }
        assert!(text.contains("538") && text.contains("示范市滨河区人民政府"));
        assert_eq!(public.year, 2025);
    }

    #[test]
    fn the_checks() {
        let id = |s: &str| {
            let digits: Vec<u8> = s
                .chars()
                .map(|c| if c == 'X' { X } else { digit(c).unwrap_or(99) })
                .collect();
            is_id_number(&digits)
        };
        assert!(id("110101199003071233"));
        assert!(id("51010419700101001X"));
        assert!(!id("110101199003071234"));
        assert!(!id("110101199002291230"), "1990 is not a leap year");
        assert!(luhn(&[4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]));
        assert!(!luhn(&[4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]));
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        /// Pieces that make scrubbing hard: digits and separators of every kind, prefixes,
        /// labels, replacement texts, names, letters and Chinese text.
        fn piece() -> impl Strategy<Value = String> {
            prop_oneof![
                "[0-9]{1,19}",
                "[0-9０-９Xx .\\-－+＋()（）,，:：\\[\\]*]{1,4}",
                Just("身份证".to_owned()),
                Just("证件号：".to_owned()),
                Just("转".to_owned()),
                Just("ext.".to_owned()),
                Just(ID_NUMBER.to_owned()),
                Just(PHONE.to_owned()),
                Just("张三丰".to_owned()),
                Just("张**".to_owned()),
                Just("91350100M000100Y43".to_owned()),
                "[A-Za-z]{1,3}",
                "[张李王三丰明晓已隐去号电话]{1,3}",
                any::<String>(),
            ]
        }

        fn text() -> impl Strategy<Value = String> {
            proptest::collection::vec(piece(), 0..12).prop_map(|pieces| pieces.concat())
        }

        fn names() -> impl Strategy<Value = Vec<String>> {
            proptest::collection::vec("[张李王欧阳][三四丰明晓]{1,3}", 0..3)
        }

        /// A valid 18-digit identity number (the check digit computed as GB 11643 says).
        fn id_number() -> impl Strategy<Value = String> {
            let provinces = [11u32, 12, 31, 32, 44, 51, 65, 71, 81, 82, 83];
            (
                proptest::sample::select(provinces.to_vec()),
                0u32..10_000,
                1900u32..2100,
                1u32..13,
                1u32..29,
                0u32..1000,
            )
                .prop_map(|(province, place, year, month, day, sequence)| {
                    let body =
                        format!("{province:02}{place:04}{year:04}{month:02}{day:02}{sequence:03}");
                    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
                    let sum: u32 = body
                        .chars()
                        .zip(weights)
                        .map(|(c, w)| c.to_digit(10).unwrap() * w)
                        .sum();
                    let check = "10X98765432".chars().nth((sum % 11) as usize).unwrap();
                    format!("{body}{check}")
                })
        }

        fn mobile() -> impl Strategy<Value = String> {
            "1[3-9][0-9]{9}|1[3-9][0-9] [0-9]{4} [0-9]{4}|\\+86 1[3-9][0-9]{9}|1[3-9][0-9]-[0-9]{4}-[0-9]{4}"
        }

        /// A bank card number: 15 to 18 random digits and the Luhn check digit.
        fn bank_card() -> impl Strategy<Value = String> {
            "6[0-9]{14,17}".prop_map(|body| {
                let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
                let check = (0..10u8)
                    .find(|d| {
                        let mut all = digits.clone();
                        all.push(*d);
                        luhn(&all)
                    })
                    .unwrap();
                format!("{body}{check}")
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn never_panics_and_scrubbing_twice_changes_nothing(text in text(), names in names()) {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                let once = scrub(&text, &names);
                prop_assert_eq!(scrub(&once, &names), once.clone());
            }

            #[test]
            fn arbitrary_strings_and_names(text in any::<String>(), names in proptest::collection::vec(any::<String>(), 0..3)) {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                let once = scrub(&text, &names);
                prop_assert_eq!(scrub(&once, &names), once.clone());
            }

            #[test]
            fn inserted_numbers_and_names_never_survive(
                before in text(),
                after in text(),
                id in id_number(),
                phone in mobile(),
                card in bank_card(),
                names in names(),
            ) {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                let name = names.first().copied().unwrap_or("张三丰");
                let all = [name];
                let names = if names.is_empty() { &all[..] } else { &names[..] };
                let text = format!("{before}，{name}（{id}）电话{phone}、卡号{card}。{after}");
                let out = scrub(&text, names);
                prop_assert!(!out.contains(&id), "{} -> {}", text, out);
                prop_assert!(!out.contains(&phone), "{} -> {}", text, out);
                prop_assert!(!out.contains(&card), "{} -> {}", text, out);
                for name in names {
                    prop_assert!(!out.contains(name), "{} -> {}", text, out);
                }
            }
        }
    }
}
