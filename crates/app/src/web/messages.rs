//! Every Chinese message the web layer shows that is not in a template, keyed by stable code.
//! A test checks that each code used by `domain`, `store` and `authz` has a message here.

use crate::authz::{Action, Denied};
use crate::domain::{Level, Role};

/// The role's Chinese name.
pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Admin => "系统管理员",
        Role::JusticeStaff => "司法局工作人员",
        Role::DepartmentLegal => "部门法制人员",
        Role::Officer => "执法人员",
        Role::Leader => "领导",
    }
}

/// The level's Chinese name.
pub fn level_label(level: Level) -> &'static str {
    match level {
        Level::Province => "省",
        Level::City => "市",
        Level::County => "县区",
        Level::DevelopmentZone => "开发区",
    }
}

/// What the action is, in words that complete "无权…".
fn action_phrase(action: Action) -> &'static str {
    match action {
        Action::ViewDashboard => "查看工作台",
        Action::ViewDepartments => "查看部门管理页面",
        Action::ManageDepartments => "新增、修改或停用部门",
        Action::ViewPeople { department: None } => "查看人员名录",
        Action::ViewPeople {
            department: Some(_),
        } => "查看其他部门的人员",
        Action::AddPeople => "新增人员",
        Action::ManagePeople { .. } => "维护该部门的人员信息",
        Action::ManageAccounts => "管理系统账号",
        Action::ManageJurisdiction => "修改辖区设置",
    }
}

/// The refusal shown on a 403 page.
pub fn denied(denied: &Denied) -> String {
    format!(
        "您的角色为“{}”，无权{}。如确需办理，请联系本单位系统管理员。",
        role_label(denied.role),
        action_phrase(denied.action)
    )
}

/// The message for a field error code.
pub fn field_error(code: &str) -> &'static str {
    match code {
        "required" => "此项为必填项。",
        "too_long" => "内容过长，请精简。",
        "too_short" => "内容过短。",
        "control_characters" => "包含不可见的控制字符，请删除。",
        "invalid_phone" => "电话号码格式不正确，请填写3至20位数字，可含“-”和空格。",
        "invalid_person_name" => "姓名应为2至20个汉字（少数民族姓名可含“·”）或英文字母。",
        "invalid_level" => "请选择辖区层级。",
        "invalid_division_code" => "行政区划代码应为6位数字（GB/T 2260）。",
        "invalid_username" => "账号名应为3至32位英文字母、数字或“._-”。",
        "invalid_role" => "请选择角色。",
        "department_required_for_role" => "部门法制人员和执法人员必须指定所属部门。",
        "password_length" => "密码长度应为10至128个字符。",
        "duplicate_department_name" => "已有同名部门，请勿重复登记。",
        "duplicate_username" => "该账号名已被使用。",
        "unknown_department" => "所选部门不存在。",
        "inactive_department" => "所选部门已停用，不能新增人员。",
        _ => "填写有误，请检查。",
    }
}

/// Every field error code the domain and store produce (for the completeness test).
pub const FIELD_ERROR_CODES: &[&str] = &[
    "required",
    "too_long",
    "too_short",
    "control_characters",
    "invalid_phone",
    "invalid_person_name",
    "invalid_level",
    "invalid_division_code",
    "invalid_username",
    "invalid_role",
    "department_required_for_role",
    "password_length",
    "duplicate_department_name",
    "duplicate_username",
    "unknown_department",
    "inactive_department",
];

/// Notices shown after a redirect (`?notice=code`).
pub fn notice(code: &str) -> Option<&'static str> {
    Some(match code {
        "department_created" => "部门已新增。",
        "department_updated" => "部门信息已保存。",
        "department_deactivated" => "部门已停用；历史记录仍保留。",
        "department_reactivated" => "部门已恢复启用。",
        "person_created" => "人员已新增。",
        "person_updated" => "人员信息已保存。",
        "person_deactivated" => "人员已停用；历史记录仍保留。",
        "person_reactivated" => "人员已恢复启用。",
        "account_created" => "账号已创建。",
        "account_deactivated" => "账号已停用，其登录会话已全部结束。",
        "account_reactivated" => "账号已恢复启用。",
        "jurisdiction_saved" => "辖区设置已保存。",
        "signed_out" => "您已安全退出。",
        _ => return None,
    })
}

/// Sign-in failures.
pub mod login {
    /// Wrong name or password (deliberately not saying which).
    pub const WRONG: &str = "账号或密码错误。";
    /// Empty fields.
    pub const EMPTY: &str = "请输入账号和密码。";
    /// Too many failures for this account.
    pub fn locked(minutes: i64) -> String {
        format!("登录失败次数过多，该账号已临时锁定，请{minutes}分钟后再试。")
    }
    /// Too many failures from this address.
    pub const CLIENT_THROTTLED: &str = "该地址登录失败次数过多，请稍后再试。";
}

/// Generic errors.
pub mod errors {
    /// 404.
    pub const NOT_FOUND: &str = "您要找的页面或记录不存在。";
    /// 500, followed by the operation id.
    pub const INTERNAL: &str =
        "系统内部错误，操作未完成，数据未作更改。请将以下操作编号告知系统管理员：";
    /// CSRF check failed.
    pub const CSRF: &str = "页面已过期或请求来源不明，操作未执行。请返回、刷新页面后重试。";
    /// A form failed validation.
    pub const FORM: &str = "表单填写有误，请按提示修改后重新提交；本次未保存任何内容。";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_error_code_has_its_own_message() {
        for code in FIELD_ERROR_CODES {
            assert_ne!(field_error(code), field_error("no such code"), "{code}");
        }
    }

    #[test]
    fn a_refusal_names_the_role_and_the_action() {
        let message = denied(&Denied {
            role: Role::Officer,
            action: Action::ViewDepartments,
        });
        assert!(message.contains("执法人员"));
        assert!(message.contains("部门管理"));
    }
}
