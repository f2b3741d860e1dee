//! Our own annotated test reports in other styles (simplified, traditional, mis-converted,
//! pinyin-annotated, GBK, HTML with page furniture, DOCX). Each base report has a hand-written
//! `.figures` sidecar; every variant must find the same figures. Precision and recall are
//! printed and must stay at or above 0.9 overall and 0.85 per file.

use fazhi_reader::{Figure, Format, Report, Script, StatutoryPart, read};
use rust_decimal::Decimal;

use crate::support::{bytes, docx, gbk, test_data};

struct Expected {
    key: String,
    value: Decimal,
    unit: String,
}

fn expected(sidecar: &str) -> Vec<Expected> {
    let text = std::fs::read_to_string(test_data(sidecar)).expect("sidecar");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 3, "{sidecar}: {line}");
            Expected {
                key: fields[0].to_owned(),
                value: fields[1].parse().expect("value"),
                unit: fields[2].to_owned(),
            }
        })
        .collect()
}

fn matches(figure: &Figure, expected: &Expected) -> bool {
    let subject = format!(
        "{}{}",
        figure.action.as_deref().unwrap_or_default(),
        figure.subject
    );
    figure.value == expected.value
        && figure.unit == expected.unit
        && subject.contains(&expected.key)
}

/// (matched, extracted, expected), printing what was missed and what was extra.
fn score(name: &str, figures: &[Figure], expected: &[Expected]) -> (usize, usize, usize) {
    let mut used = vec![false; figures.len()];
    let mut missed = Vec::new();
    for want in expected {
        match figures
            .iter()
            .enumerate()
            .find(|(idx, figure)| !used[*idx] && matches(figure, want))
        {
            Some((idx, _)) => used[idx] = true,
            None => missed.push(format!("{} {} {}", want.key, want.value, want.unit)),
        }
    }
    let extra: Vec<String> = figures
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(figure, _)| {
            format!(
                "{}|{:?} {} {}",
                figure.subject, figure.action, figure.value, figure.unit
            )
        })
        .collect();
    let matched = used.iter().filter(|used| **used).count();
    if !missed.is_empty() || !extra.is_empty() {
        eprintln!("{name}: missed {missed:?}; extra {extra:?}");
    }
    (matched, figures.len(), expected.len())
}

fn read_ok(name: &str, bytes: &[u8], hint: Option<Format>) -> Report {
    read(bytes, hint).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn variants() -> Vec<(&'static str, Vec<u8>, Option<Format>, &'static str)> {
    let qingshan = String::from_utf8(bytes("own/qingshan-2021.txt")).expect("utf-8");
    vec![
        (
            "qingshan-2021.txt",
            bytes("own/qingshan-2021.txt"),
            None,
            "own/qingshan-2021.figures",
        ),
        (
            "qingshan-2021 (GBK)",
            gbk("own/qingshan-2021.txt"),
            None,
            "own/qingshan-2021.figures",
        ),
        (
            "qingshan-2021 (DOCX)",
            docx(&qingshan),
            None,
            "own/qingshan-2021.figures",
        ),
        (
            "donghu-2022.txt",
            bytes("own/donghu-2022.txt"),
            None,
            "own/donghu-2022.figures",
        ),
        (
            "donghu-2022-traditional.txt",
            bytes("own/donghu-2022-traditional.txt"),
            None,
            "own/donghu-2022.figures",
        ),
        (
            "donghu-2022.html",
            bytes("own/donghu-2022.html"),
            None,
            "own/donghu-2022.figures",
        ),
        (
            "linjiang-2020.txt",
            bytes("own/linjiang-2020.txt"),
            None,
            "own/linjiang-2020.figures",
        ),
        (
            "linjiang-2020-misconverted.txt",
            bytes("own/linjiang-2020-misconverted.txt"),
            None,
            "own/linjiang-2020.figures",
        ),
        (
            "linjiang-2020-pinyin.txt",
            bytes("own/linjiang-2020-pinyin.txt"),
            None,
            "own/linjiang-2020.figures",
        ),
        (
            "yunling-2023.txt",
            bytes("own/yunling-2023.txt"),
            None,
            "own/yunling-2023.figures",
        ),
        (
            "jiangbei-2022.txt",
            bytes("own/jiangbei-2022.txt"),
            None,
            "own/jiangbei-2022.figures",
        ),
        (
            "nanjiang-2021.html",
            bytes("own/nanjiang-2021.html"),
            None,
            "own/nanjiang-2021.figures",
        ),
    ]
}

#[test]
fn figures_are_found_with_high_precision_and_recall_in_every_style() {
    let mut total = (0usize, 0usize, 0usize);
    let mut report_lines = Vec::new();
    for (name, input, hint, sidecar) in variants() {
        let report = read_ok(name, &input, hint);
        let (matched, extracted, wanted) = score(name, &report.figures, &expected(sidecar));
        let precision = matched as f64 / extracted.max(1) as f64;
        let recall = matched as f64 / wanted.max(1) as f64;
        report_lines.push(format!("{name:34} precision {precision:.3} recall {recall:.3} ({matched}/{extracted} found, {wanted} expected)"));
        assert!(
            precision >= 0.85 && recall >= 0.85,
            "{name}: precision {precision:.3}, recall {recall:.3}"
        );
        total = (total.0 + matched, total.1 + extracted, total.2 + wanted);
    }
    let precision = total.0 as f64 / total.1 as f64;
    let recall = total.0 as f64 / total.2 as f64;
    report_lines.push(format!(
        "{:34} precision {precision:.3} recall {recall:.3} ({}/{} found, {} expected)",
        "ALL", total.0, total.1, total.2
    ));
    println!("{}", report_lines.join("\n"));
    assert!(
        precision >= 0.9 && recall >= 0.9,
        "overall precision {precision:.3}, recall {recall:.3}"
    );
}

#[test]
fn every_style_reads_to_the_same_structure() {
    for (name, input, hint, _) in variants() {
        let report = read_ok(name, &input, hint);
        assert!(report.meta.title.is_some(), "{name}");
        assert!(report.meta.year.is_some(), "{name}");
        assert!(report.meta.jurisdiction.is_some(), "{name}");
        for part in [
            StatutoryPart::Measures,
            StatutoryPart::Shortcomings,
            StatutoryPart::FirstResponsiblePerson,
            StatutoryPart::NextYear,
        ] {
            // jiangbei-2022 and nanjiang-2021 report the duty inside their first section, as
            // many reports do: the lint says so.
            if (name.starts_with("jiangbei") || name.starts_with("nanjiang"))
                && part == StatutoryPart::FirstResponsiblePerson
            {
                assert!(
                    report
                        .findings
                        .iter()
                        .any(|f| f.check == "first_responsible_person_not_a_part"),
                    "{name}"
                );
                continue;
            }
            assert!(
                report
                    .sections
                    .iter()
                    .any(|s| s.part.is_some_and(|p| p.part == part)),
                "{name}: {part:?}"
            );
        }
    }
}

#[test]
fn scripts_are_told_apart() {
    let cases = [
        ("own/linjiang-2020.txt", Script::Simplified),
        ("own/donghu-2022-traditional.txt", Script::Traditional),
        ("own/linjiang-2020-misconverted.txt", Script::Misconverted),
        ("own/linjiang-2020-pinyin.txt", Script::Traditional),
    ];
    for (file, script) in cases {
        let report = read_ok(file, &bytes(file), None);
        assert_eq!(report.source.script, script, "{file}");
    }
}

#[test]
fn variants_normalise_to_the_base_text() {
    let base = read_ok("base", &bytes("own/linjiang-2020.txt"), None);
    for file in [
        "own/linjiang-2020-misconverted.txt",
        "own/linjiang-2020-pinyin.txt",
    ] {
        let report = read_ok(file, &bytes(file), None);
        assert_eq!(report.document.text(), base.document.text(), "{file}");
    }
}

#[test]
fn figure_spans_point_at_the_original_bytes() {
    // Pinyin and traditional: the span of 1.8万余人次 in the original holds the same digits.
    for file in [
        "own/linjiang-2020-pinyin.txt",
        "own/linjiang-2020-misconverted.txt",
    ] {
        let input = bytes(file);
        let report = read_ok(file, &input, None);
        let figure = report
            .figures
            .iter()
            .find(|f| f.value == Decimal::from(18_000))
            .expect("1.8万");
        let original = std::str::from_utf8(&input[figure.original.start..figure.original.end])
            .expect("utf-8 span");
        assert_eq!(original, "1.8萬餘人次", "{file}");
    }
    // GBK: the original span decodes to the figure's text.
    let input = gbk("own/qingshan-2021.txt");
    let report = read_ok("gbk", &input, None);
    let figure = report
        .figures
        .iter()
        .find(|f| f.value == Decimal::from(126))
        .expect("126件");
    let (decoded, _) = encoding_rs::GBK
        .decode_without_bom_handling(&input[figure.original.start..figure.original.end]);
    assert_eq!(decoded, figure.text);
}

#[test]
fn own_reports_lint_as_annotated() {
    let qingshan = read_ok("qingshan", &bytes("own/qingshan-2021.txt"), None);
    let checks: Vec<&str> = qingshan.findings.iter().map(|f| f.check).collect();
    assert!(!checks.contains(&"part_missing"), "{checks:?}");
    assert!(
        !checks.contains(&"shortcomings_without_causes"),
        "{checks:?}"
    );
    assert!(checks.contains(&"rate_reproduced"), "{checks:?}");
    assert!(
        !checks.contains(&"yoy_wrong_base") && !checks.contains(&"yoy_mismatch"),
        "{checks:?}"
    );
    assert!(checks.contains(&"parts_sum_to_whole"), "{checks:?}");
    let donghu = read_ok("donghu", &bytes("own/donghu-2022.txt"), None);
    let sums: Vec<_> = donghu
        .findings
        .iter()
        .filter(|f| f.check == "parts_sum_to_whole")
        .collect();
    assert!(
        sums.iter().any(|f| f.computed == Some(Decimal::from(52))),
        "{:?}",
        donghu.findings
    );
}

/// The real sample wuchang-2020 against a hand annotation made after development on it: a guard
/// against regressions on real text (its score is biased upwards, see docs/reader.md).
#[test]
fn a_real_sample_matches_its_hand_annotation() {
    let report = read_ok("wuchang", &bytes("ok/wuchang-2020.txt"), None);
    let (matched, extracted, wanted) = score(
        "wuchang-2020.txt",
        &report.figures,
        &expected("ok/wuchang-2020.figures"),
    );
    let precision = matched as f64 / extracted.max(1) as f64;
    let recall = matched as f64 / wanted.max(1) as f64;
    println!(
        "wuchang-2020.txt (real sample)      precision {precision:.3} recall {recall:.3} ({matched}/{extracted} found, {wanted} expected)"
    );
    assert!(
        precision >= 0.9 && recall >= 0.9,
        "precision {precision:.3}, recall {recall:.3}"
    );
}
