//! What every signed-in page's frame shows: the jurisdiction, the user, the navigation the
//! user's role may follow, the CSRF token for the sign-out form, and an optional notice.

use crate::authz::{self, Action};
use crate::store::{Reach, Store};

use super::error::WebError;
use super::messages;
use super::session::SignedIn;

/// One navigation link.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Target path.
    pub href: &'static str,
    /// Chinese label.
    pub label: &'static str,
    /// Whether it is the current section.
    pub current: bool,
}

/// The frame around a signed-in page.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Page title.
    pub title: String,
    /// Jurisdiction name (or a prompt to set it).
    pub jurisdiction: String,
    /// Whether the jurisdiction is the fictional demo.
    pub is_demo: bool,
    /// Signed-in user's name.
    pub user_name: String,
    /// Signed-in user's role, in Chinese.
    pub role_label: &'static str,
    /// Navigation.
    pub nav: Vec<NavItem>,
    /// CSRF token.
    pub csrf_token: String,
    /// A notice after a redirect.
    pub notice: Option<&'static str>,
    /// The deployment's settings as loaded for the frame (the root jurisdiction's name, level,
    /// code and demo flags), for pages that show more of it.
    pub jurisdiction_record: Option<crate::store::org::Jurisdiction>,
    /// Whether the account sees more than one jurisdiction (its own and those below): lists
    /// then say which jurisdiction each row belongs to.
    pub supervises: bool,
}

impl Layout {
    /// Builds the frame for `user` on the page titled `title` in section `section` (a nav href).
    pub async fn new(
        store: &Store,
        user: &SignedIn,
        title: &str,
        section: &str,
        notice: Option<&str>,
    ) -> Result<Layout, WebError> {
        let jurisdiction = store.jurisdiction().await?;
        let subject = &user.subject;
        // The frame names the account's own jurisdiction (a district's staff work for the
        // district, not for the city whose deployment it is).
        let within = store.jurisdictions_within(Reach::of(subject)).await?;
        let own_name = within
            .first()
            .map(|(j, _)| j.name.clone())
            .filter(|name| !name.is_empty());
        let supervises =
            within.len() > 1 && authz::department_scope(subject).is_jurisdiction_wide();
        // Department-scoped roles see their own department's statistics and submissions.
        let own = match authz::department_scope(subject) {
            authz::Scope::Department(id) => Some(id),
            _ => None,
        };
        let candidates: [(&'static str, &'static str, Action); 14] = [
            ("/", "工作台", Action::ViewDashboard),
            ("/cases", "案件办理", Action::ViewCases),
            (
                "/statistics",
                "统计",
                Action::ViewStatistics { department: own },
            ),
            (
                "/submissions",
                "数据填报",
                Action::SubmitFigures {
                    department: own.unwrap_or(0),
                },
            ),
            ("/report", "年度报告", Action::ViewReportDrafts),
            ("/supervision", "法治督察", Action::ViewSupervision),
            (
                "/supervision/notices",
                "督办",
                Action::AnswerNotices { department: own },
            ),
            (
                "/external",
                "外部报告",
                Action::ViewStatistics { department: None },
            ),
            ("/departments", "部门", Action::ViewDepartments),
            ("/people", "人员", Action::ViewPeople { department: None }),
            (
                "/certificates",
                "执法证件",
                Action::ViewCertificates { department: None },
            ),
            ("/accounts", "账号", Action::ManageAccounts),
            ("/jurisdictions", "辖区层级", Action::ViewJurisdictions),
            ("/settings", "辖区设置", Action::ManageJurisdiction),
        ];
        let nav = candidates
            .into_iter()
            .filter(|(_, _, action)| authz::check(subject, *action).is_ok())
            // A supervisor reaches 督办 from 法治督察; the others answer theirs from their own
            // entry, and 法治督察 shows only where there is a jurisdiction below.
            .filter(|(href, _, _)| match *href {
                "/supervision" => supervises,
                "/supervision/notices" => !supervises,
                _ => true,
            })
            .map(|(href, label, _)| NavItem {
                href,
                label,
                current: href == section,
            })
            .collect();
        Ok(Layout {
            title: title.to_owned(),
            jurisdiction: own_name.unwrap_or_else(|| "（辖区尚未设置）".to_owned()),
            is_demo: jurisdiction.as_ref().is_some_and(|j| j.is_demo),
            user_name: user.display_name.clone(),
            role_label: messages::role_label(subject.role),
            nav,
            csrf_token: user.csrf_token.clone(),
            notice: notice.and_then(messages::notice),
            jurisdiction_record: jurisdiction,
            supervises,
        })
    }
}
