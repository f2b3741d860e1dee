//! Tidy checks over the whole repository: every Rust file opens with a `//!` doc comment, and no
//! test carries the ignore attribute (assert today's behaviour with a FIXME instead).

use std::path::{Path, PathBuf};

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !name.starts_with('.') && !name.starts_with("target") {
                rust_files(&path, found);
            }
        } else if name.ends_with(".rs") {
            found.push(path);
        }
    }
}

#[test]
fn every_rust_file_starts_with_a_module_doc_comment() {
    let mut files = Vec::new();
    for dir in ["crates", "fuzz", "bench"] {
        rust_files(&repository_root().join(dir), &mut files);
    }
    assert!(files.len() > 10, "found only {} files", files.len());
    let offenders: Vec<String> = files
        .iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            !text.trim_start().starts_with("//!") && !text.trim_start().starts_with("#![")
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "files without a //! comment:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn no_test_is_ignored() {
    let mut files = Vec::new();
    rust_files(&repository_root().join("crates"), &mut files);
    let attribute = ["#[", "ignore]"].concat();
    let offenders: Vec<String> = files
        .iter()
        .filter(|path| {
            std::fs::read_to_string(path)
                .unwrap_or_default()
                .contains(&attribute)
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "ignored tests in:\n{}",
        offenders.join("\n")
    );
}
