//! The log's signing key: a file holding the note signer key string, created with mode 0600 and
//! refused if anyone but its owner can read it. The key never enters the database.

use std::io::Write;
use std::path::Path;

use fazhi_ledger::Signer;

/// A failure to load or create the key file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is readable by group or others.
    #[error("{0}: permissions must be 0600 (readable by its owner only)")]
    TooOpen(String),
    /// The file does not hold a signer key.
    #[error("{0}: not a log signing key")]
    Malformed(String),
    /// The system's randomness failed.
    #[error("no randomness for a new key")]
    Randomness,
}

/// The log's name for a jurisdiction: the checkpoint origin and key name.
pub fn origin_for(division_code: &str) -> String {
    format!("fazhi-log/{division_code}")
}

/// Reads the signing key at `path`.
pub fn load(path: &Path) -> Result<Signer, KeyError> {
    let shown = path.display().to_string();
    let io = |source| KeyError::Io {
        path: shown.clone(),
        source,
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_err(io)?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(KeyError::TooOpen(shown));
        }
    }
    let text = std::fs::read_to_string(path).map_err(io)?;
    Signer::from_key_string(text.trim()).map_err(|_| KeyError::Malformed(shown))
}

/// Reads the key at `path`, creating a new one named `origin` (mode 0600) if there is none.
pub fn load_or_create(path: &Path, origin: &str) -> Result<Signer, KeyError> {
    if path.exists() {
        return load(path);
    }
    let shown = path.display().to_string();
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|_| KeyError::Randomness)?;
    let signer = Signer::from_seed(origin, seed).map_err(|_| KeyError::Malformed(shown.clone()))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|source| KeyError::Io {
        path: shown.clone(),
        source,
    })?;
    writeln!(file, "{}", signer.to_key_string()).map_err(|source| KeyError::Io {
        path: shown,
        source,
    })?;
    Ok(signer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_key_is_private_and_reloads() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("log.key");
        let created = load_or_create(&path, &origin_for("999902")).expect("create");
        let again = load_or_create(&path, "ignored").expect("reload");
        assert_eq!(created.to_key_string(), again.to_key_string());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777,
                0o600
            );
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
            assert!(matches!(load(&path), Err(KeyError::TooOpen(_))));
        }
    }
}
