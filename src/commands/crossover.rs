//! `crossover`: one workload's cost on both sides over a sweep of volumes, for a chart and a
//! table, with the break-even volume marked.

use super::decide::CURVE_POINTS;
use super::{Done, scenario, stale_prices, warnings};
use crate::RunError;
use crate::engine;
use crate::model::catalog::Catalog;
use crate::model::problem::Problem;
use crate::model::units::fmt_tokens;
use crate::model::workload::spec::{PriceOverrides, WorkloadSpec};
use crate::options::Options;
use crate::report::{self, Document};

/// What `crossover` was asked.
pub(super) struct Request<'a> {
    /// Scenario file or ready-made scenario, if any.
    pub scenario: Option<&'a str>,
    /// Workload fields given as flags.
    pub flags: &'a WorkloadSpec,
    /// Prices given as flags.
    pub prices: &'a PriceOverrides,
    /// Smallest volume.
    pub from: Option<f64>,
    /// Largest volume.
    pub to: Option<f64>,
    /// Volumes in the sweep.
    pub steps: u32,
    /// Even spacing instead of logarithmic.
    pub linear: bool,
}

/// Sweeps the volumes around the workload's and its break-even.
pub(super) fn run(options: &Options, catalog: Catalog, r: &Request) -> Result<Done, RunError> {
    let (catalog, mut workload, inputs, volume_given) =
        scenario::sweep_workload(catalog, r.scenario, r.flags, r.prices)?;
    // The chart needs the costs, not the Monte Carlo.
    workload.draws = Some(0);
    let mut report = scenario::decide(&catalog, &workload, inputs)?;
    report.warnings = stale_prices(&report, options, &catalog)?;
    let messages = warnings(&report.warnings);
    let v = workload.tokens_per_month;
    let cross = report.analysis.crossover.tokens_per_month;
    // Without a volume of the user's, the default range is the article's 10M to 10B.
    let around = if volume_given { v } else { 1e9 };
    let lo = r.from.unwrap_or_else(|| 10e6_f64.min(around / 10.0));
    let hi = r.to.unwrap_or_else(|| {
        10e9_f64
            .max(around * 10.0)
            .max(cross.map_or(0.0, |c| 2.0 * c))
    });
    if lo >= hi {
        return Err(Problem::new(
            "--from",
            format!(
                "the sweep would run from {} down to {}",
                fmt_tokens(lo),
                fmt_tokens(hi)
            ),
        )
        .fix("give --from below --to")
        .into());
    }
    let own = volume_given.then_some(v);
    let volumes = engine::decision::volumes::sweep_volumes(lo, hi, r.steps, !r.linear, own);
    let mut rows = engine::sweep(&catalog, &workload, &volumes)?;
    let fine = engine::decision::volumes::sweep_volumes(lo, hi, CURVE_POINTS, !r.linear, own);
    let mut curve = engine::sweep(&catalog, &workload, &fine)?;
    if !volume_given {
        for row in rows.iter_mut().chain(curve.iter_mut()) {
            row.is_workload = false;
        }
    }
    Ok(Done {
        doc: Document::Crossover(Box::new(report::Sweep {
            report,
            rows,
            curve,
            log_scale: !r.linear,
            volume_given,
        })),
        status: crate::exit::ExitStatus::Passed,
        messages,
        items: None,
    })
}
