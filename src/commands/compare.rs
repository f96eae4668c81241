//! `compare`: scenario files side by side, every bad file reported at once.

use super::{Done, scenario, stale_prices, warnings};
use crate::RunError;
use crate::exit::ExitStatus;
use crate::model::catalog::Catalog;
use crate::model::output::Metric;
use crate::model::problem::InputError;
use crate::options::Options;
use crate::report::{self, Comparison, Document};
use std::collections::BTreeSet;

/// Decides for every scenario under `files` and lays them side by side.
pub(super) fn run(
    options: &Options,
    catalog: &Catalog,
    files: &[String],
    metrics: &[Metric],
    sort: Option<&str>,
) -> Result<Done, RunError> {
    let paths = crate::input::scenario_files(files)?;
    let mut reports = Vec::new();
    let mut problems = Vec::new();
    for result in super::each_file(catalog, &paths, |f| scenario::report(catalog, f, None)) {
        match result {
            Ok(r) => reports.push(r),
            Err(RunError::Input(e)) => problems.extend(e.problems),
            Err(e) => return Err(e),
        }
    }
    if !problems.is_empty() {
        return Err(InputError { problems }.into());
    }
    if let Some(key) = sort {
        report::sort_reports(&mut reports, key);
    }
    let mut seen = BTreeSet::new();
    for r in &mut reports {
        r.warnings = stale_prices(r, options, catalog)?;
        seen.extend(r.warnings.iter().cloned());
    }
    Ok(Done {
        doc: Document::Compare(Comparison {
            reports,
            metrics: metrics.to_vec(),
        }),
        status: ExitStatus::Passed,
        messages: warnings(&seen),
    })
}
