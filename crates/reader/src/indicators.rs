//! The public mapping from a figure's subject and unit to a stable indicator id.
//!
//! Ids are `area.measure` in snake_case and never change meaning once published; the app's
//! indicator catalogue adopts them (`docs/reader.md` lists them). A rule matches when the
//! subject contains every `all` keyword, at least one `any` keyword (if given), none of the
//! `none` keywords, and the unit is one of `units` (if given). Rules are tried in order, so
//! narrower rules (rates, concluded cases) come before broader ones.

/// One mapping rule.
#[derive(Clone, Copy, Debug)]
pub struct IndicatorRule {
    /// Stable id.
    pub id: &'static str,
    /// Every one of these must occur in the subject.
    pub all: &'static [&'static str],
    /// At least one of these must occur (ignored when empty).
    pub any: &'static [&'static str],
    /// None of these may occur.
    pub none: &'static [&'static str],
    /// Accepted units (any when empty).
    pub units: &'static [&'static str],
}

const fn rule(
    id: &'static str,
    all: &'static [&'static str],
    any: &'static [&'static str],
    none: &'static [&'static str],
    units: &'static [&'static str],
) -> IndicatorRule {
    IndicatorRule {
        id,
        all,
        any,
        none,
        units,
    }
}

const COUNT: &[&str] = &["件", "件次", "起", "宗"];
const PEOPLE: &[&str] = &["人", "人次"];
const PERCENT: &[&str] = &["%"];

/// The rules, in the order they are tried.
pub const INDICATORS: &[IndicatorRule] = &[
    rule(
        "reconsideration.correction_rate",
        &["复议"],
        &["纠错率"],
        &[],
        PERCENT,
    ),
    rule(
        "reconsideration.cases_concluded",
        &["复议"],
        &["办结", "审结", "结案", "作出复议决定"],
        &[],
        COUNT,
    ),
    rule(
        "reconsideration.cases_received",
        &["复议"],
        &["案件", "申请"],
        &["诉讼", "应诉"],
        COUNT,
    ),
    rule(
        "litigation.head_appearance_rate",
        &["出庭"],
        &["率"],
        &[],
        PERCENT,
    ),
    rule(
        "litigation.head_appearances",
        &["出庭"],
        &[],
        &["率"],
        &["次", "人次", "件", "人"],
    ),
    rule("litigation.loss_rate", &["败诉率"], &[], &[], PERCENT),
    rule(
        "litigation.cases",
        &[],
        &["行政诉讼", "应诉案件", "诉讼案件", "行政应诉"],
        &["复议"],
        COUNT,
    ),
    rule(
        "disclosure.requests_received",
        &["公开"],
        &["依申请", "申请公开"],
        &[],
        &["件", "条", "份"],
    ),
    rule(
        "disclosure.items_published",
        &[],
        &["主动公开", "发布信息", "公开信息", "发布政府信息"],
        &[],
        &["条", "件"],
    ),
    rule(
        "mediation.success_rate",
        &["调解"],
        &["成功率"],
        &[],
        PERCENT,
    ),
    rule(
        "mediation.cases_successful",
        &["调解"],
        &["成功"],
        &["率"],
        COUNT,
    ),
    rule("mediation.committees", &["调解委员会"], &[], &[], &["个"]),
    rule("mediation.mediators", &["调解员"], &[], &[], PEOPLE),
    rule(
        "mediation.cases",
        &[],
        &["调解", "矛盾纠纷"],
        &["率", "调解员", "委员会"],
        COUNT,
    ),
    rule("legal_aid.cases", &["法律援助"], &["案件"], &[], COUNT),
    rule("legal_aid.recipients", &["受援"], &[], &[], PEOPLE),
    rule(
        "legal_consultation.count",
        &["法律咨询"],
        &[],
        &[],
        &["人次", "件", "次", "件次"],
    ),
    rule(
        "legal_advisers.count",
        &["法律顾问"],
        &[],
        &["意见", "建议"],
        &["人"],
    ),
    rule(
        "normative_documents.corrected",
        &["规范性文件"],
        &["纠正", "撤销"],
        &[],
        &["件", "份"],
    ),
    rule(
        "normative_documents.filed",
        &["规范性文件"],
        &["备案", "报备"],
        &[],
        &["件", "份"],
    ),
    rule(
        "normative_documents.cleaned_up",
        &["规范性文件"],
        &["清理", "筛查", "废止"],
        &[],
        &["件", "份"],
    ),
    rule(
        "normative_documents.reviewed",
        &["规范性文件"],
        &["审查", "审核", "审理"],
        &[],
        &["件", "份"],
    ),
    rule(
        "normative_documents.issued",
        &["规范性文件"],
        &[],
        &[],
        &["件", "份"],
    ),
    rule(
        "major_decisions.count",
        &["重大行政决策"],
        &[],
        &["规定", "程序", "制度", "目录", "办法"],
        &["件", "项", "个"],
    ),
    rule(
        "legality_review.count",
        &[],
        &["合法性审查", "合法性审核", "法制审核"],
        &[],
        &["件", "份", "项"],
    ),
    rule("enforcement.exam_pass_rate", &["通过率"], &[], &[], PERCENT),
    rule("enforcement.exam_passed", &["通过"], &[], &["率"], &["人"]),
    rule(
        "enforcement.exam_sat",
        &["考试"],
        &["执法"],
        &[],
        &["人", "人次"],
    ),
    rule(
        "enforcement.case_files_reviewed",
        &["案卷"],
        &[],
        &[],
        &["卷", "件", "份"],
    ),
    rule("enforcement.fines", &[], &["罚款", "罚没"], &[], &["元"]),
    rule(
        "enforcement.penalty_cases",
        &["处罚"],
        &["案件"],
        &[],
        COUNT,
    ),
    rule(
        "power_list.items",
        &[],
        &["权力清单", "权责清单", "职权事项", "权责事项"],
        &[],
        &["项", "个", "条"],
    ),
    rule(
        "government_services.online_rate",
        &[],
        &["网上可办率", "网办率", "网上办理率", "全程网办"],
        &[],
        PERCENT,
    ),
    rule(
        "government_services.satisfaction",
        &["政务服务"],
        &["满意度", "好评率"],
        &[],
        PERCENT,
    ),
    rule(
        "government_services.items",
        &["政务服务事项"],
        &[],
        &[],
        &["项", "个"],
    ),
    rule(
        "joint_inspections.count",
        &[],
        &["联合检查", "联合抽查", "双随机"],
        &[],
        &["次", "项"],
    ),
    rule(
        "law_study.sessions",
        &[],
        &["学法", "学习", "讲座"],
        &["人"],
        &["场", "场次", "次", "期"],
    ),
    rule(
        "law_study.participants",
        &[],
        &["参与人数", "参加人数", "学法人数"],
        &[],
        PEOPLE,
    ),
    rule(
        "legal_publicity.events",
        &[],
        &["普法", "宣讲", "宣传活动", "法治宣传"],
        &[],
        &["场", "场次", "次", "期"],
    ),
    rule(
        "legal_publicity.materials",
        &[],
        &["宣传资料", "宣传品", "宣传册"],
        &[],
        &["份", "册", "本"],
    ),
    rule(
        "press_conferences.count",
        &["新闻发布会"],
        &[],
        &[],
        &["次", "场"],
    ),
    rule("training.participants", &["培训"], &[], &[], PEOPLE),
];

/// The indicator id for a subject and unit, if one rule matches. `subject` may include the
/// action verb (`受理行政复议案件`): the figure extractor passes action and subject together.
#[must_use]
pub fn indicator_for(subject: &str, unit: &str) -> Option<&'static str> {
    INDICATORS
        .iter()
        .find(|rule| {
            rule.all.iter().all(|word| subject.contains(word))
                && (rule.any.is_empty() || rule.any.iter().any(|word| subject.contains(word)))
                && !rule.none.iter().any(|word| subject.contains(word))
                && (rule.units.is_empty() || rule.units.contains(&unit))
        })
        .map(|rule| rule.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_subjects_map_to_ids() {
        let cases = [
            (
                "收到行政复议申请",
                "件",
                Some("reconsideration.cases_received"),
            ),
            ("负责人出庭率", "%", Some("litigation.head_appearance_rate")),
            ("依申请公开件", "件", Some("disclosure.requests_received")),
            ("调解矛盾纠纷", "件", Some("mediation.cases")),
            ("调解成功", "件", Some("mediation.cases_successful")),
            ("办理法律援助案件", "件", Some("legal_aid.cases")),
            ("行政诉讼案件", "件", Some("litigation.cases")),
            ("浏览总量", "", None),
        ];
        for (subject, unit, expected) in cases {
            assert_eq!(indicator_for(subject, unit), expected, "{subject}");
        }
    }

    #[test]
    fn ids_are_unique_and_snake_case() {
        let mut ids: Vec<&str> = INDICATORS.iter().map(|rule| rule.id).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), before);
        assert!(ids.iter().all(|id| {
            id.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch == '_' || ch == '.')
        }));
    }
}
