//! The sizing engine against published serving measurements (the reference calibration
//! set), with a stated tolerance per kind of row, and against physics for every model, GPU,
//! precision and tensor-parallel degree in the catalog.
//!
//! Tolerances:
//! - batched throughput (`MLPerf`, TensorRT-LLM): within 15% of the measurement;
//! - llama.cpp single-stream decode: within 10% (two of the three rows set the llama.cpp
//!   engine's two constants; the third is a check);
//! - vLLM "light load" inter-token latency (13 ms for Llama 3 8B on an H100): the estimate is
//!   between 60% and 100% of it. The quote is under light load, with other requests'
//!   prefills interleaved, which the batch-1 figure leaves out.

use llm_decide::engine::serving::sizing::{Config, Sizing};
use llm_decide::input::catalog;
use llm_decide::model::catalog::Catalog;
use llm_decide::model::workload::RequestShape;

fn catalog() -> Catalog {
    catalog::load(&[]).unwrap()
}

fn size(
    c: &Catalog,
    model: &str,
    gpu: &str,
    precision: &str,
    engine: &str,
    tp: u32,
    shape: (f64, f64),
) -> Sizing {
    Config {
        model: c.model(model).unwrap(),
        gpu: c.gpu(gpu).unwrap(),
        precision: c.precision(precision).unwrap(),
        serving: c.engine(engine).unwrap(),
        tp,
        shape: RequestShape {
            input_tokens: shape.0,
            output_tokens: shape.1,
        },
        tpot_limit_ms: None,
        kv: None,
        cached_share: 0.0,
    }
    .size()
}

/// The best aggregate output throughput of `gpus` GPUs over the tensor-parallel degrees that
/// divide them, at the largest batch.
fn best_aggregate(
    c: &Catalog,
    model: &str,
    gpu: &str,
    precision: &str,
    gpus: u32,
    tp: Option<u32>,
    shape: (f64, f64),
) -> f64 {
    [1, 2, 4, 8]
        .into_iter()
        .filter(|t| *t <= gpus && tp.is_none_or(|f| f == *t))
        .map(|t| size(c, model, gpu, precision, "batched", t, shape))
        .filter(|z| z.fits)
        .map(|z| z.max_output_tokens_per_s * f64::from(gpus / z.tensor_parallel))
        .fold(0.0, f64::max)
}

fn within(got: f64, want: f64, tolerance: f64, row: &str) {
    let ratio = got / want;
    assert!(
        (ratio - 1.0).abs() <= tolerance,
        "{row}: estimate {got:.1} vs measured {want:.1} (ratio {ratio:.3}) is outside ±{:.0}%",
        tolerance * 100.0
    );
}

#[test]
fn batched_throughput_rows() {
    let c = catalog();
    // (row, model, GPU, precision, GPUs, fixed TP, input, output, measured output tokens/s)
    type Row = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        u32,
        Option<u32>,
        f64,
        f64,
        f64,
    );
    let rows: &[Row] = &[
        // MLPerf Inference v4.0 closed, DGX-H100 8x H100 SXM, llama2-70b-99.9 Offline,
        // TensorRT-LLM: 21,805.8 tokens/s, 74.699 samples/s (292 output tokens a sample). The row
        // gives no input length; the input is taken equal to the output (292), an assumption.
        (
            "MLPerf v4.0 8x H100",
            "llama-2-70b",
            "h100-sxm",
            "fp8",
            8,
            None,
            292.0,
            292.0,
            21_805.8,
        ),
        // TensorRT-LLM perf-overview, trtllm-bench, ISL/OSL 1000/1000, max throughput.
        (
            "TRT-LLM 1x H200 Llama 3.3 70B FP8",
            "llama-3.3-70b",
            "h200",
            "fp8",
            1,
            Some(1),
            1000.0,
            1000.0,
            2909.0,
        ),
        (
            "TRT-LLM 2x H100 TP2 Llama 3.3 70B FP8",
            "llama-3.3-70b",
            "h100-sxm",
            "fp8",
            2,
            Some(2),
            1000.0,
            1000.0,
            4205.0,
        ),
        (
            "TRT-LLM 1x H200 Llama 3.1 8B FP8",
            "llama-3.1-8b",
            "h200",
            "fp8",
            1,
            Some(1),
            1000.0,
            1000.0,
            17_744.0,
        ),
    ];
    for &(row, model, gpu, precision, gpus, tp, input, output, want) in rows {
        within(
            best_aggregate(&c, model, gpu, precision, gpus, tp, (input, output)),
            want,
            0.15,
            row,
        );
    }
}

#[test]
fn llama_cpp_single_stream_rows() {
    let c = catalog();
    // XiongjieDai/GPU-Benchmarks-on-LLM-Inference: llama.cpp, batch 1, A100 SXM 80GB, average
    // speed generating 1,024 tokens. Q4_K_M is taken as the catalog's int4 (4.5 bits a weight).
    let rows: &[(&str, &str, &str, f64)] = &[
        ("Llama 3 8B Q4_K_M", "llama-3-8b", "int4", 133.38),
        ("Llama 3 8B F16", "llama-3-8b", "bf16", 53.18),
        ("Llama 3 70B Q4_K_M", "llama-3-70b", "int4", 24.33),
    ];
    for &(row, model, precision, want) in rows {
        let z = size(
            &c,
            model,
            "a100-80gb",
            precision,
            "llama.cpp",
            1,
            (1024.0, 1024.0),
        );
        assert!(z.fits, "{row}");
        within(z.single_stream_output_tokens_per_s, want, 0.10, row);
    }
}

#[test]
fn vllm_light_load_row() {
    // vLLM blog, v0.6.0 performance update: "Llama3 8B can generate 1 token every 13 ms under
    // light load" on an H100.
    let c = catalog();
    let z = size(
        &c,
        "llama-3-8b",
        "h100-sxm",
        "bf16",
        "batched",
        1,
        (1000.0, 200.0),
    );
    let itl_ms = 1000.0 / z.single_stream_output_tokens_per_s;
    assert!(
        (0.6 * 13.0..=13.0).contains(&itl_ms),
        "inter-token latency {itl_ms:.2} ms vs 13 ms"
    );
}

#[test]
fn every_configuration_obeys_physics() {
    let c = catalog();
    let engine = c.engine("batched").unwrap();
    let shape = RequestShape {
        input_tokens: 1000.0,
        output_tokens: 500.0,
    };
    let mut fitted = 0;
    for model in &c.models {
        for gpu in &c.gpus {
            for precision in &c.precisions {
                let mut last_batch = 0;
                for tp in [1, 2, 4, 8] {
                    let config = Config {
                        model,
                        gpu,
                        precision,
                        serving: engine,
                        tp,
                        shape,
                        tpot_limit_ms: None,
                        kv: None,
                        cached_share: 0.0,
                    };
                    let z = config.size();
                    let label = format!("{} {} {} tp{tp}", model.id, gpu.id, precision.id);
                    assert!(
                        z.max_batch >= last_batch,
                        "{label}: more GPUs hold no fewer sequences"
                    );
                    last_batch = z.max_batch;
                    if !z.fits {
                        continue;
                    }
                    fitted += 1;
                    let m = &z.memory_gb;
                    assert!(
                        m.weights + m.kv_cache <= m.available + 1e-9,
                        "{label}: memory overcommitted"
                    );
                    // Decode cannot beat reading the weights once per token at full bandwidth.
                    let bandwidth = f64::from(tp) * gpu.memory_bandwidth_gb_s * 1e9;
                    let ceiling = bandwidth / config.weights_read(1.0);
                    assert!(
                        z.single_stream_output_tokens_per_s <= ceiling,
                        "{label}: faster than memory allows"
                    );
                    // Throughput cannot beat the peak FLOPS of the fastest tensor cores.
                    let peak = [
                        Some(gpu.bf16_tflops),
                        gpu.fp8_tflops,
                        gpu.int8_tops,
                        gpu.fp4_tflops,
                    ]
                    .into_iter()
                    .flatten()
                    .fold(0.0, f64::max)
                        * 1e12
                        * f64::from(tp);
                    let flops_per_output = 2.0
                        * model.active_params_b
                        * 1e9
                        * (1.0 + shape.input_tokens / shape.output_tokens);
                    assert!(
                        z.max_output_tokens_per_s * flops_per_output <= peak,
                        "{label}: faster than arithmetic allows"
                    );
                    assert!(
                        z.ttft_ms > 0.0
                            && z.tpot_ms > 0.0
                            && z.ttft_ms.is_finite()
                            && z.tpot_ms.is_finite(),
                        "{label}"
                    );
                    assert!(
                        z.output_tokens_per_s <= z.max_output_tokens_per_s + 1e-9,
                        "{label}"
                    );
                }
            }
        }
    }
    assert!(fitted > 200, "only {fitted} configurations fit");
}

#[test]
fn faster_hardware_is_faster() {
    let c = catalog();
    let shape = (1000.0, 1000.0);
    let h100 = size(&c, "llama-3.1-70b", "h100-sxm", "fp8", "batched", 2, shape);
    let h200 = size(&c, "llama-3.1-70b", "h200", "fp8", "batched", 2, shape);
    let b200 = size(&c, "llama-3.1-70b", "b200", "fp8", "batched", 2, shape);
    assert!(h100.max_output_tokens_per_s < h200.max_output_tokens_per_s);
    assert!(h200.max_output_tokens_per_s < b200.max_output_tokens_per_s);
    assert!(h100.single_stream_output_tokens_per_s < b200.single_stream_output_tokens_per_s);
}

#[test]
fn capacity_answers_for_every_model_and_gpu() {
    use llm_decide::engine::serving::capacity::capacity;
    use llm_decide::model::catalog::hardware::{Hosting, PriceKind};
    use llm_decide::model::workload::spec::CapacityRequest;
    let c = catalog();
    for model in &c.models {
        for gpu in &c.gpus {
            for gpus in [1, 8] {
                let r = CapacityRequest {
                    model: model.id.clone(),
                    gpu: gpu.id.clone(),
                    precision: "bf16".into(),
                    engine: "batched".into(),
                    kv_precision: None,
                    gpus: Some(gpus),
                    tp: None,
                    shape: RequestShape {
                        input_tokens: 1000.0,
                        output_tokens: 1000.0,
                    },
                    tokens_per_month: Some(1e9),
                    peak_to_average: 1.0,
                    hosting: Hosting::Cloud,
                    price_kind: PriceKind::OnDemand,
                };
                let cap = capacity(&c, &r).unwrap();
                let label = format!("{} on {gpus} x {}", model.id, gpu.id);
                if cap.fits {
                    assert!(
                        cap.max_output_tokens_per_s.is_some_and(|t| t > 0.0),
                        "{label}"
                    );
                    let needed = cap.needed.as_ref().unwrap();
                    assert!(needed.gpus >= cap.tensor_parallel, "{label}");
                    assert_eq!(
                        needed.monthly_cost_usd.is_some(),
                        needed.gpu_cost_problem.is_none(),
                        "{label}"
                    );
                } else {
                    // What would fit: the weights' size, more than one GPU of this kind holds.
                    let advice = cap.message.as_ref().unwrap();
                    assert!(advice.weights_gb > 0.0, "{label}: {advice:?}");
                    assert_eq!(
                        cap.max_output_tokens_per_s, None,
                        "{label}: unknown is null, not 0"
                    );
                }
            }
        }
    }
}

/// One published measurement of tests/data/calibration/measurements.json.
#[derive(serde::Deserialize)]
struct Measured {
    id: String,
    source: String,
    split: String,
    model: String,
    gpu: String,
    gpus: u32,
    tp: Option<u32>,
    precision: String,
    kv_precision: Option<String>,
    input_tokens: f64,
    output_tokens: f64,
    output_tokens_per_s: f64,
}

/// Error of every source, as (rows, rows that fit, median |estimate / measured - 1|, worst
/// factor either way).
fn errors_by_source(
    c: &Catalog,
    rows: &[Measured],
) -> Vec<(String, String, usize, usize, f64, f64)> {
    let mut sources: Vec<(String, String)> = Vec::new();
    for r in rows {
        if !sources.iter().any(|(s, _)| *s == r.source) {
            sources.push((r.source.clone(), r.split.clone()));
        }
    }
    sources
        .into_iter()
        .map(|(source, split)| {
            let mut ratios = Vec::new();
            let mine: Vec<&Measured> = rows.iter().filter(|r| r.source == source).collect();
            for r in &mine {
                let tp = r.tp.unwrap_or(r.gpus);
                let z = Config {
                    model: c.model(&r.model).unwrap(),
                    gpu: c.gpu(&r.gpu).unwrap(),
                    precision: c.precision(&r.precision).unwrap(),
                    serving: c.engine("batched").unwrap(),
                    tp,
                    shape: RequestShape {
                        input_tokens: r.input_tokens,
                        output_tokens: r.output_tokens,
                    },
                    tpot_limit_ms: None,
                    kv: r.kv_precision.as_deref().map(|k| c.precision(k).unwrap()),
                    cached_share: 0.0,
                }
                .size();
                if z.fits {
                    let estimate = z.max_output_tokens_per_s * f64::from(r.gpus / tp);
                    ratios.push((r.id.clone(), estimate / r.output_tokens_per_s));
                }
            }
            let mut errors: Vec<f64> = ratios.iter().map(|(_, x)| (x - 1.0).abs()).collect();
            errors.sort_by(f64::total_cmp);
            let median = errors.get(errors.len() / 2).copied().unwrap_or(f64::NAN);
            let worst = ratios
                .iter()
                .map(|(_, x)| x.max(1.0 / x))
                .fold(1.0, f64::max);
            for (id, x) in &ratios {
                println!("{source} {id}: estimate / measured = {x:.3}");
            }
            (source, split, mine.len(), ratios.len(), median, worst)
        })
        .collect()
}

/// The evidence set by source, train and test apart. The constants were set on the training
/// sources (`MLPerf` v4.0 and the TensorRT-LLM perf overview v1.0) before the test sources were
/// read; this reports how far the estimates are from the test sources and holds them to the
/// errors measured when the set was assembled, so that a change that makes them worse fails
/// here (the target, about 10% median and nothing past 1.5x, is not reached yet:
/// docs/methodology.md gives the table).
#[test]
fn evidence_by_source() {
    let c = catalog();
    let text = std::fs::read_to_string(format!(
        "{}/tests/data/calibration/measurements.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let rows: Vec<Measured> = serde_json::from_value(doc["rows"].clone()).unwrap();
    let stats = errors_by_source(&c, &rows);
    for (source, split, n, fit, median, worst) in &stats {
        println!(
            "{source} ({split}): {fit} of {n} rows fit; median error {:.1}%, worst {worst:.2}x",
            median * 100.0
        );
    }
    // No source is both: a constant fitted on a row is not tested on it.
    for (source, split, ..) in &stats {
        assert!(
            rows.iter()
                .all(|r| r.source != *source || r.split == *split),
            "{source} is in both splits"
        );
    }
    // (source, median error at most, worst factor at most), as measured on 2026-11-30.
    let bounds: &[(&str, (f64, f64, usize))] = &[
        ("trtllm-perf-overview-v0.17", BOUND_V017),
        ("amd-vllm-docs", BOUND_AMD),
        ("gpustack-perf-lab", BOUND_GPUSTACK),
    ];
    for (source, (median_at_most, worst_at_most, fit_at_least)) in bounds {
        let (_, _, _, fit, median, worst) = stats.iter().find(|s| s.0 == *source).unwrap();
        assert!(fit >= fit_at_least, "{source}: {fit} rows fit");
        assert!(
            median <= median_at_most,
            "{source}: median error {median:.3}"
        );
        assert!(worst <= worst_at_most, "{source}: worst {worst:.2}x");
    }
}

/// TensorRT-LLM perf overview v0.17 (24 rows, test): median 36.9%, worst 3.86x (Llama 3.1 70B
/// on 8 `L40S` over `PCIe`), 22 rows fit (70B FP8 on one H100 and FP16 on two A100s do not: the
/// engine keeps 10% and 2 GB a GPU); held to 40%, 4.0x and 22.
const BOUND_V017: (f64, f64, usize) = (0.40, 4.0, 22);
/// AMD's vLLM docs, Llama 3.1 405B FP8 on 8 MI300X (4 rows, test): median 104.6%, worst 2.35x;
/// held to 110%, 2.5x and all 4.
const BOUND_AMD: (f64, f64, usize) = (1.10, 2.5, 4);
/// `GPUStack`'s performance lab, the untuned vLLM baseline on `ShareGPT` (9 rows, test): median
/// 253%, worst 12.05x (`DeepSeek-R1` on 8 H200); held to 260%, 12.5x and all 9.
const BOUND_GPUSTACK: (f64, f64, usize) = (2.60, 12.5, 9);
