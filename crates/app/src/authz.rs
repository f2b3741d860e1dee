//! The one place where access is decided. Handlers name the [`Action`] they are about to take
//! and call [`check`]; list queries ask [`department_scope`] which rows the user may see. No other
//! module compares roles.
//!
//! The table (also asserted row by row in the tests below and, through the router, in
//! `tests/it/access.rs`):
//!
//! | action                 | 系统管理员 | 司法局工作人员 | 部门法制人员 | 执法人员 | 领导 |
//! |------------------------|-----------|---------------|-------------|---------|------|
//! | view 工作台             | yes       | yes           | yes         | yes     | yes  |
//! | view departments       | all       | all           | own         | no      | all  |
//! | manage departments     | yes       | no            | no          | no      | no   |
//! | view people            | all       | all           | own dept    | no      | all  |
//! | add people             | yes       | yes           | yes         | no      | no   |
//! | manage people          | all       | all           | own dept    | no      | no   |
//! | view cases (in scope)  | all       | all           | own dept    | own     | all  |
//! | manage accounts        | yes       | no            | no          | no      | no   |
//! | edit the jurisdiction  | yes       | no            | no          | no      | no   |
//! | view the 辖区 tree      | yes       | yes           | no          | no      | yes  |
//! | add/edit 下级辖区        | yes       | no            | no          | no      | no   |
//! | view statistics        | all       | all           | own dept    | no      | all  |
//! | submit figures (填报)   | no        | any dept      | own dept    | no      | no   |
//! | view report drafts     | yes       | yes           | no          | no      | yes  |
//! | edit the report        | no        | yes           | no          | no      | no   |
//! | publish the report     | no        | yes           | no          | no      | yes  |
//! | attach documents       | yes       | yes           | yes         | yes     | no   |
//! | download attachments   | yes       | yes           | yes         | yes     | yes  |
//! | view certificates      | all       | all           | own dept    | no      | all  |
//! | manage certificates    | all       | all           | own dept    | no      | no   |
//! | import certificates    | yes       | yes           | no          | no      | no   |
//! | manage registries      | yes       | yes           | no          | no      | no   |
//! | view 外部报告            | yes       | yes           | no          | no      | yes  |
//! | upload 外部报告          | yes       | yes           | no          | no      | no   |
//! | view 法治督察            | no        | yes           | no          | no      | yes  |
//! | issue 督办              | no        | yes           | no          | no      | no   |
//! | answer 督办             | no        | any dept      | own dept    | no      | no   |
//! | submit report upward   | no        | yes           | no          | no      | no   |
//!
//! 法治督察 (supervision) is read within the account's jurisdiction and everything below it, like
//! every jurisdiction-wide row; a 督办 is issued on a case, department or report of that subtree
//! and answered by its addressee: the addressed department's 法制人员 or the addressee
//! jurisdiction's 司法局 (the store finds the notice only within the account's reach).
//!
//! The registries are 人民调解员, 法律援助人员, 法律顾问 and 检查人员 (`registry_members`), kept
//! jurisdiction-wide by the justice bureau; seeing a person's entries follows "view people".
//!
//! 外部报告 (other governments' published reports) are read by those who see the whole
//! jurisdiction's statistics (the "view" row is "view statistics", all); uploading one stores a
//! record, which 领导 (read-only apart from publishing the report) may not.
//!
//! Attachments follow their case: the case must also be inside [`case_scope`] (downloads) and,
//! to attach, inside the engine's scope for acting on it.

use crate::domain::Role;

pub use fazhi_procedure::org::Subject;

/// Something a user may try to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See the 工作台.
    ViewDashboard,
    /// See the department list and a department's page.
    ViewDepartments,
    /// Create, edit or deactivate departments.
    ManageDepartments,
    /// See people (of `department`, or of all departments when `None`).
    ViewPeople {
        /// The department whose people are asked for; `None` for all.
        department: Option<i64>,
    },
    /// Open the new-person form (rights over at least one department's people).
    AddPeople,
    /// Create, edit or deactivate a person of `department`.
    ManagePeople {
        /// The department the person belongs (or will belong) to.
        department: i64,
    },
    /// See case lists and the cases inside one's scope (what is inside is decided by the store's
    /// case scope: all, own department, or own cases).
    ViewCases,
    /// Create and deactivate staff accounts.
    ManageAccounts,
    /// Change the jurisdiction's name, level and code.
    ManageJurisdiction,
    /// See the tree of jurisdictions (辖区层级) with each one's departments and accounts.
    ViewJurisdictions,
    /// Add a subordinate jurisdiction to the tree, or rename or recode one.
    ManageJurisdictions,
    /// See indicators (of `department`, or jurisdiction-wide when `None`).
    ViewStatistics {
        /// The department whose figures are asked for; `None` for the whole jurisdiction.
        department: Option<i64>,
    },
    /// Submit a department's yearly figures (填报).
    SubmitFigures {
        /// The department submitting.
        department: i64,
    },
    /// See the annual report's drafts and versions.
    ViewReportDrafts,
    /// Draft, edit and lint the annual report.
    EditReport,
    /// Publish the annual report (or a correction).
    PublishReport,
    /// Attach a document to a case the user may act on.
    AddAttachments,
    /// Download a case's attachment (the case must be inside [`case_scope`]).
    DownloadAttachments,
    /// See the enforcement-certificate registry (of `department`, or all when `None`).
    ViewCertificates {
        /// The department whose people's certificates are asked for; `None` for all.
        department: Option<i64>,
    },
    /// Record or revoke certificates of people of `department` (`None`: open the registry's
    /// forms, rights over at least one department).
    ManageCertificates {
        /// The department of the certificate holder.
        department: Option<i64>,
    },
    /// Import certificates from a CSV file, jurisdiction-wide.
    ImportCertificates,
    /// Put people on, or revoke their entries of, the registries kept in `registry_members`
    /// (人民调解员, 法律援助人员, 法律顾问, 检查人员), jurisdiction-wide.
    ManageRegistries,
    /// Upload (or paste) another government's published report into 外部报告.
    AddExternalReports,
    /// See 法治督察: the deadlines, reports and figures of the jurisdictions below.
    ViewSupervision,
    /// Issue a 督办 (supervision notice) within one's jurisdiction and below.
    IssueNotices,
    /// Answer a 督办 addressed to `department` (`None`: to the jurisdiction, e.g. on its report).
    AnswerNotices {
        /// The addressed department.
        department: Option<i64>,
    },
    /// Record that the jurisdiction's annual report was submitted to the government above (报送).
    SubmitReportUpward,
}

impl Action {
    /// Stable code of the action, used to pick the Chinese refusal message.
    pub fn code(self) -> &'static str {
        match self {
            Action::ViewDashboard => "view_dashboard",
            Action::ViewDepartments => "view_departments",
            Action::ManageDepartments => "manage_departments",
            Action::ViewPeople { .. } => "view_people",
            Action::AddPeople => "add_people",
            Action::ManagePeople { .. } => "manage_people",
            Action::ViewCases => "view_cases",
            Action::ManageAccounts => "manage_accounts",
            Action::ManageJurisdiction => "manage_jurisdiction",
            Action::ViewJurisdictions => "view_jurisdictions",
            Action::ManageJurisdictions => "manage_jurisdictions",
            Action::ViewStatistics { .. } => "view_statistics",
            Action::SubmitFigures { .. } => "submit_figures",
            Action::ViewReportDrafts => "view_report_drafts",
            Action::EditReport => "edit_report",
            Action::PublishReport => "publish_report",
            Action::AddAttachments => "add_attachments",
            Action::DownloadAttachments => "download_attachments",
            Action::ViewCertificates { .. } => "view_certificates",
            Action::ManageCertificates { .. } => "manage_certificates",
            Action::ImportCertificates => "import_certificates",
            Action::ManageRegistries => "manage_registries",
            Action::AddExternalReports => "add_external_reports",
            Action::ViewSupervision => "view_supervision",
            Action::IssueNotices => "issue_notices",
            Action::AnswerNotices { .. } => "answer_notices",
            Action::SubmitReportUpward => "submit_report_upward",
        }
    }
}

/// Which departments' rows a user may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every department of the deployment (the system itself: `init`, the demo, tests).
    All,
    /// Every department of a jurisdiction and of every jurisdiction below it (a supervisor's
    /// scope: the account's own jurisdiction and its subtree).
    Subtree(i64),
    /// One department.
    Department(i64),
    /// None (the page is refused).
    Nothing,
}

impl Scope {
    /// Whether rows of `department` are inside the scope. A jurisdiction-wide scope includes
    /// every department id it is asked about: department ids reach an [`Action`] only from rows
    /// the store found inside the subject's scope (every store lookup by id filters by the
    /// subtree, `store::SUBTREE_SQL`), so the jurisdiction is checked there, once.
    pub fn includes(self, department: i64) -> bool {
        match self {
            Scope::All | Scope::Subtree(_) => true,
            Scope::Department(own) => own == department,
            Scope::Nothing => false,
        }
    }

    /// Whether the scope reaches beyond one department (a jurisdiction's, or everything).
    pub fn is_jurisdiction_wide(self) -> bool {
        matches!(self, Scope::All | Scope::Subtree(_))
    }

    /// The jurisdiction whose subtree the scope covers, if it covers a subtree (everything is
    /// the root's subtree).
    pub fn subtree_root(self) -> Option<i64> {
        match self {
            Scope::All => Some(crate::store::ROOT_JURISDICTION),
            Scope::Subtree(root) => Some(root),
            Scope::Department(_) | Scope::Nothing => None,
        }
    }
}

/// A refusal: the action the subject's role may not take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Denied {
    /// The role that asked.
    pub role: Role,
    /// The action refused.
    pub action: Action,
}

/// The departments whose organisation records (departments, people) `subject` may see: the
/// jurisdiction-wide roles see their jurisdiction and everything below it (which department a
/// given department id is in is the store's to say: [`Action`]s name departments the caller
/// has already found inside this scope).
pub fn department_scope(subject: &Subject) -> Scope {
    match subject.role {
        Role::Admin | Role::JusticeStaff | Role::Leader => Scope::Subtree(subject.jurisdiction_id),
        Role::DepartmentLegal => subject
            .department_id
            .map_or(Scope::Nothing, Scope::Department),
        Role::Officer => Scope::Nothing,
    }
}

/// Which cases a user may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseScope {
    /// The cases of a jurisdiction and of every jurisdiction below it.
    Subtree(i64),
    /// The cases of one department.
    Department(i64),
    /// The cases the account opened or is named on.
    Own(i64),
}

/// The cases `subject` may see (the store turns this into its query's condition).
pub fn case_scope(subject: &Subject) -> CaseScope {
    match subject.role {
        Role::Admin | Role::JusticeStaff | Role::Leader => {
            CaseScope::Subtree(subject.jurisdiction_id)
        }
        Role::DepartmentLegal => CaseScope::Department(subject.department_id.unwrap_or(-1)),
        Role::Officer => CaseScope::Own(subject.user_id),
    }
}

/// Decides whether `subject` may take `action`.
pub fn check(subject: &Subject, action: Action) -> Result<(), Denied> {
    let scope = department_scope(subject);
    let allowed = match action {
        Action::ViewDashboard | Action::ViewCases => true,
        Action::ViewDepartments => scope != Scope::Nothing,
        Action::ManageDepartments
        | Action::ManageAccounts
        | Action::ManageJurisdiction
        | Action::ManageJurisdictions => subject.role == Role::Admin,
        Action::ViewJurisdictions => {
            matches!(
                subject.role,
                Role::Admin | Role::JusticeStaff | Role::Leader
            )
        }
        Action::ViewPeople { department: None } => scope != Scope::Nothing,
        Action::ViewPeople {
            department: Some(department),
        } => scope.includes(department),
        Action::AddPeople => subject.role != Role::Leader && scope != Scope::Nothing,
        Action::ManagePeople { department } => {
            subject.role != Role::Leader && scope.includes(department)
        }
        Action::ViewStatistics { department: None } => scope.is_jurisdiction_wide(),
        Action::ViewStatistics {
            department: Some(department),
        } => scope.includes(department),
        Action::SubmitFigures { department } => {
            matches!(subject.role, Role::JusticeStaff | Role::DepartmentLegal)
                && scope.includes(department)
        }
        Action::ViewReportDrafts => {
            matches!(
                subject.role,
                Role::Admin | Role::JusticeStaff | Role::Leader
            )
        }
        Action::EditReport => subject.role == Role::JusticeStaff,
        Action::PublishReport => matches!(subject.role, Role::JusticeStaff | Role::Leader),
        Action::AddAttachments => subject.role != Role::Leader,
        Action::DownloadAttachments => true,
        Action::ViewCertificates { department: None } => scope != Scope::Nothing,
        Action::ViewCertificates {
            department: Some(department),
        } => scope.includes(department),
        Action::ManageCertificates { department: None } => {
            subject.role != Role::Leader && scope != Scope::Nothing
        }
        Action::ManageCertificates {
            department: Some(department),
        } => subject.role != Role::Leader && scope.includes(department),
        Action::ImportCertificates | Action::ManageRegistries => {
            matches!(subject.role, Role::Admin | Role::JusticeStaff)
        }
        Action::AddExternalReports => subject.role != Role::Leader && scope.is_jurisdiction_wide(),
        Action::ViewSupervision => matches!(subject.role, Role::JusticeStaff | Role::Leader),
        Action::IssueNotices | Action::SubmitReportUpward => subject.role == Role::JusticeStaff,
        Action::AnswerNotices { department: None } => subject.role == Role::JusticeStaff,
        Action::AnswerNotices {
            department: Some(department),
        } => {
            matches!(subject.role, Role::JusticeStaff | Role::DepartmentLegal)
                && scope.includes(department)
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied {
            role: subject.role,
            action,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: i64 = 7;
    const OTHER: i64 = 8;

    fn subject(role: Role) -> Subject {
        Subject {
            user_id: 1,
            role,
            department_id: role.needs_department().then_some(OWN),
            jurisdiction_id: 1,
        }
    }

    /// The table in the module documentation, row by row: (action, [admin, justice staff,
    /// department legal, officer, leader]).
    #[test]
    fn the_access_table_holds_for_every_role_and_action() {
        let table: [(Action, [bool; 5]); 40] = [
            (
                Action::ViewStatistics { department: None },
                [true, true, false, false, true],
            ),
            (
                Action::ViewStatistics {
                    department: Some(OWN),
                },
                [true, true, true, false, true],
            ),
            (
                Action::ViewStatistics {
                    department: Some(OTHER),
                },
                [true, true, false, false, true],
            ),
            (
                Action::SubmitFigures { department: OWN },
                [false, true, true, false, false],
            ),
            (
                Action::SubmitFigures { department: OTHER },
                [false, true, false, false, false],
            ),
            (Action::ViewReportDrafts, [true, true, false, false, true]),
            (Action::ViewSupervision, [false, true, false, false, true]),
            (Action::IssueNotices, [false, true, false, false, false]),
            (
                Action::SubmitReportUpward,
                [false, true, false, false, false],
            ),
            (
                Action::AnswerNotices { department: None },
                [false, true, false, false, false],
            ),
            (
                Action::AnswerNotices {
                    department: Some(OWN),
                },
                [false, true, true, false, false],
            ),
            (
                Action::AnswerNotices {
                    department: Some(OTHER),
                },
                [false, true, false, false, false],
            ),
            (Action::EditReport, [false, true, false, false, false]),
            (Action::PublishReport, [false, true, false, false, true]),
            (Action::ViewCases, [true, true, true, true, true]),
            (Action::AddPeople, [true, true, true, false, false]),
            (Action::ViewDashboard, [true, true, true, true, true]),
            (Action::ViewDepartments, [true, true, true, false, true]),
            (
                Action::ManageDepartments,
                [true, false, false, false, false],
            ),
            (
                Action::ViewPeople { department: None },
                [true, true, true, false, true],
            ),
            (
                Action::ViewPeople {
                    department: Some(OWN),
                },
                [true, true, true, false, true],
            ),
            (
                Action::ViewPeople {
                    department: Some(OTHER),
                },
                [true, true, false, false, true],
            ),
            (
                Action::ManagePeople { department: OWN },
                [true, true, true, false, false],
            ),
            (
                Action::ManagePeople { department: OTHER },
                [true, true, false, false, false],
            ),
            (Action::ManageAccounts, [true, false, false, false, false]),
            (
                Action::ManageJurisdiction,
                [true, false, false, false, false],
            ),
            (Action::ViewJurisdictions, [true, true, false, false, true]),
            (
                Action::ManageJurisdictions,
                [true, false, false, false, false],
            ),
            (Action::ViewDashboard, [true, true, true, true, true]),
            (Action::AddAttachments, [true, true, true, true, false]),
            (Action::DownloadAttachments, [true, true, true, true, true]),
            (
                Action::ViewCertificates { department: None },
                [true, true, true, false, true],
            ),
            (
                Action::ViewCertificates {
                    department: Some(OWN),
                },
                [true, true, true, false, true],
            ),
            (
                Action::ViewCertificates {
                    department: Some(OTHER),
                },
                [true, true, false, false, true],
            ),
            (
                Action::ManageCertificates { department: None },
                [true, true, true, false, false],
            ),
            (
                Action::ManageCertificates {
                    department: Some(OWN),
                },
                [true, true, true, false, false],
            ),
            (
                Action::ManageCertificates {
                    department: Some(OTHER),
                },
                [true, true, false, false, false],
            ),
            (
                Action::ImportCertificates,
                [true, true, false, false, false],
            ),
            (Action::ManageRegistries, [true, true, false, false, false]),
            (
                Action::AddExternalReports,
                [true, true, false, false, false],
            ),
        ];
        for (action, expected) in table {
            for (role, allowed) in Role::ALL.into_iter().zip(expected) {
                assert_eq!(
                    check(&subject(role), action).is_ok(),
                    allowed,
                    "{role:?} × {action:?}"
                );
            }
        }
    }

    #[test]
    fn case_scopes_follow_the_role() {
        assert_eq!(case_scope(&subject(Role::Leader)), CaseScope::Subtree(1));
        assert_eq!(
            case_scope(&subject(Role::JusticeStaff)),
            CaseScope::Subtree(1)
        );
        assert_eq!(
            case_scope(&subject(Role::DepartmentLegal)),
            CaseScope::Department(OWN)
        );
        assert_eq!(case_scope(&subject(Role::Officer)), CaseScope::Own(1));
    }

    #[test]
    fn a_department_legal_officer_without_a_department_sees_nothing() {
        let lost = Subject {
            user_id: 1,
            role: Role::DepartmentLegal,
            department_id: None,
            jurisdiction_id: 1,
        };
        assert_eq!(department_scope(&lost), Scope::Nothing);
        assert!(check(&lost, Action::ViewDepartments).is_err());
    }
}
