//! The demo's fixed data: the fictional city, its three districts and their departments, the
//! posts in them, and the characters names are drawn from. Department names follow the usual
//! pattern of Chinese city and district governments after the 2018–2019 institutional reform.

use crate::domain::Level;

/// The fictional city, the demo's root.
pub const CITY_NAME: &str = "示范市";
/// A six-digit code in the GB/T 2260 format that no real division uses (99 is not a province);
/// a city's shape (`XXYY00`).
pub const CITY_CODE: &str = "999900";
/// The largest district, whose accounts are the five printed logins.
pub const JURISDICTION_NAME: &str = "示范市滨河区";
/// The largest district's code, inside the city's.
pub const DIVISION_CODE: &str = "999902";

/// One jurisdiction of the demo: the city or a district, with its departments and how its year
/// goes.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    /// Full name, the prefix of its departments' names.
    pub name: &'static str,
    /// The one-character abbreviation in document numbers (滨罚〔2025〕1号).
    pub short: &'static str,
    /// GB/T 2260 code in the fictional 99 range.
    pub code: &'static str,
    /// City or county level.
    pub level: Level,
    /// Prefix of its accounts' sign-in names (the largest district has none, as before the
    /// city existed).
    pub prefix: &'static str,
    /// Its departments: indices into the district departments' list or, for the city, the
    /// city's own (see [`Place::department_list`]).
    pub departments: &'static [usize],
    /// Percentage of each department's recorded staff (smaller governments, fewer people).
    pub staff_percent: usize,
    /// Percentage of the demo's year of cases recorded here.
    pub share_percent: usize,
    /// Percentage of penalty cases left stalled in investigation past their period (the
    /// 工作台 and 统计 show them as 超期).
    pub stall_percent: u64,
    /// Whether its annual report is late: drafted by nobody, published by nobody.
    pub report_late: bool,
}

/// Index of the city in [`PLACES`].
pub const CITY: usize = 0;
/// Index of the largest district (the printed logins') in [`PLACES`].
pub const LARGEST: usize = 1;

/// The city and its three districts, of clearly different sizes and quality: 滨河区 the large
/// model district, 临江区 a middling one with many overdue cases, 云岭县 a small county late
/// with its report. The city runs departments of its own.
pub const PLACES: [Place; 4] = [
    Place {
        name: CITY_NAME,
        short: "示",
        code: CITY_CODE,
        level: Level::City,
        prefix: "shi.",
        departments: &[0, 1, 2, 3, 4, 5, 6, 7],
        staff_percent: 100,
        share_percent: 10,
        stall_percent: 1,
        report_late: false,
    },
    Place {
        name: JURISDICTION_NAME,
        short: "滨",
        code: DIVISION_CODE,
        level: Level::County,
        prefix: "",
        departments: &[
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
            24, 25, 26, 27,
        ],
        staff_percent: 100,
        share_percent: 54,
        stall_percent: 0,
        report_late: false,
    },
    Place {
        name: "示范市临江区",
        short: "临",
        code: "999905",
        level: Level::County,
        prefix: "lj.",
        departments: &[0, 2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14, 15, 17],
        staff_percent: 70,
        share_percent: 27,
        stall_percent: 12,
        report_late: false,
    },
    Place {
        name: "示范市云岭县",
        short: "云",
        code: "999907",
        level: Level::County,
        prefix: "yl.",
        departments: &[0, 2, 6, 8, 11, 13, 14, 17],
        staff_percent: 60,
        share_percent: 9,
        stall_percent: 1,
        report_late: true,
    },
];

impl Place {
    /// Its departments as (name without the place's prefix, kind of body, staff recorded).
    pub fn department_list(&self) -> Vec<(&'static str, &'static str, usize)> {
        let all: &[(&str, &str, usize)] = if self.level == Level::City {
            &CITY_DEPARTMENTS
        } else {
            &DEPARTMENTS
        };
        self.departments
            .iter()
            .filter_map(|index| all.get(*index).copied())
            .map(|(name, kind, staff)| {
                // Enough people for the posts the year's cases need: two certified officers and
                // a hearing chair; a reconsideration office with a section head, a clerk and two
                // reconsideration officers (a hearing's host, recorder and officers,
                // 行政复议法第五十条、第五十一条).
                let floor = if name == "司法局" { 12 } else { 8 };
                let staff = (staff * self.staff_percent / 100).max(floor);
                (name, kind, staff)
            })
            .collect()
    }
}

/// The city's own departments (name without 示范市, kind, staff recorded).
pub const CITY_DEPARTMENTS: [(&str, &str, usize); 8] = [
    ("人民政府办公室", "政府工作部门", 10),
    ("司法局", "政府工作部门", 16),
    ("市场监督管理局", "政府工作部门", 18),
    ("生态环境局", "政府工作部门", 12),
    ("交通运输局", "政府工作部门", 12),
    ("住房和城乡建设局", "政府工作部门", 10),
    ("应急管理局", "政府工作部门", 10),
    ("发展和改革委员会", "政府工作部门", 8),
];

/// Index of 司法局 in [`CITY_DEPARTMENTS`].
pub const CITY_JUSTICE_BUREAU: usize = 1;
/// Index of 司法局 in [`DEPARTMENTS`].
pub const JUSTICE_BUREAU: usize = 2;
/// Index of 市场监督管理局 in [`DEPARTMENTS`].
pub const MARKET_REGULATION: usize = 6;
/// Index, in a department's post list, of the post held by its legal-affairs contact.
pub const LEGAL_CONTACT_POSITION_INDEX: usize = 2;

/// (name without the district prefix, kind of body, number of staff recorded).
pub const DEPARTMENTS: [(&str, &str, usize); 28] = [
    ("人民政府办公室", "政府工作部门", 10),
    ("发展和改革局", "政府工作部门", 9),
    ("司法局", "政府工作部门", 16),
    ("财政局", "政府工作部门", 9),
    ("人力资源和社会保障局", "政府工作部门", 11),
    ("自然资源和规划分局", "派出机构", 11),
    ("市场监督管理局", "政府工作部门", 24),
    ("生态环境分局", "派出机构", 14),
    ("城市管理执法局", "政府工作部门", 22),
    ("交通运输局", "政府工作部门", 14),
    ("文化和旅游局", "政府工作部门", 10),
    ("农业农村局", "政府工作部门", 13),
    ("住房和城乡建设局", "政府工作部门", 14),
    ("卫生健康局", "政府工作部门", 13),
    ("应急管理局", "政府工作部门", 13),
    ("公安分局", "派出机构", 16),
    ("教育局", "政府工作部门", 10),
    ("民政局", "政府工作部门", 9),
    ("商务局", "政府工作部门", 8),
    ("水务局", "政府工作部门", 9),
    ("退役军人事务局", "政府工作部门", 7),
    ("审计局", "政府工作部门", 8),
    ("统计局", "政府工作部门", 7),
    ("医疗保障局", "政府工作部门", 8),
    ("信访局", "政府工作部门", 7),
    ("数据和政务服务局", "政府工作部门", 9),
    ("税务局", "垂直管理部门", 10),
    ("消防救援大队", "垂直管理部门", 9),
];

/// The posts of a department with `staff` people: leadership, office, the legal-affairs post,
/// then enforcement posts for enforcement bodies and clerks otherwise.
pub fn positions_for(department: &str, staff: usize) -> Vec<&'static str> {
    let enforces = [
        "市场监督管理局",
        "生态环境分局",
        "生态环境局",
        "城市管理执法局",
        "交通运输局",
        "文化和旅游局",
        "农业农村局",
        "住房和城乡建设局",
        "卫生健康局",
        "应急管理局",
        "公安分局",
        "自然资源和规划分局",
        "人力资源和社会保障局",
        "水务局",
        "消防救援大队",
        "税务局",
        "医疗保障局",
    ]
    .contains(&department);
    let is_justice = department == "司法局";
    let mut posts = vec!["局长", "副局长", "法制员", "办公室主任"];
    if department.ends_with("大队") {
        posts = vec!["大队长", "副大队长", "法制员", "办公室主任"];
    }
    let rest: &[&'static str] = if is_justice {
        &[
            "行政复议与应诉科科长",
            "行政复议人员",
            "法治督察科科长",
            "合法性审核人员",
            "备案审查人员",
            "科员",
        ]
    } else if enforces {
        &[
            "执法大队大队长",
            "执法人员",
            "执法人员",
            "法制审核人员",
            "执法人员",
            "科员",
        ]
    } else {
        &["科长", "科员", "科员"]
    };
    let mut index = 0;
    while posts.len() < staff {
        posts.push(rest.get(index % rest.len()).copied().unwrap_or("科员"));
        index += 1;
    }
    posts.truncate(staff.max(4));
    posts
}

/// Common surnames with rough relative frequencies (per mille of the population, rounded, from
/// the published surname rankings of the 2020 census household-registration statistics).
pub const SURNAMES: &[(&str, u32)] = &[
    ("王", 72),
    ("李", 70),
    ("张", 68),
    ("刘", 54),
    ("陈", 46),
    ("杨", 32),
    ("黄", 24),
    ("赵", 22),
    ("吴", 20),
    ("周", 19),
    ("徐", 16),
    ("孙", 15),
    ("马", 15),
    ("胡", 14),
    ("朱", 13),
    ("郭", 13),
    ("何", 12),
    ("罗", 11),
    ("高", 11),
    ("林", 10),
    ("郑", 9),
    ("梁", 9),
    ("谢", 8),
    ("唐", 8),
    ("许", 8),
    ("冯", 7),
    ("宋", 7),
    ("韩", 7),
    ("邓", 7),
    ("彭", 7),
    ("曹", 6),
    ("曾", 6),
    ("田", 6),
    ("萧", 5),
    ("潘", 5),
    ("袁", 5),
    ("蔡", 5),
    ("蒋", 5),
    ("余", 5),
    ("于", 5),
    ("杜", 5),
    ("叶", 4),
    ("程", 4),
    ("魏", 4),
    ("苏", 4),
    ("吕", 4),
    ("丁", 4),
    ("任", 4),
    ("卢", 4),
    ("姚", 4),
    ("沈", 4),
    ("钟", 3),
    ("姜", 3),
    ("崔", 3),
    ("谭", 3),
    ("陆", 3),
    ("范", 3),
    ("汪", 3),
    ("廖", 3),
    ("石", 3),
    ("金", 3),
    ("韦", 3),
    ("贾", 3),
    ("夏", 3),
    ("付", 3),
    ("方", 3),
    ("邹", 2),
    ("熊", 2),
    ("白", 2),
    ("孟", 2),
    ("秦", 2),
    ("邱", 2),
    ("侯", 2),
    ("江", 2),
    ("尹", 2),
    ("薛", 2),
    ("闫", 2),
    ("段", 2),
    ("雷", 2),
    ("龙", 2),
    ("黎", 2),
    ("史", 2),
    ("陶", 2),
    ("贺", 2),
    ("毛", 2),
    ("郝", 2),
    ("顾", 2),
    ("龚", 2),
    ("邵", 2),
    ("万", 2),
    ("覃", 2),
    ("武", 2),
    ("钱", 2),
    ("戴", 2),
    ("严", 2),
    ("欧阳", 1),
    ("司马", 1),
    ("上官", 1),
];

/// Characters common in given names.
pub const GIVEN_NAME_CHARACTERS: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "文", "辉", "建", "国", "玉", "兰", "鹏", "飞",
    "宇", "浩", "婷", "雪", "梅", "琳", "晨", "欣", "怡", "佳", "思", "雨", "晓", "东", "海", "波",
    "斌", "宁", "志", "红", "春", "荣", "林", "峰", "凯", "慧", "颖", "博", "子", "嘉", "俊", "彬",
    "倩", "琴", "云", "亮", "成", "新", "振", "丹", "悦", "诗", "航",
];

/// Whether a post carries an administrative enforcement certificate.
pub fn holds_certificate(post: &str) -> bool {
    post.contains("执法") || post.contains("法制审核") || post.contains("大队长")
}
