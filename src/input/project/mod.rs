//! The project's settings file, `.llm-decide.yaml`: the defaults a team shares (its pricing
//! files, when a price counts as old, default budget checks, the currency reports show), found from the working folder
//! upward, stopping at the repository's root (a folder holding `.git`) or the home folder.
//! A file another user owns, or that its group or others may write, is refused: it would
//! set the prices and budgets of every run in the project.

pub mod currency;

use crate::input::scenario::raw::RawBudget;
use crate::input::validate::{Checker, NUMBER};
use crate::input::yaml::{self, Located, Q};
pub use crate::model::output::Project;
use crate::model::problem::{InputError, Problem, Problems};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The settings file's name.
pub const FILE: &str = ".llm-decide.yaml";

/// The settings file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    version: Located<u32>,
    pricing: Option<Located<Vec<Located<String>>>>,
    price_warning_days: Option<Q>,
    budget: Option<RawBudget>,
    currency: Option<currency::RawCurrency>,
}

/// The settings file that applies in `dir`: the nearest `.llm-decide.yaml` in `dir` or a
/// folder above it, looking no higher than the first folder holding `.git` or `home`.
pub fn find(dir: &Path, home: Option<&Path>) -> Option<PathBuf> {
    for d in dir.ancestors() {
        let file = d.join(FILE);
        if file.is_file() {
            return Some(file);
        }
        if d.join(".git").exists() || Some(d) == home {
            return None;
        }
    }
    None
}

/// Reads the settings file that applies in `dir`, if there is one.
///
/// # Errors
/// A file that cannot be read, that another user owns or others may write, or whose values
/// are not valid.
pub fn load(dir: &Path, home: Option<&Path>) -> Result<Option<Project>, InputError> {
    let Some(path) = find(dir, home) else {
        return Ok(None);
    };
    let name = path.to_string_lossy().into_owned();
    safe(&path, &name)?;
    let text = crate::input::read_text(&path, &name)?;
    let (raw, found): (RawProject, _) =
        yaml::parse(&name, &text).map_err(|problems| InputError { problems })?;
    let mut problems = Problems(found);
    let mut ck = Checker {
        file: &name,
        problems: &mut problems,
    };
    ck.version(&raw.version);
    let folder = path.parent().unwrap_or(Path::new("."));
    let pricing = raw
        .pricing
        .map(|list| {
            list.value
                .into_iter()
                .map(|p| relative_to(folder, &p.value))
                .collect()
        })
        .unwrap_or_default();
    let price_warning_days = ck.opt(
        "price_warning_days",
        raw.price_warning_days.as_ref(),
        NUMBER,
    );
    let budget = raw
        .budget
        .as_ref()
        .map(|b| crate::input::scenario::budget(&mut ck, b))
        .unwrap_or_default();
    let currency = raw
        .currency
        .as_ref()
        .and_then(|c| currency::read(&mut ck, c));
    let sha256 = crate::input::digest::sha256_hex(text.as_bytes());
    problems.finish(Some(Project {
        file: name,
        sha256,
        pricing,
        price_warning_days,
        budget,
        currency,
    }))
}

/// A path of the file taken from its folder; a built-in profile's name (no separator, no
/// extension) as it is.
fn relative_to(folder: &Path, entry: &str) -> String {
    if crate::input::pricing::profiles::profile_sources(entry).is_some() {
        return entry.to_string();
    }
    folder.join(entry).to_string_lossy().into_owned()
}

/// Refuses a file another user owns or that its group or others may write.
#[cfg(unix)]
fn safe(path: &Path, name: &str) -> Result<(), Problem> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).map_err(|e| Problem::new(name, e.to_string()))?;
    let me = rustix::process::geteuid().as_raw();
    if meta.uid() != me {
        return Err(Problem::new(
            name,
            format!(
                "is owned by user {}, not by the user running llm-decide ({me})",
                meta.uid()
            ),
        )
        .fix(
            "the settings file sets every run's prices and budgets: own it (chown), or remove it",
        ));
    }
    let mode = meta.mode() & 0o777;
    if mode & 0o022 != 0 {
        let who = match (mode & 0o020 != 0, mode & 0o002 != 0) {
            (true, true) => "its group and others",
            (true, false) => "its group",
            _ => "others",
        };
        return Err(
            Problem::new(name, format!("can be written by {who} (mode {mode:o})")).fix(format!(
                "the settings file sets every run's prices and budgets: chmod go-w {name}"
            )),
        );
    }
    Ok(())
}

/// Permissions are not checked where they are not Unix modes.
#[cfg(not(unix))]
fn safe(_: &Path, _: &str) -> Result<(), Problem> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The nearest file upward wins; the search stops at a repository's root or at home.
    #[test]
    fn found_upward_no_higher_than_the_repository_or_home() {
        let root = std::env::temp_dir().join(format!("llm-decide-project-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let deep = root.join("repo/a/b");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(root.join(FILE), "version: 1\n").unwrap();
        // Above the repository: not found once the repository's root is met.
        std::fs::create_dir_all(root.join("repo/.git")).unwrap();
        assert_eq!(find(&deep, None), None);
        // In the repository: found from below.
        std::fs::write(root.join("repo/a").join(FILE), "version: 1\n").unwrap();
        assert_eq!(find(&deep, None), Some(root.join("repo/a").join(FILE)));
        // Without a repository, home stops the search too.
        std::fs::remove_dir_all(root.join("repo/.git")).unwrap();
        std::fs::remove_file(root.join("repo/a").join(FILE)).unwrap();
        assert_eq!(find(&deep, Some(&root.join("repo"))), None);
        assert_eq!(find(&deep, None), Some(root.join(FILE)));
        let _ = std::fs::remove_dir_all(&root);
    }
}
