//! The launch time a layer of a prompt's forwards outside CUDA graphs, fitted on the runs'
//! time to first token at one stream (where no other prompt shares the steps), once the step's
//! constants are fitted on the time per token.

use super::{Bench, Constant, DISTINCT_LOAD, Fitted, Kept, MIN_SENSITIVITY, median};
use crate::engine::serving::sizing::Config;
use crate::model::catalog::hardware::Serving;

/// The most sequences a run may average and still count as one stream.
pub const ONE_STREAM: f64 = 1.5;

/// The launch time a layer the runs at one stream give: each run's time to first token is
/// linear in it, so each gives one value (`(measured - estimated without it) / launch ms a
/// µs`), and the fit is their median, at least zero. Kept (with the reason) where no run is at
/// one stream, where those runs' prompts are all captured in CUDA graphs, where the launch
/// time is less than a tenth of their time to first token even at 100 µs a layer, or where
/// the value lies past the constant's range.
pub(super) fn fit(bench: &Bench, fitted: &Serving) -> Fitted {
    let c = Constant::PrefillLayerOverheadUs;
    let published = c.get(fitted);
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
        .map(Config::prefill_launch_ms)
        .collect();
    let runs = &bench.request.runs;
    let lowest = runs
        .iter()
        .map(|r| r.concurrency)
        .fold(f64::INFINITY, f64::min);
    // The runs at one stream whose prompts run outside CUDA graphs.
    let paying: Vec<usize> = (0..runs.len())
        .filter(|&i| runs[i].concurrency <= lowest * (1.0 + DISTINCT_LOAD) && per_us[i] > 0.0)
        .collect();
    // |d ln TTFT / d ln value| over those runs at the published value (or 100 µs): the launch
    // time's share of their time to first token.
    let probe = published.max(c.floor());
    let sensitivity = paying
        .iter()
        .map(|&i| per_us[i] * probe / (without[i].ttft_ms + per_us[i] * probe))
        .fold(0.0, f64::max);
    let value = median(
        paying
            .iter()
            .map(|&i| (runs[i].ttft_ms - without[i].ttft_ms) / per_us[i])
            .collect(),
    )
    .map(|v| v.max(0.0));
    let (fitted, kept) = match value {
        _ if lowest > ONE_STREAM => (None, Some(Kept::NoSingleStream { lowest })),
        None => (None, Some(Kept::Captured)),
        Some(_) if sensitivity < MIN_SENSITIVITY => (None, Some(Kept::Insensitive)),
        Some(v) if v > c.bounds().1 => (None, Some(Kept::OutOfRange { value: v })),
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
