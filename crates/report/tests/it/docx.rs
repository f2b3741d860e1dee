//! The DOCX opened as Word would: unzip the package, follow the relationships, parse the XML
//! parts, resolve each paragraph's style (basedOn chain down to the document defaults), and check
//! the GB/T 9704-2012 layout on what is actually in the file.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use fazhi_report::docx::{style_id, to_docx};
use fazhi_report::model::PartKind;
use roxmltree::{Document, Node};

use crate::fixture;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// Millimetres to twips, exactly (1 mm = 1440 / 25.4 = 56.69 twips), rounded. (The rounder
/// 56.7 would put A4's height at 16840, two twips from the 16838 Word itself uses.)
fn twips(mm: f64) -> i64 {
    (mm * 1440.0 / 25.4).round() as i64
}

/// The package's parts by name.
struct Package {
    parts: HashMap<String, String>,
}

impl Package {
    fn open(bytes: &[u8]) -> Package {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a ZIP archive");
        let mut parts = HashMap::new();
        for index in 0..archive.len() {
            let mut file = archive.by_index(index).expect("a readable entry");
            let mut text = String::new();
            file.read_to_string(&mut text).expect("a UTF-8 XML part");
            let name = file.name().expect("a UTF-8 entry name").into_owned();
            parts.insert(name, text);
        }
        Package { parts }
    }

    fn part(&self, name: &str) -> &str {
        self.parts
            .get(name)
            .unwrap_or_else(|| panic!("no part {name}; parts: {:?}", self.parts.keys()))
    }
}

fn parse(text: &str) -> Document<'_> {
    Document::parse(text).unwrap_or_else(|error| panic!("malformed XML: {error}"))
}

/// The first descendant element `w:name`.
fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name((W, name)))
}

/// The `w:`-namespaced attribute.
fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute((W, name))
}

/// The number in a `w:` attribute.
fn number(node: Node<'_, '_>, name: &str) -> i64 {
    attr(node, name)
        .unwrap_or_else(|| panic!("no w:{name} on {node:?}"))
        .parse()
        .unwrap_or_else(|error| panic!("w:{name}: {error}"))
}

/// A paragraph's text (its `w:t` in order; a `w:br` as a newline).
fn text(paragraph: Node<'_, '_>) -> String {
    let mut out = String::new();
    for node in paragraph.descendants() {
        if node.has_tag_name((W, "t")) {
            out.push_str(node.text().unwrap_or(""));
        } else if node.has_tag_name((W, "br")) {
            out.push('\n');
        }
    }
    out
}

/// The paragraph's style id.
fn style_of<'a>(paragraph: Node<'a, '_>) -> Option<&'a str> {
    child(paragraph, "pPr")
        .and_then(|ppr| child(ppr, "pStyle"))
        .and_then(|style| attr(style, "val"))
}

/// styles.xml, resolved: a property is looked up in the style, then its basedOn chain, then the
/// document defaults, as Word does.
struct Styles<'a, 'i> {
    by_id: HashMap<&'a str, Node<'a, 'i>>,
    defaults: Node<'a, 'i>,
}

impl<'a, 'i> Styles<'a, 'i> {
    fn new(doc: &'a Document<'i>) -> Self {
        let root = doc.root_element();
        let by_id = root
            .children()
            .filter(|n| n.has_tag_name((W, "style")))
            .filter_map(|n| attr(n, "styleId").map(|id| (id, n)))
            .collect();
        let defaults = child(root, "docDefaults").expect("w:docDefaults");
        Styles { by_id, defaults }
    }

    /// The chain of styles from `id` up through basedOn.
    fn chain(&self, id: &str) -> Vec<Node<'a, 'i>> {
        let mut out = Vec::new();
        let mut next = Some(id.to_owned());
        while let Some(id) = next {
            let style = *self
                .by_id
                .get(id.as_str())
                .unwrap_or_else(|| panic!("no style {id}"));
            out.push(style);
            next = child(style, "basedOn")
                .and_then(|b| attr(b, "val"))
                .map(str::to_owned);
            assert!(out.len() < 10, "basedOn loop at {id}");
        }
        out
    }

    /// A run property element (e.g. `sz`) as the style resolves it.
    fn run_property(&self, id: &str, name: &str) -> Node<'a, 'i> {
        let default_rpr = child(self.defaults, "rPrDefault").and_then(|d| child(d, "rPr"));
        self.chain(id)
            .into_iter()
            .filter_map(|style| child(style, "rPr"))
            .chain(default_rpr)
            .find_map(|rpr| child(rpr, name))
            .unwrap_or_else(|| panic!("style {id} resolves no w:{name}"))
    }

    /// A paragraph property element (e.g. `spacing`) as the style resolves it.
    fn paragraph_property(&self, id: &str, name: &str) -> Option<Node<'a, 'i>> {
        let default_ppr = child(self.defaults, "pPrDefault").and_then(|d| child(d, "pPr"));
        self.chain(id)
            .into_iter()
            .filter_map(|style| child(style, "pPr"))
            .chain(default_ppr)
            .find_map(|ppr| child(ppr, name))
    }

    fn size(&self, id: &str) -> i64 {
        number(self.run_property(id, "sz"), "val")
    }

    fn east_asia_font(&self, id: &str) -> String {
        attr(self.run_property(id, "rFonts"), "eastAsia")
            .unwrap_or_else(|| panic!("style {id}: rFonts without w:eastAsia"))
            .to_owned()
    }

    fn alignment(&self, id: &str) -> Option<String> {
        self.paragraph_property(id, "jc")
            .and_then(|jc| attr(jc, "val"))
            .map(str::to_owned)
    }
}

/// A relationship target of word/document.xml by id.
fn target(rels: &Document<'_>, id: &str) -> String {
    rels.root_element()
        .children()
        .filter(|n| n.has_tag_name((PACKAGE_RELS, "Relationship")))
        .find(|n| n.attribute("Id") == Some(id))
        .and_then(|n| n.attribute("Target"))
        .map(|t| format!("word/{}", t.trim_start_matches("/word/")))
        .unwrap_or_else(|| panic!("no relationship {id}"))
}

fn exported() -> Package {
    let bytes = to_docx(&fixture::report()).expect("the DOCX is written");
    assert!(bytes.starts_with(b"PK"), "a ZIP archive");
    Package::open(&bytes)
}

#[test]
fn page_is_a4_with_the_standards_margins() {
    let package = exported();
    let document = parse(package.part("word/document.xml"));
    let body = child(document.root_element(), "body").expect("w:body");
    let section = child(body, "sectPr").expect("the body's w:sectPr");

    let size = child(section, "pgSz").expect("w:pgSz");
    for (name, mm) in [("w", 210.0), ("h", 297.0)] {
        let value = number(size, name);
        assert!(
            (value - twips(mm)).abs() <= 1,
            "pgSz w:{name}={value}, want {mm} mm"
        );
    }
    let margins = child(section, "pgMar").expect("w:pgMar");
    for (name, mm) in [
        ("top", 37.0),
        ("bottom", 35.0),
        ("left", 28.0),
        ("right", 26.0),
    ] {
        let value = number(margins, name);
        assert!(
            (value - twips(mm)).abs() <= 1,
            "pgMar w:{name}={value}, want {mm} mm = {}",
            twips(mm)
        );
    }
    // The version area the margins leave is 156 mm × 225 mm.
    let width = number(size, "w") - number(margins, "left") - number(margins, "right");
    let height = number(size, "h") - number(margins, "top") - number(margins, "bottom");
    assert!(
        (width - twips(156.0)).abs() <= 1,
        "version area width {width}"
    );
    assert!(
        (height - twips(225.0)).abs() <= 1,
        "version area height {height}"
    );
    // The page number's dashes sit 7 mm under the version area, inside the bottom margin.
    let footer = number(margins, "footer");
    assert!(
        footer > twips(20.0) && footer < twips(28.0),
        "footer distance {footer}"
    );

    // 22 lines of 28 characters: the grid's line pitch is 225 mm ÷ 22 (rounded down so 22 fit),
    // and 28 of its character cells fit the 156 mm line.
    let grid = child(section, "docGrid").expect("w:docGrid");
    assert_eq!(attr(grid, "type"), Some("linesAndChars"));
    let pitch = number(grid, "linePitch");
    assert!(
        pitch * 22 <= height && pitch * 23 > height,
        "linePitch {pitch}"
    );
    assert_eq!(pitch, 579, "28.95 pt");
    let cell = 16.0 + number(grid, "charSpace") as f64 / 4096.0; // points
    assert!(
        cell * 28.0 * 20.0 <= width as f64,
        "28 cells of {cell} pt overflow"
    );
    assert!(
        cell * 29.0 * 20.0 > width as f64,
        "29 cells of {cell} pt fit"
    );
}

#[test]
fn title_body_and_headings_have_the_standards_fonts_and_sizes() {
    let package = exported();
    let styles_xml = parse(package.part("word/styles.xml"));
    let styles = Styles::new(&styles_xml);
    let document = parse(package.part("word/document.xml"));
    let body = child(document.root_element(), "body").expect("w:body");
    let paragraphs: Vec<Node<'_, '_>> = body
        .children()
        .filter(|n| n.has_tag_name((W, "p")))
        .collect();

    // The title: first paragraph, 2号 (22 pt = 44 half-points) 方正小标宋简体, centred, broken
    // before 关于 into two lines.
    let title = paragraphs[0];
    assert_eq!(style_of(title), Some(style_id::TITLE));
    assert_eq!(
        text(title),
        "示范市滨河区人民政府\n关于2026年法治政府建设情况的报告"
    );
    assert_eq!(styles.size(style_id::TITLE), 44);
    assert_eq!(styles.east_asia_font(style_id::TITLE), "方正小标宋简体");
    assert_eq!(styles.alignment(style_id::TITLE).as_deref(), Some("center"));

    // A blank line, then 主送机关 flush left with a full-width colon.
    assert_eq!(text(paragraphs[1]), "");
    assert_eq!(text(paragraphs[2]), "区委、区人大常委会、示范市人民政府：");
    assert_eq!(style_of(paragraphs[2]), Some(style_id::RECIPIENTS));
    assert!(
        styles
            .paragraph_property(style_id::RECIPIENTS, "ind")
            .is_none()
    );

    // Body: 3号 (32 half-points) 仿宋_GB2312, first line indented two characters (2 × 16 pt),
    // exact line spacing on the grid's pitch.
    let preamble = paragraphs[3];
    assert!(text(preamble).starts_with("2026年，在区委的坚强领导下"));
    assert_eq!(style_of(preamble), Some(style_id::BODY));
    assert_eq!(styles.size(style_id::BODY), 32);
    assert_eq!(styles.east_asia_font(style_id::BODY), "仿宋_GB2312");
    let indent = styles
        .paragraph_property(style_id::BODY, "ind")
        .expect("body indent");
    assert_eq!(number(indent, "firstLine"), 640);
    for id in [
        style_id::BODY,
        style_id::HEADING1,
        style_id::HEADING2,
        style_id::TITLE,
    ] {
        let spacing = styles
            .paragraph_property(id, "spacing")
            .expect("line spacing");
        assert_eq!(attr(spacing, "lineRule"), Some("exact"), "{id}");
        assert_eq!(number(spacing, "line"), 579, "{id}");
    }
    // Text nobody typed as markup comes through as text, escaped in the XML.
    assert!(
        paragraphs
            .iter()
            .any(|p| text(*p).contains("以及<script>alert(\"x\")</script>和 A&B 这样的字符"))
    );

    // A paragraph pasted with two full-width spaces is not indented twice.
    assert!(
        paragraphs
            .iter()
            .any(|p| text(*p) == "一是行政执法规范化水平有待提高；二是基层法治建设力量相对薄弱。")
    );

    // First-level headings: 黑体 3号, all five parts in statutory order with their numbers.
    let headings: Vec<String> = paragraphs
        .iter()
        .filter(|p| style_of(**p) == Some(style_id::HEADING1))
        .map(|p| text(*p))
        .collect();
    let expected: Vec<String> = PartKind::ALL
        .iter()
        .zip(["一", "二", "三", "四", "五"])
        .map(|(kind, number)| format!("{number}、{}", kind.heading()))
        .collect();
    assert_eq!(headings, expected);
    assert_eq!(styles.east_asia_font(style_id::HEADING1), "黑体");
    assert_eq!(styles.size(style_id::HEADING1), 32);

    // Second-level headings: 楷体_GB2312 3号, numbered within their part.
    let sections: Vec<String> = paragraphs
        .iter()
        .filter(|p| style_of(**p) == Some(style_id::HEADING2))
        .map(|p| text(*p))
        .collect();
    assert_eq!(
        sections,
        [
            "（一）健全政府机构职能体系",
            "（二）健全行政复议体制机制",
            "（一）深入推进严格规范公正文明执法"
        ]
    );
    assert_eq!(styles.east_asia_font(style_id::HEADING2), "楷体_GB2312");
    assert_eq!(styles.size(style_id::HEADING2), 32);

    // Issuer and date close the document, right-aligned, the date in Arabic numerals and
    // indented further so it starts two characters right of the issuer.
    let count = paragraphs.len();
    let (blank, issuer, date) = (
        paragraphs[count - 3],
        paragraphs[count - 2],
        paragraphs[count - 1],
    );
    assert_eq!(text(blank), "");
    assert_eq!(text(issuer), fixture::ISSUER);
    assert_eq!(text(date), "2027年3月5日");
    for paragraph in [issuer, date] {
        assert_eq!(style_of(paragraph), Some(style_id::SIGNATURE));
    }
    assert_eq!(
        styles.alignment(style_id::SIGNATURE).as_deref(),
        Some("right")
    );
    let right_indent = |p: Node<'_, '_>| {
        let ind = child(child(p, "pPr").expect("w:pPr"), "ind").expect("w:ind");
        number(ind, "right")
    };
    let char_twips = twips(156.0) as f64 / 28.0;
    let issuer_chars = right_indent(issuer) as f64 / char_twips;
    let date_chars = right_indent(date) as f64 / char_twips;
    assert!(
        (issuer_chars - 2.0).abs() < 0.05,
        "issuer {issuer_chars} characters in"
    );
    // 10 characters of issuer, 6 of date (digits are half-width): 10 + 2 − 2 − 6 = 4 in.
    assert!(
        (date_chars - 4.0).abs() < 0.05,
        "date {date_chars} characters in"
    );
}

#[test]
fn odd_and_even_footers_carry_dashed_page_numbers() {
    let package = exported();
    let settings = parse(package.part("word/settings.xml"));
    assert!(
        child(settings.root_element(), "evenAndOddHeaders").is_some(),
        "settings.xml needs w:evenAndOddHeaders for the even footer to be used"
    );

    let document = parse(package.part("word/document.xml"));
    let rels = parse(package.part("word/_rels/document.xml.rels"));
    let styles_xml = parse(package.part("word/styles.xml"));
    let styles = Styles::new(&styles_xml);
    let section = child(
        child(document.root_element(), "body").expect("w:body"),
        "sectPr",
    )
    .expect("w:sectPr");
    let references: HashMap<&str, &str> = section
        .children()
        .filter(|n| n.has_tag_name((W, "footerReference")))
        .map(|n| {
            (
                attr(n, "type").expect("footerReference w:type"),
                n.attribute((R, "id")).expect("footerReference r:id"),
            )
        })
        .collect();

    // 4号 (14 pt) 宋体 for page numbers.
    assert_eq!(styles.size(style_id::PAGE_NUMBER), 28);
    assert_eq!(styles.east_asia_font(style_id::PAGE_NUMBER), "宋体");

    for (kind, alignment, inset_side) in [("default", "right", "right"), ("even", "left", "left")] {
        let id = references
            .get(kind)
            .unwrap_or_else(|| panic!("no {kind} footer; have {references:?}"));
        let footer_xml = package.part(&target(&rels, id)).to_owned();
        let footer = parse(&footer_xml);
        let paragraph = footer
            .descendants()
            .find(|n| n.has_tag_name((W, "p")))
            .expect("a footer paragraph");
        assert_eq!(style_of(paragraph), Some(style_id::PAGE_NUMBER));
        let ppr = child(paragraph, "pPr").expect("w:pPr");
        assert_eq!(
            child(ppr, "jc").and_then(|jc| attr(jc, "val")),
            Some(alignment),
            "{kind} footer alignment"
        );
        // One 4号 character (14 pt = 280 twips) in from the edge (GB/T 9704-2012 §7.5).
        let ind = child(ppr, "ind").expect("w:ind");
        assert_eq!(number(ind, inset_side), 280, "{kind} footer inset");

        // "— ", a PAGE field, " —", in that order.
        let mut sequence = Vec::new();
        for node in paragraph.descendants() {
            if node.has_tag_name((W, "t")) {
                sequence.push(format!("t:{}", node.text().unwrap_or("")));
            } else if node.has_tag_name((W, "instrText")) {
                sequence.push(format!("instr:{}", node.text().unwrap_or("").trim()));
            } else if node.has_tag_name((W, "fldChar")) {
                sequence.push(format!("fld:{}", attr(node, "fldCharType").unwrap_or("")));
            }
        }
        assert_eq!(
            sequence,
            [
                "t:— ",
                "fld:begin",
                "instr:PAGE",
                "fld:separate",
                "t:1",
                "fld:end",
                "t: —"
            ],
            "{kind} footer"
        );
    }
}

#[test]
fn fonts_are_named_for_east_asian_text_everywhere_they_are_set() {
    let package = exported();
    let styles = package.part("word/styles.xml");
    let doc = parse(styles);
    for fonts in doc.descendants().filter(|n| n.has_tag_name((W, "rFonts"))) {
        let east_asia = attr(fonts, "eastAsia").expect("every w:rFonts names w:eastAsia");
        assert_eq!(attr(fonts, "ascii"), Some(east_asia));
    }
}

#[test]
fn a_draft_without_recipients_date_or_issuer_still_exports() {
    let mut report = fixture::report();
    report.recipients.clear();
    report.date = None;
    report.issuer.clear();
    report.correction_note =
        Some("（本报告对2027年3月1日公开的版本更正了第二部分的一处数据）".to_owned());
    let package = Package::open(&to_docx(&report).expect("the DOCX is written"));
    let document = parse(package.part("word/document.xml"));
    let paragraphs: Vec<String> = document
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .map(text)
        .collect();
    assert_eq!(
        paragraphs[1],
        "（本报告对2027年3月1日公开的版本更正了第二部分的一处数据）"
    );
    assert_eq!(paragraphs[2], "", "a blank line between title and text");
    assert!(paragraphs[3].starts_with("2026年"), "{}", paragraphs[3]);
    assert_eq!(
        paragraphs.last().map(String::as_str),
        Some("无其他需要报告的情况。")
    );
}

/// Converts the DOCX to PDF with LibreOffice when `FAZHI_SOFFICE=1` and `soffice` is installed,
/// to eyeball the layout (the PDF is left in the target directory). Skipped otherwise.
#[test]
fn libreoffice_converts_it_when_asked() {
    if std::env::var_os("FAZHI_SOFFICE").is_none_or(|v| v != "1") {
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("docx-pdf");
    std::fs::create_dir_all(&dir).expect("a directory for the PDF");
    let docx = dir.join("report.docx");
    std::fs::write(
        &docx,
        to_docx(&fixture::report()).expect("the DOCX is written"),
    )
    .expect("the DOCX saved");
    let status = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&docx)
        .status()
        .expect("soffice runs (FAZHI_SOFFICE=1 asks for it)");
    assert!(status.success());
    assert!(dir.join("report.pdf").exists());
}

#[test]
fn the_same_report_gives_the_same_bytes_dated_by_its_date() {
    let report = fixture::report();
    let first = to_docx(&report).expect("the DOCX is written");
    assert_eq!(first, to_docx(&report).expect("the DOCX is written again"));
    let package = Package::open(&first);
    assert!(
        package
            .part("docProps/core.xml")
            .contains(">2027-03-05T00:00:00Z</dcterms:created>")
    );
}
