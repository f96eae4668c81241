//! `calibrate`'s view: each run measured against the estimates at the published and the
//! fitted constants, and each constant fitted or kept with the reason.

use super::{Block, Grid, View};
use crate::model::units::fmt_ms;
use crate::report::{CalibrationReport, words};

/// A calibration: each run measured against the estimates, each constant fitted or kept.
pub fn calibration(c: &CalibrationReport) -> View {
    let fit = &c.calibrated;
    let title = format!(
        "Calibration of {} on {} x {} in {}{} ({} run(s) of {})",
        fit.engine,
        fit.gpus,
        fit.gpu,
        fit.precision,
        words::deployment::sharing(fit.expert_parallel, fit.attention),
        fit.runs.len(),
        fit.model
    );
    let rows = fit
        .runs
        .iter()
        .map(|r| {
            vec![
                r.run.source.clone(),
                format!("{:.1}", r.run.concurrency),
                format!("{:.0}", r.run.input_tokens),
                format!("{:.0}", r.run.output_tokens),
                fmt_ms(r.run.tpot_ms),
                fmt_ms(r.published.tpot_ms),
                fmt_ms(r.fitted.tpot_ms),
                fmt_ms(r.run.ttft_ms),
                fmt_ms(r.published.ttft_ms),
                fmt_ms(r.fitted.ttft_ms),
            ]
        })
        .collect();
    let runs = Grid::with_rows(
        &[
            "Run",
            "Sequences",
            "Input",
            "Output",
            "TPOT measured",
            "Published",
            "Fitted",
            "TTFT measured",
            "Published",
            "Fitted",
        ],
        &[1, 2, 3, 4, 5, 6, 7, 8, 9],
        rows,
    );
    let constants = Grid::with_rows(
        &["Constant", "Value"],
        &[],
        fit.constants
            .iter()
            .map(|f| {
                vec![
                    f.constant.field().to_string(),
                    words::deployment::calibrated_constant(f),
                ]
            })
            .collect(),
    );
    let (published, fitted) = fit.error_shares();
    let (ttft_published, ttft_fitted) = fit.ttft_error_shares();
    let pct = |e: f64| format!("{:.1}%", e * 100.0);
    View {
        title: title.clone(),
        blocks: vec![
            Block::Title(title),
            Block::Plain(format!(
                "Median time-per-token error {} at the published constants, {} fitted; time to first token {}, {}. Source written: {}",
                pct(published),
                pct(fitted),
                pct(ttft_published),
                pct(ttft_fitted),
                c.entry.source
            )),
            Block::Table(runs),
            Block::Table(constants),
        ],
    }
}
