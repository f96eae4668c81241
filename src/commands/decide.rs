//! The main command: decide for one workload (a scenario and flags), run its budget checks,
//! and warn about stale prices. The HTML page also charts cost against volume.

use super::{Done, gate, scenario, stale_prices, warnings};
use crate::RunError;
use crate::engine;
use crate::model::catalog::Catalog;
use crate::model::output::Format;
use crate::model::workload::Budget;
use crate::model::workload::spec::{PriceOverrides, WorkloadSpec};
use crate::options::Options;
use crate::report::Document;

/// Points in a chart's curves: enough for the self-host cost's steps to show.
pub(super) const CURVE_POINTS: u32 = 160;

/// What the main command was asked.
pub(super) struct Request<'a> {
    /// Scenario file or ready-made scenario, if any.
    pub scenario: Option<&'a str>,
    /// Usage exports the workload is derived from instead, if any.
    pub usage: scenario::UsageInput<'a>,
    /// Workload fields given as flags.
    pub flags: &'a WorkloadSpec,
    /// Prices given as flags.
    pub prices: &'a PriceOverrides,
    /// Checks given as flags.
    pub budget: &'a Budget,
    /// Report failed checks but exit 0.
    pub warn_only: bool,
}

/// Decides, checks and (for HTML) charts one workload.
pub(super) fn run(options: &Options, catalog: Catalog, r: &Request) -> Result<Done, RunError> {
    let (catalog, workload, inputs, months) = if r.usage.files.is_empty() {
        let (c, w, i) = scenario::flag_workload(catalog, r.scenario, r.flags, r.prices)?;
        (c, w, i, Vec::new())
    } else {
        scenario::usage_workload(catalog, &r.usage, r.flags, r.prices)?
    };
    let budget = super::budget_checks(options, &workload.budget, r.budget);
    let mut report = scenario::decide(&catalog, &workload, inputs)?;
    report.checks = scenario::run_checks(&report, &budget, options.today, &months);
    let mut messages = Vec::new();
    let status = gate(options, &report.checks, (r.warn_only, None), &mut messages);
    if options.format == Format::Html {
        // The page charts cost against volume around the workload and the crossover.
        let v = workload.tokens_per_month;
        let cross = report.analysis.crossover.tokens_per_month.unwrap_or(v);
        let lo = 10e6_f64.min(v / 10.0).min(cross / 10.0);
        let hi = 10e9_f64.max(v * 10.0).max(cross * 2.0);
        let fine = engine::decision::volumes::sweep_volumes(lo, hi, CURVE_POINTS, true, Some(v));
        report.curve = engine::sweep(&catalog, &workload, &fine)?;
    }
    report.warnings = stale_prices(&report, options, &catalog)?;
    messages.extend(warnings(&report.warnings));
    Ok(Done {
        doc: Document::Decision(Box::new(report)),
        status,
        messages,
        items: None,
    })
}
