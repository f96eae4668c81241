//! `check`: every scenario file under the given paths, decided and checked against its
//! budget. Files are decided in parallel and reported in path order; a failed check of any file
//! fails the run (exit 1, unless `--warn-only`). A file's report is dropped once checked: the
//! run keeps its line of results (or, in JSON and CSV, writes it to the spool), so memory does
//! not grow with the reports.

use super::spool::{Items, Part, Spool};
use super::{Done, all_good, budget_checks, gate, scenario, stale_seen, warnings};
use crate::exit::ExitStatus;
use crate::model::catalog::Catalog;
use crate::model::workload::Budget;
use crate::options::Options;
use crate::report::{self, CheckReport, Checked, Document, Item, Report};
use crate::{Message, RunError};
use std::collections::BTreeSet;
use std::sync::{Mutex, PoisonError};

/// Checks read the decision, not its outlook (volume table, tornado, Monte Carlo).
const DEPTH: crate::engine::Depth = crate::engine::Depth::Decision;

/// What every file's check shares.
struct Run<'a> {
    options: &'a Options,
    catalog: &'a Catalog,
    /// The flags' budget checks.
    flags: &'a Budget,
    warn_only: bool,
    /// Where the files' rows go, in a format that streams.
    spool: Option<&'a Spool>,
    /// The warnings of stale prices, once each.
    warned: &'a Mutex<BTreeSet<String>>,
}

/// One file checked: its line of results (unless spooled), whether it passed, the exit
/// status and messages of its failed checks, where its rows were spooled, and the error of a
/// `--today` before one of its prices.
struct FileChecked {
    checked: Option<Box<Checked>>,
    passed: bool,
    status: ExitStatus,
    messages: Vec<Message>,
    part: Option<Part>,
    flag_error: Option<RunError>,
}

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
    let spool = super::spools(options).then(Spool::new).transpose()?;
    let warned = Mutex::new(BTreeSet::new());
    let run = Run {
        options,
        catalog,
        flags: budget,
        warn_only,
        spool: spool.as_ref(),
        warned: &warned,
    };
    let files = if usage.files.is_empty() {
        check_all(&run, paths)?
    } else {
        vec![check_usage(&run, usage)?]
    };
    let (mut scenarios, mut parts, mut failed) = (Vec::new(), Vec::new(), Vec::new());
    let (mut passed, mut status) = (true, ExitStatus::Passed);
    for f in files {
        passed &= f.passed;
        status = status.max(f.status);
        failed.extend(f.messages);
        scenarios.extend(f.checked.map(|c| *c));
        parts.extend(f.part);
    }
    let mut checked = CheckReport::new(catalog, scenarios);
    checked.passed = passed;
    checked.warnings = warned
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .collect();
    let mut messages = warnings(&checked.warnings);
    messages.extend(failed);
    Ok(Done {
        doc: Document::Check(checked),
        status,
        messages,
        items: spool.map(|spool| Items { spool, parts }),
    })
}

/// Decides and checks every scenario under `paths`. Any bad file fails the whole run with
/// every problem found (exit 2), so a check never passes on a file it could not read.
fn check_all(run: &Run, paths: &[String]) -> Result<Vec<FileChecked>, RunError> {
    let files = crate::input::scenario_files(paths)?;
    let mut checked = all_good(super::each_file(run.catalog, &files, |f| one(run, f)))?;
    // A flag at odds with the prices (`--today` before a price's date) is one error, however
    // many files meet it; it is reported once the files themselves are known to be good.
    match checked.iter_mut().find_map(|c| c.flag_error.take()) {
        Some(e) => Err(e),
        None => Ok(checked),
    }
}

/// The workload usage exports describe, decided and checked, each observed month against the
/// monitoring trigger; reported as one scenario named by the first export.
fn check_usage(run: &Run, usage: &scenario::UsageInput) -> Result<FileChecked, RunError> {
    let none = crate::model::workload::spec::PriceOverrides::default();
    let spec = crate::model::workload::spec::WorkloadSpec::default();
    let (catalog_used, workload, inputs, months) =
        scenario::usage_workload(run.catalog.clone(), usage, &spec, &none)?;
    let report = scenario::decide_to(&catalog_used, &workload, inputs, DEPTH)?;
    let name = crate::input::usage::postgres::shown(&usage.files[0]);
    let checked = finish(run, &name, &report, &months)?;
    match checked.flag_error {
        Some(e) => Err(e),
        None => Ok(checked),
    }
}

/// One scenario file checked.
fn one(run: &Run, file: &str) -> Result<FileChecked, RunError> {
    let report = scenario::report(run.catalog, file, DEPTH)?;
    finish(run, file, &report, &[])
}

/// A decided scenario checked against its budget (and the observed `months`), its failed
/// checks as messages, its rows spooled when the run spools, the stale prices it relies on
/// added to the run's warnings.
fn finish(
    run: &Run,
    file: &str,
    report: &Report,
    months: &[crate::engine::usage::MonthUsage],
) -> Result<FileChecked, RunError> {
    let options = run.options;
    let budget = budget_checks(options, &report.analysis.workload.budget, run.flags);
    let checks = scenario::run_checks(report, &budget, options.today, months);
    let checked = Checked::new(file, report, checks);
    let flag_error = stale_seen(report, options, run.catalog, run.warned).err();
    let mut messages = Vec::new();
    let status = gate(
        options,
        &checked.checks,
        (run.warn_only, Some(file)),
        &mut messages,
    );
    let item = |s: &Spool| s.put(&report::item(Item::Checked(&checked), options.format));
    let part = run.spool.map(item).transpose()?;
    Ok(FileChecked {
        passed: checked.passed,
        checked: part.is_none().then(|| Box::new(checked)),
        status,
        messages,
        part,
        flag_error,
    })
}
