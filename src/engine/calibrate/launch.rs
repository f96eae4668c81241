//! The launch time a layer of a prompt's forwards outside CUDA graphs, fitted on the runs'
//! time to first token at their lowest load (where no other prompt shares the steps), once the
//! step's constants are fitted on the time per token.

use super::{Bench, Constant, DISTINCT_LOAD, Fitted, Kept, median};
use crate::model::catalog::hardware::Serving;

/// The launch time a layer the runs at the lowest load give: each run's time to first token
/// is linear in it, so each gives one value (`(measured - estimated without it) / launch ms
/// a µs`), and the fit is their median, at least zero. Kept where those runs' prompts are all
/// captured (nothing to fit), or where the value lies past the constant's range.
pub(super) fn fit(bench: &Bench, fitted: &Serving) -> Fitted {
    let c = Constant::PrefillLayerOverheadUs;
    let at = |us: f64| {
        let mut s = fitted.clone();
        c.set(&mut s, us);
        s
    };
    let (bare, unit) = (at(0.0), at(1.0));
    let without = bench.loads(&bare);
    let per_us: Vec<f64> = bench
        .configs(&unit)
        .iter()
        .map(crate::engine::serving::sizing::Config::prefill_launch_ms)
        .collect();
    let runs = &bench.request.runs;
    let lowest = runs
        .iter()
        .map(|r| r.concurrency)
        .fold(f64::INFINITY, f64::min);
    let values: Vec<f64> = runs
        .iter()
        .enumerate()
        .filter(|(i, r)| r.concurrency <= lowest * (1.0 + DISTINCT_LOAD) && per_us[*i] > 0.0)
        .map(|(i, r)| (r.ttft_ms - without[i].ttft_ms) / per_us[i])
        .collect();
    let published = c.get(fitted);
    // |d ln TTFT / d ln value| at the published value (or 100 µs): the launch time's share of
    // each run's time to first token.
    let probe = published.max(c.floor());
    let sensitivity = without
        .iter()
        .zip(&per_us)
        .map(|(l, ms)| ms * probe / (l.ttft_ms + ms * probe))
        .fold(0.0, f64::max);
    let (fitted, kept) = match median(values).map(|v| v.max(0.0)) {
        None => (None, Some(Kept::Captured)),
        Some(v) if v > c.bounds().1 => (None, Some(Kept::AtEndOfRange { value: v })),
        Some(v) => (Some(v), None),
    };
    Fitted {
        constant: c,
        published,
        fitted,
        sensitivity,
        kept,
    }
}
