//! `validate`: scenario and pricing files checked the way a run would read them, every
//! problem of every file reported together.

use super::{check::expand, load_scenario, resolve, scenario_name};
use crate::RunError;
use crate::input::catalog;
use crate::input::problem::{InputError, Problem};
use crate::model::pricing::Catalog;
use crate::model::units::fmt_tokens;
use crate::report::Validated;

/// Top-level keys only a pricing file has.
const PRICING_KEYS: &[&str] = &[
    "apis",
    "providers",
    "setups",
    "staffing",
    "policy",
    "gpus",
    "models",
    "precisions",
    "serving",
];

/// Whether a file's text is a pricing file: one of its top-level keys is a pricing section.
fn is_pricing(text: &str) -> bool {
    text.lines().any(|l| {
        l.split_once(':').is_some_and(|(k, _)| {
            !k.starts_with([' ', '\t', '#', '-']) && PRICING_KEYS.contains(&k.trim())
        })
    })
}

pub(super) fn validate(
    catalog: &Catalog,
    pricing: &[String],
    paths: &[String],
) -> Result<Vec<Validated>, RunError> {
    let files = expand(paths)?;
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
        if is_pricing(&text) {
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
        let checked = load_scenario(file)
            .and_then(|(spec, _, prior)| resolve(&spec, prior, catalog, &scenario_name(file)));
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

#[cfg(test)]
mod tests {
    use super::is_pricing;

    #[test]
    fn pricing_files_are_told_by_their_sections() {
        assert!(is_pricing("version: 1\napis:\n  - id: x\n"));
        assert!(is_pricing("# prices\nversion: 1\npolicy: {tie_band: 5%}\n"));
        assert!(!is_pricing(
            "version: 1\nname: a\ntokens_per_month: 1B\nbudget:\n  max_monthly_cost_usd: 1k\n"
        ));
        // A nested key named like a section does not count.
        assert!(!is_pricing("version: 1\nself_host:\n  models: x\n"));
    }
}
