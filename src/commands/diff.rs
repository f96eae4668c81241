//! `diff`: two runs, each a scenario (decided now) or a saved JSON report, compared option by
//! option, with the gates asked for (exit 1 when one fails).

use super::{Done, gate, scenario};
use crate::RunError;
use crate::engine::decision::diff::Diff;
use crate::input::report_json::snapshot;
use crate::model::catalog::Catalog;
use crate::model::output::Increase;
use crate::model::problem::Problem;
use crate::report::Document;
use crate::report::json;

/// Compares two runs and runs the gates.
pub(super) fn run(
    options: &crate::options::Options,
    catalog: &Catalog,
    base: &str,
    head: &str,
    fail_on_flip: bool,
    max_increase: Option<Increase>,
) -> Result<Done, RunError> {
    let d = diff(catalog, base, head, fail_on_flip, max_increase)?;
    let mut messages = Vec::new();
    let status = gate(options, &d.gates, (false, None), &mut messages);
    Ok(Done {
        doc: Document::Diff(Box::new(d)),
        status,
        messages,
        items: None,
    })
}

fn diff(
    catalog: &Catalog,
    base: &str,
    head: &str,
    fail_on_flip: bool,
    max_increase: Option<Increase>,
) -> Result<Diff, RunError> {
    let (b, h) = (side(catalog, base), side(catalog, head));
    let (b, h) = match (b, h) {
        (Ok(b), Ok(h)) => (b, h),
        (Err(RunError::Input(mut e)), Err(RunError::Input(f))) => {
            e.problems.extend(f.problems);
            return Err(e.into());
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    Ok(Diff::new(b, h, fail_on_flip, max_increase))
}

/// One side: a `.json` file is a saved report, anything else a scenario.
fn side(catalog: &Catalog, arg: &str) -> Result<crate::model::decision::Snapshot, RunError> {
    const FIX: &str = "pass a decision report saved with `llm-decide --format json --output FILE`, or a scenario file";
    let path = std::path::Path::new(arg);
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        let text = crate::input::read_text(path, arg)?;
        let value = crate::input::parse_json(arg, &text, FIX)?;
        return snapshot(arg, &value, crate::report::SCHEMA_VERSION)
            .map_err(|m| Problem::new(arg, m).fix(FIX).into());
    }
    // A diff reads the decision, not its outlook.
    let report = scenario::report(catalog, arg, crate::engine::Depth::Decision)?;
    let value = json::normalized(json::report(&report));
    snapshot(arg, &value, crate::report::SCHEMA_VERSION).map_err(|m| Problem::new(arg, m).into())
}
