//! Input: reading, parsing and validating YAML (pricing catalogs, scenario files) into
//! model values. The only module that touches files on the way in.

pub mod bench;
pub mod catalog;
pub mod digest;
pub mod fetch;
pub mod litellm;
pub mod pricing;
pub mod project;
pub mod report_json;
pub mod scenario;
pub mod usage;
pub mod validate;
pub mod yaml;

use crate::model::date::Date;
use crate::model::problem::{InputError, Pos, Problem};
use crate::model::workload::spec::WorkloadSpec;
pub use digest::sha256_hex;
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};

/// The scenario files named by `paths`: files as given, folders searched recursively for
/// `.yaml` and `.yml` files (hidden entries skipped), each folder's files in name order.
pub fn scenario_files(paths: &[String]) -> Result<Vec<String>, InputError> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if path.is_dir() {
            match yaml_files(path, Depth::All) {
                Err(problem) => problems.push(problem),
                Ok(found) if found.is_empty() => problems.push(
                    Problem::new(p, "the folder holds no scenario files (.yaml or .yml)")
                        .fix("name a folder of scenario files, or the files themselves"),
                ),
                Ok(found) => files.extend(found.iter().map(|f| f.display().to_string())),
            }
        } else {
            files.push(p.clone());
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(InputError { problems })
    }
}

/// How deep a folder is read: its files only, or every folder below it too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// The folder's own files (`--pricing FOLDER`: layered in name order).
    Top,
    /// The folder and every folder below it (`validate`, `check`, `compare`).
    All,
}

/// The YAML files (`.yaml`, `.yml`) of a folder, in path order, the same way for every command
/// that reads folders: hidden files and folders (a name starting with `.`) are left out;
/// symbolic links are followed, a loop is not (each file is read once, however many links lead
/// to it); a FIFO, socket or device with a YAML name is refused rather than read (it could
/// block or never end).
pub fn yaml_files(dir: &Path, depth: Depth) -> Result<Vec<PathBuf>, Problem> {
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .min_depth(1);
    if depth == Depth::Top {
        walker = walker.max_depth(1);
    }
    let mut files: Vec<PathBuf> = Vec::new();
    let mut seen: Vec<same_file::Handle> = Vec::new();
    let hidden = |e: &walkdir::DirEntry| e.file_name().to_string_lossy().starts_with('.');
    for entry in walker.into_iter().filter_entry(|e| !hidden(e)) {
        let entry = match entry {
            Ok(e) => e,
            // A link back to a folder above it: already being read.
            Err(e) if e.loop_ancestor().is_some() => continue,
            Err(e) => {
                let at = e.path().unwrap_or(dir).display().to_string();
                return Err(Problem::new(at, format!("cannot read it: {e}")));
            }
        };
        let path = entry.path();
        if !path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            continue;
        }
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        if !kind.is_file() {
            return Err(Problem::new(
                path.display().to_string(),
                format!("is {}, not a regular file", special_kind(kind)),
            )
            .fix(
                "a folder is read for its regular .yaml files; remove it, or name it on its own",
            ));
        }
        // The same file behind two names (a link to it) is read once.
        if let Ok(handle) = same_file::Handle::from_path(path) {
            if seen.contains(&handle) {
                continue;
            }
            seen.push(handle);
        }
        files.push(path.to_path_buf());
    }
    Ok(files)
}

/// What a file that is not a regular file is, for a message.
fn special_kind(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    let _ = kind;
    "a special file"
}

/// Parses JSON text; a syntax error is a problem naming the file, with `fix`.
pub fn parse_json(file: &str, text: &str, fix: &str) -> Result<serde_json::Value, Problem> {
    serde_json::from_str(text)
        .map_err(|e| Problem::new(file, format!("not valid JSON: {e}")).fix(fix))
}

/// The JSON documents of a text with the 1-based line each starts on: the whole text as one
/// document, or, where that does not parse, one document a non-empty line (as tools that
/// append a run or a page a line write them); a line that does not parse is a problem at its
/// line and column, with `fix`.
pub fn json_documents(
    file: &str,
    text: &str,
    fix: &str,
) -> Result<Vec<(u64, serde_json::Value)>, Problem> {
    if let Ok(value) = serde_json::from_str(text) {
        let line = text.lines().position(|l| !l.trim().is_empty()).unwrap_or(0) as u64 + 1;
        return Ok(vec![(line, value)]);
    }
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        let line = i as u64 + 1;
        let value = serde_json::from_str(l).map_err(|e| {
            Problem::new(file, format!("not valid JSON: {e}"))
                .at(Pos {
                    line,
                    column: e.column() as u64,
                })
                .fix(fix)
        })?;
        out.push((line, value));
    }
    Ok(out)
}

/// The data files named: files as given, folders as their files whose names end in one of
/// `exts` (`json`, `csv.gz`), those of their subfolders too, in path order, less the files
/// named in `skip`. A folder with none is a problem with `fix`.
pub fn data_files(
    paths: &[String],
    skip: &[&str],
    exts: &[&str],
    fix: &str,
) -> Result<Vec<String>, Problem> {
    let mut out = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if !path.is_dir() {
            out.push(p.clone());
            continue;
        }
        let mut found: Vec<String> = walkdir::WalkDir::new(path)
            .min_depth(1)
            .max_depth(2)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter(|e| !skip.iter().any(|n| e.file_name() == *n))
            .filter(|e| {
                let name = e.file_name().to_string_lossy();
                exts.iter().any(|x| {
                    name.strip_suffix(x)
                        .is_some_and(|stem| stem.len() > 1 && stem.ends_with('.'))
                })
            })
            .map(|e| e.path().display().to_string())
            .collect();
        if found.is_empty() {
            let names: Vec<String> = exts.iter().map(|x| format!(".{x}")).collect();
            let (last, rest) = names.split_last().expect("a list of extensions");
            let names = if rest.is_empty() {
                last.clone()
            } else {
                format!("{} or {last}", rest.join(", "))
            };
            return Err(Problem::new(p, format!("holds no {names} file")).fix(fix));
        }
        out.append(&mut found);
    }
    Ok(out)
}

/// The text named by a source argument, and the date its server says it was last modified: a
/// file, an `https://` URL, or `-` for standard input.
pub fn read_source(source: &str) -> Result<(String, Option<Date>), Problem> {
    if fetch::is_url(source) {
        return fetch::fetch(source);
    }
    if source == "-" {
        let text = read_limited(std::io::stdin().lock(), "standard input")?;
        return Ok((text, None));
    }
    read_text(Path::new(source), source).map(|t| (t, None))
}

/// Reads a UTF-8 text file of at most [`yaml::MAX_FILE_BYTES`], with a clear problem for
/// every way that can fail. `name` is how the file is named in messages. Pipes (`<(cmd)`)
/// and devices are read up to the limit too: their size is only known once read.
pub fn read_text(path: &Path, name: &str) -> Result<String, Problem> {
    if path.is_dir() {
        return Err(Problem::new(name, "is a folder, not a file").fix("name a file inside it"));
    }
    let meta = std::fs::metadata(path).map_err(|e| io_problem(name, &e))?;
    if meta.len() > yaml::MAX_FILE_BYTES as u64 {
        return Err(too_big(name, &format!("{} bytes", meta.len())));
    }
    let file = std::fs::File::open(path).map_err(|e| io_problem(name, &e))?;
    read_limited(file, name)
}

/// At most [`yaml::MAX_FILE_BYTES`] of UTF-8 text from `reader`.
fn read_limited(reader: impl Read, name: &str) -> Result<String, Problem> {
    let limit = yaml::MAX_FILE_BYTES;
    let mut bytes = Vec::new();
    reader
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_problem(name, &e))?;
    if bytes.len() > limit {
        return Err(too_big(name, &format!("more than {limit} bytes")));
    }
    String::from_utf8(bytes).map_err(|e| {
        Problem::new(
            name,
            format!(
                "is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
        .fix("save the file as UTF-8")
    })
}

fn too_big(name: &str, size: &str) -> Problem {
    Problem::new(
        name,
        format!(
            "is {size}, over the {} byte limit for input files",
            yaml::MAX_FILE_BYTES
        ),
    )
    .fix("split it into smaller files")
}

fn io_problem(name: &str, e: &std::io::Error) -> Problem {
    match e.kind() {
        ErrorKind::NotFound => Problem::new(name, "no such file").fix("check the path"),
        ErrorKind::PermissionDenied => Problem::new(name, "cannot be read: permission denied")
            .fix("check the file's permissions"),
        _ => Problem::new(name, format!("cannot be read: {e}"))
            .fix("name a readable file (a regular file, or a pipe such as <(command))"),
    }
}

/// Reads and validates a scenario file.
pub fn load_scenario(path: &str) -> Result<WorkloadSpec, InputError> {
    let text = read_text(Path::new(path), path)?;
    scenario::parse_scenario(path, &text)
}

/// The model a `--model-config` file describes, ready to join the catalog: its id is the
/// file's name without `.json`, or its folder's name for a file named `config.json`.
///
/// # Errors
/// The file cannot be read, its id is already in the catalog, or its architecture cannot be
/// sized (the field named).
pub fn model_config(
    path: &str,
    tier: crate::model::catalog::Tier,
    catalog: &crate::model::catalog::Catalog,
) -> Result<crate::model::catalog::hardware::OpenModel, Problem> {
    let p = std::path::Path::new(path);
    let text = read_text(p, path)?;
    let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or(path);
    let id = if stem == "config" {
        p.parent()
            .and_then(|d| d.file_name())
            .and_then(|s| s.to_str())
            .unwrap_or(stem)
    } else {
        stem
    };
    if catalog.model(id).is_some() {
        return Err(
            Problem::new(path, format!("model id {id:?} is already in the catalog"))
                .fix("rename the file, or use the catalog's model with --model"),
        );
    }
    let arch = pricing::model_config::read(&text).map_err(|e| {
        Problem::new(path, e.to_string())
            .fix("give the model's config.json from its Hugging Face repository")
    })?;
    Ok(arch.model(id, tier, &format!("Hugging Face config.json: {path}")))
}
