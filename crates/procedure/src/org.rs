//! The organisation's value types the engine needs: access roles, the actor of a command, the
//! levels of a jurisdiction and the registries people are named from.

use serde::{Deserialize, Serialize};

/// A staff account's access role. What each may do in the application is decided in the app's
/// `authz` and nowhere else; which role may take a procedure step is the definition's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: manages departments, people and accounts.
    Admin,
    /// 司法局工作人员: works across all departments.
    JusticeStaff,
    /// 部门法制人员: the legal-affairs officer of one department, scoped to it.
    DepartmentLegal,
    /// 执法人员: a certified enforcement officer, scoped to own cases.
    Officer,
    /// 领导: reads everything, changes nothing.
    Leader,
}

impl Role {
    /// Every role, in the order the UI lists them.
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::JusticeStaff,
        Role::DepartmentLegal,
        Role::Officer,
        Role::Leader,
    ];

    /// The stable code stored in the database and written in definitions.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::JusticeStaff => "justice_staff",
            Role::DepartmentLegal => "department_legal",
            Role::Officer => "officer",
            Role::Leader => "leader",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code)
    }

    /// Whether accounts of this role belong to one department (and must name it).
    pub fn needs_department(self) -> bool {
        matches!(self, Role::DepartmentLegal | Role::Officer)
    }
}

/// Who is acting: the signed-in account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    /// The account's id.
    pub user_id: i64,
    /// The account's role.
    pub role: Role,
    /// The account's department, for department-scoped roles.
    pub department_id: Option<i64>,
    /// The account's jurisdiction: it acts on cases of this jurisdiction only, and (as a
    /// supervisor) reads this jurisdiction and every one below it.
    pub jurisdiction_id: i64,
}

/// The administrative level of a jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 省 (province-level).
    Province,
    /// 市 (prefecture-level city).
    City,
    /// 县区 (county or district).
    County,
    /// 开发区 (development zone with its own administration).
    DevelopmentZone,
}

impl Level {
    /// Every level.
    pub const ALL: [Level; 4] = [
        Level::Province,
        Level::City,
        Level::County,
        Level::DevelopmentZone,
    ];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::City => "city",
            Level::County => "county",
            Level::DevelopmentZone => "development_zone",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|level| level.code() == code)
    }
}

/// A registry people are named from in a person field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Registry {
    /// 行政执法人员: people holding an enforcement certificate (执法证).
    EnforcementOfficers,
    /// 人民调解员.
    Mediators,
    /// 法律援助人员 (lawyers and legal-aid staff).
    LegalAidLawyers,
    /// 法律顾问.
    LegalAdvisers,
    /// 检查人员 (the inspector directory of 双随机).
    Inspectors,
    /// The system's staff accounts (ids are account ids, not people).
    StaffAccounts,
}

impl Registry {
    /// Every registry.
    pub const ALL: [Registry; 6] = [
        Registry::EnforcementOfficers,
        Registry::Mediators,
        Registry::LegalAidLawyers,
        Registry::LegalAdvisers,
        Registry::Inspectors,
        Registry::StaffAccounts,
    ];

    /// The code written in definitions and stored.
    pub fn code(self) -> &'static str {
        match self {
            Registry::EnforcementOfficers => "enforcement_officers",
            Registry::Mediators => "mediators",
            Registry::LegalAidLawyers => "legal_aid_lawyers",
            Registry::LegalAdvisers => "legal_advisers",
            Registry::Inspectors => "inspectors",
            Registry::StaffAccounts => "staff_accounts",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Registry> {
        Registry::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Registry::EnforcementOfficers => "行政执法人员",
            Registry::Mediators => "人民调解员",
            Registry::LegalAidLawyers => "法律援助人员",
            Registry::LegalAdvisers => "法律顾问",
            Registry::Inspectors => "检查人员",
            Registry::StaffAccounts => "系统账号",
        }
    }
}
