//! The signing keys of the logs and of their witnesses: each a file holding a note signer key
//! string, created with mode 0600 and refused if anyone but its owner can read it. No key enters
//! the database.
//!
//! Each jurisdiction signs its own log with its own key, named `fazhi-log/<code>`
//! ([`origin_for`]); a jurisdiction with jurisdictions below it witnesses their logs with a second
//! key, `fazhi-witness/<code>` ([`witness_name_for`]). [`KeyDir`] keeps them: the root's log key in
//! the file it has always had (so an existing deployment keeps its key), every other key in a
//! directory of mode 0700 beside the database, by jurisdiction id (so a recoded jurisdiction keeps
//! its key and its witness's trust). [`PublicKeys`] is what the web shows of them.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use fazhi_ledger::{Signer, Verifier};

use crate::store::jurisdictions::Jurisdiction;

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
    /// The key directory can be entered by group or others.
    #[error("{0}: permissions must be 0700 (usable by its owner only)")]
    TooOpenDir(String),
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

/// The witness key's name of a jurisdiction (it witnesses the logs of those below it).
pub fn witness_name_for(division_code: &str) -> String {
    format!("fazhi-witness/{division_code}")
}

/// The code a key is named after: the jurisdiction's, or `local` for the unnamed placeholder
/// root (as the root's key was always named before it had a code).
fn key_code(jurisdiction: &Jurisdiction) -> &str {
    if jurisdiction.code.is_empty() {
        "local"
    } else {
        &jurisdiction.code
    }
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

/// Which of a jurisdiction's two keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum KeyKind {
    Log,
    Witness,
}

/// The public half of every key loaded so far, by jurisdiction id: what the 日志验证 pages show.
/// Shared between the signing rounds, which load the keys, and the web.
#[derive(Debug, Clone, Default)]
pub struct PublicKeys(Arc<RwLock<HashMap<i64, JurisdictionKeys>>>);

/// A jurisdiction's public keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JurisdictionKeys {
    /// The verifier of its log's checkpoints.
    pub log: Option<Verifier>,
    /// The verifier of its witness signatures on the checkpoints of the logs below it.
    pub witness: Option<Verifier>,
}

impl PublicKeys {
    /// Only the root's log key, if any (a single log, as before jurisdictions formed a tree).
    pub fn root_only(log: Option<Verifier>) -> PublicKeys {
        let keys = PublicKeys::default();
        if let Some(log) = log {
            keys.set(crate::store::ROOT_JURISDICTION, KeyKind::Log, log);
        }
        keys
    }

    /// The public keys of jurisdiction `id` loaded so far.
    pub fn of(&self, id: i64) -> JurisdictionKeys {
        self.0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&id)
            .cloned()
            .unwrap_or_default()
    }

    fn set(&self, id: i64, kind: KeyKind, verifier: Verifier) {
        let mut keys = self.0.write().unwrap_or_else(PoisonError::into_inner);
        let entry = keys.entry(id).or_default();
        match kind {
            KeyKind::Log => entry.log = Some(verifier),
            KeyKind::Witness => entry.witness = Some(verifier),
        }
    }
}

/// Where every jurisdiction's keys are kept, each loaded (or created) on first use and then
/// held in memory.
#[derive(Debug)]
pub struct KeyDir {
    dir: PathBuf,
    root_log_key: PathBuf,
    loaded: Mutex<HashMap<(KeyKind, i64), Signer>>,
    public: PublicKeys,
}

impl KeyDir {
    /// Keys in `dir` (created with mode 0700 when first needed), the root's log key at
    /// `root_log_key`.
    pub fn new(dir: impl Into<PathBuf>, root_log_key: impl Into<PathBuf>) -> KeyDir {
        KeyDir {
            dir: dir.into(),
            root_log_key: root_log_key.into(),
            loaded: Mutex::default(),
            public: PublicKeys::default(),
        }
    }

    /// The public keys of every key this directory has loaded, kept up to date as it loads more.
    pub fn public_keys(&self) -> PublicKeys {
        self.public.clone()
    }

    /// The key `jurisdiction` signs its log with, named [`origin_for`] its code.
    pub fn log_signer(&self, jurisdiction: &Jurisdiction) -> Result<Signer, KeyError> {
        self.signer(jurisdiction, KeyKind::Log)
    }

    /// The key `jurisdiction` cosigns the checkpoints of the logs below it with, named
    /// [`witness_name_for`] its code.
    pub fn witness_signer(&self, jurisdiction: &Jurisdiction) -> Result<Signer, KeyError> {
        self.signer(jurisdiction, KeyKind::Witness)
    }

    /// The file of a key: the root's log key where it always was, the others in the directory.
    pub fn path_of_log_key(&self, jurisdiction: &Jurisdiction) -> PathBuf {
        self.path(jurisdiction, KeyKind::Log)
    }

    fn path(&self, jurisdiction: &Jurisdiction, kind: KeyKind) -> PathBuf {
        match kind {
            KeyKind::Log if jurisdiction.parent_id.is_none() => self.root_log_key.clone(),
            KeyKind::Log => self.dir.join(format!("log-{}.key", jurisdiction.id)),
            KeyKind::Witness => self.dir.join(format!("witness-{}.key", jurisdiction.id)),
        }
    }

    fn signer(&self, jurisdiction: &Jurisdiction, kind: KeyKind) -> Result<Signer, KeyError> {
        let mut loaded = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(signer) = loaded.get(&(kind, jurisdiction.id)) {
            return Ok(signer.clone());
        }
        let path = self.path(jurisdiction, kind);
        if path.parent() == Some(self.dir.as_path()) {
            private_dir(&self.dir)?;
        }
        let name = match kind {
            KeyKind::Log => origin_for(key_code(jurisdiction)),
            KeyKind::Witness => witness_name_for(key_code(jurisdiction)),
        };
        let signer = load_or_create(&path, &name)?;
        self.public.set(jurisdiction.id, kind, signer.verifier());
        loaded.insert((kind, jurisdiction.id), signer.clone());
        Ok(signer)
    }
}

/// Creates `dir` with mode 0700 if it is not there, and refuses it if anyone but its owner can
/// enter it.
fn private_dir(dir: &Path) -> Result<(), KeyError> {
    let shown = dir.display().to_string();
    let io = |source| KeyError::Io {
        path: shown.clone(),
        source,
    };
    if !dir.exists() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(dir).map_err(io)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir).map_err(io)?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(KeyError::TooOpenDir(shown));
        }
    }
    Ok(())
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

    fn jurisdiction(id: i64, parent_id: Option<i64>, code: &str) -> Jurisdiction {
        Jurisdiction {
            id,
            parent_id,
            code: code.into(),
            name: String::new(),
            level: crate::domain::Level::County,
            created_at: String::new(),
        }
    }

    #[test]
    fn each_jurisdiction_has_its_own_keys_and_the_root_keeps_its_file() {
        let dir = tempfile::tempdir().expect("dir");
        let root_file = dir.path().join("fazhi.db.log-key");
        let existing = load_or_create(&root_file, &origin_for("420000")).expect("old key");
        let keys = KeyDir::new(dir.path().join("fazhi.db.keys"), &root_file);
        let root = jurisdiction(1, None, "420000");
        let wuhan = jurisdiction(2, Some(1), "420100");
        assert_eq!(
            keys.log_signer(&root).expect("root").to_key_string(),
            existing.to_key_string()
        );
        let log = keys.log_signer(&wuhan).expect("child");
        assert_eq!(log.name(), "fazhi-log/420100");
        let witness = keys.witness_signer(&root).expect("witness");
        assert_eq!(witness.name(), "fazhi-witness/420000");
        assert_ne!(witness.verifier(), existing.verifier());
        // Reloaded from the files by another process, the same keys.
        let again = KeyDir::new(dir.path().join("fazhi.db.keys"), &root_file);
        assert_eq!(
            again.log_signer(&wuhan).expect("child").to_key_string(),
            log.to_key_string()
        );
        assert_eq!(
            again.public_keys().of(2).log,
            Some(log.verifier()),
            "published as loaded"
        );
        // The unnamed placeholder root is signed as before it had a code.
        let unnamed = KeyDir::new(dir.path().join("other.keys"), dir.path().join("other.key"));
        assert_eq!(
            unnamed
                .log_signer(&jurisdiction(1, None, ""))
                .expect("placeholder")
                .name(),
            "fazhi-log/local"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |path: &Path| std::fs::metadata(path).expect("meta").permissions().mode();
            assert_eq!(mode(&dir.path().join("fazhi.db.keys")) & 0o777, 0o700);
            assert_eq!(
                mode(&dir.path().join("fazhi.db.keys/log-2.key")) & 0o777,
                0o600
            );
            std::fs::set_permissions(
                dir.path().join("fazhi.db.keys"),
                std::fs::Permissions::from_mode(0o755),
            )
            .expect("chmod");
            let open = KeyDir::new(dir.path().join("fazhi.db.keys"), &root_file);
            assert!(matches!(
                open.log_signer(&wuhan),
                Err(KeyError::TooOpenDir(_))
            ));
        }
    }
}
