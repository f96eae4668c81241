//! `pricing diff`: two catalogs, each loaded the way `--pricing` loads one, compared.

use super::super::Done;
use crate::RunError;
use crate::engine::pricing_diff;
use crate::input::catalog;
use crate::report::{Document, PricingDiffReport};

/// Loads `old` and `new`, each over the run's own `--pricing` layers, and compares them.
pub(in crate::commands) fn pricing_diff(
    base: &[String],
    old: &str,
    new: &str,
) -> Result<Done, RunError> {
    let layers = |side: &str| {
        let mut args = base.to_vec();
        args.push(side.to_string());
        catalog::load(&args)
    };
    let (before, after) = match (layers(old), layers(new)) {
        (Ok(b), Ok(a)) => (b, a),
        (Err(mut e), Err(f)) => {
            e.problems.extend(f.problems);
            return Err(e.into());
        }
        (Err(e), _) | (_, Err(e)) => return Err(e.into()),
    };
    Ok(Done::doc(Document::PricingDiff(Box::new(
        PricingDiffReport {
            old: old.to_string(),
            new: new.to_string(),
            diff: pricing_diff::diff(&before, &after),
        },
    ))))
}
