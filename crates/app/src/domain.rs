//! The organisation model's values: roles, jurisdiction levels and the validated inputs for
//! departments, people and accounts. Parsing a form into one of these types is the only way to
//! build it, so the store never sees an unchecked value (zero2prod's `SubscriberName` pattern).
//!
//! Field problems are reported as [`FieldError`]s carrying a stable code; the web layer turns
//! codes into Chinese messages (`web/messages.rs`). Nothing here does IO.

use serde::Serialize;

pub use fazhi_procedure::org::{Level, Role};

/// A problem with one field of a form, by stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The form field's name.
    pub field: &'static str,
    /// The problem's stable code (see `web/messages.rs`).
    pub code: &'static str,
}

/// All the problems found in one form.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    fn push(&mut self, field: &'static str, code: &'static str) {
        self.0.push(FieldError { field, code });
    }

    /// The code of the first problem with `field`, if any.
    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.code)
    }

    /// Whether the form had no problems.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Trims a text field and checks its length in characters.
fn text(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    required: bool,
    max_chars: usize,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        if required {
            errors.push(field, "required");
        }
    } else if value.chars().count() > max_chars {
        errors.push(field, "too_long");
    } else if value.chars().any(char::is_control) {
        errors.push(field, "control_characters");
    }
    value.to_owned()
}

/// A telephone number: digits with optional `-`, spaces, `+` and parentheses, 3–20 characters.
fn phone(errors: &mut FieldErrors, field: &'static str, value: &str) -> String {
    let value = value.trim();
    if !value.is_empty() {
        let allowed = value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '+' | '(' | ')'));
        let n_digits = value.chars().filter(char::is_ascii_digit).count();
        if !allowed || !(3..=20).contains(&n_digits) || value.chars().count() > 24 {
            errors.push(field, "invalid_phone");
        }
    }
    value.to_owned()
}

/// A person's name: 2–20 characters of Han script, with `·` allowed for names of ethnic
/// minorities (e.g. 买买提·艾力), or Latin letters and spaces.
fn person_name(errors: &mut FieldErrors, field: &'static str, value: &str) -> String {
    let value = text(errors, field, value, true, 20);
    if !value.is_empty() && errors.get(field).is_none() {
        let n_chars = value.chars().count();
        let plausible = value.chars().all(|c| {
            ('\u{4e00}'..='\u{9fff}').contains(&c)
                || ('\u{3400}'..='\u{4dbf}').contains(&c)
                || matches!(c, '·' | '•' | ' ')
                || c.is_ascii_alphabetic()
        });
        if n_chars < 2 || !plausible {
            errors.push(field, "invalid_person_name");
        }
    }
    value
}

/// A department as submitted by a form, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentInput {
    /// Full official name, e.g. 示范市滨河区市场监督管理局.
    pub name: String,
    /// Kind of body, e.g. 政府工作部门, 派出机构, 垂直管理部门.
    pub kind: String,
    /// Whether this department is the justice bureau (司法局), which runs oversight.
    pub is_justice_bureau: bool,
    /// The legal-affairs contact's name.
    pub legal_contact_name: String,
    /// The legal-affairs contact's telephone.
    pub legal_contact_phone: String,
}

impl DepartmentInput {
    /// Checks a submitted department form.
    pub fn parse(
        name: &str,
        kind: &str,
        is_justice_bureau: bool,
        legal_contact_name: &str,
        legal_contact_phone: &str,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = text(&mut errors, "name", name, true, 60);
        if !name.is_empty() && errors.get("name").is_none() && name.chars().count() < 2 {
            errors.push("name", "too_short");
        }
        let kind = text(&mut errors, "kind", kind, true, 30);
        let legal_contact_name = if legal_contact_name.trim().is_empty() {
            String::new()
        } else {
            person_name(&mut errors, "legal_contact_name", legal_contact_name)
        };
        let legal_contact_phone = phone(&mut errors, "legal_contact_phone", legal_contact_phone);
        if errors.is_empty() {
            Ok(Self {
                name,
                kind,
                is_justice_bureau,
                legal_contact_name,
                legal_contact_phone,
            })
        } else {
            Err(errors)
        }
    }
}

/// A person as submitted by a form, checked (the department's existence is checked by the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonInput {
    /// The department the person works in.
    pub department_id: i64,
    /// Full name.
    pub name: String,
    /// Post, e.g. 科员, 执法大队队长.
    pub position: String,
    /// Office telephone.
    pub phone: String,
}

impl PersonInput {
    /// Checks a submitted person form.
    pub fn parse(
        department_id: &str,
        name: &str,
        position: &str,
        phone_number: &str,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let department_id = match department_id.trim().parse::<i64>() {
            Ok(id) if id > 0 => id,
            _ => {
                errors.push("department_id", "required");
                0
            }
        };
        let name = person_name(&mut errors, "name", name);
        let position = text(&mut errors, "position", position, false, 30);
        let phone = phone(&mut errors, "phone", phone_number);
        if errors.is_empty() {
            Ok(Self {
                department_id,
                name,
                position,
                phone,
            })
        } else {
            Err(errors)
        }
    }
}

/// A jurisdiction's identity as submitted by a form or the command line, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JurisdictionInput {
    /// Name, e.g. 示范市滨河区.
    pub name: String,
    /// Administrative level.
    pub level: Level,
    /// Six-digit administrative division code (GB/T 2260).
    pub code: String,
}

impl JurisdictionInput {
    /// Checks a jurisdiction's name, level code and GB/T 2260 code.
    pub fn parse(name: &str, level: &str, code: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = text(&mut errors, "name", name, true, 40);
        let level = Level::from_code(level.trim()).unwrap_or_else(|| {
            errors.push("level", "invalid_level");
            Level::County
        });
        let code = code.trim().to_owned();
        // GB/T 2260 codes are six digits: two for the province, two for the city, two for the
        // county; a province ends in 0000 and a prefecture in 00.
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            errors.push("code", "invalid_division_code");
        }
        if errors.is_empty() {
            Ok(Self { name, level, code })
        } else {
            Err(errors)
        }
    }
}

/// GB/T 2260's province-level prefixes (the first two digits of every code): 11–15 北京 to
/// 内蒙古, 21–23 辽宁 to 黑龙江, 31–37 上海 to 山东, 41–46 河南 to 海南, 50–54 重庆 to 西藏,
/// 61–65 陕西 to 新疆, 71 台湾, 81 香港, 82 澳门.
const PROVINCE_PREFIXES: [&str; 34] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82",
];

/// The 直辖市 (北京, 天津, 上海, 重庆): their districts and counties sit directly under the
/// province-level code, with no prefecture-level city between.
const MUNICIPALITY_PREFIXES: [&str; 4] = ["11", "12", "31", "50"];

/// The fictional range: 99 is no province, so a code starting with it names nothing real. Only
/// a demo database (the demo's district is 999902) may use it.
pub const DEMO_CODE_PREFIX: &str = "99";

/// The third and fourth digits of a county-level division directly under its province
/// (省直辖县级行政区划, e.g. 429004 仙桃市, 469001 五指山市, 659001 石河子市).
const PROVINCE_ADMINISTERED_COUNTIES: &str = "90";

/// A level's place in the tree, from the top: 省 0, 市 1, 县/区/县级市 and 开发区 2. A child's
/// rank must be greater than its parent's.
pub fn level_rank(level: Level) -> u8 {
    match level {
        Level::Province => 0,
        Level::City => 1,
        Level::County | Level::DevelopmentZone => 2,
    }
}

/// A jurisdiction already in the tree, as far as the placement rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Division<'a> {
    /// Its GB/T 2260 code (empty while the root is not named yet).
    pub code: &'a str,
    /// Its level.
    pub level: Level,
}

/// Why `code` is no GB/T 2260 code of a division of `level`, if it is not: six ASCII digits, a
/// province's prefix (or, in a demo database only, the fictional 99), and the shape of its level
/// (a province XX0000, a prefecture-level city XXYY00, a county-level division not ending in 00).
pub fn division_code_problem(code: &str, level: Level, is_demo: bool) -> Option<&'static str> {
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Some("invalid_division_code");
    }
    let (prefix, middle, last) = (&code[..2], &code[2..4], &code[4..]);
    if prefix == DEMO_CODE_PREFIX {
        if !is_demo {
            return Some("demo_code_outside_demo");
        }
    } else if !PROVINCE_PREFIXES.contains(&prefix) {
        return Some("unknown_province_code");
    }
    let fits_level = match level {
        Level::Province => middle == "00" && last == "00",
        Level::City => middle != "00" && last == "00",
        Level::County | Level::DevelopmentZone => last != "00",
    };
    (!fits_level).then_some("code_level_mismatch")
}

/// Why `child` cannot sit under `parent`, as `(field, code)` from the child's side: its level
/// must be below the parent's, and its code inside the parent's (a city shares its province's
/// first two digits, a county-level division its city's first four; under a province directly
/// only the districts and counties of a 直辖市 and the province-administered ones, XX90YY).
fn misfit(child: Division<'_>, parent: Division<'_>) -> Option<(&'static str, &'static str)> {
    if level_rank(child.level) <= level_rank(parent.level) {
        return Some(("level", "level_not_below_parent"));
    }
    if parent.code.len() != 6 {
        return Some(("parent", "parent_without_code"));
    }
    let shared = match (parent.level, child.level) {
        (Level::Province, Level::City) => 2,
        (Level::Province, _) => {
            let prefix = parent.code.get(..2).unwrap_or_default();
            let middle = child.code.get(2..4).unwrap_or_default();
            if !MUNICIPALITY_PREFIXES.contains(&prefix) && middle != PROVINCE_ADMINISTERED_COUNTIES
            {
                return Some(("code", "county_needs_city"));
            }
            2
        }
        _ => 4,
    };
    (child.code.get(..shared) != parent.code.get(..shared))
        .then_some(("code", "code_outside_parent"))
}

/// Checks where `input` goes in the tree: its code (see [`division_code_problem`]), under
/// `parent` (`None` for the root), above every one of `children` (when an existing jurisdiction
/// is renamed or recoded, its children must still fit under it).
pub fn check_placement(
    input: &JurisdictionInput,
    parent: Option<Division<'_>>,
    children: &[Division<'_>],
    is_demo: bool,
) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    if let Some(code) = division_code_problem(&input.code, input.level, is_demo) {
        errors.push("code", code);
    }
    let this = Division {
        code: &input.code,
        level: input.level,
    };
    if errors.is_empty()
        && let Some(parent) = parent
        && let Some((field, code)) = misfit(this, parent)
    {
        errors.push(field, code);
    }
    for child in children {
        match misfit(*child, this) {
            Some(("level", _)) if errors.get("level").is_none() => {
                errors.push("level", "level_not_above_children");
            }
            Some(("code", _)) if errors.get("code").is_none() => {
                errors.push("code", "code_not_above_children");
            }
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A new staff account, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountInput {
    /// Sign-in name: 3–32 characters of ASCII letters, digits, `.`, `_` or `-`.
    pub username: String,
    /// The role.
    pub role: Role,
    /// The department, required for department-scoped roles.
    pub department_id: Option<i64>,
    /// The jurisdiction the account works for; for a department role, its department's (the
    /// store refuses a department of another jurisdiction). [`AccountInput::parse`] leaves the
    /// root; the form sets the chosen one.
    pub jurisdiction_id: i64,
    /// The person the account belongs to, if recorded.
    pub person_id: Option<i64>,
    /// The name shown in the UI.
    pub display_name: String,
}

impl AccountInput {
    /// Checks a new account's fields. `password` is checked for length only (10–128 characters).
    pub fn parse(
        username: &str,
        role: &str,
        department_id: &str,
        display_name: &str,
        password: &str,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let username = username.trim().to_owned();
        if username.len() < 3
            || username.len() > 32
            || !username
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        {
            errors.push("username", "invalid_username");
        }
        let role = Role::from_code(role.trim()).unwrap_or_else(|| {
            errors.push("role", "invalid_role");
            Role::Leader
        });
        let department_id = department_id
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0);
        if role.needs_department() && department_id.is_none() {
            errors.push("department_id", "department_required_for_role");
        }
        let display_name = person_name(&mut errors, "display_name", display_name);
        let n_chars = password.chars().count();
        if !(10..=128).contains(&n_chars) {
            errors.push("password", "password_length");
        }
        if errors.is_empty() {
            Ok(Self {
                username,
                role,
                department_id,
                jurisdiction_id: crate::store::ROOT_JURISDICTION,
                person_id: None,
                display_name,
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_and_level_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        for level in Level::ALL {
            assert_eq!(Level::from_code(level.code()), Some(level));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    #[test]
    fn a_department_needs_a_name_and_a_kind() {
        let errors = DepartmentInput::parse("  ", "", false, "", "")
            .err()
            .unwrap_or_default();
        assert_eq!(errors.get("name"), Some("required"));
        assert_eq!(errors.get("kind"), Some("required"));
    }

    #[test]
    fn a_department_contact_phone_must_look_like_a_phone() {
        let errors = DepartmentInput::parse(
            "示范市滨河区司法局",
            "政府工作部门",
            true,
            "王芳",
            "call me",
        )
        .err()
        .unwrap_or_default();
        assert_eq!(errors.get("legal_contact_phone"), Some("invalid_phone"));
        let ok = DepartmentInput::parse(
            "示范市滨河区司法局",
            "政府工作部门",
            true,
            "王芳",
            "0710-1234567",
        );
        assert!(ok.is_ok());
    }

    #[test]
    fn person_names_accept_minority_names_and_refuse_digits() {
        assert!(PersonInput::parse("1", "买买提·艾力", "科员", "").is_ok());
        let errors = PersonInput::parse("1", "张3", "", "")
            .err()
            .unwrap_or_default();
        assert_eq!(errors.get("name"), Some("invalid_person_name"));
        let errors = PersonInput::parse("", "张三", "", "")
            .err()
            .unwrap_or_default();
        assert_eq!(errors.get("department_id"), Some("required"));
    }

    #[test]
    fn a_division_code_has_six_digits() {
        assert!(JurisdictionInput::parse("示范市滨河区", "county", "990102").is_ok());
        let errors = JurisdictionInput::parse("示范市滨河区", "town", "9901")
            .err()
            .unwrap_or_default();
        assert_eq!(errors.get("level"), Some("invalid_level"));
        assert_eq!(errors.get("code"), Some("invalid_division_code"));
    }

    /// Parses `(name, level, code)` and places it under `parent` in a demo database or not: the
    /// first problem's `(field, code)`, or `None` when it is accepted.
    fn placed(
        level: &str,
        code: &str,
        parent: Option<(&str, Level)>,
        is_demo: bool,
    ) -> Option<(&'static str, &'static str)> {
        let input = match JurisdictionInput::parse("某辖区", level, code) {
            Ok(input) => input,
            Err(errors) => return errors.0.first().map(|e| (e.field, e.code)),
        };
        let parent = parent.map(|(code, level)| Division { code, level });
        check_placement(&input, parent, &[], is_demo)
            .err()
            .and_then(|errors| errors.0.first().map(|e| (e.field, e.code)))
    }

    /// (level, code, parent's code and level, demo database, the refusal's field and code).
    type Row<'a> = (
        &'a str,
        &'a str,
        Option<(&'a str, Level)>,
        bool,
        Option<(&'a str, &'a str)>,
    );

    #[test]
    fn division_codes_follow_gb_t_2260_and_the_tree() {
        use Level::{City, County, Province};
        let hubei = Some(("420000", Province));
        let wuhan = Some(("420100", City));
        let beijing = Some(("110000", Province));
        let code = |problem| Some(("code", problem));
        let table: [Row<'_>; 36] = [
            // Valid: a root at each level, and children along 省 → 市 → 县/区/开发区.
            ("province", "420000", None, false, None),
            ("city", "420100", None, false, None),
            ("county", "420102", None, false, None),
            ("province", "820000", None, false, None),
            ("province", "710000", None, false, None),
            ("city", "420100", hubei, false, None),
            ("county", "420102", wuhan, false, None),
            ("county", "420181", wuhan, false, None),
            ("development_zone", "420171", wuhan, false, None),
            // 直辖市: districts directly under the province-level code.
            ("county", "110105", beijing, false, None),
            ("county", "500101", Some(("500000", Province)), false, None),
            // 省直辖县级行政区划 (仙桃市).
            ("county", "429004", hubei, false, None),
            // The demo range, in a demo database.
            ("county", "999902", None, true, None),
            ("city", "990100", Some(("990000", Province)), true, None),
            // Malformed: not six ASCII digits.
            (
                "county",
                "42010",
                None,
                false,
                code("invalid_division_code"),
            ),
            (
                "county",
                "4201021",
                None,
                false,
                code("invalid_division_code"),
            ),
            (
                "county",
                "42O102",
                None,
                false,
                code("invalid_division_code"),
            ),
            (
                "county",
                "abcdef",
                None,
                false,
                code("invalid_division_code"),
            ),
            (
                "county",
                "４２０１０２",
                None,
                false,
                code("invalid_division_code"),
            ),
            ("county", "", None, false, code("invalid_division_code")),
            (
                "county",
                "4201 2",
                None,
                false,
                code("invalid_division_code"),
            ),
            // No province has these prefixes.
            (
                "province",
                "000000",
                None,
                false,
                code("unknown_province_code"),
            ),
            (
                "province",
                "100000",
                None,
                false,
                code("unknown_province_code"),
            ),
            (
                "province",
                "160000",
                None,
                false,
                code("unknown_province_code"),
            ),
            (
                "province",
                "470000",
                None,
                false,
                code("unknown_province_code"),
            ),
            (
                "province",
                "830000",
                None,
                false,
                code("unknown_province_code"),
            ),
            // The demo range outside a demo database.
            (
                "county",
                "999902",
                None,
                false,
                code("demo_code_outside_demo"),
            ),
            // The code's shape does not fit the level.
            (
                "province",
                "420100",
                None,
                false,
                code("code_level_mismatch"),
            ),
            ("city", "420000", None, false, code("code_level_mismatch")),
            ("city", "420102", None, false, code("code_level_mismatch")),
            ("county", "420100", None, false, code("code_level_mismatch")),
            // A county whose prefix differs from its city's; a city outside its province.
            (
                "county",
                "420202",
                wuhan,
                false,
                code("code_outside_parent"),
            ),
            ("city", "430100", hubei, false, code("code_outside_parent")),
            // A county of an ordinary province needs its city.
            ("county", "420102", hubei, false, code("county_needs_city")),
            // The level must be below the parent's.
            (
                "city",
                "420200",
                wuhan,
                false,
                Some(("level", "level_not_below_parent")),
            ),
            (
                "development_zone",
                "420171",
                Some(("420102", County)),
                false,
                Some(("level", "level_not_below_parent")),
            ),
        ];
        for (level, code, parent, is_demo, expected) in table {
            assert_eq!(
                placed(level, code, parent, is_demo),
                expected,
                "{level} {code:?} under {parent:?}, demo {is_demo}"
            );
        }
    }

    #[test]
    fn a_child_cannot_be_placed_under_an_unnamed_root() {
        assert_eq!(
            placed("county", "420102", Some(("", Level::City)), false),
            Some(("parent", "parent_without_code"))
        );
    }

    #[test]
    fn a_recoded_jurisdiction_must_still_hold_its_children() {
        let input = JurisdictionInput::parse("武汉市", "city", "420200").expect("valid");
        let children = [Division {
            code: "420102",
            level: Level::County,
        }];
        let errors = check_placement(&input, None, &children, false)
            .err()
            .unwrap_or_default();
        assert_eq!(errors.get("code"), Some("code_not_above_children"));
        let input = JurisdictionInput::parse("武汉市", "county", "420101").expect("valid");
        let errors = check_placement(&input, None, &children, false)
            .err()
            .unwrap_or_default();
        assert_eq!(errors.get("level"), Some("level_not_above_children"));
        let input = JurisdictionInput::parse("武汉市", "city", "420100").expect("valid");
        assert_eq!(check_placement(&input, None, &children, false), Ok(()));
    }

    #[test]
    fn an_officer_account_needs_a_department() {
        let errors = AccountInput::parse("zhifa", "officer", "", "李明", "long enough password")
            .err()
            .unwrap_or_default();
        assert_eq!(
            errors.get("department_id"),
            Some("department_required_for_role")
        );
        let errors = AccountInput::parse("a", "leader", "", "李明", "short")
            .err()
            .unwrap_or_default();
        assert_eq!(errors.get("username"), Some("invalid_username"));
        assert_eq!(errors.get("password"), Some("password_length"));
    }
}
