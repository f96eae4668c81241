//! The steps a new prompt waits at load before its first token, fitted on the time to first
//! token of the runs above one stream once the step's constants and the launch time are set.

use super::launch::ONE_STREAM;
use super::{Bench, Constant, Fitted, Kept, MIN_SENSITIVITY, median};
use crate::model::catalog::hardware::Serving;

/// The wait the runs above one stream give: each run's time to first token is linear in it
/// (`steps x step x (1 - 1/N)` at `N` sequences), so each gives one value, `(measured -
/// estimated without it) / (step x (1 - 1/N))`, and the fit is their median, at least zero.
/// Kept (with the reason) where no run is above one stream, where a step of wait is less than
/// a tenth of those runs' time to first token, or where the value lies past the range.
pub(super) fn fit(bench: &Bench, fitted: &Serving) -> Fitted {
    let c = Constant::PrefillWaitSteps;
    let published = c.get(fitted);
    let at = |steps: f64| {
        let mut s = fitted.clone();
        c.set(&mut s, steps);
        s
    };
    let (bare, one) = (at(0.0), at(1.0));
    let (without, with_one) = (bench.loads(&bare), bench.loads(&one));
    let runs = &bench.request.runs;
    let loaded: Vec<usize> = (0..runs.len())
        .filter(|&i| runs[i].concurrency > ONE_STREAM)
        .collect();
    // The time to first token one step of wait adds to each loaded run.
    let per_step = |i: usize| with_one[i].ttft_ms - without[i].ttft_ms;
    // |d ln TTFT / d ln value| over those runs at the published value (or 1 step).
    let probe = published.max(c.floor());
    let sensitivity = loaded
        .iter()
        .map(|&i| per_step(i) * probe / (without[i].ttft_ms + per_step(i) * probe))
        .fold(0.0, f64::max);
    let value = median(
        loaded
            .iter()
            .map(|&i| (runs[i].ttft_ms - without[i].ttft_ms) / per_step(i))
            .collect(),
    )
    .map(|v| v.max(0.0));
    let highest = runs.iter().map(|r| r.concurrency).fold(0.0, f64::max);
    let (fitted, kept) = match value {
        None => (None, Some(Kept::NoLoadedRun { highest })),
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
