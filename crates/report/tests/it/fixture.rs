//! A realistic report: a district government's annual report on rule-of-law government
//! construction, five parts, sections under the first and fourth, a preamble and a date.

use fazhi_report::model::{ManualFigure, Origin, Paragraph, PartKind, Report, Section};
use time::macros::date;

/// The issuer used throughout.
pub const ISSUER: &str = "示范市滨河区人民政府";

/// A paragraph written from indicators.
fn drafted(text: &str, indicators: &[&str]) -> Paragraph {
    Paragraph {
        text: text.to_owned(),
        origin: Origin::Drafted,
        indicators: indicators.iter().map(|&id| id.to_owned()).collect(),
    }
}

/// A section with staff paragraphs.
fn section(key: &str, heading: &str, paragraphs: Vec<Paragraph>) -> Section {
    Section {
        key: key.to_owned(),
        heading: heading.to_owned(),
        paragraphs,
        manual_figures: Vec::new(),
    }
}

/// The report.
pub fn report() -> Report {
    let mut report = Report::skeleton(
        "示范市滨河区人民政府关于2026年法治政府建设情况的报告",
        ISSUER,
        2026,
    );
    report.recipients = "区委、区人大常委会、示范市人民政府".to_owned();
    report.date = Some(date!(2027 - 03 - 05));
    report.preamble = vec![Paragraph::staff(
        "2026年，在区委的坚强领导下，区政府深入学习贯彻习近平法治思想，全面落实《法治政府建设实施纲要（2021—2025年）》，法治政府建设取得新进展。现将有关情况报告如下：",
    )];
    for part in &mut report.parts {
        match part.kind {
            PartKind::Measures => {
                part.sections = vec![
                    Section {
                        manual_figures: vec![ManualFigure {
                            value: "538".to_owned(),
                            source: "区委编办权力清单（2026年12月）".to_owned(),
                        }],
                        ..section(
                            "functions",
                            "健全政府机构职能体系",
                            vec![Paragraph::staff(
                                "动态调整权责清单，全区38个部门共保留行政权力事项538项。",
                            )],
                        )
                    },
                    section(
                        "review",
                        "健全行政复议体制机制",
                        vec![
                            drafted(
                                "全年共收到行政复议申请83件，比上年下降9.78%。全区受理政务服务事项23540件，按期办结23219件，按期办结率98.64%。",
                                &["review.applications", "service.on_time_rate"],
                            ),
                            Paragraph::staff(
                                "# 并非标题：一段以井号开头的文字，以及<script>alert(\"x\")</script>和 A&B 这样的字符。",
                            ),
                        ],
                    ),
                ];
            }
            PartKind::Shortcomings => {
                part.paragraphs = vec![Paragraph::staff(
                    // Pasted with the typewriter's two full-width spaces; the exports indent by themselves.
                    "　　一是行政执法规范化水平有待提高；二是基层法治建设力量相对薄弱。",
                )];
            }
            PartKind::FirstResponsible => {
                part.paragraphs = vec![Paragraph::staff(
                    "区政府主要负责同志认真履行推进法治建设第一责任人职责，全年主持召开政府常务会议专题学法4次。",
                )];
            }
            PartKind::NextYear => {
                part.sections = vec![section(
                    "enforcement",
                    "深入推进严格规范公正文明执法",
                    vec![Paragraph::staff(
                        "全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。",
                    )],
                )];
            }
            PartKind::Other => {
                part.paragraphs = vec![Paragraph::staff("无其他需要报告的情况。")];
            }
        }
    }
    report
}
