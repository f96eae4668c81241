//! Input: reading, parsing and validating YAML (pricing catalogs, scenario files) into
//! model values. The only module that touches files on the way in.

pub mod catalog;
pub mod digest;
pub mod litellm;
pub mod pricing;
pub mod report_json;
pub mod scenario;
pub mod validate;
pub mod yaml;

use crate::model::problem::{InputError, Problem};
use crate::model::workload::spec::WorkloadSpec;
pub use digest::sha256_hex;
use std::io::{ErrorKind, Read};
use std::path::Path;

/// The scenario files named by `paths`: files as given, folders searched recursively for
/// `.yaml` and `.yml` files (hidden entries skipped), each folder's files in name order.
pub fn scenario_files(paths: &[String]) -> Result<Vec<String>, InputError> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if path.is_dir() {
            let before = files.len();
            if let Err(e) = walk(path, &mut files) {
                problems.push(Problem::new(p, format!("cannot read the folder: {e}")));
                continue;
            }
            if files.len() == before {
                problems.push(
                    Problem::new(p, "the folder holds no scenario files (.yaml or .yml)")
                        .fix("name a folder of scenario files, or the files themselves"),
                );
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

fn walk(dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .map(|e| e.path())
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path.to_string_lossy().into_owned());
        }
    }
    Ok(())
}

/// Parses JSON text; a syntax error is a problem naming the file, with `fix`.
pub fn parse_json(file: &str, text: &str, fix: &str) -> Result<serde_json::Value, Problem> {
    serde_json::from_str(text)
        .map_err(|e| Problem::new(file, format!("not valid JSON: {e}")).fix(fix))
}

/// Reads a UTF-8 text file of at most [`yaml::MAX_FILE_BYTES`], with a clear problem for
/// every way that can fail. `name` is how the file is named in messages. Pipes (`<(cmd)`)
/// and devices are read up to the limit too: their size is only known once read.
pub fn read_text(path: &Path, name: &str) -> Result<String, Problem> {
    if path.is_dir() {
        return Err(Problem::new(name, "is a folder, not a file").fix("name a file inside it"));
    }
    let limit = yaml::MAX_FILE_BYTES;
    let too_big = |size: String| {
        Problem::new(
            name,
            format!("is {size}, over the {limit} byte limit for input files"),
        )
        .fix("split it into smaller files")
    };
    let meta = std::fs::metadata(path).map_err(|e| io_problem(name, &e))?;
    if meta.len() > limit as u64 {
        return Err(too_big(format!("{} bytes", meta.len())));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit as u64 + 1).read_to_end(&mut bytes))
        .map_err(|e| io_problem(name, &e))?;
    if bytes.len() > limit {
        return Err(too_big(format!("more than {limit} bytes")));
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
