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

/// A new staff account, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountInput {
    /// Sign-in name: 3–32 characters of ASCII letters, digits, `.`, `_` or `-`.
    pub username: String,
    /// The role.
    pub role: Role,
    /// The department, required for department-scoped roles.
    pub department_id: Option<i64>,
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
