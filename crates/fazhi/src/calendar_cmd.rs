//! `fazhi calendar`: statutory periods on the official working-day calendar, from the command
//! line (`add`, `info`, `between`), in short Chinese text or, with `--json`, one JSON object.
//!
//! Bad input (an invalid date, a negative period, a date before the data, a suspension resumed
//! before it starts) prints one line on stderr, nothing on stdout, and exits with code 2, as
//! clap's own usage errors do. The rules themselves live in `fazhi-calendar`; this module only
//! reads arguments and words the answers.

use std::process::ExitCode;

use fazhi_calendar::{Calendar, DayKind, Deadline, Error, Notice, Period, Step, Unit, parse_date};
use serde_json::{Value, json};
use time::Date;

/// Statutory periods on the official working-day calendar.
#[derive(Debug, clap::Subcommand)]
pub enum CalendarCommand {
    /// The due date of a period: the start day is not counted; a 日 or 月 period ending on a rest
    /// day moves to the next working day.
    Add {
        /// The start date (not counted: counting begins the next day), YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        from: String,
        /// A period of N calendar days (日): rest days inside count.
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        days: Option<i64>,
        /// A period of N working days (工作日): the N-th working day after the start.
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        workdays: Option<i64>,
        /// A period of N months (个月): the same-numbered day, or the month's last day.
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        months: Option<i64>,
        /// An extension (延长) of N more units of the same kind, counted on from the end of the
        /// original period.
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        extend: Option<i64>,
        /// A suspension (中止): days from FROM up to the day before RESUMED are not counted.
        /// May be given more than once.
        #[arg(long, value_name = "FROM..RESUMED")]
        suspend: Vec<String>,
        /// Print one JSON object: {"due": "YYYY-MM-DD", "provisional": false, "steps": [...], ...}.
        #[arg(long)]
        json: bool,
    },
    /// Whether a date is a working day, and why (工作日, 周末, 法定节假日, 调休上班).
    Info {
        /// The date, YYYY-MM-DD.
        date: String,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// The working days after the first date up to and including the second.
    Between {
        /// The first date, YYYY-MM-DD (not counted).
        from: String,
        /// The second date, YYYY-MM-DD (counted).
        to: String,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
}

/// A refusal: one line on stderr, exit code 2.
#[derive(Debug, PartialEq, Eq)]
struct Refusal(String);

const WEEKDAYS: [&str; 7] = [
    "星期一",
    "星期二",
    "星期三",
    "星期四",
    "星期五",
    "星期六",
    "星期日",
];

fn weekday(date: Date) -> &'static str {
    WEEKDAYS
        .get(usize::from(date.weekday().number_days_from_monday()))
        .copied()
        .unwrap_or_default()
}

/// `2025-10-14（星期二）`, with the kind of day when it is an adjusted working day.
fn dated(calendar: &Calendar, date: Date) -> String {
    match calendar.info(date).map(|info| info.kind) {
        Ok(DayKind::AdjustedWorkday { .. }) => format!("{date}（{}，调休上班）", weekday(date)),
        _ => format!("{date}（{}）", weekday(date)),
    }
}

fn kind_label(kind: &DayKind) -> String {
    match kind {
        DayKind::Workday => "工作日".to_owned(),
        DayKind::Weekend => "周末".to_owned(),
        DayKind::Holiday {
            name,
            in_lieu: false,
        } => format!("法定节假日：{name}"),
        DayKind::Holiday {
            name,
            in_lieu: true,
        } => format!("法定节假日：{name}（补休）"),
        DayKind::AdjustedWorkday {
            holiday: Some(name),
        } => format!("调休上班（{name}）"),
        _ => "调休上班".to_owned(),
    }
}

fn kind_code(kind: &DayKind) -> &'static str {
    match kind {
        DayKind::Workday => "workday",
        DayKind::Weekend => "weekend",
        DayKind::Holiday { .. } => "holiday",
        _ => "adjusted_workday",
    }
}

fn unit_code(unit: Unit) -> &'static str {
    match unit {
        Unit::Days => "days",
        Unit::Workdays => "workdays",
        Unit::Months => "months",
    }
}

fn unit_label(unit: Unit) -> &'static str {
    match unit {
        Unit::Days => "日",
        Unit::Workdays => "个工作日",
        Unit::Months => "个月",
    }
}

fn date_arg(text: &str) -> Result<Date, Refusal> {
    parse_date(text).ok_or_else(|| {
        Refusal(format!(
            "无效日期“{text}”：应为实际存在的日期，格式 YYYY-MM-DD"
        ))
    })
}

fn explain(calendar: &Calendar, error: Error) -> Refusal {
    Refusal(match error {
        Error::BeforeData { date, first_year } => {
            format!("日期 {date} 早于日历数据的起始年份（{first_year} 年），无法判断")
        }
        Error::OutOfRange { last_covered } => {
            format!("超出日历覆盖范围（至 {last_covered}）")
        }
        Error::NegativePeriod { n } => format!("期间长度不能为负数：{n}"),
        Error::BadSuspension { from, resumed } => {
            format!("中止期间无效：恢复日 {resumed} 早于中止日 {from}")
        }
        other => format!("无法计算（{other}；日历数据 {}）", calendar.version()),
    })
}

fn suspension_arg(text: &str) -> Result<(Date, Date), Refusal> {
    let (from, resumed) = text.split_once("..").ok_or_else(|| {
        Refusal(format!(
            "中止期间“{text}”应写作 中止日..恢复日，如 2025-03-10..2025-03-20"
        ))
    })?;
    Ok((date_arg(from)?, date_arg(resumed)?))
}

fn notice_label(notice: &Notice) -> String {
    if notice.number.is_empty() {
        notice.title.clone()
    } else {
        format!("{}（{}）", notice.title, notice.number)
    }
}

fn notice_json(notice: &Notice) -> Value {
    json!({
        "year": notice.year,
        "number": notice.number,
        "title": notice.title,
        "issued": notice.issued.to_string(),
        "url": notice.url,
    })
}

fn provisional_note(calendar: &Calendar) -> String {
    let year = calendar.last_data_year();
    format!(
        "〔暂定：已收录的放假通知到 {year} 年为止，其后（以及可能被下一年通知调整的 {year} 年最后一周）按周末和固定日期的法定节日推算，通知公布后应重新计算〕"
    )
}

fn holidays_text(holidays: &[String]) -> String {
    if holidays.is_empty() {
        String::new()
    } else {
        format!("（含{}）", holidays.join("、"))
    }
}

fn step_text(calendar: &Calendar, start: Date, deadline: &Deadline, step: &Step) -> String {
    let unit = unit_label(deadline.unit);
    match step {
        Step::StartNotCounted { start } => {
            format!("起算日 {start} 不计入，自次日起算（民法典第二百零一条）")
        }
        Step::Extended { original_end, by } => {
            format!("原期间至 {original_end} 届满；延长 {by}{unit}，自该日起续算")
        }
        Step::Suspended {
            from,
            resumed,
            skipped,
        } => match resumed.previous_day() {
            Some(last) if last >= *from => format!(
                "{from} 至 {last} 中止，不计入期间（{skipped}{}）；{resumed} 起恢复计算",
                if deadline.unit == Unit::Workdays {
                    "个工作日"
                } else {
                    "日"
                }
            ),
            _ => format!("{from} 中止后当日即恢复，不影响期间"),
        },
        Step::MonthEnd { last_day } => format!(
            "{}年{}月没有{}日，以该月最后一日 {last_day} 为期间最后一日（民法典第二百零二条）",
            last_day.year(),
            u8::from(last_day.month()),
            start.day()
        ),
        Step::Counted {
            unit: counted_unit,
            n,
            last,
            rest_days,
            adjusted_workdays,
            holidays,
        } => {
            let mut text = format!(
                "计 {n}{} 至 {}",
                unit_label(*counted_unit),
                dated(calendar, *last)
            );
            if *counted_unit == Unit::Workdays {
                text.push_str(&format!(
                    "；其间休息日 {rest_days} 天不计{}",
                    holidays_text(holidays)
                ));
                if *adjusted_workdays > 0 {
                    text.push_str(&format!("，调休上班 {adjusted_workdays} 天计入"));
                }
            } else if *rest_days > 0 {
                text.push_str(&format!(
                    "；期间内休息日 {rest_days} 天照常计入{}",
                    holidays_text(holidays)
                ));
            }
            text
        }
        Step::MovedOff { from, kind, to, .. } => {
            let why = match kind {
                DayKind::Weekend => "周末".to_owned(),
                other => kind_label(other),
            };
            format!(
                "{from} 为{why}，期间顺延至其后第一个工作日 {}（民法典第二百零三条）",
                dated(calendar, *to)
            )
        }
        _ => String::new(),
    }
}

fn step_json(step: &Step) -> Value {
    match step {
        Step::StartNotCounted { start } => {
            json!({"step": "start_not_counted", "start": start.to_string()})
        }
        Step::Extended { original_end, by } => {
            json!({"step": "extended", "original_end": original_end.to_string(), "by": by})
        }
        Step::Suspended {
            from,
            resumed,
            skipped,
        } => json!({
            "step": "suspended", "from": from.to_string(), "resumed": resumed.to_string(), "skipped": skipped,
        }),
        Step::MonthEnd { last_day } => {
            json!({"step": "month_end", "last_day": last_day.to_string()})
        }
        Step::Counted {
            unit,
            n,
            last,
            rest_days,
            adjusted_workdays,
            holidays,
        } => json!({
            "step": "counted", "unit": unit_code(*unit), "n": n, "last": last.to_string(),
            "rest_days": rest_days, "adjusted_workdays": adjusted_workdays, "holidays": holidays,
        }),
        Step::MovedOff {
            from,
            kind,
            to,
            rest_days,
        } => json!({
            "step": "moved_off", "from": from.to_string(), "kind": kind_code(kind),
            "holiday": kind.holiday_name(), "to": to.to_string(), "rest_days": rest_days,
        }),
        _ => json!({"step": "other"}),
    }
}

/// The arguments of `add`, read.
#[derive(Debug)]
struct AddArgs {
    from: String,
    days: Option<i64>,
    workdays: Option<i64>,
    months: Option<i64>,
    extend: Option<i64>,
    suspend: Vec<String>,
    json: bool,
}

fn add(calendar: &Calendar, args: &AddArgs) -> Result<String, Refusal> {
    let (n, unit) = match (args.days, args.workdays, args.months) {
        (Some(n), None, None) => (n, Unit::Days),
        (None, Some(n), None) => (n, Unit::Workdays),
        (None, None, Some(n)) => (n, Unit::Months),
        (None, None, None) => {
            return Err(Refusal(
                "请用 --days、--workdays 或 --months 指定期间".to_owned(),
            ));
        }
        _ => {
            return Err(Refusal(
                "--days、--workdays、--months 只能指定其中一个".to_owned(),
            ));
        }
    };
    let start = date_arg(&args.from)?;
    let mut period = Period::try_new(n, unit).map_err(|e| explain(calendar, e))?;
    if let Some(extension) = args.extend {
        let extension = Period::try_new(extension, unit).map_err(|e| explain(calendar, e))?;
        period = period.extended(extension.n);
    }
    for text in &args.suspend {
        let (from, resumed) = suspension_arg(text)?;
        period = period.suspended(from, resumed);
    }
    let deadline = calendar
        .due(start, &period)
        .map_err(|e| explain(calendar, e))?;
    if args.json {
        return Ok(json!({
            "from": start.to_string(),
            "unit": unit_code(deadline.unit),
            "n": deadline.n,
            "extension": deadline.extension,
            "due": deadline.due.to_string(),
            "provisional": deadline.provisional,
            "steps": deadline.steps.iter().map(step_json).collect::<Vec<_>>(),
            "calendar": calendar.version(),
        })
        .to_string());
    }
    let mut text = format!(
        "{start} 起 {n}{}{}，期间届满日：{}",
        unit_label(unit),
        if deadline.extension > 0 {
            format!("（延长 {}{}）", deadline.extension, unit_label(unit))
        } else {
            String::new()
        },
        dated(calendar, deadline.due)
    );
    if deadline.provisional {
        text.push_str(&format!("\n{}", provisional_note(calendar)));
    }
    for step in &deadline.steps {
        text.push_str(&format!(
            "\n  · {}",
            step_text(calendar, start, &deadline, step)
        ));
    }
    Ok(text)
}

fn info(calendar: &Calendar, date: &str, as_json: bool) -> Result<String, Refusal> {
    let date = date_arg(date)?;
    let day = calendar.info(date).map_err(|e| explain(calendar, e))?;
    let notice = calendar
        .notice_for(date)
        .map_err(|e| explain(calendar, e))?;
    let listed = matches!(
        day.kind,
        DayKind::Holiday { .. } | DayKind::AdjustedWorkday { .. }
    );
    if as_json {
        return Ok(json!({
            "date": date.to_string(),
            "weekday": date.weekday().number_from_monday(),
            "kind": kind_code(&day.kind),
            "holiday": day.kind.holiday_name(),
            "in_lieu": matches!(day.kind, DayKind::Holiday { in_lieu: true, .. }),
            "working_day": day.kind.is_working(),
            "provisional": day.provisional,
            "notice": notice.map(notice_json),
        })
        .to_string());
    }
    let mut text = format!("{date}（{}）  {}", weekday(date), kind_label(&day.kind));
    if day.provisional {
        text.push_str("  〔暂定〕");
    }
    match notice {
        Some(notice) if listed => text.push_str(&format!("\n  依据：{}", notice_label(notice))),
        None if listed => {
            text.push_str("\n  依据：《全国年节及纪念日放假办法》（当年放假通知尚未收录）")
        }
        _ => {}
    }
    Ok(text)
}

fn between(calendar: &Calendar, from: &str, to: &str, as_json: bool) -> Result<String, Refusal> {
    let (from, to) = (date_arg(from)?, date_arg(to)?);
    let n = calendar
        .workdays_between(from, to)
        .map_err(|e| explain(calendar, e))?;
    let provisional = calendar.is_provisional(from.max(to));
    if as_json {
        return Ok(json!({
            "from": from.to_string(),
            "to": to.to_string(),
            "workdays": n,
            "provisional": provisional,
        })
        .to_string());
    }
    let mut text = if n >= 0 {
        format!("{from} 之后至 {to}（含）共 {n} 个工作日")
    } else {
        format!(
            "{to} 之后至 {from}（含）共 {} 个工作日（第二个日期较早，记为 {n}）",
            -n
        )
    };
    if provisional {
        text.push_str(&format!("\n{}", provisional_note(calendar)));
    }
    Ok(text)
}

fn execute(calendar: &Calendar, command: CalendarCommand) -> Result<String, Refusal> {
    match command {
        CalendarCommand::Add {
            from,
            days,
            workdays,
            months,
            extend,
            suspend,
            json,
        } => add(
            calendar,
            &AddArgs {
                from,
                days,
                workdays,
                months,
                extend,
                suspend,
                json,
            },
        ),
        CalendarCommand::Info { date, json } => info(calendar, &date, json),
        CalendarCommand::Between { from, to, json } => between(calendar, &from, &to, json),
    }
}

/// Runs a calendar subcommand: the answer on stdout and exit code 0, or one line on stderr and
/// exit code 2 for bad input (1 if the compiled-in calendar data cannot be read).
pub fn run(command: CalendarCommand) -> ExitCode {
    let calendar = match Calendar::official() {
        Ok(calendar) => calendar,
        Err(error) => {
            eprintln!("错误：日历数据无法读取：{error}");
            return ExitCode::FAILURE;
        }
    };
    match execute(calendar, command) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(Refusal(message)) => {
            eprintln!("错误：{message}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar() -> &'static Calendar {
        Calendar::official().unwrap()
    }

    fn add_args(from: &str, unit: Unit, n: i64) -> AddArgs {
        AddArgs {
            from: from.to_owned(),
            days: (unit == Unit::Days).then_some(n),
            workdays: (unit == Unit::Workdays).then_some(n),
            months: (unit == Unit::Months).then_some(n),
            extend: None,
            suspend: Vec::new(),
            json: false,
        }
    }

    #[test]
    fn add_words_the_due_date_and_its_steps() {
        let text = add(calendar(), &add_args("2025-09-30", Unit::Workdays, 5)).unwrap();
        assert_eq!(
            text,
            "2025-09-30 起 5个工作日，期间届满日：2025-10-14（星期二）\n  \
             · 起算日 2025-09-30 不计入，自次日起算（民法典第二百零一条）\n  \
             · 计 5个工作日 至 2025-10-14（星期二）；其间休息日 9 天不计（含国庆节、中秋节），调休上班 1 天计入"
        );
        let moved = add(calendar(), &add_args("2024-02-07", Unit::Days, 10)).unwrap();
        assert!(moved.ends_with(
            "2024-02-17 为法定节假日：春节，期间顺延至其后第一个工作日 2024-02-18（星期日，调休上班）（民法典第二百零三条）"
        ), "{moved}");
    }

    #[test]
    fn bad_input_is_refused_in_one_line() {
        let refusals = [
            add(calendar(), &add_args("2025-02-30", Unit::Days, 3)),
            add(calendar(), &add_args("2025-02-03", Unit::Days, -3)),
            add(calendar(), &add_args("2014-12-31", Unit::Workdays, 3)),
            add(
                calendar(),
                &AddArgs {
                    suspend: vec!["2025-03-10".into()],
                    ..add_args("2025-03-03", Unit::Days, 3)
                },
            ),
            add(
                calendar(),
                &AddArgs {
                    suspend: vec!["2025-03-10..2025-03-01".into()],
                    ..add_args("2025-03-03", Unit::Days, 3)
                },
            ),
            add(
                calendar(),
                &AddArgs {
                    extend: Some(-1),
                    ..add_args("2025-03-03", Unit::Days, 3)
                },
            ),
            add(
                calendar(),
                &AddArgs {
                    months: Some(1),
                    ..add_args("2025-03-03", Unit::Days, 3)
                },
            ),
            info(calendar(), "2100-01-01", false),
            between(calendar(), "2025-01-01", "2025-13-01", false),
        ];
        for refusal in refusals {
            let Err(Refusal(message)) = refusal else {
                panic!("accepted: {refusal:?}");
            };
            assert!(!message.is_empty() && !message.contains('\n'), "{message}");
        }
        assert_eq!(
            add(calendar(), &add_args("2025-02-03", Unit::Days, -3)),
            Err(Refusal("期间长度不能为负数：-3".into()))
        );
    }

    #[test]
    fn info_names_the_holiday_and_its_notice() {
        assert_eq!(
            info(calendar(), "2025-10-14", false).unwrap(),
            "2025-10-14（星期二）  工作日"
        );
        assert_eq!(
            info(calendar(), "2025-10-11", false).unwrap(),
            "2025-10-11（星期六）  调休上班（国庆节、中秋节）\n  依据：国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）"
        );
        assert_eq!(
            info(calendar(), "2027-05-03", false).unwrap(),
            "2027-05-03（星期一）  法定节假日：劳动节（补休）  〔暂定〕\n  依据：《全国年节及纪念日放假办法》（当年放假通知尚未收录）"
        );
    }
}
