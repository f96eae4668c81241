//! NVIDIA genai-perf's `profile_export_genai_perf.json` (triton-inference-server/perf_analyzer,
//! `genai-perf/genai_perf/export_data/json_exporter.py`): one load a file, each metric an
//! object with its `unit` and `avg`, the run's settings under `input_config`.

use super::{BenchRun, Doc, Tool};
use crate::model::bench::Run;
use crate::model::problem::Problem;
use serde_json::Value;

/// Whether a document is a genai-perf export: the metrics every version writes, as objects.
pub(super) fn is(v: &Value) -> bool {
    [
        "time_to_first_token",
        "request_throughput",
        "request_latency",
    ]
    .iter()
    .all(|k| v.get(k).is_some_and(Value::is_object))
}

const FIX: &str = "give the profile_export_genai_perf.json of a streaming `genai-perf profile` run (--streaming writes the time to first token and the inter-token latency)";

/// A latency metric's mean in ms, whatever unit the export wrote it in (`ms`; early versions
/// wrote `ns`).
fn ms(d: &Doc, metric: &str) -> Result<f64, Problem> {
    let scale = match d.text(&format!("{metric}.unit")) {
        Some("ms") => 1.0,
        Some("ns") => 1e-6,
        Some("us") => 1e-3,
        Some("s" | "sec") => 1e3,
        Some(other) => {
            return Err(d
                .problem(
                    &format!("{metric}.unit"),
                    format!("{other:?} is not a unit of time"),
                )
                .fix("give the export as genai-perf wrote it (ms)"));
        }
        None => return Err(d.problem(&format!("{metric}.unit"), "is missing").fix(FIX)),
    };
    Ok(d.positive(&format!("{metric}.avg"), FIX)? * scale)
}

/// Where a run was read: genai-perf names every export alike and keeps each run in a
/// folder of its own, so the folder's name and the file's.
fn folder_and_name(file: &str) -> String {
    let path = std::path::Path::new(file);
    let name = |p: Option<&std::path::Path>| {
        p.and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
    };
    match (name(path.parent()), name(Some(path))) {
        (Some(folder), Some(file)) => format!("{folder}/{file}"),
        (None, Some(file)) => file,
        _ => file.to_string(),
    }
}

/// The run of an export: the load by Little's law (requests a second x mean request latency),
/// at most the concurrency the run was set to.
pub(super) fn run(d: &Doc) -> Result<BenchRun, Problem> {
    let tpot = ms(d, "inter_token_latency")?;
    let ttft = ms(d, "time_to_first_token")?;
    let e2e = ms(d, "request_latency")?;
    let rate = d.positive("request_throughput.avg", FIX)?;
    let output = d.positive("output_sequence_length.avg", FIX)?;
    if output <= 1.0 {
        return Err(d
            .problem(
                "output_sequence_length.avg",
                format!("{output} tokens a request: a time per output token needs two at least"),
            )
            .fix("profile with longer outputs (--output-tokens-mean)"));
    }
    let cap = d.first_number(&[
        "input_config.perf_analyzer.stimulus.concurrency",
        "input_config.concurrency",
    ])?;
    let little = rate * e2e / 1000.0;
    let model = ["input_config.model_names", "input_config.model"]
        .iter()
        .find_map(|p| d.get(p)?.get(0)?.as_str())
        .map(str::to_string);
    Ok(BenchRun {
        run: Run {
            source: folder_and_name(d.file),
            concurrency: cap.map_or(little, |c| little.min(c)).max(1.0),
            input_tokens: d.number("input_sequence_length.avg", FIX)?,
            output_tokens: output,
            tpot_ms: tpot,
            ttft_ms: ttft,
            output_tokens_per_s: d.positive("output_token_throughput.avg", FIX)?,
        },
        tool: Tool::GenaiPerf,
        model,
        date: None,
        failed: 0,
        server: None,
    })
}
