//! The section plan of the 纲要 in force for a report year (reporting.md §2, check 7 of §4).
//!
//! Report years 2016–2020 follow the seven main tasks of 《法治政府建设实施纲要（2015—2020年）》
//! (中发〔2015〕36号, part 三 "主要任务和具体措施"); report years from 2021 follow the eight 体系 of
//! 《法治政府建设实施纲要（2021—2025年）》(中发〔2021〕33号, parts 二 to 九), which opens with
//! 习近平法治思想 (part 一) and closes with 加强党的领导 (part 十). Titles are the 纲要's own
//! headings (checked against the full text as published by Xinhua on 2021-08-11 and the 中国青年报
//! summary of 2021-08-12, which lists "一是健全政府机构职能体系，推动更好发挥政府作用；二是健全依法
//! 行政制度体系 …"); the app uses ids and titles as the section plan of drafted reports, and the
//! lint maps a report's headings onto the areas by keywords ([`outline_area_for`]).
//!
//! Ids are `<纲要 year>.<area>` and never change meaning once published.

/// One area of a 纲要's plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutlineArea {
    /// Stable id, e.g. `2021.enforcement`.
    pub id: &'static str,
    /// The 纲要's heading, verbatim.
    pub title: &'static str,
    /// A short form usable as a section heading of a report.
    pub short: &'static str,
    /// A heading that contains one of these belongs to the area (the longest match wins).
    pub keywords: &'static [&'static str],
    /// True for the seven tasks / eight 体系; false for the opening (习近平法治思想) and the
    /// closing (党的领导, 组织保障), which reports often fold into other parts.
    pub core: bool,
}

const fn area(
    id: &'static str,
    title: &'static str,
    short: &'static str,
    keywords: &'static [&'static str],
    core: bool,
) -> OutlineArea {
    OutlineArea {
        id,
        title,
        short,
        keywords,
        core,
    }
}

const FUNCTIONS: &[&str] = &[
    "政府职能",
    "机构职能",
    "职能体系",
    "履行职能",
    "放管服",
    "营商环境",
    "权责清单",
    "权力清单",
    "审批制度",
    "政务服务",
];
const RULES: &[&str] = &[
    "依法行政制度",
    "制度体系",
    "制度建设",
    "立法",
    "规章",
    "规范性文件",
    "规范化程序化",
];
const DECISIONS: &[&str] = &["决策", "行政决策制度"];
const ENFORCEMENT: &[&str] = &["执法"];
const DISPUTES: &[&str] = &[
    "矛盾纠纷",
    "化解",
    "调处",
    "行政复议",
    "复议",
    "调解",
    "信访",
    "行政争议",
    "公平正义",
];
const OVERSIGHT: &[&str] = &[
    "制约和监督",
    "制约监督",
    "监督体系",
    "权力运行",
    "行政权力",
    "政务公开",
    "监督",
];

/// The 2021–2025 纲要: opening, eight 体系, closing.
pub const OUTLINE_2021: &[OutlineArea] = &[
    area(
        "2021.xi_thought",
        "深入学习贯彻习近平法治思想，努力实现法治政府建设全面突破",
        "深入学习贯彻习近平法治思想",
        &["习近平法治思想", "全面突破"],
        false,
    ),
    area(
        "2021.functions",
        "健全政府机构职能体系，推动更好发挥政府作用",
        "健全政府机构职能体系",
        FUNCTIONS,
        true,
    ),
    area(
        "2021.rules",
        "健全依法行政制度体系，加快推进政府治理规范化程序化法治化",
        "健全依法行政制度体系",
        RULES,
        true,
    ),
    area(
        "2021.decisions",
        "健全行政决策制度体系，不断提升行政决策公信力和执行力",
        "健全行政决策制度体系",
        DECISIONS,
        true,
    ),
    area(
        "2021.enforcement",
        "健全行政执法工作体系，全面推进严格规范公正文明执法",
        "健全行政执法工作体系",
        ENFORCEMENT,
        true,
    ),
    area(
        "2021.emergencies",
        "健全突发事件应对体系，依法预防处置重大突发事件",
        "健全突发事件应对体系",
        &["突发事件", "应急", "疫情"],
        true,
    ),
    area(
        "2021.disputes",
        "健全社会矛盾纠纷行政预防调处化解体系，不断促进社会公平正义",
        "健全社会矛盾纠纷行政预防调处化解体系",
        DISPUTES,
        true,
    ),
    area(
        "2021.oversight",
        "健全行政权力制约和监督体系，促进行政权力规范透明运行",
        "健全行政权力制约和监督体系",
        OVERSIGHT,
        true,
    ),
    area(
        "2021.digital",
        "健全法治政府建设科技保障体系，全面建设数字法治政府",
        "健全法治政府建设科技保障体系",
        &[
            "科技保障",
            "数字法治政府",
            "数字政府",
            "信息化",
            "数字化",
            "智慧",
            "互联网",
        ],
        true,
    ),
    area(
        "2021.party_leadership",
        "加强党的领导，完善法治政府建设推进机制",
        "加强党的领导，完善推进机制",
        &["党的领导", "推进机制", "组织领导", "组织保障"],
        false,
    ),
];

/// The 2015–2020 纲要: seven main tasks and the closing 组织保障和落实机制.
pub const OUTLINE_2015: &[OutlineArea] = &[
    area(
        "2015.functions",
        "依法全面履行政府职能",
        "依法全面履行政府职能",
        FUNCTIONS,
        true,
    ),
    area(
        "2015.rules",
        "完善依法行政制度体系",
        "完善依法行政制度体系",
        RULES,
        true,
    ),
    area(
        "2015.decisions",
        "推进行政决策科学化、民主化、法治化",
        "推进行政决策科学化、民主化、法治化",
        DECISIONS,
        true,
    ),
    area(
        "2015.enforcement",
        "坚持严格规范公正文明执法",
        "坚持严格规范公正文明执法",
        ENFORCEMENT,
        true,
    ),
    area(
        "2015.oversight",
        "强化对行政权力的制约和监督",
        "强化对行政权力的制约和监督",
        OVERSIGHT,
        true,
    ),
    area(
        "2015.disputes",
        "依法有效化解社会矛盾纠纷",
        "依法有效化解社会矛盾纠纷",
        DISPUTES,
        true,
    ),
    area(
        "2015.capacity",
        "全面提高政府工作人员法治思维和依法行政能力",
        "提高政府工作人员法治思维和依法行政能力",
        &[
            "法治思维",
            "依法行政能力",
            "法治意识",
            "法治素养",
            "学法",
            "法治学习",
            "法治能力",
            "工作人员",
        ],
        true,
    ),
    area(
        "2015.organisation",
        "组织保障和落实机制",
        "组织保障和落实机制",
        &["组织保障", "落实机制", "组织领导", "党的领导"],
        false,
    ),
];

/// The section plan for a report year: the 2021 纲要 from 2021, the 2015 纲要 for 2016–2020,
/// nothing before 2016.
#[must_use]
pub fn outline_areas(year: i32) -> &'static [OutlineArea] {
    match year {
        2021.. => OUTLINE_2021,
        2016..=2020 => OUTLINE_2015,
        _ => &[],
    }
}

/// The area a heading belongs to: the area with the longest keyword the heading contains
/// (`执法监督` is enforcement, not oversight: `执法` and `监督` tie, and a tie goes to the earlier
/// area of the 纲要). `None` when no keyword occurs.
#[must_use]
pub fn outline_area_for(year: i32, heading: &str) -> Option<&'static OutlineArea> {
    let mut best: Option<(&'static OutlineArea, usize)> = None;
    for area in outline_areas(year) {
        let longest = area
            .keywords
            .iter()
            .filter(|word| heading.contains(*word))
            .map(|word| word.chars().count())
            .max();
        if let Some(length) = longest
            && best.is_none_or(|(_, found)| length > found)
        {
            best = Some((area, length));
        }
    }
    best.map(|(area, _)| area)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_by_year() {
        assert_eq!(outline_areas(2021).iter().filter(|a| a.core).count(), 8);
        assert_eq!(outline_areas(2020).iter().filter(|a| a.core).count(), 7);
        assert!(outline_areas(2015).is_empty());
        assert_eq!(outline_areas(2025).len(), 10);
    }

    #[test]
    fn headings_map_to_areas() {
        let id = |year, heading| outline_area_for(year, heading).map(|area| area.id);
        assert_eq!(
            id(2022, "坚持严格规范公正文明执法"),
            Some("2021.enforcement")
        );
        assert_eq!(id(2022, "强化行政执法监督"), Some("2021.enforcement"));
        assert_eq!(id(2022, "强化行政权力制约和监督"), Some("2021.oversight"));
        assert_eq!(
            id(2022, "依法预防处置重大突发事件"),
            Some("2021.emergencies")
        );
        assert_eq!(id(2022, "推进数字法治政府建设"), Some("2021.digital"));
        assert_eq!(id(2019, "依法全面履行政府职能"), Some("2015.functions"));
        assert_eq!(id(2019, "推进科学民主依法决策"), Some("2015.decisions"));
        assert_eq!(id(2022, "其他工作"), None);
        for area in OUTLINE_2021 {
            assert_eq!(id(2022, area.title), Some(area.id), "{}", area.title);
            assert_eq!(id(2022, area.short), Some(area.id), "{}", area.short);
        }
        for area in OUTLINE_2015 {
            assert_eq!(id(2019, area.title), Some(area.id), "{}", area.title);
            assert_eq!(id(2019, area.short), Some(area.id), "{}", area.short);
        }
    }

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<&str> = OUTLINE_2015
            .iter()
            .chain(OUTLINE_2021)
            .map(|area| area.id)
            .collect();
        let before = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), before);
    }
}
