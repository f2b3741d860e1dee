//! Prints what the reader finds in a file, for development: `cargo run -p fazhi-reader
//! --example dump -- FILE`.

use fazhi_reader::{Section, read};

fn print_sections(sections: &[Section], depth: usize) {
    for section in sections {
        let part = section
            .part
            .map(|part| format!(" [{:?} {:.1}]", part.part, part.confidence))
            .unwrap_or_default();
        println!(
            "{}{}{}{}",
            "  ".repeat(depth),
            section.label,
            section.title,
            part
        );
        print_sections(&section.children, depth + 1);
    }
}

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap_or_default();
        println!("== {path}");
        match read(&bytes, None) {
            Err(error) => println!("not a report: {error}"),
            Ok(report) => {
                println!("{:?}", report.source);
                println!("{:?}", report.meta);
                print_sections(&report.sections, 0);
                for figure in &report.figures {
                    println!(
                        "  {} | {:?} | {} {} {:?} | {:?} | {:?} | {}",
                        figure.subject,
                        figure.action,
                        figure.value.normalize(),
                        figure.unit,
                        figure.approx,
                        figure
                            .comparison
                            .as_ref()
                            .map(|c| (c.previous, c.direction, c.change)),
                        figure.indicator,
                        figure.text
                    );
                }
                for finding in &report.findings {
                    println!(
                        "  ! {:?} {} {} {:?}",
                        finding.severity, finding.check, finding.message, finding.quote
                    );
                }
                for diagnostic in &report.diagnostics {
                    println!("  ~ {} {}", diagnostic.code, diagnostic.message);
                }
            }
        }
    }
}
