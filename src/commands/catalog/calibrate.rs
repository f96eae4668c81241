//! `calibrate`: the engine's constants fitted to the user's own benchmark results, written as
//! a pricing file of one calibration.

use super::super::Done;
use crate::Message;
use crate::RunError;
use crate::engine::calibrate::{self, CalibrationRequest, Constant};
use crate::exit::ExitStatus;
use crate::input::bench::{self, BenchRun, Server};
use crate::input::scenario::capacity::DeploymentIds;
use crate::input::scenario::deployment;
use crate::model::catalog::Catalog;
use crate::model::catalog::hardware::Calibration;
use crate::model::date::Date;
use crate::model::problem::{InputError, Pos, Problem, Problems};
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
    server_agrees(r, &runs)?;
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

/// Refuses runs whose file says the server ran another deployment than the flags describe
/// (`SGLang`'s `server_info`): other GPUs, expert parallelism or attention split, several
/// data-parallel replicas (a calibration is of one), or another KV cache. Each file once.
fn server_agrees(r: &CalibrateRequest, runs: &[BenchRun]) -> Result<(), InputError> {
    let mut problems = Problems::default();
    let mut seen: Vec<&str> = Vec::new();
    for s in runs.iter().filter_map(|b| b.server.as_ref()) {
        if !seen.contains(&s.file.as_str()) {
            seen.push(&s.file);
            server_problems(r, s, &mut problems);
        }
    }
    problems.finish(())
}

fn server_problems(r: &CalibrateRequest, s: &Server, problems: &mut Problems) {
    let at = |field: &str, message: String, fix: String| {
        Problem::new(&s.file, message)
            .at(Pos {
                line: s.line,
                column: 1,
            })
            .field(format!("server_info.{field}"))
            .fix(fix)
    };
    if let Some(tp) = s.tp.filter(|&tp| tp != r.gpus) {
        problems.push(at(
            "tp_size",
            format!(
                "the server ran tensor parallelism of {tp}, where --gpus is {}",
                r.gpus
            ),
            format!("pass --gpus {tp}, the GPUs of the server benchmarked"),
        ));
    }
    let ep = r.ep.unwrap_or(1);
    if let Some(e) = s.ep.filter(|&e| e != ep) {
        problems.push(at(
            "ep_size",
            format!("the server ran expert parallelism of {e}, where --ep is {ep}"),
            format!("pass --ep {e}"),
        ));
    }
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    if let Some(a) = s.dp_attention.filter(|&a| a != r.attention_dp) {
        problems.push(at(
            "enable_dp_attention",
            format!(
                "the server ran attention {}, where --attention-dp is {}",
                if a {
                    "data-parallel"
                } else {
                    "tensor-parallel"
                },
                yes_no(r.attention_dp)
            ),
            format!("pass --attention-dp {}", yes_no(a)),
        ));
    }
    if let Some(dp) = s.dp.filter(|&dp| dp > 1 && s.dp_attention != Some(true)) {
        problems.push(at(
            "dp_size",
            format!("the server ran {dp} data-parallel replicas, which share the runs' load; a calibration is of one"),
            "benchmark one replica (--dp-size 1)".into(),
        ));
    }
    // The cache in 8 bits or 16: `auto` is the model's dtype (16-bit, `SGLang`'s default and
    // the engine profile's); a dtype not listed here is not checked.
    let eight = match s.kv_cache_dtype.as_deref() {
        Some(k) if k.starts_with("fp8") => Some(true),
        Some("auto" | "bf16" | "bfloat16" | "fp16" | "float16") => Some(false),
        _ => None,
    };
    let given = r.kv_precision.as_deref();
    let agrees = |eight: bool| match given {
        None | Some("bf16" | "fp16") => !eight,
        Some("fp8") => eight,
        Some(_) => false,
    };
    if let Some(eight) = eight.filter(|&e| !agrees(e)) {
        problems.push(at(
            "kv_cache_dtype",
            format!(
                "the server kept its KV cache as {:?}, where --kv-precision is {}",
                s.kv_cache_dtype.as_deref().unwrap_or_default(),
                given.unwrap_or("not given (16-bit)")
            ),
            if eight {
                "pass --kv-precision fp8".into()
            } else {
                "drop --kv-precision: the cache was 16-bit".into()
            },
        ));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What an `SGLang` server's `server_info` says against the flags: each disagreement is a
    /// problem at its field, agreement none. The flags: 8 GPUs, `--ep 8`, attention
    /// data-parallel, no `--kv-precision` (16-bit).
    #[test]
    fn a_server_that_ran_another_deployment_is_refused_field_by_field() {
        let r = CalibrateRequest {
            files: vec![],
            model: "deepseek-r1".into(),
            gpu: "h200".into(),
            gpus: 8,
            ep: Some(8),
            attention_dp: true,
            precision: "fp8".into(),
            engine: "sglang".into(),
            kv_precision: None,
            as_of: None,
        };
        let server = Server {
            file: "runs.jsonl".into(),
            line: 3,
            tp: Some(8),
            dp: Some(8),
            ep: Some(8),
            dp_attention: Some(true),
            kv_cache_dtype: Some("auto".into()),
        };
        let fields = |s: Server| {
            let mut p = Problems::default();
            server_problems(&r, &s, &mut p);
            p.0.iter()
                .map(|p| (p.pos.line, p.field.clone().unwrap_or_default()))
                .collect::<Vec<_>>()
        };
        let f = |s: &str| (3, format!("server_info.{s}"));
        for (s, want) in [
            // Eight attention ranks within the 8 GPUs: one replica, as asked.
            (server.clone(), vec![]),
            (
                Server {
                    tp: Some(4),
                    ..server.clone()
                },
                vec![f("tp_size")],
            ),
            (
                Server {
                    ep: Some(1),
                    ..server.clone()
                },
                vec![f("ep_size")],
            ),
            // Tensor-parallel attention with 8 data-parallel ranks: 8 replicas of 8 GPUs.
            (
                Server {
                    dp_attention: Some(false),
                    ..server.clone()
                },
                vec![f("enable_dp_attention"), f("dp_size")],
            ),
            (
                Server {
                    kv_cache_dtype: Some("fp8_e4m3".into()),
                    ..server.clone()
                },
                vec![f("kv_cache_dtype")],
            ),
            // A dtype not listed is not checked; nothing said, nothing checked.
            (
                Server {
                    kv_cache_dtype: Some("fp4_e2m1".into()),
                    ..server.clone()
                },
                vec![],
            ),
            (
                Server {
                    tp: None,
                    dp: None,
                    ep: None,
                    dp_attention: None,
                    kv_cache_dtype: None,
                    ..server.clone()
                },
                vec![],
            ),
        ] {
            assert_eq!(fields(s.clone()), want, "{s:?}");
        }
    }
}
