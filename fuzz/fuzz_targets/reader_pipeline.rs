//! The whole reader pipeline (decode → normalise → structure → figures → lint) on arbitrary
//! bytes, as text, HTML, DOCX or sniffed: it never panics or hangs, and every report it returns
//! is internally consistent — spans lie on character boundaries inside the normalised text,
//! original spans inside the input, sections nest, and ranges are ordered.

#![no_main]

use fazhi_reader::{Format, Report, Section, read};
use libfuzzer_sys::fuzz_target;

fn check_sections(report: &Report, sections: &[Section], outer: (usize, usize)) {
    let text = report.document.text();
    for section in sections {
        assert!(section.span.start <= section.span.end && section.span.end <= text.len());
        assert!(
            outer.0 <= section.span.start && section.span.end <= outer.1,
            "section outside its parent"
        );
        assert!(
            text.is_char_boundary(section.span.start) && text.is_char_boundary(section.span.end)
        );
        check_sections(
            report,
            &section.children,
            (section.span.start, section.span.end),
        );
    }
}

fn check(report: &Report, input_len: usize) {
    let text = report.document.text();
    for figure in &report.figures {
        assert!(figure.span.start <= figure.span.end && figure.span.end <= text.len());
        assert!(text.is_char_boundary(figure.span.start) && text.is_char_boundary(figure.span.end));
        assert_eq!(&text[figure.span.start..figure.span.end], figure.text);
        assert!(figure.original.start <= figure.original.end);
        assert!(figure.original.end <= report.document.normalised.map.original_len());
        if report.source.format != Format::Docx {
            assert!(figure.original.end <= input_len);
        }
        if let Some(high) = figure.value_max {
            assert!(high > figure.value);
        }
    }
    for finding in &report.findings {
        if let Some(span) = finding.span {
            assert!(
                span.end <= text.len()
                    && text.is_char_boundary(span.start)
                    && text.is_char_boundary(span.end)
            );
        }
    }
    check_sections(report, &report.sections, (0, text.len()));
}

fuzz_target!(|data: &[u8]| {
    let (hint, input) = match data.split_first() {
        Some((selector, rest)) => (
            match selector % 4 {
                0 => None,
                1 => Some(Format::Text),
                2 => Some(Format::Html),
                _ => Some(Format::Docx),
            },
            rest,
        ),
        None => (None, data),
    };
    if let Ok(report) = read(input, hint) {
        check(&report, input.len());
    }
    if let Ok(report) = read(data, None) {
        check(&report, data.len());
    }
});
