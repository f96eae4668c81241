//! `validate`: scenario and pricing files checked the way a run would read them, every
//! problem of every file reported together.

use super::super::scenario::{load, name_of, resolve};
use crate::RunError;
use crate::input::catalog;
use crate::model::catalog::Catalog;
use crate::model::problem::{InputError, Problem};
use crate::model::units::fmt_tokens;
use crate::report::Validated;

pub(in crate::commands) fn validate(
    catalog: &Catalog,
    pricing: &[String],
    paths: &[String],
) -> Result<Vec<Validated>, RunError> {
    let files = crate::input::scenario_files(paths)?;
    let mut valid = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    for file in &files {
        let text = match crate::input::read_text(std::path::Path::new(file), file) {
            Ok(t) => t,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        if catalog::is_pricing_file(&text) {
            // A pricing file is layered over the catalog in force, as --pricing would.
            let mut layers = pricing.to_vec();
            layers.push(file.clone());
            match catalog::load(&layers) {
                Ok(c) => valid.push(Validated {
                    file: file.clone(),
                    kind: "pricing",
                    summary: format!(
                        "catalog of {} APIs, {} setups, {} GPUs, {} models",
                        c.apis.len(),
                        c.setups.len(),
                        c.gpus.len(),
                        c.models.len()
                    ),
                }),
                Err(e) => problems.extend(e.problems),
            }
            continue;
        }
        let checked =
            load(file).and_then(|(spec, _, prior)| resolve(&spec, prior, catalog, &name_of(file)));
        match checked {
            Ok(w) => valid.push(Validated {
                file: file.clone(),
                kind: "scenario",
                summary: format!(
                    "{}, {} tokens a month",
                    w.name,
                    fmt_tokens(w.tokens_per_month)
                ),
            }),
            Err(e) => problems.extend(e.problems),
        }
    }
    // Each file's problems in line order; files in the order given.
    problems.sort_by_key(|p| {
        (
            files
                .iter()
                .position(|f| *f == p.file)
                .unwrap_or(usize::MAX),
            p.pos.line,
            p.pos.column,
        )
    });
    if problems.is_empty() {
        Ok(valid)
    } else {
        Err(InputError { problems }.into())
    }
}
