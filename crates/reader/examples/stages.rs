//! Times each pipeline stage on the given files, for development: `cargo run --release -p
//! fazhi-reader --example stages -- FILE...`.

use std::time::Instant;

use fazhi_reader::{LintOptions, decode, figures, lint, normalise, structure};

fn main() {
    let files: Vec<Vec<u8>> = std::env::args()
        .skip(1)
        .map(|path| std::fs::read(path).unwrap_or_default())
        .collect();
    let mut totals = [0u128; 6];
    for _ in 0..20 {
        for bytes in &files {
            let start = Instant::now();
            let (raw, _) = decode::decode(bytes, None);
            let t1 = Instant::now();
            let (normalised, _) = normalise::normalise(&raw);
            let t2 = Instant::now();
            let (document, _) = structure::structure(normalised, raw.html_title.as_deref());
            let t3 = Instant::now();
            let (found, _) = figures::figures(&document);
            let t4 = Instant::now();
            let findings = lint::lint(&document, &found, &LintOptions::default());
            let t5 = Instant::now();
            let converted = normalise::t2s(&raw.text).map_or(0, |text| text.len());
            let t6 = Instant::now();
            for (slot, (a, b)) in totals.iter_mut().zip([
                (start, t1),
                (t1, t2),
                (t2, t3),
                (t3, t4),
                (t4, t5),
                (t5, t6),
            ]) {
                *slot += (b - a).as_micros();
            }
            std::hint::black_box((findings.len(), converted));
        }
    }
    for (name, total) in [
        "decode",
        "normalise",
        "structure",
        "figures",
        "lint",
        "t2s alone",
    ]
    .iter()
    .zip(totals)
    {
        println!("{name:10} {:8} µs", total / 20);
    }
}
