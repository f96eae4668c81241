//! `compare`: scenario files side by side, every bad file reported at once. Each file is
//! decided, summarized for the views (or, in JSON and CSV, written whole to the spool) and its
//! report dropped, so memory does not grow with the reports.

use super::spool::{Items, Part, Spool};
use super::{Done, all_good, scenario, stale_seen, warnings};
use crate::RunError;
use crate::exit::ExitStatus;
use crate::model::catalog::Catalog;
use crate::model::output::Metric;
use crate::options::Options;
use crate::report::{self, Compared, Comparison, Document, Item};
use std::collections::BTreeSet;
use std::sync::{Mutex, PoisonError};

/// One file decided: its summary (unless its report is spooled and not sorted), its spooled
/// report, and the error of a `--today` before one of its prices.
type Decided = (Option<Compared>, Option<Part>, Option<Box<RunError>>);

/// Decides for every scenario under `files` and lays them side by side.
pub(super) fn run(
    options: &Options,
    catalog: &Catalog,
    files: &[String],
    metrics: &[Metric],
    sort: Option<&str>,
) -> Result<Done, RunError> {
    let paths = crate::input::scenario_files(files)?;
    let spool = super::spools(options).then(Spool::new).transpose()?;
    let shown = (spool.is_none() && !options.quiet).then(|| Comparison::rows_of(metrics));
    // A spooled report needs its summary only to be sorted.
    let summarized = spool.is_none() || sort.is_some();
    let warned = Mutex::new(BTreeSet::new());
    let one = |file: &str| -> Result<Decided, RunError> {
        let mut r = scenario::report(catalog, file, crate::engine::Depth::Full)?;
        let flag_error = match stale_seen(&r, options, catalog, &warned) {
            Ok(w) => {
                r.warnings = w;
                None
            }
            Err(e) => Some(Box::new(e)),
        };
        let item = |s: &Spool| s.put(&report::item(Item::Report(&r), options.format));
        let part = spool.as_ref().map(item).transpose()?;
        // Cells show amounts in the display currency; the reports' own figures stay in USD.
        let compared = summarized.then(|| {
            let _shown = crate::model::units::Shown::scope(options.settings.currency.as_ref());
            Compared::of(&r, shown.as_deref())
        });
        Ok((compared, part, flag_error))
    };
    let mut decided = all_good(super::each_file(catalog, &paths, one))?;
    if let Some(key) = sort {
        decided.sort_by(|a, b| match (&a.0, &b.0) {
            (Some(a), Some(b)) => report::order(key, a, b),
            _ => std::cmp::Ordering::Equal,
        });
    }
    let mut scenarios = Vec::with_capacity(decided.len());
    let mut parts = Vec::new();
    for (compared, part, flag_error) in decided {
        if let Some(e) = flag_error {
            return Err(*e);
        }
        scenarios.extend(compared);
        parts.extend(part);
    }
    let seen = warned.into_inner().unwrap_or_else(PoisonError::into_inner);
    Ok(Done {
        doc: Document::Compare(Comparison {
            scenarios,
            metrics: metrics.to_vec(),
        }),
        status: ExitStatus::Passed,
        messages: warnings(&seen),
        items: spool.map(|spool| Items { spool, parts }),
    })
}
