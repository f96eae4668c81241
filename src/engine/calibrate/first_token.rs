//! The constants of the time to first token, fitted on the runs' measured TTFT once the step's
//! constants are fitted on the time per token: the launch time a layer of a prompt's forwards
//! outside CUDA graphs, on the runs at one stream (where no other prompt shares the steps),
//! then the steps a new prompt waits at load, on the runs above one stream. The TTFT is linear
//! in each, so each run gives one value.

use super::{Bench, Constant, DISTINCT_LOAD, Fitted, Kept, MIN_SENSITIVITY, Run, median};
use crate::model::catalog::hardware::Serving;

/// The most sequences a run may average and still count as one stream.
pub const ONE_STREAM: f64 = 1.5;

/// The launch time a layer the runs at one stream give: each run's time to first token is
/// linear in it, so each gives one value (`(measured - estimated without it) / launch ms a
/// µs`), and the fit is their median, at least zero. Kept (with the reason) where no run is at
/// one stream, where those runs' prompts are all captured in CUDA graphs, where the launch
/// time is less than a tenth of their time to first token even at 100 µs a layer, or where
/// the value lies past the constant's range.
pub(super) fn launch(bench: &Bench, fitted: &Serving) -> Fitted {
    let lowest = bench
        .request
        .runs
        .iter()
        .map(|r| r.concurrency)
        .fold(f64::INFINITY, f64::min);
    // The runs at one stream whose prompts run outside CUDA graphs; the sensitivity is the
    // launch time's share of their time to first token.
    linear_in_ttft(
        (bench, fitted),
        Constant::PrefillLayerOverheadUs,
        |run, per_us| run.concurrency <= lowest * (1.0 + DISTINCT_LOAD) && per_us > 0.0,
        (
            (lowest > ONE_STREAM).then_some(Kept::NoSingleStream { lowest }),
            Kept::Captured,
        ),
    )
}

/// The wait the runs above one stream give: each run's time to first token is linear in it
/// (`steps x whole step x (1 - 1/N)` at `N` sequences), so each gives one value, `(measured -
/// estimated without it) / (whole step x (1 - 1/N))`, and the fit is their median, at least zero.
/// Kept (with the reason) where no run is above one stream, where a step of wait is less than
/// a tenth of those runs' time to first token, or where the value lies past the range.
pub(super) fn wait(bench: &Bench, fitted: &Serving) -> Fitted {
    let highest = bench
        .request
        .runs
        .iter()
        .map(|r| r.concurrency)
        .fold(0.0, f64::max);
    linear_in_ttft(
        (bench, fitted),
        Constant::PrefillWaitSteps,
        |run, _| run.concurrency > ONE_STREAM,
        (None, Kept::NoLoadedRun { highest }),
    )
}

/// A constant the time to first token is linear in (the prefill's launch time, the wait at
/// load), fitted over the runs `keep` keeps given what one unit of it adds to each: each gives
/// one value, `(measured - estimated without it) / what one unit adds`, and the fit is their
/// median, at least zero. Kept for `first`'s reason when there is one, for `none`'s when no
/// run is kept, where it moves none of them by a tenth (|d ln TTFT / d ln value| at its
/// published value, or at its floor), or where the value lies past its range.
fn linear_in_ttft(
    (bench, fitted): (&Bench, &Serving),
    c: Constant,
    keep: impl Fn(&Run, f64) -> bool,
    (first, none): (Option<Kept>, Kept),
) -> Fitted {
    let at = |v: f64| {
        let mut s = fitted.clone();
        c.set(&mut s, v);
        bench.loads(&s)
    };
    let (without, one) = (at(0.0), at(1.0));
    let runs = &bench.request.runs;
    let per_unit = |i: usize| one[i].ttft_ms - without[i].ttft_ms;
    let kept: Vec<usize> = (0..runs.len())
        .filter(|&i| keep(&runs[i], per_unit(i)))
        .collect();
    let probe = c.get(fitted).max(c.floor());
    let sensitivity = kept
        .iter()
        .map(|&i| per_unit(i) * probe / (without[i].ttft_ms + per_unit(i) * probe))
        .fold(0.0, f64::max);
    let value = median(
        kept.iter()
            .map(|&i| (runs[i].ttft_ms - without[i].ttft_ms) / per_unit(i))
            .collect(),
    )
    .map(|v| v.max(0.0));
    let (value, why) = match (first, value) {
        (Some(why), _) => (None, Some(why)),
        (None, None) => (None, Some(none)),
        (None, Some(_)) if sensitivity < MIN_SENSITIVITY => (None, Some(Kept::Insensitive)),
        (None, Some(v)) if v > c.limit() => (None, Some(Kept::OutOfRange { value: v })),
        (None, Some(v)) => (Some(v), None),
    };
    Fitted {
        constant: c,
        published: c.get(fitted),
        fitted: value,
        sensitivity,
        kept: why,
    }
}
