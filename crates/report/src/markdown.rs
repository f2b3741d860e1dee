//! The report as Markdown, for pasting into wikis, issue trackers and chat.
//!
//! Layout: the title as `#`, parts as `## 一、…`, sections as `### （一）…`, paragraphs separated
//! by blank lines, the issuer and date at the end. Staff write the text, so anything Markdown
//! would read as markup is escaped: a paragraph starting with `#`, `>`, `-` or `1.` stays a
//! paragraph, and `*`, `_`, `[` or `<` inside it stay literal characters.

use crate::model::{Report, chinese_date, chinese_ordinal};

/// Text as one clean line: line breaks are dropped (a paragraph is one line; Chinese needs no
/// space where a line was broken) and control characters that XML cannot carry are removed, so
/// every exporter gets text it can write as is.
pub(crate) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (index, line) in text.lines().enumerate() {
        let line = if index == 0 {
            line.trim_end()
        } else {
            line.trim()
        };
        out.extend(line.chars().filter(|&c| is_text_char(c)));
    }
    out
}

/// A body paragraph's text: [`one_line`], without leading or trailing whitespace. Staff often
/// paste paragraphs that start with two full-width spaces (the typewriter's indent); every export
/// indents paragraphs itself, so those would double the indent.
pub(crate) fn paragraph_text(text: &str) -> String {
    one_line(text).trim().to_owned()
}

/// The title's lines: a title may carry explicit line breaks where its author wants it to wrap
/// (GB/T 9704-2012 §7.3.1 asks for breaks that keep words whole); empty lines are dropped.
pub(crate) fn title_lines(title: &str) -> Vec<String> {
    title
        .lines()
        .map(one_line)
        .map(|line| line.trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect()
}

/// Whether XML 1.0 can carry the character and it is not a line break (tabs are kept).
fn is_text_char(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{a}'..='\u{1f}' | '\u{7f}' | '\u{fffe}' | '\u{ffff}')
}

/// The report as a Markdown document.
#[must_use]
pub fn to_markdown(report: &Report) -> String {
    let mut out = String::new();
    let title = title_lines(&report.title).join("");
    out.push_str("# ");
    out.push_str(&escape_inline(&title));
    out.push_str("\n\n");
    if let Some(note) = report.correction_note.as_deref() {
        let note = one_line(note);
        if !note.trim().is_empty() {
            // A block quote sets the note apart from the text, as the DOCX centres it.
            out.push_str("> ");
            out.push_str(&escape_paragraph(&note));
            out.push_str("\n\n");
        }
    }
    let recipients = one_line(&report.recipients);
    let recipients = recipients.trim();
    if !recipients.is_empty() {
        out.push_str(&escape_paragraph(&with_colon(recipients)));
        out.push_str("\n\n");
    }
    for paragraph in &report.preamble {
        push_paragraph(&mut out, &paragraph.text);
    }
    for (index, part) in report.parts.iter().enumerate() {
        out.push_str(&format!(
            "## {}、{}\n\n",
            chinese_ordinal(index + 1),
            escape_inline(&one_line(&part.heading))
        ));
        for paragraph in &part.paragraphs {
            push_paragraph(&mut out, &paragraph.text);
        }
        for (number, section) in part.sections.iter().enumerate() {
            out.push_str(&format!(
                "### （{}）{}\n\n",
                chinese_ordinal(number + 1),
                escape_inline(&one_line(&section.heading))
            ));
            for paragraph in &section.paragraphs {
                push_paragraph(&mut out, &paragraph.text);
            }
        }
    }
    let issuer = one_line(&report.issuer);
    if !issuer.trim().is_empty() {
        push_paragraph(&mut out, &issuer);
    }
    if let Some(date) = report.date {
        push_paragraph(&mut out, &chinese_date(date));
    }
    // One final newline, not a blank line.
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// 主送机关 end with a full-width colon (GB/T 9704-2012 §7.3.2); staff may or may not type it.
pub(crate) fn with_colon(recipients: &str) -> String {
    let trimmed = recipients.trim_end_matches([':', '：']);
    format!("{trimmed}：")
}

fn push_paragraph(out: &mut String, text: &str) {
    let text = paragraph_text(text);
    if text.is_empty() {
        return;
    }
    out.push_str(&escape_paragraph(&text));
    out.push_str("\n\n");
}

/// Escapes a paragraph: inline markup everywhere, block markup at the start of the line.
fn escape_paragraph(text: &str) -> String {
    // Leading ASCII spaces would make an indented code block; full-width spaces (　　, the
    // typewriter habit of indenting Chinese paragraphs) are plain text to Markdown and stay.
    let text = text.trim_start_matches([' ', '\t']);
    let escaped = escape_inline(text);
    escape_line_start(&escaped)
}

/// Backslash-escapes the ASCII punctuation that starts inline markup (CommonMark lets any ASCII
/// punctuation be escaped, so this is always safe): emphasis, code, links, images, raw HTML,
/// entity references, tables and strikethrough.
fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes what only means something at the start of a line: headings (`#`), block quotes
/// (`>`, already escaped inline), list items (`-`, `+`, `*`, `1.`, `1)`), setext underlines and
/// thematic breaks (`=`, `-`).
fn escape_line_start(text: &str) -> String {
    let mut chars = text.char_indices();
    match chars.next() {
        Some((_, '#' | '-' | '+' | '=')) => format!("\\{text}"),
        Some((_, c)) if c.is_ascii_digit() => {
            // An ordered list marker is up to nine digits then `.` or `)`.
            let digits_end = text
                .char_indices()
                .find(|(_, c)| !c.is_ascii_digit())
                .map_or(text.len(), |(index, _)| index);
            match text[digits_end..].chars().next() {
                Some('.' | ')') => {
                    format!("{}\\{}", &text[..digits_end], &text[digits_end..])
                }
                _ => text.to_owned(),
            }
        }
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_drops_breaks_and_controls() {
        assert_eq!(
            one_line("全年共办理\n  行政复议案件\u{7}83件。"),
            "全年共办理行政复议案件83件。"
        );
        assert_eq!(one_line("a\r\nb\tc"), "ab\tc");
        assert_eq!(paragraph_text("　　全年共办理。 \n"), "全年共办理。");
    }

    #[test]
    fn line_starts_are_escaped() {
        assert_eq!(escape_paragraph("# 不是标题"), "\\# 不是标题");
        assert_eq!(escape_paragraph("- 不是列表"), "\\- 不是列表");
        assert_eq!(escape_paragraph("2026. 不是列表"), "2026\\. 不是列表");
        assert_eq!(escape_paragraph("2026年共办理"), "2026年共办理");
        assert_eq!(escape_paragraph("> 不是引用"), "\\> 不是引用");
        assert_eq!(escape_paragraph("    不是代码"), "不是代码");
        assert_eq!(escape_paragraph("　　全角缩进"), "　　全角缩进");
    }

    #[test]
    fn inline_markup_is_escaped() {
        assert_eq!(
            escape_inline("a*b*_c_ [x](y) <b>"),
            "a\\*b\\*\\_c\\_ \\[x\\](y) \\<b\\>"
        );
    }

    #[test]
    fn colon_is_added_once() {
        assert_eq!(with_colon("区委、区人大常委会"), "区委、区人大常委会：");
        assert_eq!(with_colon("区委："), "区委：");
        assert_eq!(with_colon("区委:"), "区委：");
    }
}
