//! The Markdown export: headings by level, staff text escaped where Markdown would read markup.

use fazhi_report::markdown::to_markdown;

use crate::fixture;

#[test]
fn headings_by_level_and_text_in_between() {
    let markdown = to_markdown(&fixture::report());
    let lines: Vec<&str> = markdown.lines().collect();
    assert_eq!(
        lines[0],
        "# 示范市滨河区人民政府关于2026年法治政府建设情况的报告"
    );
    assert_eq!(lines[2], "区委、区人大常委会、示范市人民政府：");
    let headings: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|line| line.starts_with('#'))
        .collect();
    assert_eq!(
        headings,
        [
            "# 示范市滨河区人民政府关于2026年法治政府建设情况的报告",
            "## 一、主要举措和成效",
            "### （一）健全政府机构职能体系",
            "### （二）健全行政复议体制机制",
            "## 二、存在的不足和原因",
            "## 三、党政主要负责人履行推进法治建设第一责任人职责情况",
            "## 四、下一年度主要安排",
            "### （一）深入推进严格规范公正文明执法",
            "## 五、其他需要报告的情况",
        ]
    );
    assert!(markdown.ends_with("示范市滨河区人民政府\n\n2027年3月5日\n"));
    assert!(lines.contains(&"一是行政执法规范化水平有待提高；二是基层法治建设力量相对薄弱。"));
}

#[test]
fn staff_text_stays_text() {
    let markdown = to_markdown(&fixture::report());
    // The paragraph starting with # is not a heading, and its HTML and & are literal.
    assert!(markdown.contains(
        "\n\\# 并非标题：一段以井号开头的文字，以及\\<script\\>alert(\"x\")\\</script\\>和 A\\&B 这样的字符。\n"
    ));
}
