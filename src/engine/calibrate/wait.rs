//! The steps a new prompt waits at load before its first token, fitted on the time to first
//! token of the runs above one stream once the step's constants and the launch time are set.

use super::launch::ONE_STREAM;
use super::{Bench, Constant, Fitted, Kept, MIN_SENSITIVITY, linear_in_ttft};
use crate::model::catalog::hardware::Serving;

/// The wait the runs above one stream give: each run's time to first token is linear in it
/// (`steps x step x (1 - 1/N)` at `N` sequences), so each gives one value, `(measured -
/// estimated without it) / (step x (1 - 1/N))`, and the fit is their median, at least zero.
/// Kept (with the reason) where no run is above one stream, where a step of wait is less than
/// a tenth of those runs' time to first token, or where the value lies past the range.
pub(super) fn fit(bench: &Bench, fitted: &Serving) -> Fitted {
    let c = Constant::PrefillWaitSteps;
    let (sensitivity, value) =
        linear_in_ttft(bench, fitted, c, |run, _| run.concurrency > ONE_STREAM);
    let highest = bench
        .request
        .runs
        .iter()
        .map(|r| r.concurrency)
        .fold(0.0, f64::max);
    let (fitted_value, kept) = match value {
        None => (None, Some(Kept::NoLoadedRun { highest })),
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
