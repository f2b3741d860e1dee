//! The duties of the principal Party and government leaders as first responsible persons for
//! rule-of-law construction, as data: what part 3 of the annual report (reporting.md §2) should
//! say they did.
//!
//! Source: 中共中央办公厅、国务院办公厅《党政主要负责人履行推进法治建设第一责任人职责规定》
//! (December 2016, published by Xinhua). Art. 4: the leaders "对法治建设重要工作亲自部署、重大问题
//! 亲自过问、重点环节亲自协调、重要任务亲自督办" (wording checked against the full text as
//! reprinted in 四川日报, 2016-12-15, and in provincial implementing measures, e.g. 河北 2020).
//! The other duties summarise Art. 5 (Party committee leaders) and Art. 6 (government leaders:
//! organise and plan rule-of-law government work, follow the statutory procedure of major
//! decisions with legal advisers and legality review, urge the other leaders and departments to
//! act lawfully, respect the courts and appear in court, organise collective law study) and the
//! rule that the duty is reported in the year-end 述职 (述法), assessed and inspected. The
//! wording of Arts. 5–6 was not checked against an official text: keywords, not quotations.

/// One duty and the words by which a report shows it was performed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Duty {
    /// Stable id, snake_case.
    pub id: &'static str,
    /// Short Chinese name of the duty.
    pub title: &'static str,
    /// A text mentions the duty when it contains one of these.
    pub keywords: &'static [&'static str],
    /// Where the duty comes from.
    pub source: &'static str,
}

const fn duty(
    id: &'static str,
    title: &'static str,
    keywords: &'static [&'static str],
    source: &'static str,
) -> Duty {
    Duty {
        id,
        title,
        keywords,
        source,
    }
}

const ART4: &str = "第一责任人职责规定 第四条";
const ART5_6: &str = "第一责任人职责规定 第五条、第六条";

/// The duties, in the order of the 规定.
pub const FIRST_RESPONSIBLE_DUTIES: &[Duty] = &[
    duty(
        "deploy_in_person",
        "重要工作亲自部署",
        &["亲自部署", "亲自研究部署", "亲自谋划"],
        ART4,
    ),
    duty(
        "ask_in_person",
        "重大问题亲自过问",
        &["亲自过问", "亲自研究", "亲自审定", "亲自审核", "批示"],
        ART4,
    ),
    duty(
        "coordinate_in_person",
        "重点环节亲自协调",
        &["亲自协调"],
        ART4,
    ),
    duty(
        "supervise_in_person",
        "重要任务亲自督办",
        &["亲自督办", "亲自督促", "亲自督导", "亲自抓"],
        ART4,
    ),
    duty(
        "chair_meetings",
        "主持研究法治建设重大问题（常务会议、专题会议、听取汇报）",
        &[
            "主持召开",
            "专题会议",
            "专题研究",
            "常务会议研究",
            "听取",
            "研究解决",
            "研究部署",
            "会议研究",
        ],
        ART5_6,
    ),
    duty(
        "plan",
        "纳入发展规划和年度工作计划",
        &[
            "年度工作计划",
            "工作要点",
            "纳入",
            "同部署",
            "工作规划",
            "实施方案",
        ],
        ART5_6,
    ),
    duty(
        "lawful_decisions",
        "严格依法决策（法定程序、法律顾问、合法性审查）",
        &[
            "依法决策",
            "重大行政决策",
            "合法性审查",
            "合法性审核",
            "法律顾问",
            "集体讨论决定",
        ],
        ART5_6,
    ),
    duty(
        "urge_others",
        "督促领导班子其他成员和部门主要负责人依法办事",
        &["班子成员", "班子其他成员", "部门主要负责人", "督促"],
        ART5_6,
    ),
    duty(
        "courts",
        "尊重司法、出庭应诉、执行生效裁判",
        &["出庭应诉", "出庭", "生效裁判", "生效判决", "司法建议"],
        ART5_6,
    ),
    duty(
        "study_law",
        "带头学法、组织集体学法",
        &[
            "学法",
            "法治讲座",
            "法治专题讲座",
            "学习习近平法治思想",
            "理论学习中心组",
            "讲授法治",
            "法治课",
            "法治专题党课",
        ],
        ART5_6,
    ),
    duty("report_on_law", "年终述职述法", &["述法", "述职"], ART5_6),
    duty(
        "assessment",
        "法治建设纳入考核",
        &["考核", "政绩考核", "考评"],
        ART5_6,
    ),
    duty("inspection", "法治督察", &["督察", "督查"], ART5_6),
    duty(
        "institutions",
        "加强法治工作机构和队伍建设",
        &[
            "法治工作队伍",
            "法治机构",
            "法制机构",
            "队伍建设",
            "法治工作部门",
        ],
        ART5_6,
    ),
];

/// The duties a text mentions, in the order of [`FIRST_RESPONSIBLE_DUTIES`].
#[must_use]
pub fn duties_in(text: &str) -> Vec<&'static Duty> {
    FIRST_RESPONSIBLE_DUTIES
        .iter()
        .filter(|duty| duty.keywords.iter().any(|word| text.contains(word)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duties_are_found_by_keyword() {
        let ids: Vec<&str> =
            duties_in("区长主持召开常务会议专题研究法治建设，带头会前学法，出庭应诉2次。")
                .iter()
                .map(|duty| duty.id)
                .collect();
        assert_eq!(ids, ["chair_meetings", "courts", "study_law"]);
        assert!(duties_in("高度重视。").is_empty());
    }

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<&str> = FIRST_RESPONSIBLE_DUTIES.iter().map(|d| d.id).collect();
        let before = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), before);
    }
}
