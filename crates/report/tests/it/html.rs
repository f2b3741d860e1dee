//! The HTML exports: a standalone page and an embeddable fragment, with staff text escaped.

use fazhi_report::html::{CSS, body_fragment, to_html};

use crate::fixture;

#[test]
fn standalone_page_is_chinese_utf8_with_inline_style() {
    let html = to_html(&fixture::report());
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("<title>示范市滨河区人民政府关于2026年法治政府建设情况的报告</title>"));
    assert!(html.contains(CSS));
    assert!(html.trim_end().ends_with("</html>"));
}

#[test]
fn staff_text_cannot_inject_markup() {
    let mut report = fixture::report();
    report.parts[1].sections.push(fazhi_report::model::Section {
        key: "x\" onclick=\"alert(1)".to_owned(),
        heading: "<img src=x onerror=alert(1)>".to_owned(),
        paragraphs: vec![fazhi_report::model::Paragraph {
            text: "<script>alert('x')</script>".to_owned(),
            origin: fazhi_report::model::Origin::Drafted,
            indicators: vec!["a\"><script>".to_owned()],
        }],
        manual_figures: Vec::new(),
    });
    let html = to_html(&report);
    // The only <script> in the fixture and here is text.
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(
        html.contains("以及&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;和 A&amp;B 这样的字符")
    );
    assert!(html.contains("data-key=\"x&quot; onclick=&quot;alert(1)\""));
    assert!(html.contains("data-indicators=\"a&quot;&gt;&lt;script&gt;\""));
    assert!(html.contains("<h3>（一）&lt;img src=x onerror=alert(1)&gt;</h3>"));
}

#[test]
fn fragment_has_structure_but_no_document_shell() {
    let fragment = body_fragment(&fixture::report());
    assert!(fragment.starts_with("<article class=\"fazhi-report\">"));
    for tag in ["<html", "<head", "<body", "<style", "<!DOCTYPE"] {
        assert!(!fragment.contains(tag), "{tag} in the fragment");
    }
    // The title over its two lines, the recipients with their colon.
    assert!(fragment.contains("<h1>示范市滨河区人民政府关于2026年法治政府建设情况的报告</h1>"));
    assert!(fragment.contains("<p class=\"recipients\">区委、区人大常委会、示范市人民政府：</p>"));
    // Five parts in order with their numbers.
    let mut at = 0;
    for heading in [
        "<h2>一、主要举措和成效</h2>",
        "<h2>二、存在的不足和原因</h2>",
        "<h2>三、党政主要负责人履行推进法治建设第一责任人职责情况</h2>",
        "<h2>四、下一年度主要安排</h2>",
        "<h2>五、其他需要报告的情况</h2>",
    ] {
        let found = fragment[at..]
            .find(heading)
            .unwrap_or_else(|| panic!("{heading} missing or out of order"));
        at += found + heading.len();
    }
    assert!(fragment.contains("<h3>（二）健全行政复议体制机制</h3>"));
    // Drafted paragraphs name their indicators; staff paragraphs carry no attribute.
    assert!(fragment.contains(
        "<p data-indicators=\"review.applications service.on_time_rate\">全年共收到行政复议申请83件"
    ));
    assert!(fragment.contains("<p>无其他需要报告的情况。</p>"));
    assert!(
        fragment.contains("<p>一是行政执法规范化水平有待提高；二是基层法治建设力量相对薄弱。</p>")
    );
    assert!(
        fragment
            .contains("<p class=\"date\"><time datetime=\"2027-03-05\">2027年3月5日</time></p>")
    );
}
