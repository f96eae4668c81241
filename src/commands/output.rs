//! Writing `--output` (and `init FILE`): all or nothing, and only the file the user named.
//!
//! - A regular file or a missing path: the bytes go to a temporary file created exclusively
//!   under a random name in the same folder (a name planted in advance cannot redirect the
//!   write), which then replaces the target by a rename; the replaced file's permissions (and,
//!   where allowed, owner) are kept. A missing path is never created over something that
//!   appeared meanwhile.
//! - A symbolic link: written through to its target under the same rules; a link to nothing is
//!   refused.
//! - A character device or a FIFO (`/dev/stdout`, a pipe): written to directly, never replaced.
//! - Anything else (a folder, a socket, a block device) is refused, as is a file the run reads
//!   (its scenario, pricing or report files): the output would replace its own input.

use super::spool::Body;
use crate::input::{self, Depth};
use crate::options::{Action, Options};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why the output could not be written; nothing was.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The path names one of the run's inputs.
    #[error("{path}: it is {input}, an input of this run; write the output somewhere else")]
    IsInput {
        /// The output path.
        path: String,
        /// The input it is.
        input: String,
    },
    /// The path is not something a report can be written to.
    #[error("{path}: it is {what}; name a file, a character device or a FIFO")]
    NotWritable {
        /// The output path.
        path: String,
        /// What it is.
        what: &'static str,
    },
    /// A symbolic link to nothing.
    #[error("{path}: it is a symbolic link to a missing file; name the file itself")]
    DanglingLink {
        /// The output path.
        path: String,
    },
    /// The system refused.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The output path.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
}

/// Writes `body` to `path` as the module says; `inputs` are the files the run read.
pub fn write(path: &Path, body: &Body, inputs: &[PathBuf]) -> Result<(), WriteError> {
    let shown = path.display().to_string();
    let io = |source: std::io::Error| WriteError::Io {
        path: shown.clone(),
        source,
    };
    if let Some(input) = inputs
        .iter()
        .find(|i| same_file::is_same_file(path, i).unwrap_or(false))
    {
        return Err(WriteError::IsInput {
            path: shown.clone(),
            input: input.display().to_string(),
        });
    }
    // Through links to what they name: the rules apply to the target.
    let target = match fs::canonicalize(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok() {
                return Err(WriteError::DanglingLink { path: shown });
            }
            return replace(path, body, None).map_err(io);
        }
        Err(e) => return Err(io(e)),
    };
    let meta = fs::metadata(&target).map_err(io)?;
    let kind = meta.file_type();
    if kind.is_file() {
        return replace(&target, body, Some(&meta)).map_err(io);
    }
    if is_stream(kind) {
        let f = OpenOptions::new().write(true).open(&target).map_err(io)?;
        let mut f = std::io::BufWriter::new(f);
        return body.write_to(&mut f).and_then(|()| f.flush()).map_err(io);
    }
    Err(WriteError::NotWritable {
        path: shown,
        what: if kind.is_dir() {
            "a folder"
        } else {
            special(kind)
        },
    })
}

/// Writes a complete temporary file beside `path` and renames it into place: over the existing
/// regular file `old` (keeping its permissions and owner), or onto a path that must still be
/// missing.
fn replace(path: &Path, body: &Body, old: Option<&fs::Metadata>) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A new file gets what the umask leaves of read-write for all, as `File::create` would
    // (a temporary file is private by default).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    if let Some(old) = old {
        tmp.as_file().set_permissions(old.permissions())?;
    }
    {
        let mut w = std::io::BufWriter::new(&mut tmp);
        body.write_to(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    if let Some(old) = old {
        keep_owner(tmp.as_file(), old);
        tmp.persist(path).map_err(|e| e.error)?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| e.error)?;
    }
    Ok(())
}

/// Gives the new file the replaced file's owner, where the process may (as root); otherwise
/// the new file is the writer's, as any replaced file would be.
fn keep_owner(file: &File, old: &fs::Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
    }
    let _ = (file, old);
}

/// A character device or a FIFO: written to in place.
fn is_stream(kind: fs::FileType) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        kind.is_char_device() || kind.is_fifo()
    }
    #[cfg(not(unix))]
    {
        let _ = kind;
        false
    }
}

/// What a special file is, for a message.
fn special(kind: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() {
            return "a block device";
        }
    }
    let _ = kind;
    "a special file"
}

/// Every file the run reads, so that the output never replaces one: the scenario, pricing
/// files and folders, the files `compare`, `check`, `validate` and `diff` read, the file
/// `pricing import-litellm` converts.
pub fn inputs(options: &Options) -> Vec<PathBuf> {
    let mut args: Vec<&str> = options.pricing.iter().map(String::as_str).collect();
    match &options.action {
        Action::Decide {
            scenario, usage, ..
        } => {
            args.extend(scenario.as_deref());
            args.extend(usage.iter().map(String::as_str));
        }
        Action::Crossover { scenario, .. } => args.extend(scenario.as_deref()),
        Action::Check { paths, usage, .. } => {
            args.extend(paths.iter().chain(usage).map(String::as_str));
        }
        Action::Compare { files: paths, .. } | Action::Validate { paths } => {
            args.extend(paths.iter().map(String::as_str));
        }
        Action::Diff { base, head, .. } => args.extend([base.as_str(), head.as_str()]),
        Action::PricingDiff { old, new } => args.extend([old.as_str(), new.as_str()]),
        Action::ImportLitellm(request) => args.push(&request.source),
        Action::Calibrate(request) => args.extend(request.files.iter().map(String::as_str)),
        Action::Usage(request) => args.extend(request.files.iter().map(String::as_str)),
        _ => {}
    }
    let mut out = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        if path.is_dir() {
            let depth = if options.pricing.iter().any(|p| p == arg) {
                Depth::Top
            } else {
                Depth::All
            };
            out.extend(input::yaml_files(path, depth).unwrap_or_default());
        } else if path.exists() {
            out.push(path.to_path_buf());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("llm-decide-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// The old scheme's temporary name (`.NAME.<pid>.tmp`) planted as a link to a victim file
    /// does not redirect the write.
    #[test]
    fn a_planted_temporary_name_redirects_nothing() {
        let dir = scratch("planted");
        let victim = dir.join("victim");
        fs::write(&victim, "keep").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            &victim,
            dir.join(format!(".out.json.{}.tmp", std::process::id())),
        )
        .unwrap();
        write(&dir.join("out.json"), &Body::Text("report".into()), &[]).unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
        assert_eq!(fs::read_to_string(dir.join("out.json")).unwrap(), "report");
        // Nothing of the write is left behind but the output (and the planted link).
        let names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| {
                Path::new(n).extension().is_some_and(|e| e == "tmp")
                    && !n.contains(&std::process::id().to_string())
            })
            .collect();
        assert_eq!(names, Vec::<String>::new());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_private_file_stays_private() {
        let dir = scratch("private");
        let out = dir.join("out.json");
        fs::write(&out, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&out, fs::Permissions::from_mode(0o600)).unwrap();
            write(&out, &Body::Text("new".into()), &[]).unwrap();
            let mode = fs::metadata(&out).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            assert_eq!(fs::read_to_string(&out).unwrap(), "new");
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn its_own_input_is_refused() {
        let dir = scratch("input");
        let scenario = dir.join("s.yaml");
        fs::write(&scenario, "version: 1\n").unwrap();
        let e = write(
            &scenario,
            &Body::Text("x".into()),
            std::slice::from_ref(&scenario),
        )
        .unwrap_err();
        assert!(matches!(e, WriteError::IsInput { .. }), "{e}");
        assert_eq!(fs::read_to_string(&scenario).unwrap(), "version: 1\n");
        fs::remove_dir_all(&dir).unwrap();
    }
}
