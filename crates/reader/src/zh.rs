//! Chinese wording of findings and parts, shared by `fazhi read` and the app's report pages (the
//! lint's own messages are English, for logs and JSON).

use crate::NotAReport;
use crate::lint::Finding;
use crate::structure::StatutoryPart;

/// The statutory part's standard heading.
#[must_use]
pub fn part(part: StatutoryPart) -> &'static str {
    match part {
        StatutoryPart::Measures => "主要举措和成效",
        StatutoryPart::Shortcomings => "存在的不足和原因",
        StatutoryPart::FirstResponsiblePerson => "党政主要负责人履行推进法治建设第一责任人职责情况",
        StatutoryPart::NextYear => "下一年度主要安排",
        StatutoryPart::Other => "其他需要报告的情况",
    }
}

/// The finding in Chinese, for people: the check's meaning with the report's own words and the
/// recomputed value.
#[must_use]
pub fn finding(finding: &Finding) -> String {
    let quote = finding
        .quote
        .as_deref()
        .map(|quote| format!("“{quote}”"))
        .unwrap_or_default();
    let computed = finding
        .computed
        .map(|value| value.normalize().to_string())
        .unwrap_or_default();
    let part = finding.part.map(part).unwrap_or_default();
    match finding.check {
        "part_missing" => format!("缺少法定部分：{part}"),
        "parts_out_of_order" => format!("法定部分顺序不对：{quote}"),
        "shortcomings_thin" => format!("“存在的不足”部分过短（{computed} 字）"),
        "shortcomings_without_causes" => "“存在的不足”部分没有分析原因".to_owned(),
        "first_responsible_person_not_a_part" => {
            "第一责任人履职情况只在其他部分中提及，未单列一部分".to_owned()
        }
        "next_year_plan_thin" => format!("下一年度安排过短（{computed} 字）"),
        "heading_numbering" => format!("标题序号重复或跳号：{quote}（应为第 {computed} 个）"),
        "rate_out_of_range" => format!("比率超出 0–100%：{quote}"),
        "rate_without_base" => format!("比率没有给出分子和分母：{quote}"),
        "rate_not_reproduced" => format!("比率无法由同句数据复算：{quote}"),
        "rate_reproduced" => format!("比率可以复算：{quote}（{computed}%）"),
        "yoy_wrong_base" => {
            format!("同比变化以本年数为基数：{quote}（以上年为基数应为 {computed}%）")
        }
        "yoy_mismatch" => format!("同比变化与前后数值不符：{quote}（按数值应为 {computed}）"),
        "inconsistent_values" => format!("同一数据前后不一致：{quote}（前文为 {computed}）"),
        "undated_as_of" => format!("{quote}没有写明截止日期"),
        "parts_exceed_whole" => format!("分项之和 {computed} 大于总数：{quote}"),
        "parts_sum_to_whole" => format!("分项之和与总数一致（{computed}）"),
        "year_missing" => "报告没有写明所报告的年度".to_owned(),
        "jurisdiction_missing" => "标题没有写明报告主体（地区）".to_owned(),
        "published_before_year_end" => "发布日期早于所报告年度结束".to_owned(),
        "published_late" => "发布日期晚于次年 4 月 1 日".to_owned(),
        "few_figures" => format!("具体数据很少（{computed} 项）"),
        "repeated_text" => format!("与上一年度报告重复的文字约占 {computed}%"),
        "first_responsible_duties" => match chinese_in_parentheses(&finding.message).as_slice() {
            [] => {
                "第一责任人部分没有写到《党政主要负责人履行推进法治建设第一责任人职责规定》所列职责"
                    .to_owned()
            }
            names => format!("第一责任人部分写到的职责：{}", names.join("、")),
        },
        "first_responsible_duties_thin" => {
            format!("第一责任人部分写到的具体职责不足 3 项（{computed} 项）")
        }
        "outline_areas_missing" => format!(
            "主要举措未覆盖法治政府建设实施纲要的以下领域：{}",
            chinese_in_parentheses(&finding.message).join("、")
        ),
        "figure_not_in_records" => {
            format!("数字与系统计算的指标都不一致，也未标注为人工填写：{quote}")
        }
        "figure_disagrees_with_records" => {
            format!("数字与系统记录不符：{quote}（系统计算为 {computed}）")
        }
        "submission_deadline" => "应于次年第一季度内（3月31日前）报送上级".to_owned(),
        "publication_due_soon" => format!("距公开截止日（3月31日）还有 {computed} 天"),
        "publication_overdue" => "已超过公开截止日（4月1日之前），尚未公开".to_owned(),
        "finalised_before_year_end" => "所报告年度尚未结束，报告不能定稿或公开".to_owned(),
        other => format!("{other}：{}", finding.message),
    }
}

/// Why an input was not read, in Chinese for the user.
#[must_use]
pub fn not_a_report(error: &NotAReport) -> String {
    match error {
        NotAReport::Empty => "文件为空".to_owned(),
        NotAReport::TooLarge { bytes, limit } => format!(
            "文件过大（{} MB），超过 {} MB 的上限",
            bytes / 1_048_576,
            limit / 1_048_576
        ),
        NotAReport::Undecodable { reason } => {
            format!("无法作为文本读取（{}）", undecodable(reason))
        }
        NotAReport::NoChineseText => "没有中文内容".to_owned(),
        NotAReport::NotReportLike => "不像法治政府建设年度报告（找不到标题或报告结构）".to_owned(),
    }
}

fn undecodable(reason: &str) -> &'static str {
    if reason.contains("PDF") {
        "PDF 文件，暂不支持"
    } else if reason.contains("legacy Office") {
        "旧版 Office 文件（如 .doc），暂不支持"
    } else if reason.contains("image") {
        "图片文件"
    } else if reason.contains("DOCX") || reason.contains("zip") {
        "损坏或不是 DOCX 的压缩文件"
    } else if reason.contains("NUL") || reason.contains("binary") {
        "二进制数据"
    } else {
        "大部分字节无法解码"
    }
}

/// The Chinese names the English messages carry in parentheses ("2021.oversight (健全…体系)").
fn chinese_in_parentheses(message: &str) -> Vec<&str> {
    message
        .split('(')
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|inside| !inside.is_ascii())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::FindingSeverity;

    #[test]
    fn every_check_of_the_lint_has_chinese_wording() {
        let source = include_str!("lint.rs");
        let table: Vec<&str> = source
            .lines()
            .filter(|line| line.starts_with("//! | `"))
            .flat_map(|line| line.split('`').skip(1).step_by(2))
            .collect();
        assert!(table.len() > 25, "{table:?}");
        for check in table {
            let check: &'static str = Box::leak(check.to_owned().into_boxed_str());
            let text = finding(&Finding {
                check,
                severity: FindingSeverity::Info,
                message: "m".into(),
                part: None,
                span: None,
                original: None,
                quote: None,
                computed: None,
            });
            assert!(!text.starts_with(check), "{check} has no Chinese wording");
        }
    }
}
