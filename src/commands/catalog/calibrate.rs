//! `calibrate`: the engine's constants fitted to the user's own benchmark results, written as
//! a pricing file of one calibration.

use super::super::Done;
use crate::Message;
use crate::RunError;
use crate::engine::calibrate::{self, CalibrationRequest, Constant};
use crate::exit::ExitStatus;
use crate::input::bench::{self, BenchRun};
use crate::input::scenario::capacity::DeploymentIds;
use crate::input::scenario::deployment;
use crate::model::catalog::Catalog;
use crate::model::catalog::hardware::Calibration;
use crate::model::date::Date;
use crate::model::problem::{InputError, Problem, Problems};
use crate::model::workload::spec::Sourced;
use crate::options::CalibrateRequest;
use crate::report::{CalibrationReport, Document, words};

/// Reads every result file (all their problems at once), fits, and returns the pricing file.
pub(in crate::commands) fn calibrate(
    r: &CalibrateRequest,
    catalog: &Catalog,
) -> Result<Done, RunError> {
    let mut problems = Problems::default();
    DeploymentIds {
        model: &r.model,
        gpu: &r.gpu,
        precision: &r.precision,
        engine: &r.engine,
        kv_precision: r.kv_precision.as_deref(),
    }
    .check(catalog, &mut problems);
    let (ep, attention_dp) = parallelism(r, catalog, &mut problems);
    problems.finish(())?;
    let mut runs = read_runs(&r.files)?;
    bench::check_servers(
        &runs,
        &bench::Flags {
            gpus: r.gpus,
            ep,
            attention_dp,
            kv_precision: r.kv_precision.as_deref(),
        },
    )?;
    runs.sort_by(|a, b| a.run.concurrency.total_cmp(&b.run.concurrency));
    let Some(checked) = r.as_of.or_else(|| runs.iter().filter_map(|b| b.date).max()) else {
        return Err(Problem::new(
                &r.files[0],
                "no date to record as the calibration's `checked`: the result files do not say when the benchmark ran",
            )
            .fix("pass --as-of YYYY-MM-DD, the day it ran")
            .into());
    };
    let request = CalibrationRequest {
        engine: r.engine.clone(),
        model: r.model.clone(),
        gpu: r.gpu.clone(),
        gpus: r.gpus,
        ep,
        attention_dp,
        precision: r.precision.clone(),
        kv_precision: r.kv_precision.clone(),
        runs: runs.iter().map(|b| b.run.clone()).collect(),
    };
    let fit = calibrate::calibrate(catalog, &request)?;
    let mut named: Vec<String> = runs.iter().filter_map(|b| b.model.clone()).collect();
    named.sort();
    named.dedup();
    let entry = entry(r, &fit, &runs, &named, checked);
    let messages = messages(&fit, &runs, &named);
    Ok(Done {
        doc: Document::Calibration(Box::new(CalibrationReport {
            calibrated: fit,
            entry,
            kv_precision: r.kv_precision.clone(),
        })),
        status: ExitStatus::Passed,
        messages,
        items: None,
    })
}

/// How the benchmarked server split the model, checked as `capacity` checks it: the
/// expert-parallel degree (1: none) and whether attention ran data-parallel.
fn parallelism(r: &CalibrateRequest, catalog: &Catalog, problems: &mut Problems) -> (u32, bool) {
    let named = (catalog.model(&r.model), catalog.engine(&r.engine));
    let ep = r.ep.and_then(|e| {
        problems
            .take(deployment::expert_parallel(
                &Sourced::flag("--ep", e),
                (None, Some(r.gpus)),
                named,
            ))
            .flatten()
    });
    let attention_dp = problems
        .take(deployment::attention_parallel(
            &Sourced::flag("--attention-dp", r.attention_dp),
            named,
        ))
        .unwrap_or(false);
    if attention_dp && r.gpus == 1 {
        problems.push(
            Problem::new(
                "--attention-dp",
                "a server of one GPU has no attention to split across GPUs",
            )
            .fix("drop --attention-dp, or give the server's GPUs with --gpus"),
        );
    }
    (ep.unwrap_or(1), attention_dp)
}

/// The pricing entry: the fitted constants, when the runs were made, and a source saying
/// what they were and how well the constants fit them.
fn entry(
    r: &CalibrateRequest,
    fit: &calibrate::Calibrated,
    runs: &[BenchRun],
    named: &[String],
    checked: Date,
) -> Calibration {
    let mut tools: Vec<&str> = runs.iter().map(|b| b.tool.name()).collect();
    tools.sort_unstable();
    tools.dedup();
    let (lo, hi) = runs.iter().fold((f64::INFINITY, 0.0_f64), |(lo, hi), b| {
        (lo.min(b.run.concurrency), hi.max(b.run.concurrency))
    });
    let served = match &r.kv_precision {
        Some(kv) => format!("{}, KV {kv}", r.precision),
        None => r.precision.clone(),
    };
    let source = format!(
        "{}: {} run(s) at {lo:.1}-{hi:.1} sequences of {} on {} x {} ({served}{}); median TPOT error {:.1}% at the published constants, {:.1}% fitted; TTFT {:.1}%, {:.1}%",
        tools.join(", "),
        runs.len(),
        if named.is_empty() {
            r.model.clone()
        } else {
            named.join(", ")
        },
        r.gpus,
        r.gpu,
        words::deployment::sharing(fit.expert_parallel, fit.attention),
        fit.error_shares().0 * 100.0,
        fit.error_shares().1 * 100.0,
        fit.ttft_error_shares().0 * 100.0,
        fit.ttft_error_shares().1 * 100.0,
    );
    Calibration {
        gpu: r.gpu.clone(),
        precision: r.precision.clone(),
        bandwidth_efficiency: fit.fitted(Constant::BandwidthEfficiency),
        gemm_efficiency: fit.fitted(Constant::GemmEfficiency),
        step_overhead_ms: fit.fitted(Constant::StepOverheadMs),
        sequence_overhead_us: fit.fitted(Constant::SequenceOverheadUs),
        prefill_layer_overhead_us: fit.fitted(Constant::PrefillLayerOverheadUs),
        prefill_wait_steps: fit.fitted(Constant::PrefillWaitSteps),
        model: Some(r.model.clone()),
        gpus: Some(r.gpus),
        checked,
        source,
    }
}

/// What to say on stderr: the fit in a line, failed requests, and runs of several models.
fn messages(fit: &calibrate::Calibrated, runs: &[BenchRun], named: &[String]) -> Vec<Message> {
    let mut messages = vec![Message::info(words::deployment::calibration_summary(fit))];
    let failed: u64 = runs.iter().map(|b| b.failed).sum();
    if failed > 0 {
        messages.push(Message::warning(format!(
            "{failed} requests failed in the benchmark; the runs' figures count only the completed ones"
        )));
    }
    if named.len() > 1 {
        messages.push(Message::warning(format!(
            "the result files name {} models ({}); a calibration is of one",
            named.len(),
            named.join(", ")
        )));
    }
    messages
}

/// The runs of every file named (folders: their `.json` and `.jsonl` files), or every
/// problem found in them.
fn read_runs(paths: &[String]) -> Result<Vec<BenchRun>, InputError> {
    let mut problems = Problems::default();
    let mut runs = Vec::new();
    let files = bench::files(paths)?;
    for file in &files {
        let read = crate::input::read_text(std::path::Path::new(file), file)
            .and_then(|text| bench::read(file, &text));
        if let Some(r) = problems.take(read) {
            runs.extend(r);
        }
    }
    problems.finish(runs)
}
