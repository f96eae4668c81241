//! The serving benchmarks of vLLM and `SGLang`, whose result files share their keys (`SGLang`'s
//! `bench_serving` began as a copy of vLLM's `benchmark_serving.py`) but for a few names:
//!
//! - `vllm bench serve --save-result` (vLLM's `vllm/benchmarks/serve.py`; earlier
//!   `benchmarks/benchmark_serving.py`): one JSON object a run, or one a line with
//!   `--append-result`;
//! - `python -m sglang.bench_serving --output-file FILE` (`SGLang`'s `sglang/benchmark/serving.py`,
//!   earlier `python/sglang/bench_serving.py`): one JSON object a line, a run appended at a time.

use super::{BenchRun, Doc, Server, Tool};
use crate::model::bench::Run;
use crate::model::date::Date;
use crate::model::problem::Problem;
use serde_json::Value;

/// Where a format keeps what differs between the two.
pub(super) struct Format {
    tool: Tool,
    /// The mean end-to-end time, ms.
    e2e: &'static str,
    /// The model as benchmarked, the first of these paths that holds a string.
    model: &'static [&'static str],
    /// What to do when a field read is missing or wrong.
    rerun: &'static str,
}

/// `vllm bench serve --save-result`.
pub(super) const VLLM: Format = Format {
    tool: Tool::VllmBenchServe,
    e2e: "mean_e2el_ms",
    model: &["model_id"],
    rerun: "run `vllm bench serve ... --save-result` again; its default --percentile-metrics (ttft,tpot,itl) writes every field read",
};

/// `python -m sglang.bench_serving --output-file FILE`.
pub(super) const SGLANG: Format = Format {
    tool: Tool::SglangBenchServing,
    e2e: "mean_e2e_latency_ms",
    model: &["server_info.served_model_name", "server_info.model_path"],
    rerun: "run `python -m sglang.bench_serving ... --output-file FILE` with a current SGLang (releases of 2024 wrote no mean_tpot_ms, mean_ttft_ms or request_throughput)",
};

/// Whether a document is a result of the two serving benchmarks: it has the keys every
/// version of both writes.
fn serving(v: &Value) -> bool {
    ["completed", "total_input_tokens", "output_throughput"]
        .iter()
        .all(|k| v.get(k).is_some())
}

/// The format of a document, if it is one of the two: `SGLang` names its mean end-to-end time
/// `mean_e2e_latency_ms` in every version; vLLM's always has `request_throughput`.
pub(super) fn format(v: &Value) -> Option<&'static Format> {
    if !serving(v) {
        None
    } else if v.get(SGLANG.e2e).is_some() {
        Some(&SGLANG)
    } else if v.get("request_throughput").is_some() {
        Some(&VLLM)
    } else {
        None
    }
}

/// The date vLLM writes, `YYYYMMDD-HHMMSS` (`SGLang` writes none).
fn date(text: &str) -> Option<Date> {
    let d = text.get(..8).filter(|d| d.is_ascii())?;
    Date::parse(&format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8])).ok()
}

/// The run of a document: means of the request shape from the totals, the load by Little's
/// law (requests a second x mean end-to-end latency, at most the concurrency cap set).
pub(super) fn run(d: &Doc, several: bool, f: &Format) -> Result<BenchRun, Problem> {
    let rerun = f.rerun;
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
    // Drafts accepted a step (vLLM's from its metrics, `SGLang`'s from its server): a step that
    // verifies drafts is not the step the constants are fitted on.
    for key in ["spec_decode_acceptance_length", "accept_length"] {
        if let Some(v) = d.get(key).and_then(Value::as_f64).filter(|&v| v > 1.0) {
            return Err(d
                .problem(
                    key,
                    format!("{v} tokens accepted a step: the server ran speculative decoding, and calibrate fits the step without drafts"),
                )
                .fix("benchmark with speculative decoding off; --speculative models it on the fitted step"));
        }
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
    let e2e = match d.optional_positive(f.e2e)? {
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
        tool: f.tool,
        model: f.model.iter().find_map(|p| d.text(p)).map(str::to_string),
        date: d.text("date").and_then(date),
        failed: d.optional("failed")?.map_or(0, |f| f as u64),
        server: (f.tool == Tool::SglangBenchServing)
            .then(|| server(d))
            .flatten(),
    })
}

/// How an `SGLang` server split the model and kept its cache, from the `server_info` its
/// benchmark copies from the server (`null` where the server did not answer; the fields a
/// prefill/decode router nests elsewhere are not read).
fn server(d: &Doc) -> Option<Server> {
    d.get("server_info").filter(|v| v.is_object())?;
    let count = |key: &str| {
        d.get(&format!("server_info.{key}"))
            .and_then(Value::as_u64)
            .and_then(|v| u32::try_from(v).ok())
    };
    Some(Server {
        file: d.file.to_string(),
        line: d.line,
        tp: count("tp_size"),
        dp: count("dp_size"),
        ep: count("ep_size"),
        dp_attention: d
            .get("server_info.enable_dp_attention")
            .and_then(Value::as_bool),
        kv_cache_dtype: d.text("server_info.kv_cache_dtype").map(str::to_string),
    })
}
