//! Stage 1, bytes → [`RawText`]: sniff the format, decode the encoding, strip markup.
//!
//! * **Text**: a byte-order mark wins; otherwise valid UTF-8 is UTF-8; otherwise `chardetng`
//!   guesses among legacy encodings (GBK is decoded as its superset GB18030; Big5 as Big5).
//!   Legacy text is decoded line by line and, for GB18030 and Big5, character by character, so
//!   every character keeps its own input bytes.
//! * **HTML**: the charset from a BOM or `<meta charset>`, else as for text; then a small
//!   tolerant scanner keeps the text of the page and drops scripts, styles, navigation, headers,
//!   footers, forms, share boxes and ruby annotations (`<rt>`, where some sites put pinyin).
//!   Block elements become line breaks; entities are decoded. It is deliberately not an HTML5
//!   parser: it only needs text and offsets, and it must stay linear on any input.
//! * **DOCX**: `word/document.xml` from the zip (inflated size capped), one line per `<w:p>`,
//!   text from `<w:t>`. Offsets then point into `word/document.xml`, not into the zip.
//!
//! What it does not do: PDF, legacy `.doc`, images (reported as undecodable), headers and
//! footnotes of DOCX files, and anything that needs a layout engine.

use std::io::Read;

use encoding_rs::{BIG5, Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity, Stage};
use crate::offsets::{MapBuilder, OffsetMap, Span};

/// The kind of input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Plain text in any supported encoding.
    Text,
    /// An HTML page as saved from a website.
    Html,
    /// A Word document (Office Open XML).
    Docx,
}

/// Decoded text with a map back to the input bytes.
#[derive(Clone, Debug)]
pub struct RawText {
    /// The text, with markup removed; line breaks separate paragraphs.
    pub text: String,
    /// Byte positions of `text` → bytes of the input (of `word/document.xml` for DOCX).
    pub map: OffsetMap,
    /// The format read.
    pub format: Format,
    /// The encoding used, by its WHATWG name (`UTF-8`, `gb18030`, `Big5`, …).
    pub encoding: &'static str,
    /// The HTML `<title>`, when there was one.
    pub html_title: Option<String>,
    /// Why the input could not be read as text at all, if it could not.
    pub undecodable: Option<&'static str>,
}

/// Largest inflated `word/document.xml` read from a DOCX (a zip bomb stops here).
pub const MAX_DOCX_XML: u64 = 64 * 1024 * 1024;

/// Guesses the format from the first bytes.
#[must_use]
pub fn sniff(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"PK\x03\x04") {
        return Format::Docx;
    }
    let head = bytes.get(..bytes.len().min(2048)).unwrap_or(bytes);
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let has = |needle: &[u8]| lower.windows(needle.len()).any(|window| window == needle);
    let trimmed = lower
        .iter()
        .position(|byte| {
            !byte.is_ascii_whitespace() && *byte != 0xEF && *byte != 0xBB && *byte != 0xBF
        })
        .and_then(|start| lower.get(start));
    if trimmed == Some(&b'<')
        && (has(b"<html")
            || has(b"<!doctype")
            || has(b"<body")
            || has(b"<div")
            || has(b"<p")
            || has(b"<meta"))
    {
        return Format::Html;
    }
    Format::Text
}

/// Decodes `bytes` as `hint`, or as the sniffed format. Never fails: an input that is not text
/// at all comes back with [`RawText::undecodable`] set.
#[must_use]
pub fn decode(bytes: &[u8], hint: Option<Format>) -> (RawText, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let format = hint.unwrap_or_else(|| sniff(bytes));
    let raw = match format {
        Format::Text => {
            if let Some(reason) = binary_signature(bytes) {
                undecodable(format, reason, bytes.len())
            } else {
                let decoded = decode_text(bytes, None, &mut diagnostics);
                finish_text(format, decoded, None, &mut diagnostics)
            }
        }
        Format::Html if binary_signature(bytes).is_some() => undecodable(
            format,
            binary_signature(bytes).unwrap_or("binary data"),
            bytes.len(),
        ),
        Format::Html => {
            let declared = declared_charset(bytes);
            let decoded = decode_text(bytes, declared, &mut diagnostics);
            let (text, map, title) = extract_html(&decoded.text, &decoded.map, &mut diagnostics);
            let decoded = Decoded {
                text,
                map,
                encoding: decoded.encoding,
            };
            finish_text(format, decoded, title, &mut diagnostics)
        }
        Format::Docx => match docx_document_xml(bytes) {
            Ok(xml) => {
                let decoded = decode_text(&xml, Some(UTF_8), &mut diagnostics);
                let (text, map) = extract_docx(&decoded.text, &decoded.map, &mut diagnostics);
                let decoded = Decoded {
                    text,
                    map,
                    encoding: "UTF-8",
                };
                finish_text(format, decoded, None, &mut diagnostics)
            }
            Err(reason) => undecodable(format, reason, bytes.len()),
        },
    };
    (raw, diagnostics)
}

fn undecodable(format: Format, reason: &'static str, len: usize) -> RawText {
    RawText {
        text: String::new(),
        map: MapBuilder::new(len).finish(),
        format,
        encoding: "",
        html_title: None,
        undecodable: Some(reason),
    }
}

struct Decoded {
    text: String,
    map: OffsetMap,
    encoding: &'static str,
}

fn finish_text(
    format: Format,
    decoded: Decoded,
    html_title: Option<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> RawText {
    let mut total = 0usize;
    let mut bad = 0usize;
    for ch in decoded.text.chars() {
        total += 1;
        if ch == '\u{FFFD}' || (ch.is_control() && !matches!(ch, '\n' | '\r' | '\t' | '\x0c')) {
            bad += 1;
        }
    }
    let undecodable =
        (bad > 8 && bad * 50 > total).then_some("mostly undecodable bytes or control characters");
    if bad > 0 && undecodable.is_none() {
        diagnostics.push(Diagnostic::new(
            Stage::Decode,
            "replacement_characters",
            Severity::Warning,
            format!("{bad} characters could not be decoded and were replaced"),
        ));
    }
    RawText {
        text: decoded.text,
        map: decoded.map,
        format,
        encoding: decoded.encoding,
        html_title,
        undecodable,
    }
}

/// Known binary formats, and NUL bytes (which no text encoding we accept produces).
fn binary_signature(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: [(&[u8], &str); 8] = [
        (b"%PDF", "a PDF file (not supported)"),
        (
            b"\xD0\xCF\x11\xE0",
            "a legacy Office file such as .doc (not supported)",
        ),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"\x1F\x8B", "gzip-compressed data"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xBC\xAF", "a 7z archive"),
    ];
    for (magic, what) in SIGNATURES {
        if bytes.starts_with(magic) {
            return Some(what);
        }
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Some("a zip archive that is not a DOCX");
    }
    let is_utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    let head = bytes.get(..bytes.len().min(8192)).unwrap_or(bytes);
    (!is_utf16 && head.contains(&0)).then_some("binary data (NUL bytes)")
}

fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..bytes.len().min(4096)).unwrap_or(bytes);
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let key = b"charset=";
    let at = lower.windows(key.len()).position(|window| window == key)? + key.len();
    let rest = lower.get(at..)?;
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|byte| matches!(byte, b'"' | b'\'' | b' ' | b';' | b'>' | b'/'))
        .unwrap_or(rest.len());
    let label = rest.get(..end)?;
    let encoding = Encoding::for_label(label)?;
    // A GBK or GB2312 label is decoded as GB18030, its superset.
    Some(if encoding == encoding_rs::GBK {
        GB18030
    } else {
        encoding
    })
}

fn decode_text(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        if encoding == UTF_8 {
            return decode_utf8(body, bom_len, bytes.len(), diagnostics);
        }
        return decode_utf16(body, bom_len, bytes.len(), encoding);
    }
    if declared.is_none_or(|encoding| encoding == UTF_8) {
        match std::str::from_utf8(bytes) {
            Ok(_) => return decode_utf8(bytes, 0, bytes.len(), diagnostics),
            Err(error) if error.error_len().is_none() => {
                // Valid up to an incomplete character at the very end: a truncated file.
                return decode_utf8(bytes, 0, bytes.len(), diagnostics);
            }
            Err(_) if declared == Some(UTF_8) && looks_mostly_utf8(bytes) => {
                return decode_utf8(bytes, 0, bytes.len(), diagnostics);
            }
            Err(_) => {}
        }
    }
    let encoding = match declared {
        Some(encoding) if encoding != UTF_8 => encoding,
        _ => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            let sample = bytes.get(..bytes.len().min(256 * 1024)).unwrap_or(bytes);
            detector.feed(sample, sample.len() == bytes.len());
            // No top-level-domain hint: a `.cn` hint makes chardetng answer GBK even for Big5
            // text (tried), and the generic guess tells GBK and Big5 reports apart.
            let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
            if guess == encoding_rs::GBK {
                GB18030
            } else {
                guess
            }
        }
    };
    decode_legacy(bytes, encoding, diagnostics)
}

fn looks_mostly_utf8(bytes: &[u8]) -> bool {
    let sample = bytes.get(..bytes.len().min(64 * 1024)).unwrap_or(bytes);
    let invalid: usize = sample
        .utf8_chunks()
        .map(|chunk| chunk.invalid().len())
        .sum();
    invalid * 100 < sample.len()
}

fn decode_utf8(
    body: &[u8],
    offset: usize,
    total: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Decoded {
    let mut text = String::with_capacity(body.len());
    let mut builder = MapBuilder::new(total);
    let mut at = offset;
    let mut chunks = body.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        let valid = chunk.valid();
        text.push_str(valid);
        builder.push(valid.len(), Span::new(at, at + valid.len()));
        at += valid.len();
        let invalid = chunk.invalid();
        if !invalid.is_empty() {
            if chunks.peek().is_none() && invalid.len() < 4 && at + invalid.len() == total {
                diagnostics.push(
                    Diagnostic::new(
                        Stage::Decode,
                        "truncated_utf8",
                        Severity::Warning,
                        "the input ends inside a UTF-8 character: it was probably truncated",
                    )
                    .at(Span::new(at, total)),
                );
            } else {
                text.push('\u{FFFD}');
                builder.push('\u{FFFD}'.len_utf8(), Span::new(at, at + invalid.len()));
            }
            at += invalid.len();
        }
    }
    Decoded {
        text,
        map: builder.finish(),
        encoding: "UTF-8",
    }
}

fn decode_utf16(body: &[u8], offset: usize, total: usize, encoding: &'static Encoding) -> Decoded {
    let (text, _) = encoding.decode_without_bom_handling(body);
    let text = text.into_owned();
    let mut builder = MapBuilder::new(total);
    let mut at = offset;
    for ch in text.chars() {
        let width = if u32::from(ch) > 0xFFFF { 4 } else { 2 };
        builder.push(ch.len_utf8(), Span::new(at, at + width));
        at += width;
    }
    let map = if at == total || at + 1 == total {
        builder.finish()
    } else {
        let mut coarse = MapBuilder::new(total);
        coarse.push(text.len(), Span::new(offset, total));
        coarse.finish()
    };
    let encoding = if encoding == UTF_16LE {
        "UTF-16LE"
    } else if encoding == UTF_16BE {
        "UTF-16BE"
    } else {
        encoding.name()
    };
    Decoded {
        text,
        map,
        encoding,
    }
}

/// Byte length of the character starting at `bytes` in GB18030 or Big5.
fn legacy_char_len(encoding: &'static Encoding, bytes: &[u8]) -> usize {
    let Some(&lead) = bytes.first() else { return 0 };
    if lead < 0x80 {
        return 1;
    }
    if encoding == GB18030 {
        if lead == 0x80 || lead == 0xFF {
            return 1;
        }
        return match bytes.get(1) {
            Some(0x30..=0x39) => 4,
            _ => 2,
        };
    }
    2
}

fn decode_legacy(
    bytes: &[u8],
    encoding: &'static Encoding,
    diagnostics: &mut Vec<Diagnostic>,
) -> Decoded {
    let mut text = String::with_capacity(bytes.len() * 3 / 2);
    let mut builder = MapBuilder::new(bytes.len());
    let per_char = encoding == GB18030 || encoding == BIG5;
    let mut coarse_lines = 0usize;
    let mut line_start = 0usize;
    for line in bytes.split_inclusive(|byte| *byte == b'\n') {
        let (decoded, had_errors) = encoding.decode_without_bom_handling(line);
        let mut mapped = false;
        if per_char && !had_errors {
            // Walk the line: each character's width follows from its lead byte.
            let mut at = 0usize;
            let mut pieces = Vec::with_capacity(decoded.len() / 2);
            for ch in decoded.chars() {
                let width = legacy_char_len(encoding, line.get(at..).unwrap_or_default());
                pieces.push((ch.len_utf8(), at, width));
                at += width;
            }
            if at == line.len() {
                for (len, start, width) in pieces {
                    builder.push(
                        len,
                        Span::new(line_start + start, line_start + start + width),
                    );
                }
                mapped = true;
            }
        }
        if !mapped {
            coarse_lines += 1;
            builder.push(
                decoded.len(),
                Span::new(line_start, line_start + line.len()),
            );
        }
        text.push_str(&decoded);
        line_start += line.len();
    }
    if coarse_lines > 0 {
        diagnostics.push(Diagnostic::new(
            Stage::Decode,
            "coarse_offsets",
            Severity::Info,
            format!("{coarse_lines} lines had undecodable bytes; their offsets map to whole lines"),
        ));
    }
    if bytes.last().is_some_and(|last| *last >= 0x81) && per_char {
        let tail = bytes.len().saturating_sub(1);
        let lead_alone = bytes.iter().rev().take_while(|byte| **byte >= 0x81).count() % 2 == 1;
        if lead_alone {
            diagnostics.push(
                Diagnostic::new(
                    Stage::Decode,
                    "truncated_multibyte",
                    Severity::Warning,
                    "the input ends inside a character: it was probably truncated",
                )
                .at(Span::new(tail, bytes.len())),
            );
        }
    }
    Decoded {
        text,
        map: builder.finish(),
        encoding: encoding.name(),
    }
}

const SKIP_ELEMENTS: [&str; 23] = [
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "button", "select", "textarea", "iframe", "svg", "object", "rt", "rp", "menu", "dialog",
    "canvas", "video", "audio", "map",
];
const RAW_TEXT_ELEMENTS: [&str; 5] = ["script", "style", "textarea", "title", "noscript"];
const BLOCK_ELEMENTS: [&str; 31] = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "tbody",
    "thead",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "hr",
    "center",
    "main",
    "body",
    "html",
    "figure",
    "figcaption",
    "caption",
];
const VOID_ELEMENTS: [&str; 11] = [
    "br", "img", "hr", "meta", "link", "input", "area", "base", "col", "source", "wbr",
];

fn class_marks_furniture(attributes: &str) -> bool {
    let lower = attributes.to_ascii_lowercase();
    let mut values = Vec::new();
    for key in ["class=", "id="] {
        let mut from = 0usize;
        while let Some(found) = lower.get(from..).and_then(|rest| rest.find(key)) {
            let start = from + found + key.len();
            let rest = lower.get(start..).unwrap_or_default();
            let (quote, body) = match rest.chars().next() {
                Some(quote @ ('"' | '\'')) => (Some(quote), rest.get(1..).unwrap_or_default()),
                _ => (None, rest),
            };
            let end = match quote {
                Some(quote) => body.find(quote).unwrap_or(body.len()),
                None => body.find([' ', '>']).unwrap_or(body.len()),
            };
            values.push(body.get(..end).unwrap_or_default().to_owned());
            from = start;
        }
    }
    values
        .iter()
        .flat_map(|value| value.split_whitespace())
        .any(|token| {
            matches!(
                token,
                "nav" | "menu" | "footer" | "sidebar" | "print" | "share" | "toolbar"
            ) || [
                "share",
                "breadcrumb",
                "crumb",
                "qrcode",
                "navbar",
                "topbar",
                "bottom",
                "fontsize",
            ]
            .iter()
            .any(|mark| token.contains(mark))
        })
}

/// A parsed tag: name (lower case), whether it closes, its attribute text, where it ends.
struct Tag<'a> {
    name: String,
    closing: bool,
    self_closing: bool,
    attributes: &'a str,
    end: usize,
}

/// Parses the tag starting at `at` (which holds `<`). `None`: not a tag (`a < b`), or no `>`
/// before the end of the input (then `Err` with the end).
fn parse_tag(text: &str, at: usize) -> Result<Option<Tag<'_>>, usize> {
    let bytes = text.as_bytes();
    let mut i = at + 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while bytes
        .get(i)
        .is_some_and(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b':' | b'-' | b'_'))
    {
        i += 1;
    }
    if i == name_start || !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
        return Ok(None);
    }
    let name = text
        .get(name_start..i)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let attributes_start = i;
    let mut quote: Option<u8> = None;
    while let Some(&byte) = bytes.get(i) {
        match quote {
            Some(open) if byte == open => quote = None,
            Some(_) => {}
            None if byte == b'"' || byte == b'\'' => quote = Some(byte),
            None if byte == b'>' => {
                let attributes = text.get(attributes_start..i).unwrap_or_default();
                return Ok(Some(Tag {
                    name,
                    closing,
                    self_closing: attributes.trim_end().ends_with('/'),
                    attributes,
                    end: i + 1,
                }));
            }
            None => {}
        }
        i += 1;
    }
    Err(text.len())
}

fn find_ascii_ci(haystack: &str, from: usize, needle: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    let needle = needle.as_bytes();
    let first = needle.first()?.to_ascii_lowercase();
    let mut i = from;
    while i + needle.len() <= bytes.len() {
        let rest = bytes.get(i..)?;
        let found = rest
            .iter()
            .position(|byte| byte.to_ascii_lowercase() == first)?;
        i += found;
        if bytes
            .get(i..i + needle.len())
            .is_some_and(|window| window.eq_ignore_ascii_case(needle))
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Decodes the entity at `at` (which holds `&`): its text and length, if known.
fn entity(text: &str, at: usize) -> Option<(char, usize)> {
    let rest = text.get(at..)?;
    let end = rest.get(..rest.len().min(12))?.find(';')?;
    let name = rest.get(1..end)?;
    let ch = if let Some(number) = name.strip_prefix('#') {
        let value = if let Some(hex) = number.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            number.parse().ok()?
        };
        char::from_u32(value)?
    } else {
        match name {
            "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "ldquo" => '“',
            "rdquo" => '”',
            "lsquo" => '‘',
            "rsquo" => '’',
            "middot" => '·',
            "bull" => '•',
            "mdash" => '—',
            "ndash" => '–',
            "hellip" => '…',
            "times" => '×',
            "yen" => '¥',
            "copy" => '©',
            "laquo" => '«',
            "raquo" => '»',
            _ => return None,
        }
    };
    Some((ch, end + 1))
}

/// Collects output text with its map and collapses HTML whitespace: a space is held back
/// until something other than a line break follows it.
struct Sink<'a> {
    out: String,
    builder: MapBuilder,
    source_map: &'a OffsetMap,
    cursor: crate::offsets::MapCursor<'a>,
    pending_space: Option<Span>,
}

impl<'a> Sink<'a> {
    fn new(source_map: &'a OffsetMap, capacity: usize) -> Self {
        Self {
            out: String::with_capacity(capacity),
            builder: MapBuilder::new(source_map.original_len()),
            source_map,
            cursor: source_map.cursor(),
            pending_space: None,
        }
    }

    fn flush_space(&mut self) {
        if let Some(span) = self.pending_space.take()
            && !matches!(self.out.chars().next_back(), None | Some(' ' | '\n'))
        {
            self.out.push(' ');
            let orig = self.cursor.to_original(span);
            self.builder.push(1, orig);
        }
    }

    fn push_copy(&mut self, source: &str, span: Span) {
        let piece = source.get(span.start..span.end).unwrap_or_default();
        if piece.is_empty() {
            return;
        }
        self.flush_space();
        self.out.push_str(piece);
        self.builder
            .push_mapped(piece, span, self.source_map, &mut self.cursor);
    }

    fn push_char(&mut self, ch: char, span: Span) {
        match ch {
            ' ' => {
                if self.pending_space.is_none() {
                    self.pending_space = Some(span);
                }
            }
            '\n' => {
                self.pending_space = None;
                if !matches!(self.out.chars().next_back(), None | Some('\n')) {
                    self.out.push('\n');
                    let orig = self.cursor.to_original(span);
                    self.builder.push(1, orig);
                }
            }
            _ => {
                self.flush_space();
                self.out.push(ch);
                let orig = self.cursor.to_original(span);
                self.builder.push(ch.len_utf8(), orig);
            }
        }
    }

    /// Copies a text run, turning runs of ASCII whitespace into one space.
    fn push_text(&mut self, source: &str, span: Span) {
        let piece = source.get(span.start..span.end).unwrap_or_default();
        let mut run_start = span.start;
        for (offset, ch) in piece.char_indices() {
            if ch.is_ascii_whitespace() {
                let at = span.start + offset;
                self.push_copy(source, Span::new(run_start, at));
                self.push_char(' ', Span::new(at, at + 1));
                run_start = at + 1;
            }
        }
        self.push_copy(source, Span::new(run_start, span.end));
    }
}

fn extract_html(
    source: &str,
    source_map: &OffsetMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> (String, OffsetMap, Option<String>) {
    let mut sink = Sink::new(source_map, source.len() / 2);
    let bytes = source.as_bytes();
    let mut title: Option<String> = None;
    let mut class_skipping = true;
    let mut i = 0usize;
    let mut text_start = 0usize;
    // Skipping an element: its name, nesting depth, and where to resume if it never closes.
    let mut skipping: Option<(String, usize, usize, bool)> = None;
    while i < bytes.len() {
        let Some(found) = bytes
            .get(i..)
            .and_then(|rest| rest.iter().position(|byte| *byte == b'<' || *byte == b'&'))
        else {
            break;
        };
        let at = i + found;
        if skipping.is_none() {
            sink.push_text(source, Span::new(text_start, at));
        }
        text_start = at;
        if bytes.get(at) == Some(&b'&') {
            if skipping.is_none()
                && let Some((ch, len)) = entity(source, at)
            {
                let ch = if ch.is_whitespace() { ' ' } else { ch };
                sink.push_char(ch, Span::new(at, at + len));
                i = at + len;
                text_start = i;
                continue;
            }
            i = at + 1;
            continue;
        }
        if source
            .get(at..)
            .is_some_and(|rest| rest.starts_with("<!--"))
        {
            i = source
                .get(at + 4..)
                .and_then(|rest| rest.find("-->"))
                .map_or(bytes.len(), |end| at + 4 + end + 3);
            text_start = i;
            continue;
        }
        if source
            .get(at..)
            .is_some_and(|rest| rest.starts_with("<!") || rest.starts_with("<?"))
        {
            i = source
                .get(at..)
                .and_then(|rest| rest.find('>'))
                .map_or(bytes.len(), |end| at + end + 1);
            text_start = i;
            continue;
        }
        let tag = match parse_tag(source, at) {
            Ok(Some(tag)) => tag,
            Ok(None) => {
                // A bare `<` in text.
                i = at + 1;
                continue;
            }
            Err(_) => {
                diagnostics.push(Diagnostic::new(
                    Stage::Decode,
                    "truncated_html",
                    Severity::Warning,
                    "the page ends inside a tag: it was probably truncated",
                ));
                i = bytes.len();
                text_start = i;
                break;
            }
        };
        i = tag.end;
        text_start = i;
        if let Some((name, depth, _, _)) = skipping.as_mut() {
            if tag.name == *name && !tag.self_closing {
                if tag.closing {
                    *depth -= 1;
                    if *depth == 0 {
                        let inline = matches!(
                            name.as_str(),
                            "rt" | "rp"
                                | "button"
                                | "select"
                                | "svg"
                                | "iframe"
                                | "object"
                                | "canvas"
                                | "video"
                                | "audio"
                                | "map"
                                | "span"
                                | "a"
                                | "i"
                                | "em"
                        );
                        skipping = None;
                        if !inline {
                            sink.push_char('\n', Span::new(at, tag.end));
                        }
                    }
                } else {
                    *depth += 1;
                }
            }
            continue;
        }
        if tag.closing {
            if BLOCK_ELEMENTS.contains(&tag.name.as_str()) {
                sink.push_char('\n', Span::new(at, tag.end));
            } else if matches!(tag.name.as_str(), "td" | "th") {
                sink.push_char(' ', Span::new(at, tag.end));
            }
            continue;
        }
        let name = tag.name.as_str();
        if name == "title" {
            let end = find_ascii_ci(source, tag.end, "</title").unwrap_or(bytes.len());
            let raw = source.get(tag.end..end).unwrap_or_default();
            let cleaned: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
            if title.is_none() && !cleaned.is_empty() {
                title = Some(decode_entities(&cleaned));
            }
            i = end;
            text_start = i;
            continue;
        }
        if RAW_TEXT_ELEMENTS.contains(&name) && !tag.self_closing {
            let closer = format!("</{name}");
            i = find_ascii_ci(source, tag.end, &closer).unwrap_or(bytes.len());
            text_start = i;
            continue;
        }
        if VOID_ELEMENTS.contains(&name) || tag.self_closing {
            if matches!(name, "br" | "hr") {
                sink.push_char('\n', Span::new(at, tag.end));
            }
            continue;
        }
        let by_class = class_skipping && class_marks_furniture(tag.attributes);
        if SKIP_ELEMENTS.contains(&name) || by_class {
            skipping = Some((tag.name.clone(), 1, tag.end, by_class));
            continue;
        }
        if BLOCK_ELEMENTS.contains(&name) {
            sink.push_char('\n', Span::new(at, tag.end));
        } else if matches!(name, "td" | "th") {
            sink.push_char(' ', Span::new(at, tag.end));
        }
        // An element skipped for its class that never closes would swallow the page: resume.
        if i >= bytes.len() {
            break;
        }
    }
    if let Some((name, _, resume, by_class)) = skipping.take() {
        if by_class {
            diagnostics.push(Diagnostic::new(
                Stage::Decode,
                "unclosed_furniture",
                Severity::Info,
                format!("<{name}> marked as page furniture never closed; its content was kept"),
            ));
            // Run again from after the opening tag with class-based skipping off. This happens
            // at most once, so the scan stays linear.
            let _ = class_skipping;
            class_skipping = false;
            let (rest_text, rest_map, _) =
                extract_html_from(source, source_map, resume, class_skipping, diagnostics);
            append(&mut sink, &rest_text, &rest_map);
        } else {
            diagnostics.push(Diagnostic::new(
                Stage::Decode,
                "truncated_html",
                Severity::Warning,
                format!("<{name}> never closed: the page was probably truncated"),
            ));
        }
    } else if text_start < bytes.len() {
        sink.push_text(source, Span::new(text_start, bytes.len()));
    }
    let text = sink.out;
    (text, sink.builder.finish(), title)
}

/// Extraction from `start` on, without class-based skipping (the retry path).
fn extract_html_from(
    source: &str,
    source_map: &OffsetMap,
    start: usize,
    _class_skipping: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> (String, OffsetMap, Option<String>) {
    let mut masked = String::with_capacity(source.len());
    // Blank everything before `start` with spaces of equal length so offsets stay valid, and
    // neutralise class attributes by scanning a copy where they cannot match.
    masked.extend(std::iter::repeat_n(' ', start));
    let rest = source.get(start..).unwrap_or_default();
    masked.push_str(&rest.replace("class=", "clas_=").replace("id=", "i_="));
    if masked.len() != source.len() {
        return (
            String::new(),
            MapBuilder::new(source_map.original_len()).finish(),
            None,
        );
    }
    extract_html(&masked, source_map, diagnostics)
}

fn append(sink: &mut Sink<'_>, text: &str, map: &OffsetMap) {
    let mut cursor = map.cursor();
    for (offset, ch) in text.char_indices() {
        let orig = cursor.to_original(Span::new(offset, offset + ch.len_utf8()));
        sink.out.push(ch);
        sink.builder.push(ch.len_utf8(), orig);
    }
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0usize;
    while i < text.len() {
        let Some(rest) = text.get(i..) else { break };
        if rest.starts_with('&')
            && let Some((ch, len)) = entity(text, i)
        {
            out.push(ch);
            i += len;
            continue;
        }
        let Some(ch) = rest.chars().next() else { break };
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

fn docx_document_xml(bytes: &[u8]) -> Result<Vec<u8>, &'static str> {
    let reader = std::io::Cursor::new(bytes);
    let mut archive =
        zip::ZipArchive::new(reader).map_err(|_| "a damaged or truncated DOCX (zip) file")?;
    let file = archive
        .by_name("word/document.xml")
        .map_err(|_| "a zip archive without word/document.xml (not a DOCX)")?;
    if file.size() > MAX_DOCX_XML {
        return Err("a DOCX whose text part is too large when inflated");
    }
    let mut xml = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0).min(1 << 24));
    file.take(MAX_DOCX_XML)
        .read_to_end(&mut xml)
        .map_err(|_| "a DOCX whose text part cannot be inflated")?;
    Ok(xml)
}

fn extract_docx(
    source: &str,
    source_map: &OffsetMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> (String, OffsetMap) {
    let mut sink = Sink::new(source_map, source.len() / 4);
    let bytes = source.as_bytes();
    let mut in_text = false;
    let mut i = 0usize;
    while i < bytes.len() {
        let Some(found) = bytes
            .get(i..)
            .and_then(|rest| rest.iter().position(|byte| *byte == b'<' || *byte == b'&'))
        else {
            break;
        };
        let at = i + found;
        if in_text {
            sink.push_copy(source, Span::new(i, at));
        }
        if bytes.get(at) == Some(&b'&') {
            match entity(source, at) {
                Some((ch, len)) if in_text => {
                    sink.push_char(ch, Span::new(at, at + len));
                    i = at + len;
                }
                _ => i = at + 1,
            }
            continue;
        }
        if source
            .get(at..)
            .is_some_and(|rest| rest.starts_with("<?") || rest.starts_with("<!"))
        {
            i = source
                .get(at..)
                .and_then(|rest| rest.find('>'))
                .map_or(bytes.len(), |end| at + end + 1);
            continue;
        }
        let tag = match parse_tag(source, at) {
            Ok(Some(tag)) => tag,
            Ok(None) => {
                i = at + 1;
                continue;
            }
            Err(_) => {
                diagnostics.push(Diagnostic::new(
                    Stage::Decode,
                    "truncated_docx",
                    Severity::Warning,
                    "word/document.xml ends inside a tag: the file was probably truncated",
                ));
                break;
            }
        };
        i = tag.end;
        let span = Span::new(at, tag.end);
        match (tag.name.as_str(), tag.closing) {
            ("w:t", false) => in_text = !tag.self_closing,
            ("w:t", true) => in_text = false,
            ("w:p", true) => sink.push_char('\n', span),
            ("w:tab", false) => sink.push_char(' ', span),
            ("w:br" | "w:cr", false) => sink.push_char('\n', span),
            _ => {}
        }
    }
    (sink.out, sink.builder.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(bytes: &[u8], hint: Option<Format>) -> String {
        decode(bytes, hint).0.text
    }

    #[test]
    fn utf8_is_copied_with_an_identity_map() {
        let (raw, diagnostics) = decode("法治政府".as_bytes(), None);
        assert_eq!(raw.text, "法治政府");
        assert_eq!(raw.map.run_count(), 1);
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn gbk_is_detected_and_mapped_per_character() {
        let (bytes, _, _) =
            GB18030.encode("二〇二〇年法治政府建设年度报告，受理行政复议案件83件。");
        let (raw, _) = decode(&bytes, None);
        assert_eq!(raw.encoding, "gb18030");
        assert!(raw.text.starts_with("二〇二〇年法治政府"));
        let at = raw.text.find("83").unwrap();
        let orig = raw.map.to_original(Span::new(at, at + 2));
        assert_eq!(bytes.get(orig.start..orig.end), Some(&b"83"[..]));
    }

    #[test]
    fn truncated_utf8_is_reported() {
        let bytes = "法治".as_bytes();
        let (raw, diagnostics) = decode(&bytes[..4], None);
        assert_eq!(raw.text, "法");
        assert!(diagnostics.iter().any(|d| d.code == "truncated_utf8"));
    }

    #[test]
    fn html_furniture_and_ruby_are_dropped() {
        let page = "<html><head><title>报告</title><style>p{}</style></head><body><nav>首页</nav>\
            <div class=\"bdsharebuttonbox\">分享到</div><p>開<rt>kāi</rt>展&nbsp;工作</p><p>第二段</p>\
            <script>var a = '<p>';</script><footer>版权</footer></body></html>";
        let (raw, _) = decode(page.as_bytes(), None);
        assert_eq!(raw.format, Format::Html);
        assert_eq!(raw.html_title.as_deref(), Some("报告"));
        assert_eq!(raw.text.trim(), "開展 工作\n第二段");
        let at = raw.text.find("第二段").unwrap();
        let orig = raw.map.to_original(Span::new(at, at + "第二段".len()));
        assert_eq!(page.get(orig.start..orig.end), Some("第二段"));
    }

    #[test]
    fn unclosed_tags_and_stray_brackets_do_not_hang() {
        let (raw, diagnostics) = decode(b"<html><p>a < b <p class=\"x", Some(Format::Html));
        assert!(raw.text.contains("a < b"));
        assert!(diagnostics.iter().any(|d| d.code == "truncated_html"));
    }

    #[test]
    fn binary_inputs_are_undecodable() {
        assert!(decode(b"%PDF-1.4 ...", None).0.undecodable.is_some());
        assert!(decode(b"abc\0def", None).0.undecodable.is_some());
        assert!(decode(b"PK\x03\x04garbage", None).0.undecodable.is_some());
        assert_eq!(text_of(b"plain", Some(Format::Text)), "plain");
    }
}
