//! `check`: every scenario file under the given paths, decided and checked against its
//! budget. Files are decided in parallel and reported in path order.

use super::scenario_report;
use crate::RunError;
use crate::input::problem::InputError;
use crate::model::date::Date;
use crate::model::pricing::Catalog;
use crate::model::workload::Budget;
use crate::report::{CheckReport, Checked, Report};

/// Decides and checks every scenario under `paths`. Any bad file fails the whole run with
/// every problem found (exit 2), so a check never passes on a file it could not read.
pub(super) fn check_all(
    catalog: &Catalog,
    paths: &[String],
    flags: &Budget,
    today: Option<Date>,
) -> Result<(CheckReport, Vec<Report>), RunError> {
    let files = crate::input::scenario_files(paths)?;
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8)
        .min(files.len().max(1));
    let chunk = files.len().div_ceil(threads).max(1);
    let results: Vec<Result<(Checked, Report), RunError>> = std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|f| one(catalog, f, flags, today))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut scenarios = Vec::new();
    let mut reports = Vec::new();
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok((c, r)) => {
                scenarios.push(c);
                reports.push(r);
            }
            Err(RunError::Input(e)) => problems.extend(e.problems),
            Err(e) => return Err(e),
        }
    }
    if !problems.is_empty() {
        return Err(InputError { problems }.into());
    }
    Ok((CheckReport::new(catalog, scenarios), reports))
}

fn one(
    catalog: &Catalog,
    file: &str,
    flags: &Budget,
    today: Option<Date>,
) -> Result<(Checked, Report), RunError> {
    // Checks never read the Monte Carlo summary, so it is not drawn.
    let report = scenario_report(catalog, file, Some(0))?;
    let budget = report.analysis.workload.budget.overlay(flags);
    let checks = super::run_checks(&report, &budget, today);
    Ok((Checked::new(file, &report, checks), report))
}
