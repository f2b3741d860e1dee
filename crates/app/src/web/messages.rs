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
        Action::ViewCases => "查看案件",
        Action::ViewStatistics { department: None } => "查看全辖区统计",
        Action::ViewStatistics {
            department: Some(_),
        } => "查看其他部门的统计",
        Action::SubmitFigures { .. } => "为该部门填报数据",
        Action::ViewReportDrafts => "查看年度报告草稿",
        Action::EditReport => "起草或修改年度报告",
        Action::PublishReport => "发布年度报告",
        Action::ManageAccounts => "管理系统账号",
        Action::ManageJurisdiction => "修改辖区设置",
        Action::ViewJurisdictions => "查看辖区层级",
        Action::ManageJurisdictions => "新增或修改下级辖区",
        Action::AddAttachments => "上传案件附件",
        Action::DownloadAttachments => "下载案件附件",
        Action::ViewCertificates { department: None } => "查看执法证件名录",
        Action::ViewCertificates {
            department: Some(_),
        } => "查看其他部门人员的执法证件",
        Action::ManageCertificates { .. } => "登记或注销该部门人员的执法证件",
        Action::ImportCertificates => "批量导入执法证件",
        Action::ManageRegistries => "登记或撤销人民调解员、法律援助人员、法律顾问、检查人员名录",
        Action::AddExternalReports => "上传外部报告",
        Action::ViewSupervision => "查看法治督察",
        Action::IssueNotices => "发出督办",
        Action::AnswerNotices { .. } => "答复该督办",
        Action::SubmitReportUpward => "报送年度报告",
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
        "unknown_jurisdiction" => "所选辖区不存在或不在您的管辖范围内。",
        "invalid_reply_period" => "答复期限应为1至60个工作日。",
        "unknown_case_number" => "该辖区没有此案号的案件，请核对案号。",
        "notice_already_answered" => "该督办已答复，不能重复答复。",
        _ => jurisdictions::field_error(code).unwrap_or("填写有误，请检查。"),
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
    "unknown_jurisdiction",
    "invalid_reply_period",
    "unknown_case_number",
    "notice_already_answered",
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
        "case_opened" => "案件已登记。",
        "case_step_recorded" => "办理步骤已记录。",
        "certificate_recorded" => "执法证件已登记。",
        "certificate_revoked" => "执法证件已注销；注销原因已记录。",
        "certificates_imported" => "执法证件已全部导入。",
        "attachment_added" => "附件已上传，其内容摘要已记入防篡改日志。",
        "signed_out" => "您已安全退出。",
        "figures_submitted" => "填报数据已保存并记入日志。",
        "external_report_read" => "报告已读取并保存。",
        "report_drafted" => "已按最新统计数据起草报告，并保存为新版本。",
        "report_saved" => "报告已保存为新版本。",
        "report_published" => "报告已发布到门户网站，并记入日志。",
        "notice_issued" => "督办已发出并记入日志，已列入被督办单位的待办事项。",
        "notice_answered" => "督办答复已提交并记入日志。",
        "report_submitted_upward" => "已记录年度报告报送上一级政府，并记入日志。",
        "report_year_invalid" => "报告年度无效，请重新选择。",
        "report_not_drafted" => "该年度报告尚未起草，不能报送；请先在“年度报告”中起草。",
        "report_already_submitted" => "该年度报告已报送，不能重复报送。",
        _ => return jurisdictions::notice(code),
    })
}

/// Why an attachment was refused, naming the limit or the accepted kinds.
pub fn attachment_refusal(code: &str) -> &'static str {
    match code {
        "empty" => "请选择要上传的文件；空文件不能作为附件。",
        "too_large" => "附件过大：单个附件不得超过 20 MiB，本次未保存任何内容。",
        "unknown_type" => {
            "不支持该文件类型（按文件内容识别，不看扩展名）：仅接受 PDF、OFD、Word（.docx）、Excel（.xlsx）、JPEG、PNG 图片和 UTF-8 纯文本，本次未保存任何内容。"
        }
        "duplicate_attachment" => "该文件已是本案附件，无需重复上传。",
        "not_actionable" => "该案件不在您的办理范围内，不能上传附件。",
        _ => "上传未完成，请重新选择文件后提交；本次未保存任何内容。",
    }
}

/// The message for a certificate-registry error code (the form, a revocation, an import row).
pub fn certificate_error(code: &str) -> &'static str {
    match code {
        "required" => "此项为必填项。",
        "too_long" => "内容过长，请精简。",
        "control_characters" => "包含不可见的控制字符，请删除。",
        "invalid_date" => "日期格式应为“年-月-日”，例如 2025-03-01，且须为真实存在的日期。",
        "validity_reversed" => "有效期止不能早于有效期起。",
        "unknown_person" => "找不到该人员（须为在岗人员）。",
        "person_out_of_scope" => "该人员不属于您可管理的部门。",
        "ambiguous_person" => "有多名在岗人员同名，请改用“人员编号”列指明。",
        "duplicate_certificate" => "该证件号已登记，证件号不能重复。",
        "duplicate_in_file" => "该证件号在文件中重复出现。",
        "already_revoked" => "该证件已注销。",
        "missing_column" => {
            "缺少此列（表头须含：姓名或人员编号、证件号、执法领域、有效期起、有效期止）。"
        }
        "file_too_large" => "文件过大：导入文件不得超过 2 MiB。",
        "unknown_encoding" => {
            "无法识别文件编码：请另存为 UTF-8 或 GB18030（Excel 的“CSV（逗号分隔）”）格式。"
        }
        "malformed_csv" => "CSV 格式有误（例如引号未闭合）。",
        "empty_file" => "文件为空，或未选择文件。",
        "no_rows" => "文件中没有证件数据行。",
        "too_many_rows" => "数据行过多：一次最多导入 5000 行，请分批导入。",
        _ => "填写有误，请检查。",
    }
}

/// The column or field a certificate error concerns, as the file or form names it.
pub fn certificate_column(field: &str) -> &'static str {
    match field {
        "holder" | "person_id" => "姓名/人员编号",
        "number" => "证件号",
        "field_of_law" => "执法领域",
        "valid_from" => "有效期起",
        "valid_until" => "有效期止",
        "reason" => "注销原因",
        _ => "文件",
    }
}

/// Refusal to open a case of a procedure.
pub fn case_refusal_open(role: Role, procedure: &str) -> String {
    format!(
        "您的角色为“{}”，不能登记{}案件。",
        role_label(role),
        procedure
    )
}

/// The message for a field's problem; every problem has its own, no fallback.
pub fn field_problem(problem: crate::engine::FieldProblem) -> &'static str {
    use crate::engine::FieldProblem as P;
    match problem {
        P::InvalidDate => "日期格式应为“年-月-日”，例如 2025-03-01，且须为真实存在的日期。",
        P::DateOutOfRange => "日期应在1990-01-01至2099-12-31之间，请核对年份。",
        P::InvalidMoney => "金额应为不超过两位小数的非负数，单位为元，且不超过1000亿元。",
        P::InvalidNumber => "应为不超过10亿的非负整数。",
        P::InvalidBool => "请选择“是”或“否”。",
        P::NotAnOption => "请从列表中选择。",
        P::InvalidReference => "请从列表中选择。",
        P::InvalidDocument => "文件无效。",
        P::UnknownDocument => "所选文件不是本案附件，请先在案件页面上传附件。",
        P::TooLong => "内容过长（不超过4000字）。",
        P::ControlCharacters => "包含不可见的控制字符，请删除。",
        P::UnknownField => "该项不属于此程序。",
        P::NotOffered => "该项不属于此步骤，请在相应步骤中填写。",
        P::NotInRegistry => "所选人员不在该项要求的名录中（或其登记已撤销），请从列表中选择。",
        P::PersonOutOfScope => "只能选择本部门的人员。",
        P::DuplicatePerson => "同一人员不能重复选择。",
        P::UnknownDepartment => "该部门不存在或已停用。",
        P::DepartmentOutOfScope => "只能选择本部门。",
    }
}

/// A refusal in Chinese: one message for the form, and one beside each field it names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RefusalText {
    /// The message shown with the form (or at the top of the page).
    pub message: String,
    /// Field id and its message.
    pub fields: Vec<(String, String)>,
}

impl RefusalText {
    fn general(message: impl Into<String>) -> Self {
        RefusalText {
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// The message beside `field`, if any.
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// The Chinese for a refused case command. Every refusal code is matched, with no fallback: a
/// new code does not compile until it has its words.
pub fn case_error(
    error: &crate::cases::CaseError,
    procedure: &crate::procedure::Procedure,
) -> RefusalText {
    use crate::cases::CaseError;
    use crate::engine::{ExtensionProblem, Refusal};
    let label_of = |action: &str| procedure.step_label(action).to_owned();
    let state_of = |state: &str| {
        procedure
            .state(state)
            .map_or_else(|| state.to_owned(), |s| s.label.clone())
    };
    let date_name = |name: &str| match name {
        "step" => "办理日期".to_owned(),
        "opened" => "登记日期".to_owned(),
        field => procedure.field_label(field).to_owned(),
    };
    match error {
        CaseError::DepartmentOutOfScope => RefusalText {
            message: "只能为本部门登记案件，且部门须在用。".into(),
            fields: vec![(
                "department_id".into(),
                "只能为本部门登记案件，且部门须在用。".into(),
            )],
        },
        CaseError::StepDate {
            on,
            earliest,
            latest,
        } => {
            let text = if on > latest {
                format!("办理日期{on}晚于今天（{latest}），不能记录尚未发生的办理环节。")
            } else {
                format!(
                    "办理日期{on}早于{earliest}：本程序依据{}（{}起施行），且办理日期不得早于案件登记日期。",
                    procedure.statute, procedure.in_force
                )
            };
            RefusalText {
                message: text.clone(),
                fields: vec![("on".into(), text)],
            }
        }
        CaseError::TotalOutOfRange => RefusalText::general(
            "本步骤的金额将使本年度该项累计金额超出系统可记录的上限，未予保存。请核对金额是否多填了位数。",
        ),
        CaseError::Store(_) => RefusalText::general(errors::INTERNAL),
        CaseError::Refused(refusal) => match refusal {
            Refusal::UnknownAction { action } => {
                RefusalText::general(format!("该程序没有“{action}”这一步骤。"))
            }
            Refusal::NotAllowedInState { action, state } => RefusalText::general(format!(
                "案件当前状态为“{}”，不能进行“{}”。",
                state_of(state),
                label_of(action)
            )),
            Refusal::RoleNotAllowed { role, action } => RefusalText::general(format!(
                "您的角色为“{}”，不能进行“{}”。",
                role_label(*role),
                if action == "open" {
                    "登记案件".to_owned()
                } else {
                    label_of(action)
                }
            )),
            Refusal::NotAssigned { action } => {
                RefusalText::general(format!("“{}”只能由本案承办人员办理。", label_of(action)))
            }
            Refusal::OutOfScope => RefusalText::general("该案件不在您的办理范围内。"),
            Refusal::StaleVersion { .. } => RefusalText::general(
                "案件已被他人更新（例如另一位工作人员刚刚办理了某一步骤），本次操作未执行。请查看最新情况后重新提交。",
            ),
            Refusal::MissingFields { fields } => RefusalText {
                message: format!(
                    "以下必填项未填写：{}。本次未保存任何内容。",
                    fields
                        .iter()
                        .map(|f| procedure.field_label(f))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                fields: fields
                    .iter()
                    .map(|f| (f.clone(), field_error("required").to_owned()))
                    .collect(),
            },
            Refusal::InvalidFields { problems } => RefusalText {
                message: format!(
                    "以下各项填写有误：{}。本次未保存任何内容。",
                    problems
                        .iter()
                        .map(|(f, _)| procedure.field_label(f))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                fields: problems
                    .iter()
                    .map(|(f, p)| (f.clone(), field_problem(*p).to_owned()))
                    .collect(),
            },
            Refusal::Guard(guard) => {
                let mut message = guard.text.trim_end_matches('。').to_owned();
                let named: Vec<String> = guard
                    .fields
                    .iter()
                    .zip(guard.dates.iter().map(Some).chain(std::iter::repeat(None)))
                    .map(|(f, d)| match d {
                        Some(d) if guard.kind == fazhi_procedure::GuardKind::DateOrder => {
                            format!("{}：{}", date_name(f), crate::store::cases::date_text(*d))
                        }
                        _ => date_name(f),
                    })
                    .collect();
                if !named.is_empty() {
                    message.push_str(&format!("（{}）", named.join("；")));
                } else if let Some(due) = guard.dates.first() {
                    message.push_str(&format!(
                        "（期限届满日：{}）",
                        crate::store::cases::date_text(*due)
                    ));
                }
                message.push_str(&format!("。依据：{}。", guard.article));
                RefusalText {
                    fields: guard
                        .fields
                        .iter()
                        .filter(|f| procedure.field(f).is_some())
                        .map(|f| (f.clone(), message.clone()))
                        .collect(),
                    message,
                }
            }
            Refusal::Extension {
                problem,
                timer,
                article,
                max,
            } => {
                let why = match problem {
                    ExtensionProblem::NotRunning => {
                        format!("“{timer}”现不在计算中，无须也不能延长")
                    }
                    ExtensionProblem::Lapsed => format!("“{timer}”已届满，延长须在期限届满前批准"),
                    ExtensionProblem::Exhausted => format!("“{timer}”已延长过，不能再次延长"),
                    ExtensionProblem::TooLong => format!(
                        "延长期限超过法定上限{}",
                        max.map(|m| m.to_string()).unwrap_or_default()
                    ),
                    ExtensionProblem::ZeroLength => "延长期限须至少为1".to_owned(),
                };
                RefusalText::general(format!("{why}。依据：{article}。"))
            }
        },
    }
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
    /// A request body over the upload limit (the middleware's refusal).
    pub const TOO_LARGE: &str = "上传内容过大，操作未执行：单个附件不得超过 20 MiB。";
    /// `/log/proof/inclusion` with an index or size out of range.
    pub const BAD_INCLUSION: &str =
        "无法出具包含证明：index 应小于 size，且 size 不得超过日志当前的大小。";
    /// `/log/proof/consistency` with sizes out of range.
    pub const BAD_CONSISTENCY: &str = "无法出具一致性证明：应满足 0 < old ≤ new ≤ 日志当前的大小。";
    /// A path parameter that does not parse (`/case/abc`).
    pub const BAD_PATH: &str = "页面地址有误：地址中的编号应为正整数。请从列表或工作台进入。";
    /// A query string that does not fit the page's parameters.
    pub const BAD_QUERY: &str = "请求参数有误：地址中“?”之后的参数缺失或格式不对，未执行任何操作。";
    /// A form body that does not fit the form (missing or malformed fields).
    pub const BAD_FORM: &str =
        "提交的表单不完整或格式有误，未保存任何内容。请刷新页面后重新填写提交。";
    /// An ordinary form's body over its limit (256 KB).
    pub const FORM_TOO_LARGE: &str = "提交的表单内容过大（超过 256 KB），操作未执行。请精简填写的文字后重试；文件请通过“上传附件”提交。";
    /// A form whose bytes are not UTF-8 text.
    pub const NOT_UTF8: &str = "提交的内容含有无法识别的字符（不是有效的 UTF-8 文本），操作未执行、未保存任何内容。请检查输入法或从其他软件粘贴的内容后重试。";
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

/// The registries kept on a person's page (人民调解员, 法律援助人员, 法律顾问, 检查人员).
pub mod registries {
    /// The message for an error code of the registry-entry form or a revocation.
    pub fn error(code: &str) -> &'static str {
        match code {
            "unknown_registry" => {
                "请从列表中选择名录（人民调解员、法律援助人员、法律顾问或检查人员）。"
            }
            "invalid_date" => {
                "日期格式应为“年-月-日”，例如 2025-03-01，且须为真实存在的日期；不限期可留空。"
            }
            "validity_reversed" => "有效期止不能早于有效期起。",
            "too_long" => "备注过长：不超过200字。",
            "control_characters" => "包含不可见的控制字符，请删除。",
            "unknown_person" => "找不到该人员。",
            "inactive_person" => "该人员已停用，不能登记到名录；请先恢复启用。",
            "duplicate_registry_entry" => {
                "该人员已在此名录中，且有效期与本次登记重叠；如需更正，请先撤销原登记。"
            }
            "already_revoked" => "该登记已撤销，无须重复撤销。",
            _ => "填写有误，请检查。",
        }
    }

    /// Every error code the registry store and form produce (for the completeness test).
    pub const ERROR_CODES: &[&str] = &[
        "unknown_registry",
        "invalid_date",
        "validity_reversed",
        "too_long",
        "control_characters",
        "unknown_person",
        "inactive_person",
        "duplicate_registry_entry",
        "already_revoked",
    ];

    /// Notices on the person's page after a redirect (`?notice=code`).
    pub fn notice(code: &str) -> Option<&'static str> {
        Some(match code {
            "registry_member_added" => "已登记到名录，并记入日志。",
            "registry_member_revoked" => "名录登记已撤销；原登记仍保留，并已记入日志。",
            _ => return None,
        })
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn every_registry_error_code_has_its_own_message() {
            for code in super::ERROR_CODES {
                assert_ne!(super::error(code), super::error("no such code"), "{code}");
            }
        }
    }
}

/// Refusals of references to records that are not in use (hardening: references).
pub mod references {
    /// 数据填报 for a deactivated department.
    pub const INACTIVE_DEPARTMENT_SUBMISSION: &str = "该部门已停用，不能填报数据；如确需补报，请先由系统管理员恢复启用该部门。本次未保存任何内容。";
}

/// The tree of jurisdictions (辖区层级, `/jurisdictions`): the refusals of a jurisdiction's code,
/// level and place, and the notices after saving.
pub mod jurisdictions {
    /// The message for a field error code of the jurisdiction form, if it is one of this
    /// section's (`super::field_error` falls back to it).
    pub fn field_error(code: &str) -> Option<&'static str> {
        Some(match code {
            "unknown_province_code" => {
                "行政区划代码的前两位应为省级代码（11–15、21–23、31–37、41–46、50–54、61–65、71、81、82），请核对 GB/T 2260。"
            }
            "demo_code_outside_demo" => {
                "以99开头的代码是演示数据使用的虚构代码，只能用于演示系统；请填写真实的行政区划代码。"
            }
            "code_level_mismatch" => {
                "行政区划代码与层级不符：省级代码后四位为0000，地级市代码后两位为00，县级（县、区、县级市、开发区）代码后两位不为00。"
            }
            "level_not_below_parent" => {
                "层级应低于上级辖区：省下设市或县（区），市下设县（区、县级市）或开发区，县级辖区下不再设下级辖区。"
            }
            "county_needs_city" => {
                "县级辖区应设在所属的地级市之下；只有直辖市的区县和省直辖县级行政区划（代码第三、四位为90）可直接设在省级辖区之下。"
            }
            "code_outside_parent" => {
                "行政区划代码应在上级辖区的代码范围内：市与所属省的前两位相同，县级辖区与所属市的前四位相同（直辖市的区县与市的前两位相同）。"
            }
            "parent_without_code" => {
                "上级辖区尚未填写行政区划代码，请先在“辖区设置”中填写本级辖区的名称、层级和代码。"
            }
            "unknown_parent" => "上级辖区不存在，请从辖区层级页面选择上级辖区。",
            "duplicate_division_code" => "该行政区划代码已被其他辖区使用，请勿重复登记。",
            "level_not_above_children" => {
                "层级应高于已设的下级辖区；如需调整层级，请先调整其下级辖区。"
            }
            "code_not_above_children" => {
                "修改后的代码不再涵盖已设的下级辖区（市与所属省前两位相同，县级辖区与所属市前四位相同）；请先调整下级辖区。"
            }
            _ => return None,
        })
    }

    /// Every field error code the tree's rules produce (for the completeness test).
    pub const FIELD_ERROR_CODES: &[&str] = &[
        "unknown_province_code",
        "demo_code_outside_demo",
        "code_level_mismatch",
        "level_not_below_parent",
        "county_needs_city",
        "code_outside_parent",
        "parent_without_code",
        "unknown_parent",
        "duplicate_division_code",
        "level_not_above_children",
        "code_not_above_children",
    ];

    /// Notices on the tree page after a redirect (`?notice=code`).
    pub fn notice(code: &str) -> Option<&'static str> {
        Some(match code {
            "jurisdiction_created" => "下级辖区已新增，并记入日志。",
            "jurisdiction_updated" => "辖区信息已保存，并记入日志。",
            _ => return None,
        })
    }

    /// The note on the form when nothing can sit under the chosen jurisdiction.
    pub const NO_LEVEL_BELOW: &str = "县级辖区（县、区、县级市、开发区）之下不再设下级辖区。";

    #[cfg(test)]
    mod tests {
        #[test]
        fn every_jurisdiction_code_has_its_own_message_through_field_error() {
            let fallback = super::super::field_error("no such code");
            for code in super::FIELD_ERROR_CODES {
                assert!(super::field_error(code).is_some(), "{code}");
                assert_ne!(super::super::field_error(code), fallback, "{code}");
            }
        }
    }
}

/// The 日志验证 pages.
pub mod log {
    /// No key loaded for the log (the server has not signed it yet).
    pub const NO_LOG_KEY: &str = "（本级日志尚未配置签名密钥）";
    /// No key loaded for the witness above.
    pub const NO_WITNESS_KEY: &str = "（上级见证密钥尚未配置）";
    /// The log has no checkpoint yet.
    pub const NO_CHECKPOINT: &str = "（尚无检查点）";

    /// A witness refusal's kind (`log_signing::refusal_kind`), worded for people.
    pub fn refusal(kind: &str) -> &'static str {
        match kind {
            "rollback" => "日志被回滚：检查点的规模小于上级已副署的规模",
            "fork" => "日志出现分叉：同一规模签发了与已副署检查点不同的根哈希",
            "inconsistent" => "日志历史被改写：一致性证明无法证明新检查点是已副署检查点的延续",
            "unsigned" | "wrong_origin" => {
                "检查点不是由上级所信任的本级日志密钥签名（密钥被更换或日志名称不符）"
            }
            "invalid_signature" => "检查点签名无效：检查点内容被改动",
            "malformed_note" | "malformed_checkpoint" => "检查点格式错误",
            _ => "上级见证未能核验该检查点",
        }
    }
}

/// Figures across the tree of jurisdictions: 统计, 数据填报 and 年度报告 for a chosen jurisdiction.
pub mod figures {
    /// `?jurisdiction=` is not a jurisdiction id (or, on the public portal, a six-digit code).
    pub const BAD_JURISDICTION: &str = "辖区参数无效：应为辖区编号。请从页面上的辖区选择框进入。";
    /// `?breadth=` is neither `alone` nor `below`.
    pub const BAD_BREADTH: &str = "统计范围参数无效：应为“本级”（alone）或“含下级”（below）。";
    /// `?department=` is not a department id.
    pub const BAD_DEPARTMENT: &str = "部门参数无效。";
    /// The label of a jurisdiction's own records (本级), after its name.
    pub const ALONE: &str = "本级";
    /// The label of a jurisdiction with everything below it, after its name.
    pub const WITH_BELOW: &str = "（含下级辖区）";
}
