//! Procedure definitions: the typed model and its loader live in `fazhi-procedure`; this module
//! adds the one thing that does IO, reading a directory of definitions.

use std::path::{Path, PathBuf};

pub use fazhi_procedure::load::{
    DefinitionError, DefinitionErrors, load_embedded, parse_all, parse_definition,
};
pub use fazhi_procedure::model::*;

/// Every `*.toml` in `dir`, validated together (sorted by file name); every problem of every
/// file is listed.
pub fn load_dir(dir: &Path) -> Result<Vec<Procedure>, DefinitionErrors> {
    let whole = |path: &Path, reason: String| {
        DefinitionErrors(vec![DefinitionError {
            file: path.to_owned(),
            line: 1,
            reason,
        }])
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| whole(dir, format!("cannot read the directory: {e}")))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| whole(&path, format!("cannot read the file: {e}")))?;
        files.push((path, text));
    }
    parse_all(&files)
}
