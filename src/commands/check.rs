//! `check`: every scenario file under the given paths, decided and checked against its
//! budget. Files are decided in parallel and reported in path order; a failed check of any file
//! fails the run (exit 1, unless `--warn-only`).

use super::{Done, budget_checks, gate, scenario, stale_prices, warnings};
use crate::RunError;
use crate::exit::ExitStatus;
use crate::model::catalog::Catalog;
use crate::model::problem::InputError;
use crate::model::workload::Budget;
use crate::options::Options;
use crate::report::Document;
use crate::report::{CheckReport, Checked};
use std::collections::BTreeSet;

/// Checks every scenario under `paths` (or the workload `usage` exports describe) against its
/// budget with the flags' checks on top.
pub(super) fn run(
    options: &Options,
    catalog: &Catalog,
    paths: &[String],
    usage: &scenario::UsageInput,
    budget: &Budget,
    warn_only: bool,
) -> Result<Done, RunError> {
    let (mut checked, warned) = if usage.files.is_empty() {
        check_all(options, catalog, paths, budget)?
    } else {
        check_usage(options, catalog, usage, budget)?
    };
    checked.warnings = warned.into_iter().collect();
    let mut messages = warnings(&checked.warnings);
    let mut status = ExitStatus::Passed;
    for c in &checked.scenarios {
        status = status.max(gate(
            options,
            &c.checks,
            (warn_only, Some(&c.file)),
            &mut messages,
        ));
    }
    Ok(Done {
        doc: Document::Check(checked),
        status,
        messages,
    })
}

/// Decides and checks every scenario under `paths`, with the warnings of stale prices. Any bad
/// file fails the whole run with every problem found (exit 2), so a check never passes on a
/// file it could not read. A file's report is dropped once checked: memory grows by its line of
/// results, not its report.
fn check_all(
    options: &Options,
    catalog: &Catalog,
    paths: &[String],
    flags: &Budget,
) -> Result<(CheckReport, BTreeSet<String>), RunError> {
    let files = crate::input::scenario_files(paths)?;
    let results = super::each_file(catalog, &files, |f| one(options, catalog, f, flags));
    let mut scenarios = Vec::new();
    let mut warned = BTreeSet::new();
    let mut problems = Vec::new();
    // A flag at odds with the prices (`--today` before a price's date) is one error, however
    // many files meet it; it is reported once the files themselves are known to be good.
    let mut flag_error = None;
    for r in results {
        match r {
            Ok((c, w)) => {
                scenarios.push(c);
                match w {
                    Ok(w) => warned.extend(w),
                    Err(e) => flag_error = flag_error.or(Some(e)),
                }
            }
            Err(RunError::Input(e)) => problems.extend(e.problems),
            Err(e) => return Err(e),
        }
    }
    if !problems.is_empty() {
        return Err(InputError { problems }.into());
    }
    if let Some(e) = flag_error {
        return Err(e);
    }
    Ok((CheckReport::new(catalog, scenarios), warned))
}

/// The workload usage exports describe, decided and checked, each observed month against the
/// monitoring trigger; reported as one scenario named by the first export.
fn check_usage(
    options: &Options,
    catalog: &Catalog,
    usage: &scenario::UsageInput,
    flags: &Budget,
) -> Result<(CheckReport, BTreeSet<String>), RunError> {
    let none = crate::model::workload::spec::PriceOverrides::default();
    let spec = crate::model::workload::spec::WorkloadSpec::default();
    let (catalog_used, mut workload, inputs, months) =
        scenario::usage_workload(catalog.clone(), usage, &spec, &none)?;
    // Checks never read the Monte Carlo summary, so it is not drawn.
    workload.draws = Some(0);
    let report = scenario::decide(&catalog_used, &workload, inputs)?;
    let budget = budget_checks(options, &workload.budget, flags);
    let checks = scenario::run_checks(&report, &budget, options.today, &months);
    let name = crate::input::usage::postgres::shown(&usage.files[0]);
    let checked = Checked::new(&name, &report, checks);
    let warned = stale_prices(&report, options, catalog)?
        .into_iter()
        .collect();
    Ok((CheckReport::new(catalog, vec![checked]), warned))
}

/// The warnings of the stale prices a decision relies on, or the error of a `--today` before
/// one of them.
type Warned = Result<Vec<String>, RunError>;

/// One scenario file checked, and the warnings of the stale prices its decision relies on.
fn one(
    options: &Options,
    catalog: &Catalog,
    file: &str,
    flags: &Budget,
) -> Result<(Checked, Warned), RunError> {
    // Checks never read the Monte Carlo summary, so it is not drawn.
    let report = scenario::report(catalog, file, Some(0))?;
    let budget = budget_checks(options, &report.analysis.workload.budget, flags);
    let checks = scenario::run_checks(&report, &budget, options.today, &[]);
    let warned = stale_prices(&report, options, catalog);
    Ok((Checked::new(file, &report, checks), warned))
}
