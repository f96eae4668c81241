//! The launch time a layer of a prompt's forwards outside CUDA graphs, fitted on the runs'
//! time to first token at one stream (where no other prompt shares the steps), once the step's
//! constants are fitted on the time per token.

use super::{Bench, Constant, DISTINCT_LOAD, Fitted, Kept, MIN_SENSITIVITY, linear_in_ttft};
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
    let lowest = bench
        .request
        .runs
        .iter()
        .map(|r| r.concurrency)
        .fold(f64::INFINITY, f64::min);
    // The runs at one stream whose prompts run outside CUDA graphs; the sensitivity is the
    // launch time's share of their time to first token.
    let (sensitivity, value) = linear_in_ttft(bench, fitted, c, |run, per_us| {
        run.concurrency <= lowest * (1.0 + DISTINCT_LOAD) && per_us > 0.0
    });
    let (fitted_value, kept) = match value {
        _ if lowest > ONE_STREAM => (None, Some(Kept::NoSingleStream { lowest })),
        None => (None, Some(Kept::Captured)),
        Some(_) if sensitivity < MIN_SENSITIVITY => (None, Some(Kept::Insensitive)),
        Some(v) if v > c.bounds().1 => (None, Some(Kept::OutOfRange { value: v })),
        Some(v) => (Some(v), None),
    };
    Fitted {
        constant: c,
        published: c.get(fitted),
        fitted: fitted_value,
        sensitivity,
        kept,
    }
}
