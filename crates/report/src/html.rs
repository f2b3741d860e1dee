//! The report as a web page: a standalone document for download and preview, and a fragment the
//! app embeds in its own pages.
//!
//! The markup imitates the official layout (GB/T 9704-2012) closely enough for proofreading on
//! screen: the version area's width, 3号 仿宋 body with two-character indents, 黑体 and 楷体
//! headings, the title in 2号 小标宋, issuer and date at the right. The official fonts are
//! proprietary, so each font list falls back to the common system fonts of the same family.
//!
//! Every piece of text comes from staff and is escaped; so are attribute values (indicator ids,
//! section keys). Nothing in the report can inject markup or script.

use std::fmt::Write as _;

use crate::markdown::{one_line, paragraph_text, title_lines, with_colon};
use crate::model::{PartKind, Report, chinese_date, chinese_ordinal};

/// The stylesheet, scoped to `.fazhi-report` so that embedding it in the app's pages styles
/// nothing else. [`to_html`] inlines it; a page embedding [`body_fragment`] includes it once.
pub const CSS: &str = r#".fazhi-report {
  max-width: 156mm; margin: 0 auto; padding: 2em 0; color: #000; background: #fff;
  font-family: "仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", serif;
  font-size: 16pt; line-height: 28.95pt;
}
.fazhi-report p { margin: 0; text-indent: 2em; text-align: justify; }
.fazhi-report h1 {
  margin: 0 0 28.95pt; text-align: center; font-weight: normal; font-size: 22pt; line-height: 1.4;
  font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "小标宋", "华文中宋", "STZhongsong", "宋体", "SimSun", serif;
}
.fazhi-report h2, .fazhi-report h3 {
  margin: 0; text-indent: 2em; font-size: 16pt; font-weight: normal; line-height: 28.95pt;
}
.fazhi-report h2 { font-family: "黑体", "SimHei", "Heiti SC", "STHeiti", sans-serif; }
.fazhi-report h3 { font-family: "楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", serif; }
.fazhi-report .correction {
  text-indent: 0; text-align: center; margin-top: -28.95pt; margin-bottom: 28.95pt;
  font-family: "楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", serif;
}
.fazhi-report .recipients { text-indent: 0; }
.fazhi-report .signature { margin-top: 28.95pt; text-align: right; }
.fazhi-report .signature p { text-indent: 0; text-align: right; }
.fazhi-report .signature .issuer { padding-right: 2em; }
.fazhi-report .signature .date { padding-right: 4em; }
@media print {
  @page { size: A4; margin: 37mm 26mm 35mm 28mm; }
  .fazhi-report { max-width: none; padding: 0; }
}
"#;

/// Escapes text for an HTML element or a double- or single-quoted attribute value.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The stable name of a part for `data-part`, so the app's scripts and styles can find a part
/// without matching its (editable) heading.
fn part_name(kind: PartKind) -> &'static str {
    match kind {
        PartKind::Measures => "measures",
        PartKind::Shortcomings => "shortcomings",
        PartKind::FirstResponsible => "first_responsible",
        PartKind::NextYear => "next_year",
        PartKind::Other => "other",
    }
}

/// One body paragraph; drafted paragraphs carry the indicators they state in `data-indicators`
/// (space-separated) so the app can show where each figure came from.
fn push_paragraph(out: &mut String, paragraph: &crate::model::Paragraph) {
    let text = paragraph_text(&paragraph.text);
    if text.is_empty() {
        return;
    }
    out.push_str("<p");
    if !paragraph.indicators.is_empty() {
        let ids: Vec<String> = paragraph
            .indicators
            .iter()
            .map(|id| {
                one_line(id)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join("_")
            })
            .collect();
        let _ = write!(out, " data-indicators=\"{}\"", escape(&ids.join(" ")));
    }
    let _ = writeln!(out, ">{}</p>", escape(&text));
}

/// The report's markup for embedding in a page: one `<article class="fazhi-report">`, no
/// `<html>` or `<head>`. Style it with [`CSS`].
#[must_use]
pub fn body_fragment(report: &Report) -> String {
    let mut out = String::new();
    out.push_str("<article class=\"fazhi-report\">\n");
    let lines: Vec<String> = title_lines(&report.title)
        .iter()
        .map(|line| escape(line))
        .collect();
    let _ = writeln!(out, "<h1>{}</h1>", lines.join("<br>"));
    if let Some(note) = report.correction_note.as_deref() {
        let note = one_line(note);
        if !note.trim().is_empty() {
            let _ = writeln!(out, "<p class=\"correction\">{}</p>", escape(&note));
        }
    }
    let recipients = one_line(&report.recipients);
    if !recipients.trim().is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"recipients\">{}</p>",
            escape(&with_colon(recipients.trim()))
        );
    }
    for paragraph in &report.preamble {
        push_paragraph(&mut out, paragraph);
    }
    for (index, part) in report.parts.iter().enumerate() {
        let _ = writeln!(
            out,
            "<section class=\"part\" data-part=\"{}\">",
            part_name(part.kind)
        );
        let _ = writeln!(
            out,
            "<h2>{}、{}</h2>",
            chinese_ordinal(index + 1),
            escape(&one_line(&part.heading))
        );
        for paragraph in &part.paragraphs {
            push_paragraph(&mut out, paragraph);
        }
        for (number, section) in part.sections.iter().enumerate() {
            let _ = writeln!(
                out,
                "<section class=\"section\" data-key=\"{}\">",
                escape(&one_line(&section.key))
            );
            let _ = writeln!(
                out,
                "<h3>（{}）{}</h3>",
                chinese_ordinal(number + 1),
                escape(&one_line(&section.heading))
            );
            for paragraph in &section.paragraphs {
                push_paragraph(&mut out, paragraph);
            }
            out.push_str("</section>\n");
        }
        out.push_str("</section>\n");
    }
    let issuer = one_line(&report.issuer);
    if !issuer.trim().is_empty() || report.date.is_some() {
        out.push_str("<div class=\"signature\">\n");
        if !issuer.trim().is_empty() {
            let _ = writeln!(out, "<p class=\"issuer\">{}</p>", escape(issuer.trim()));
        }
        if let Some(date) = report.date {
            let _ = writeln!(
                out,
                "<p class=\"date\"><time datetime=\"{}\">{}</time></p>",
                escape(&format!(
                    "{:04}-{:02}-{:02}",
                    date.year(),
                    u8::from(date.month()),
                    date.day()
                )),
                escape(&chinese_date(date))
            );
        }
        out.push_str("</div>\n");
    }
    out.push_str("</article>\n");
    out
}

/// The report as a standalone HTML document (`lang="zh-CN"`, UTF-8, the [`CSS`] inlined).
#[must_use]
pub fn to_html(report: &Report) -> String {
    let title = title_lines(&report.title).join("");
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(&title));
    let _ = writeln!(out, "<style>\n{CSS}</style>");
    out.push_str("</head>\n<body>\n");
    out.push_str(&body_fragment(report));
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }
}
