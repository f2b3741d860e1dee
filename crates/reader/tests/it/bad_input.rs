//! Bad input: a clear error or a best-effort report with a diagnostic, never a panic or a hang.

use std::time::{Duration, Instant};

use fazhi_reader::{MAX_INPUT_BYTES, NotAReport, read};

use crate::support::{bytes, docx};

#[test]
fn empty_and_whitespace_inputs_are_empty() {
    assert_eq!(read(b"", None).unwrap_err(), NotAReport::Empty);
    assert_eq!(read(b" \n\t\r\n", None).unwrap_err(), NotAReport::Empty);
    assert_eq!(
        read(b"<html><body></body></html>", None).unwrap_err(),
        NotAReport::Empty
    );
}

#[test]
fn binary_inputs_are_undecodable() {
    for input in [
        &b"%PDF-1.7\n%\xE2\xE3"[..],
        b"\x89PNG\r\n\x1a\n",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        b"abc\0\0\0def",
        b"PK\x03\x04\x14\0\0\0",
    ] {
        assert!(
            matches!(read(input, None), Err(NotAReport::Undecodable { .. })),
            "{input:?}"
        );
    }
}

#[test]
fn an_input_of_50_mb_is_refused_before_any_work() {
    let huge = vec![b'a'; MAX_INPUT_BYTES];
    let started = Instant::now();
    assert!(matches!(
        read(&huge, None),
        Err(NotAReport::TooLarge { .. })
    ));
    assert!(started.elapsed() < Duration::from_millis(50));
}

#[test]
fn text_that_is_not_a_report_is_refused() {
    assert_eq!(
        read(b"hello world, just some English text", None).unwrap_err(),
        NotAReport::NoChineseText
    );
    let novel =
        "从前有座山，山里有座庙，庙里有个老和尚在给小和尚讲故事，讲的是什么呢？从前有座山。"
            .repeat(3);
    assert_eq!(
        read(novel.as_bytes(), None).unwrap_err(),
        NotAReport::NotReportLike
    );
}

#[test]
fn truncated_inputs_still_give_a_report_with_a_diagnostic() {
    let full = bytes("ok/zhaotong-2020.txt");
    // Cut inside a character, halfway through.
    let cut = &full[..full.len() / 2 + 1];
    let report = read(cut, None).unwrap();
    assert_eq!(report.meta.year, Some(2020));
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
    assert!(
        codes.contains(&"truncated_utf8") || codes.contains(&"ends_mid_sentence"),
        "{codes:?}"
    );
    // A truncated DOCX cannot be opened: a clear error.
    let text = String::from_utf8(bytes("own/qingshan-2021.txt")).unwrap();
    let document = docx(&text);
    assert!(matches!(
        read(&document[..document.len() - 30], None),
        Err(NotAReport::Undecodable { .. })
    ));
}

/// Each input is a few hundred kilobytes of one repeated pattern: a quadratic loop would take
/// minutes here even in a release build, a linear one well under a second (seconds unoptimised).
#[test]
fn pathological_inputs_finish_quickly() {
    let cases: Vec<Vec<u8>> = vec![
        format!("法治政府建设情况报告\n{}", "1".repeat(500_000)).into_bytes(),
        format!("<html>{}", "<".repeat(500_000)).into_bytes(),
        format!(
            "<html><div class=\"share\">{}",
            "法治政府建设报告，受理案件3件。".repeat(10_000)
        )
        .into_bytes(),
        format!("法治政府建设情况报告\n{}", "（一）".repeat(50_000)).into_bytes(),
        format!("法治政府建设情况报告\n{}", "開(kāi".repeat(50_000)).into_bytes(),
        format!("法治政府建设情况报告\n{}", "一是二是三是".repeat(30_000)).into_bytes(),
        "法治政府建设情况报告，其中受理3件，"
            .repeat(20_000)
            .into_bytes(),
    ];
    for input in cases {
        let started = Instant::now();
        let _ = read(&input, None);
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "took {:?} on {} bytes",
            started.elapsed(),
            input.len()
        );
    }
}
