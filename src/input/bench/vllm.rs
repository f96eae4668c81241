//! `vllm bench serve --save-result` (vLLM's `vllm/benchmarks/serve.py`; earlier
//! `benchmarks/benchmark_serving.py`): one JSON object a run, or one a line with
//! `--append-result`.

use super::{BenchRun, Doc, Tool};
use crate::model::bench::Run;
use crate::model::date::Date;
use crate::model::problem::Problem;
use serde_json::Value;

/// Whether a document is a `vllm bench serve` result: it has the keys every version writes.
pub(super) fn is(v: &Value) -> bool {
    [
        "completed",
        "total_input_tokens",
        "request_throughput",
        "output_throughput",
    ]
    .iter()
    .all(|k| v.get(k).is_some())
}

/// The date the benchmark writes, `YYYYMMDD-HHMMSS`.
fn date(text: &str) -> Option<Date> {
    let d = text.get(..8).filter(|d| d.is_ascii())?;
    Date::parse(&format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8])).ok()
}

/// The run of a document: means of the request shape from the totals, the load by Little's
/// law (requests a second x mean end-to-end latency, at most the concurrency cap set).
pub(super) fn run(d: &Doc, several: bool) -> Result<BenchRun, Problem> {
    let rerun = "run `vllm bench serve ... --save-result` again; its default --percentile-metrics (ttft,tpot,itl) writes every field read";
    if d.text("backend")
        .is_some_and(|b| b.contains("embeddings") || b.contains("rerank"))
    {
        return Err(d
            .problem(
                "backend",
                format!(
                    "{:?} is a pooling benchmark, with no generated tokens",
                    d.text("backend").unwrap_or_default()
                ),
            )
            .fix("calibrate from a text-generation benchmark"));
    }
    let completed = d.number("completed", rerun)?;
    if completed < 1.0 {
        return Err(d
            .problem("completed", "no request completed")
            .fix("check the server and the benchmark's errors, then run it again"));
    }
    let input = d
        .optional("total_input_tokens")?
        .ok_or_else(|| d.problem("total_input_tokens", "is missing").fix(rerun))?
        / completed;
    let output = d.positive("total_output_tokens", rerun)? / completed;
    if output <= 1.0 {
        return Err(d
            .problem(
                "total_output_tokens",
                format!("{output} tokens a request: a time per output token needs two at least"),
            )
            .fix("benchmark with longer outputs, e.g. --random-output-len 256"));
    }
    let tpot = d.positive("mean_tpot_ms", rerun)?;
    let ttft = d.positive("mean_ttft_ms", rerun)?;
    let rate = d.positive("request_throughput", rerun)?;
    let e2e = match d.optional_positive("mean_e2el_ms")? {
        Some(e) => e,
        None => ttft + tpot * (output - 1.0),
    };
    let cap = d.optional_positive("max_concurrency")?;
    let little = rate * e2e / 1000.0;
    Ok(BenchRun {
        run: Run {
            source: d.source(several),
            concurrency: cap.map_or(little, |c| little.min(c)).max(1.0),
            input_tokens: input,
            output_tokens: output,
            tpot_ms: tpot,
            ttft_ms: ttft,
            output_tokens_per_s: d.positive("output_throughput", rerun)?,
        },
        tool: Tool::VllmBenchServe,
        model: d.text("model_id").map(str::to_string),
        date: d.text("date").and_then(date),
        failed: d.optional("failed")?.map_or(0, |f| f as u64),
    })
}
