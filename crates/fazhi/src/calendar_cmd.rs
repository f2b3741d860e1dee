//! `fazhi calendar`: statutory periods on the official working-day calendar, from the command
//! line. Bad input (an invalid date, a negative period, a date before the data) prints one line
//! on stderr, nothing on stdout, and exits with code 2.

use std::process::ExitCode;

use fazhi_calendar::{Calendar, DayKind, Deadline, Period, Step, Unit, parse_date};
use serde_json::json;
use time::Date;

/// Calendar subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum CalendarCommand {
    /// The due date of a period started on a date (the start day is not counted).
    Add {
        /// The start date, YYYY-MM-DD.
        #[arg(long = "from")]
        from: String,
        /// A period in calendar days (日): ends on the next working day if the last day is a rest day.
        #[arg(long, conflicts_with_all = ["workdays", "months"], allow_negative_numbers = true)]
        days: Option<i64>,
        /// A period in working days (工作日).
        #[arg(long, conflicts_with_all = ["days", "months"], allow_negative_numbers = true)]
        workdays: Option<i64>,
        /// A period in months (个月).
        #[arg(long, conflicts_with_all = ["days", "workdays"], allow_negative_numbers = true)]
        months: Option<i64>,
        /// Print JSON: {"due": "YYYY-MM-DD", "provisional": false, ...}.
        #[arg(long)]
        json: bool,
    },
    /// Whether a date is a working day, and why.
    Info {
        /// The date, YYYY-MM-DD.
        date: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Working days after the first date up to and including the second.
    Between {
        /// The first date, YYYY-MM-DD (not counted).
        from: String,
        /// The second date, YYYY-MM-DD (counted).
        to: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

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
        .unwrap_or("")
}

fn kind_label(kind: &DayKind) -> String {
    match kind {
        DayKind::Workday => "工作日".to_owned(),
        DayKind::Weekend => "周末".to_owned(),
        DayKind::Holiday(name) => format!("法定节假日（{name}）"),
        DayKind::AdjustedWorkday => "调休上班".to_owned(),
        _ => "其他".to_owned(),
    }
}

fn kind_code(kind: &DayKind) -> &'static str {
    match kind {
        DayKind::Workday => "workday",
        DayKind::Weekend => "weekend",
        DayKind::Holiday(_) => "holiday",
        DayKind::AdjustedWorkday => "adjusted_workday",
        _ => "other",
    }
}

/// A failure reported as one line with exit code 2.
struct Refusal(String);

fn date_arg(text: &str) -> Result<Date, Refusal> {
    parse_date(text).ok_or_else(|| {
        Refusal(format!(
            "无效日期“{text}”：应为真实存在的日期，格式 YYYY-MM-DD"
        ))
    })
}

fn explain(error: fazhi_calendar::Error) -> Refusal {
    Refusal(match error {
        fazhi_calendar::Error::BeforeData { date, first_year } => {
            format!("日期 {date} 早于日历数据的起始年份 {first_year} 年")
        }
        fazhi_calendar::Error::OutOfRange => "期间超出日历覆盖范围（至 2099 年底）".to_owned(),
        other => other.to_string(),
    })
}

fn step_text(step: &Step) -> String {
    match step {
        Step::StartNotCounted(date) => format!("起算日 {date} 不计入"),
        Step::Extended(n) => format!("延长 {n}"),
        Step::NotCounted { from, until } => format!("{from} 至 {until} 前一日不计入期间"),
        Step::RawEnd(date) => format!("期间最后一日为 {date}（{}）", weekday(*date)),
        Step::MovedOff { from, kind, to } => format!(
            "{from} 为{}，顺延至 {to}（{}）",
            kind_label(kind),
            weekday(*to)
        ),
        _ => String::new(),
    }
}

fn step_json(step: &Step) -> serde_json::Value {
    match step {
        Step::StartNotCounted(date) => {
            json!({"step": "start_not_counted", "date": date.to_string()})
        }
        Step::Extended(n) => json!({"step": "extended", "by": n}),
        Step::NotCounted { from, until } => {
            json!({"step": "not_counted", "from": from.to_string(), "until": until.to_string()})
        }
        Step::RawEnd(date) => json!({"step": "raw_end", "date": date.to_string()}),
        Step::MovedOff { from, kind, to } => {
            json!({"step": "moved_off", "from": from.to_string(), "kind": kind_code(kind), "to": to.to_string()})
        }
        _ => json!({}),
    }
}

fn add(
    calendar: &Calendar,
    from: &str,
    period: (i64, Unit),
    as_json: bool,
) -> Result<String, Refusal> {
    let start = date_arg(from)?;
    let (n, unit) = period;
    let n = u32::try_from(n).map_err(|_| {
        Refusal(format!(
            "期间长度 {n} 无效：不能为负数，也不能超过 4294967295"
        ))
    })?;
    let Deadline {
        due,
        provisional,
        steps,
    } = calendar
        .due(start, &Period::new(n, unit))
        .map_err(explain)?;
    let unit_code = match unit {
        Unit::Days => "days",
        Unit::Workdays => "workdays",
        Unit::Months => "months",
    };
    if as_json {
        return Ok(json!({"from": start.to_string(), "n": n, "unit": unit_code, "due": due.to_string(),
            "weekday": weekday(due), "provisional": provisional, "steps": steps.iter().map(step_json).collect::<Vec<_>>()})
        .to_string());
    }
    let unit_label = match unit {
        Unit::Days => "日",
        Unit::Workdays => "个工作日",
        Unit::Months => "个月",
    };
    let mut text = format!(
        "{start} 起 {n}{unit_label}，期间届满日：{due}（{}）",
        weekday(due)
    );
    if provisional {
        text.push_str("  〔暂定：所涉年度的放假安排尚未公布，按周末及法定节日计算〕");
    }
    for step in &steps {
        text.push_str(&format!("\n  · {}", step_text(step)));
    }
    Ok(text)
}

fn info(calendar: &Calendar, date: &str, as_json: bool) -> Result<String, Refusal> {
    let date = date_arg(date)?;
    let day = calendar.info(date).map_err(explain)?;
    if as_json {
        let name = match &day.kind {
            DayKind::Holiday(name) => Some(name.clone()),
            _ => None,
        };
        return Ok(json!({"date": date.to_string(), "weekday": weekday(date), "kind": kind_code(&day.kind),
            "holiday": name, "working_day": day.kind.is_working(), "provisional": day.provisional})
        .to_string());
    }
    let mut text = format!("{date}（{}）  {}", weekday(date), kind_label(&day.kind));
    if day.provisional {
        text.push_str("  〔暂定〕");
    }
    Ok(text)
}

fn between(calendar: &Calendar, from: &str, to: &str, as_json: bool) -> Result<String, Refusal> {
    let (from, to) = (date_arg(from)?, date_arg(to)?);
    let n = calendar.workdays_between(from, to).map_err(explain)?;
    if as_json {
        return Ok(
            json!({"from": from.to_string(), "to": to.to_string(), "workdays": n}).to_string(),
        );
    }
    Ok(format!("{from} 之后至 {to}（含）共有 {n} 个工作日"))
}

/// Runs a calendar subcommand.
pub fn run(command: CalendarCommand) -> ExitCode {
    let calendar = match Calendar::official() {
        Ok(calendar) => calendar,
        Err(error) => {
            eprintln!("错误：日历数据无法读取：{error}");
            return ExitCode::FAILURE;
        }
    };
    let result = match command {
        CalendarCommand::Add {
            from,
            days,
            workdays,
            months,
            json,
        } => {
            let period = match (days, workdays, months) {
                (Some(n), None, None) => Ok((n, Unit::Days)),
                (None, Some(n), None) => Ok((n, Unit::Workdays)),
                (None, None, Some(n)) => Ok((n, Unit::Months)),
                _ => Err(Refusal(
                    "请指定 --days、--workdays 或 --months 之一".to_owned(),
                )),
            };
            period.and_then(|period| add(calendar, &from, period, json))
        }
        CalendarCommand::Info { date, json } => info(calendar, &date, json),
        CalendarCommand::Between { from, to, json } => between(calendar, &from, &to, json),
    };
    match result {
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
