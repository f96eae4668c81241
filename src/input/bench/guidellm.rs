//! `GuideLLM`'s `benchmarks.json` (vllm-project/guidellm, `benchmark/schemas/`): a list
//! `benchmarks`, one entry a load, each metric a distribution over `successful`, `errored`,
//! `incomplete` and `total` requests. Read from `successful`; v0.2 to v0.7 name the metrics
//! alike and differ in where the strategy, model and counts sit.

use super::{BenchRun, Doc, Tool};
use crate::model::bench::Run;
use crate::model::date::Date;
use crate::model::problem::Problem;
use serde_json::Value;

/// Whether a document is a `GuideLLM` report: a list of benchmarks with metrics.
pub(super) fn is(v: &Value) -> bool {
    v.get("benchmarks")
        .and_then(Value::as_array)
        .is_some_and(|b| b.iter().any(|x| x.get("metrics").is_some()))
}

const FIX: &str =
    "give the benchmarks.json `guidellm benchmark` wrote (--output-path), with its metrics";

/// The mean over successful requests of a metric.
fn mean(d: &Doc, metric: &str) -> Result<f64, Problem> {
    d.positive(&format!("metrics.{metric}.successful.mean"), FIX)
}

/// Every benchmark of a report is a run: the load by Little's law (requests a second x mean
/// request latency, which `GuideLLM` gives in seconds), at most the concurrent streams set.
/// The time per output token is `inter_token_latency_ms` (after the first token), not
/// `time_per_output_token_ms` (which counts the first).
pub(super) fn runs(report: &Doc) -> Result<Vec<BenchRun>, Problem> {
    let list = report
        .get("benchmarks")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let top_model = report
        .text("config.spec.backend.model")
        .or_else(|| report.text("args.model"))
        .map(str::to_string);
    list.into_iter()
        .enumerate()
        .map(|(i, value)| {
            let d = Doc {
                file: report.file,
                line: report.line,
                value,
                prefix: format!("benchmarks[{i}]."),
            };
            run(&d, i, top_model.as_deref())
        })
        .collect()
}

fn run(d: &Doc, index: usize, top_model: Option<&str>) -> Result<BenchRun, Problem> {
    // Counts first: a benchmark with no completed request has no means to read.
    let totals = ["metrics.request_totals", "request_totals"]
        .into_iter()
        .find(|p| d.get(p).is_some());
    let count = |what: &str| -> Result<Option<f64>, Problem> {
        totals.map_or(Ok(None), |t| d.optional(&format!("{t}.{what}")))
    };
    let (completed, errored) = (count("successful")?, count("errored")?);
    if let (Some(t), Some(0.0)) = (totals, completed) {
        return Err(d
            .problem(&format!("{t}.successful"), "no request completed")
            .fix("check the server and the benchmark's errors, then run it again"));
    }
    let tpot = mean(d, "inter_token_latency_ms")?;
    let ttft = mean(d, "time_to_first_token_ms")?;
    let e2e_s = mean(d, "request_latency")?;
    let rate = mean(d, "requests_per_second")?;
    let output = mean(d, "output_token_count")?;
    if output <= 1.0 {
        return Err(d
            .problem(
                "metrics.output_token_count.successful.mean",
                format!("{output} tokens a request: a time per output token needs two at least"),
            )
            .fix("benchmark with longer outputs"));
    }
    let concurrent = ["config.strategy", "args.strategy"]
        .iter()
        .find_map(|p| d.get(p))
        .filter(|s| s.get("type_").and_then(Value::as_str) == Some("concurrent"))
        .and_then(|s| s.get("streams")?.as_f64());
    let little = rate * e2e_s;
    let start = d.first_number(&[
        "start_time",
        "scheduler_metrics.start_time",
        "run_stats.start_time",
    ])?;
    // Epoch seconds between 2000 and 2100; anything else is not the run's start.
    if let Some(s) = start.filter(|s| !(946_684_800.0..4_102_444_800.0).contains(s)) {
        return Err(d
            .problem(
                "start_time",
                format!("{s} is not a time in seconds since 1970 between 2000 and 2100"),
            )
            .fix("give the benchmarks.json GuideLLM wrote, or pass --as-of YYYY-MM-DD"));
    }
    let model = d
        .text("config.backend.model")
        .or_else(|| d.text("worker.backend_model"))
        .or(top_model)
        .map(str::to_string);
    Ok(BenchRun {
        run: Run {
            source: format!("{}#{index}", super::file_name(d.file)),
            concurrency: concurrent.map_or(little, |c| little.min(c)).max(1.0),
            input_tokens: mean(d, "prompt_token_count")?,
            output_tokens: output,
            tpot_ms: tpot,
            ttft_ms: ttft,
            output_tokens_per_s: mean(d, "output_tokens_per_second")?,
        },
        tool: Tool::GuideLlm,
        model,
        date: start.map(|s| Date::from_days_since_epoch((s / 86_400.0).floor() as i64)),
        failed: errored.map_or(0, |e| e as u64),
        server: None,
    })
}
