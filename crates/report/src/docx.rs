//! The report as an official document (公文) in the layout of GB/T 9704-2012
//! 《党政机关公文格式》, as a `.docx` file that Word and WPS open ready to print.
//!
//! What the standard fixes, and where it is written here (clause numbers of GB/T 9704-2012):
//!
//! - §5.1 and §5.2.1: A4 paper; 天头 (top) 37 mm, 订口 (left) 28 mm and a version area of
//!   156 mm × 225 mm, so the bottom margin is 35 mm and the right 26 mm ([`MARGIN_TOP`] and the
//!   others);
//! - §5.2.2 and §5.2.3 (字体和字号, 行数和字数): body text in 3号 仿宋, 22 lines of 28 characters
//!   a page: an exact line pitch of 225 mm ÷ 22 ([`LINE_PITCH`]) and a character grid of
//!   156 mm ÷ 28 ([`CHAR_SPACE`]);
//! - §7.3.1: the title in 2号 小标宋 centred, in one or more lines that keep words whole;
//! - §7.3.2: 主送机关 under the title after one blank line, flush left, ending in a full-width
//!   colon;
//! - §7.3.3: body paragraphs indented two characters; heading levels 一、 in 黑体 and （一） in
//!   楷体;
//! - §7.3.5.2 (no seal): issuer one blank line under the text, two characters from the right; the
//!   date (in Arabic numerals, §7.3.5.4) on the next line, starting two characters right of the
//!   issuer's first character;
//! - §7.5: page numbers in 4号 宋体 Arabic numerals between one-character dashes ("— 1 —"), 7 mm
//!   below the version area, odd pages right and even pages left, each one character in.
//!
//! The official fonts (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312) are proprietary: the document names
//! them, with `w:eastAsia` set so Word and WPS use them for Chinese, and embeds nothing; a machine
//! without them substitutes. The red 版头 (issuing authority's masthead) is not drawn: it is the
//! authority's own template, and the report is usually pasted under it or sent as an attachment.
//!
//! The character grid is the one Word's 页面设置 → 文档网格 (指定行和字符网格, 28 × 22) writes and
//! the usual templates carry; Word lays 16 pt characters out at its 15.8 pt pitch. LibreOffice
//! 7.4 reads the same grid differently and spreads each character over two cells (about 17 a
//! line), so a PDF made with LibreOffice is not a faithful preview of the Word layout.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BreakType, DocGrid, DocGridType, Docx, Footer, LineSpacing, LineSpacingType,
    PageMargin, PageNum, Paragraph, Run, RunFonts, SpecialIndentType, Style, StyleType,
};

use crate::markdown::{one_line, paragraph_text, title_lines, with_colon};
use crate::model::{Report, chinese_date, chinese_ordinal};

/// Why the DOCX could not be produced. Building the document cannot fail; only writing the ZIP
/// package can (in practice never, as it is written to memory).
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// The package (a ZIP archive) could not be written.
    #[error("could not write the DOCX package: {0}")]
    Pack(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Millimetres (given in tenths, to stay in integers) to twips (1/20 pt; 1 mm = 56.69 twips),
/// rounded to the nearest twip.
const fn tenth_mm_to_twips(tenths: u32) -> u32 {
    (tenths * 1440 + 127) / 254
}

/// A4 width, 210 mm (GB/T 9704-2012 §5.1: 公文用纸 GB/T 148 A4).
pub const PAGE_WIDTH: u32 = tenth_mm_to_twips(2100);
/// A4 height, 297 mm.
pub const PAGE_HEIGHT: u32 = tenth_mm_to_twips(2970);
/// 天头 (top margin) 37 mm ± 1 mm (§5.2.1).
pub const MARGIN_TOP: u32 = tenth_mm_to_twips(370);
/// Bottom margin: 297 − 37 − 225 = 35 mm, so the version area is 225 mm high (§5.2.1).
pub const MARGIN_BOTTOM: u32 = tenth_mm_to_twips(350);
/// 订口 (left margin) 28 mm ± 1 mm (§5.2.1).
pub const MARGIN_LEFT: u32 = tenth_mm_to_twips(280);
/// Right margin: 210 − 28 − 156 = 26 mm, so the version area is 156 mm wide (§5.2.1).
pub const MARGIN_RIGHT: u32 = tenth_mm_to_twips(260);

/// Version area (版心) height in twips, from the rounded page and margins so everything adds up.
const AREA_HEIGHT: u32 = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;
/// Version area width in twips.
const AREA_WIDTH: u32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;

/// Lines per page (§5.2.3: 一般每面排22行).
pub const LINES_PER_PAGE: u32 = 22;
/// Characters per line (§5.2.3: 每行排28个字).
pub const CHARS_PER_LINE: u32 = 28;

/// The exact line pitch: 225 mm ÷ 22 lines, rounded down so that 22 lines always fit:
/// 579 twips = 28.95 pt, the 固定值 28.95磅 of the usual Word templates.
pub const LINE_PITCH: u32 = AREA_HEIGHT / LINES_PER_PAGE;

// 22 lines on the pitch fit the version area, checked when compiling.
const _: () = assert!(LINE_PITCH * LINES_PER_PAGE <= AREA_HEIGHT);

/// Body size, 3号 = 16 pt, in half-points as OOXML counts (§5.2.2 and §7.3.3).
pub const BODY_SIZE: usize = 32;
/// Title size, 2号 = 22 pt, in half-points (§7.3.1).
pub const TITLE_SIZE: usize = 44;
/// Page number size, 4号 = 14 pt, in half-points (§7.5).
pub const PAGE_NUMBER_SIZE: usize = 28;

/// One body character (16 pt) in twips, for the two-character indents.
const BODY_CHAR: i32 = 320;
/// One 4号 character (14 pt) in twips: the page number's one-character inset.
const PAGE_NUMBER_CHAR: i32 = 280;

/// The character grid's `w:charSpace`: how much narrower than 16 pt each grid cell is, in
/// 1/4096 pt, so that 28 cells fill the 156 mm line. Rounded down (more negative) so that the
/// 28th character never wraps: −842, the value the usual templates carry.
pub const CHAR_SPACE: i64 = {
    let cells = CHARS_PER_LINE as i64 * 20;
    let excess = AREA_WIDTH as i64 - CHARS_PER_LINE as i64 * BODY_CHAR as i64;
    (excess * 4096).div_euclid(cells)
};

/// The footer's distance from the page's bottom edge. The dashes around the page number are
/// 7 mm under the version area (§7.5: 一字线上距版心下边缘7mm), i.e. 28 mm above the bottom edge;
/// they sit mid-line, and the footer line is exactly one 4号 character high, so the line ends
/// half a character lower.
const FOOTER_DISTANCE: u32 = tenth_mm_to_twips(350 - 70) - PAGE_NUMBER_CHAR as u32 / 2;
/// The header is empty; its distance only has to stay inside the top margin.
const HEADER_DISTANCE: u32 = tenth_mm_to_twips(150);

/// The standard's 小标宋体 as shipped by Founder, the font every template names.
pub const FONT_TITLE: &str = "方正小标宋简体";
/// 仿宋 for the body, in the GB 2312 version the standard's templates name.
pub const FONT_BODY: &str = "仿宋_GB2312";
/// 黑体 for first-level headings.
pub const FONT_HEADING1: &str = "黑体";
/// 楷体 for second-level headings and the correction note.
pub const FONT_HEADING2: &str = "楷体_GB2312";
/// 宋体 for page numbers.
pub const FONT_PAGE_NUMBER: &str = "宋体";

/// Style ids, stable so that a reader (or a test) can find each kind of paragraph.
pub mod style_id {
    /// The title.
    pub const TITLE: &str = "FazhiTitle";
    /// The correction note under the title.
    pub const CORRECTION: &str = "FazhiCorrection";
    /// 主送机关.
    pub const RECIPIENTS: &str = "FazhiRecipients";
    /// Body paragraphs (and the blank lines the layout needs).
    pub const BODY: &str = "FazhiBody";
    /// 一、 headings (parts).
    pub const HEADING1: &str = "FazhiHeading1";
    /// （一） headings (sections).
    pub const HEADING2: &str = "FazhiHeading2";
    /// Issuer and date.
    pub const SIGNATURE: &str = "FazhiSignature";
    /// Page numbers.
    pub const PAGE_NUMBER: &str = "FazhiPageNumber";
}

/// A font for every script slot. `w:eastAsia` is what Word and WPS use for Chinese; the others
/// are set too so digits and Latin letters in the text match the Chinese around them (the GB 2312
/// fonts carry half-width digits, which §7.3.5.4 and §7.5 ask for).
fn fonts(name: &str) -> RunFonts {
    RunFonts::new()
        .ascii(name)
        .hi_ansi(name)
        .east_asia(name)
        .cs(name)
}

/// Exact line spacing on the grid's pitch, no space before or after: every line of every
/// paragraph sits on one of the page's 22 lines.
fn exact_lines() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(LINE_PITCH as i32)
        .before(0)
        .after(0)
}

/// A paragraph style in one font at one size on the line grid.
fn paragraph_style(id: &str, name: &str, font: &str, size: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .fonts(fonts(font))
        .size(size)
        .line_spacing(exact_lines())
}

/// Two characters of first-line indent, no other indent (§7.3.3: 每个自然段左空二字，回行顶格).
fn two_char_indent() -> Option<SpecialIndentType> {
    Some(SpecialIndentType::FirstLine(2 * BODY_CHAR))
}

/// The styles; the document's paragraphs only name them, so a clerk can adjust the layout in
/// Word's style pane instead of paragraph by paragraph.
fn styles() -> Vec<Style> {
    vec![
        paragraph_style(style_id::TITLE, "公文标题", FONT_TITLE, TITLE_SIZE)
            .align(AlignmentType::Center),
        paragraph_style(style_id::CORRECTION, "更正说明", FONT_HEADING2, BODY_SIZE)
            .align(AlignmentType::Center),
        paragraph_style(style_id::RECIPIENTS, "主送机关", FONT_BODY, BODY_SIZE)
            .align(AlignmentType::Left),
        paragraph_style(style_id::BODY, "公文正文", FONT_BODY, BODY_SIZE)
            .align(AlignmentType::Both)
            .indent(None, two_char_indent(), None, None),
        paragraph_style(style_id::HEADING1, "一级标题", FONT_HEADING1, BODY_SIZE)
            .align(AlignmentType::Both)
            .indent(None, two_char_indent(), None, None)
            .outline_lvl(0),
        paragraph_style(style_id::HEADING2, "二级标题", FONT_HEADING2, BODY_SIZE)
            .align(AlignmentType::Both)
            .indent(None, two_char_indent(), None, None)
            .outline_lvl(1),
        paragraph_style(style_id::SIGNATURE, "署名和成文日期", FONT_BODY, BODY_SIZE)
            .align(AlignmentType::Right),
        Style::new(style_id::PAGE_NUMBER, StyleType::Paragraph)
            .name("页码")
            .based_on("Normal")
            .fonts(fonts(FONT_PAGE_NUMBER))
            .size(PAGE_NUMBER_SIZE)
            .snap_to_grid(false)
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Exact)
                    .line(PAGE_NUMBER_CHAR)
                    .before(0)
                    .after(0),
            ),
    ]
}

/// The page geometry of §5.1 and §5.2.1.
fn page_margin() -> PageMargin {
    PageMargin::new()
        .top(MARGIN_TOP as i32)
        .bottom(MARGIN_BOTTOM as i32)
        .left(MARGIN_LEFT as i32)
        .right(MARGIN_RIGHT as i32)
        .header(HEADER_DISTANCE as i32)
        .footer(FOOTER_DISTANCE as i32)
        .gutter(0)
}

/// The 22 × 28 grid of §5.2.3 (Word's 文档网格 "指定行和字符网格").
fn grid() -> DocGrid {
    DocGrid::new()
        .grid_type(DocGridType::LinesAndChars)
        .line_pitch(LINE_PITCH as usize)
        .char_space(CHAR_SPACE as isize)
}

/// A page number footer, "— N —" (§7.5): odd pages right-aligned, even pages left-aligned,
/// each one character in from the version area's edge.
fn page_number_footer(odd: bool) -> Footer {
    let paragraph = Paragraph::new().style(style_id::PAGE_NUMBER);
    let paragraph = if odd {
        paragraph
            .align(AlignmentType::Right)
            .indent(None, None, Some(PAGE_NUMBER_CHAR), None)
    } else {
        paragraph
            .align(AlignmentType::Left)
            .indent(Some(PAGE_NUMBER_CHAR), None, None, None)
    };
    // The number's run has no formatting of its own: it takes 宋体 4号 from the style.
    Footer::new().add_paragraph(
        paragraph
            .add_run(Run::new().add_text("— "))
            .add_page_num(PageNum::new())
            .add_run(Run::new().add_text(" —")),
    )
}

/// Width in half characters: full-width (Chinese) characters count 2, ASCII 1. Used to place
/// the issuer and date and to decide where the title wraps.
fn half_widths(text: &str) -> u32 {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Half characters to twips on the character grid (28 cells across the version area).
fn half_widths_to_twips(half: u32) -> i32 {
    let twips = u64::from(half) * u64::from(AREA_WIDTH) / (2 * u64::from(CHARS_PER_LINE));
    i32::try_from(twips).unwrap_or(i32::MAX)
}

/// The title's lines. Explicit line breaks are kept. A title too long for one line of 2号
/// characters (20 across the version area) is broken before 关于 when both halves fit, which
/// keeps the issuer's name and the subject whole and gives the 梯形 shape §7.3.1 asks for
/// ("示范市滨河区人民政府" over "关于2026年法治政府建设情况的报告"). Otherwise Word wraps it.
fn title_layout(title: &str) -> Vec<String> {
    let lines = title_lines(title);
    if lines.len() != 1 {
        return lines;
    }
    let line = &lines[0];
    let max = 2 * (AREA_WIDTH / (TITLE_SIZE as u32 * 10));
    if half_widths(line) <= max {
        return lines;
    }
    if let Some(at) = line.find("关于").filter(|&at| at > 0) {
        let (first, second) = line.split_at(at);
        if half_widths(first) <= max && half_widths(second) <= max {
            return vec![first.to_owned(), second.to_owned()];
        }
    }
    lines
}

/// A paragraph of one run in a style.
fn styled(style: &str, text: &str) -> Paragraph {
    let paragraph = Paragraph::new().style(style).widow_control(false);
    if text.is_empty() {
        paragraph
    } else {
        paragraph.add_run(Run::new().add_text(text))
    }
}

/// An empty line on the grid ("空一行").
fn blank_line() -> Paragraph {
    styled(style_id::BODY, "")
}

/// Right indents (in twips) of the issuer and the date per §7.3.5.2: the issuer two characters
/// from the right, the date starting two characters right of the issuer's start; a date longer
/// than that allows sits two characters from the right and pushes the issuer left instead.
fn signature_indents(issuer: &str, date: &str) -> (i32, i32) {
    const TWO_CHARS: u32 = 4; // in half characters
    let issuer_width = half_widths(issuer);
    let date_width = half_widths(date);
    let (issuer_right, date_right) = if issuer.is_empty() || date.is_empty() {
        (TWO_CHARS, TWO_CHARS)
    } else if issuer_width >= date_width + TWO_CHARS {
        (TWO_CHARS, issuer_width - date_width)
    } else {
        (date_width + 2 * TWO_CHARS - issuer_width, TWO_CHARS)
    };
    (
        half_widths_to_twips(issuer_right),
        half_widths_to_twips(date_right),
    )
}

/// The report as a `.docx` file in the GB/T 9704-2012 layout.
///
/// # Errors
///
/// [`DocxError::Pack`] if the ZIP package cannot be written (it is written to memory, so this
/// does not happen in practice).
pub fn to_docx(report: &Report) -> Result<Vec<u8>, DocxError> {
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(page_margin())
        .default_fonts(fonts(FONT_BODY))
        .default_size(BODY_SIZE)
        .default_line_spacing(exact_lines())
        .footer(page_number_footer(true))
        .even_footer(page_number_footer(false));
    for style in styles() {
        docx = docx.add_style(style);
    }
    docx.document = docx.document.doc_grid(grid());

    // §7.3.1: the title, centred, possibly over two lines.
    let mut title = Run::new();
    for (index, line) in title_layout(&report.title).iter().enumerate() {
        if index > 0 {
            title = title.add_break(BreakType::TextWrapping);
        }
        title = title.add_text(line);
    }
    docx = docx.add_paragraph(
        Paragraph::new()
            .style(style_id::TITLE)
            .keep_next(true)
            .add_run(title),
    );
    if let Some(note) = report.correction_note.as_deref() {
        let note = one_line(note);
        if !note.trim().is_empty() {
            docx = docx.add_paragraph(styled(style_id::CORRECTION, note.trim()));
        }
    }
    // §7.3.2: one blank line, then 主送机关 flush left with a full-width colon.
    docx = docx.add_paragraph(blank_line());
    let recipients = one_line(&report.recipients);
    if !recipients.trim().is_empty() {
        docx = docx.add_paragraph(styled(style_id::RECIPIENTS, &with_colon(recipients.trim())));
    }

    // §7.3.3: the body.
    let body = |docx: Docx, text: &str| {
        let text = paragraph_text(text);
        if text.is_empty() {
            docx
        } else {
            docx.add_paragraph(styled(style_id::BODY, &text))
        }
    };
    for paragraph in &report.preamble {
        docx = body(docx, &paragraph.text);
    }
    for (index, part) in report.parts.iter().enumerate() {
        let heading = format!(
            "{}、{}",
            chinese_ordinal(index + 1),
            one_line(&part.heading)
        );
        docx = docx.add_paragraph(styled(style_id::HEADING1, &heading).keep_next(true));
        for paragraph in &part.paragraphs {
            docx = body(docx, &paragraph.text);
        }
        for (number, section) in part.sections.iter().enumerate() {
            let heading = format!(
                "（{}）{}",
                chinese_ordinal(number + 1),
                one_line(&section.heading)
            );
            docx = docx.add_paragraph(styled(style_id::HEADING2, &heading).keep_next(true));
            for paragraph in &section.paragraphs {
                docx = body(docx, &paragraph.text);
            }
        }
    }

    // §7.3.5.2 and §7.3.5.4: one blank line, the issuer, the date under it.
    let issuer = one_line(&report.issuer).trim().to_owned();
    let date = report.date.map(chinese_date).unwrap_or_default();
    if !issuer.is_empty() || !date.is_empty() {
        let (issuer_right, date_right) = signature_indents(&issuer, &date);
        docx = docx.add_paragraph(blank_line());
        if !issuer.is_empty() {
            docx = docx.add_paragraph(styled(style_id::SIGNATURE, &issuer).keep_next(true).indent(
                None,
                None,
                Some(issuer_right),
                None,
            ));
        }
        if !date.is_empty() {
            docx = docx.add_paragraph(styled(style_id::SIGNATURE, &date).indent(
                None,
                None,
                Some(date_right),
                None,
            ));
        }
    }

    // The package's timestamps: the 成文日期 when there is one, so the same report always gives
    // the same bytes (docx-rs writes 1970-01-01 otherwise).
    if let Some(date) = report.date {
        let stamp = format!(
            "{:04}-{:02}-{:02}T00:00:00Z",
            date.year(),
            u8::from(date.month()),
            date.day()
        );
        docx = docx.created_at(&stamp).updated_at(&stamp);
    }

    let mut cursor = Cursor::new(Vec::new());
    docx.build()
        .pack(&mut cursor)
        .map_err(|error| DocxError::Pack(Box::new(error)))?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_is_the_standards() {
        assert_eq!((PAGE_WIDTH, PAGE_HEIGHT), (11906, 16838));
        assert_eq!(
            (MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT),
            (2098, 1984, 1587, 1474)
        );
        // 156 mm × 225 mm version area, within a twip.
        assert!(AREA_WIDTH.abs_diff(8844) <= 1, "{AREA_WIDTH}");
        assert!(AREA_HEIGHT.abs_diff(12756) <= 1, "{AREA_HEIGHT}");
        assert_eq!(LINE_PITCH, 579);
        assert_eq!(CHAR_SPACE, -842);
        // 28 grid cells fit the line, and a 29th would not.
        let cell = 16.0 + CHAR_SPACE as f64 / 4096.0;
        assert!(cell * 28.0 * 20.0 <= f64::from(AREA_WIDTH));
        assert!(cell * 29.0 * 20.0 > f64::from(AREA_WIDTH));
    }

    #[test]
    fn long_titles_break_before_guanyu() {
        assert_eq!(
            title_layout("示范市滨河区人民政府关于2026年法治政府建设情况的报告"),
            vec!["示范市滨河区人民政府", "关于2026年法治政府建设情况的报告"]
        );
        assert_eq!(
            title_layout("2026年法治政府建设情况报告"),
            vec!["2026年法治政府建设情况报告"]
        );
        assert_eq!(title_layout("第一行\n第二行"), vec!["第一行", "第二行"]);
    }

    #[test]
    fn date_starts_two_characters_right_of_the_issuer() {
        // 示范市滨河区人民政府 (10 characters) over 2027年3月5日 (6 characters wide): the issuer
        // two characters in, the date 10 − 6 = 4 characters in, so it starts 2 characters right.
        let (issuer, date) = signature_indents("示范市滨河区人民政府", "2027年3月5日");
        assert_eq!(issuer, half_widths_to_twips(4));
        assert_eq!(date, half_widths_to_twips(8));
        // A short issuer: the date (7 characters) keeps two characters on its right and starts
        // 9 from the edge; the issuer starts 11 from it, 11 − 3 = 8 characters in.
        let (issuer, date) = signature_indents("区政府", "2027年12月25日");
        assert_eq!(date, half_widths_to_twips(4));
        assert_eq!(issuer, half_widths_to_twips(16));
        // Alone, either sits two characters in.
        assert_eq!(
            signature_indents("", "2027年3月5日").1,
            half_widths_to_twips(4)
        );
    }
}
