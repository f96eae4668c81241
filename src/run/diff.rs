//! `diff`: two runs, each a scenario (decided now) or a saved JSON report.

use super::scenario_report;
use crate::RunError;
use crate::input::problem::Problem;
use crate::model::pricing::Catalog;
use crate::report::diff::{Diff, Increase, Snapshot};
use crate::report::json;

pub(super) fn diff(
    catalog: &Catalog,
    base: &str,
    head: &str,
    fail_on_flip: bool,
    max_increase: Option<Increase>,
) -> Result<Diff, RunError> {
    let (b, h) = (side(catalog, base), side(catalog, head));
    let (b, h) = match (b, h) {
        (Ok(b), Ok(h)) => (b, h),
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => return Err(e),
        (Err(RunError::Input(mut e)), Err(RunError::Input(f))) => {
            e.problems.extend(f.problems);
            return Err(e.into());
        }
        (Err(e), Err(_)) => return Err(e),
    };
    Ok(Diff::new(b, h, fail_on_flip, max_increase))
}

/// One side: a `.json` file is a saved report, anything else a scenario.
fn side(catalog: &Catalog, arg: &str) -> Result<Snapshot, RunError> {
    if arg.ends_with(".json") {
        let text = crate::input::read_text(std::path::Path::new(arg), arg)?;
        const FIX: &str = "pass a decision report saved with `llm-decide --format json --output FILE`, or a scenario file";
        let value = crate::input::parse_json(arg, &text, FIX)?;
        return Snapshot::from_json(arg, &value).map_err(|m| Problem::new(arg, m).fix(FIX).into());
    }
    let report = scenario_report(catalog, arg, Some(0))?;
    let value = json::normalized(json::report(&report));
    Snapshot::from_json(arg, &value).map_err(|m| Problem::new(arg, m).into())
}
