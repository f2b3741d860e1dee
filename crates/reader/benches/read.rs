//! Throughput of the whole pipeline against the converter alone, on the same bytes.
//!
//! `cargo bench -p fazhi-reader --bench read`. The corpus is every UTF-8 report in `test_data/`
//! (the three samples and our own text and HTML reports) and, separately, that corpus
//! concatenated to a 1 MB report; divan prints bytes per second for each.
//!
//! * `pipeline`: [`fazhi_reader::read`] — decode, normalise, structure, figures, lint.
//! * `decode_and_t2s`: UTF-8 validation and OpenCC `T2s` over the same bytes, nothing else:
//!   the floor any reader using this converter pays.

use std::path::PathBuf;

use divan::Bencher;
use divan::counter::BytesCount;

fn main() {
    divan::main();
}

fn corpus() -> Vec<Vec<u8>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data");
    let mut files = Vec::new();
    for dir in ["ok", "own"] {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .collect();
        entries.sort();
        for path in entries {
            if path
                .extension()
                .is_some_and(|ext| ext == "txt" || ext == "html")
            {
                let bytes = std::fs::read(path).unwrap_or_default();
                // UTF-8 only, so that the baseline reads the same text (GBK pages are left out).
                if std::str::from_utf8(&bytes).is_ok() {
                    files.push(bytes);
                }
            }
        }
    }
    files
}

fn large() -> Vec<Vec<u8>> {
    let samples = corpus();
    let mut report = Vec::new();
    while report.len() < 1 << 20 {
        for sample in &samples {
            report.extend_from_slice(sample);
            report.push(b'\n');
        }
    }
    vec![report]
}

fn bytes(files: &[Vec<u8>]) -> BytesCount {
    BytesCount::new(files.iter().map(Vec::len).sum::<usize>())
}

fn pipeline_over(bencher: Bencher, files: Vec<Vec<u8>>) {
    bencher.counter(bytes(&files)).bench(|| {
        let mut figures = 0usize;
        for file in &files {
            if let Ok(report) = fazhi_reader::read(divan::black_box(file), None) {
                figures += report.figures.len();
            }
        }
        figures
    });
}

fn t2s_over(bencher: Bencher, files: Vec<Vec<u8>>) {
    bencher.counter(bytes(&files)).bench(|| {
        let mut chars = 0usize;
        for file in &files {
            let text = String::from_utf8_lossy(divan::black_box(file));
            chars += fazhi_reader::normalise::t2s(&text).map_or(0, |converted| converted.len());
        }
        chars
    });
}

#[divan::bench]
fn pipeline(bencher: Bencher) {
    pipeline_over(bencher, corpus());
}

#[divan::bench]
fn decode_and_t2s(bencher: Bencher) {
    t2s_over(bencher, corpus());
}

#[divan::bench]
fn pipeline_1mb_report(bencher: Bencher) {
    pipeline_over(bencher, large());
}

#[divan::bench]
fn decode_and_t2s_1mb_report(bencher: Bencher) {
    t2s_over(bencher, large());
}
