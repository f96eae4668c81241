//! The sizing engine against published serving measurements (the reference calibration
//! set), with a stated tolerance per kind of row, and against physics for every model, GPU,
//! precision and tensor-parallel degree in the catalog.
//!
//! The batched engine's rows (published throughput and single-stream speed, train and test
//! sources apart, the constants fitted on the training sources) are in `evidence`.
//!
//! Tolerances:
//! - llama.cpp single-stream decode: within 10% (two of the three rows set the llama.cpp
//!   engine's two constants; the third is a check);
//! - vLLM "light load" inter-token latency (13 ms for Llama 3 8B on an H100): the estimate is
//!   between 60% and 100% of it. The quote is under light load, with other requests'
//!   prefills interleaved, which the batch-1 figure leaves out.

use llm_decide::engine::serving::sizing::{Config, Sizing};
use llm_decide::input::catalog;
use llm_decide::model::catalog::Catalog;
use llm_decide::model::workload::RequestShape;

#[path = "calibration/evidence.rs"]
mod evidence;
#[path = "calibration/ttft.rs"]
mod ttft;

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
        ep: 1,
        speculative: None,
        attention_dp: false,
    }
    .size()
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
    // light load" on an H100; vLLM's own profile, at batch 1 (light load also interleaves other
    // requests' prefills, which batch 1 leaves out).
    let c = catalog();
    let z = size(
        &c,
        "llama-3-8b",
        "h100-sxm",
        "bf16",
        "vllm",
        1,
        (1000.0, 200.0),
    );
    let itl_ms = 1000.0 / z.single_stream_output_tokens_per_s;
    println!("vLLM light load: {itl_ms:.2} ms a token against 13 ms");
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
                        ep: 1,
                        speculative: None,
                        attention_dp: false,
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
                    ep: None,
                    attention_dp: false,
                    concurrency: None,
                    speculative: None,
                    sweep: false,
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

/// `capacity --concurrency 1 --sweep` answers for every catalog model, GPU and engine (on 8
/// GPUs, at the model's native precision or FP8): every point finite and positive, and more
/// sequences never make a token faster for the user.
#[test]
fn the_sweep_answers_for_every_model_gpu_and_engine() {
    use llm_decide::engine::serving::capacity::capacity;
    use llm_decide::model::catalog::hardware::{Hosting, PriceKind};
    use llm_decide::model::workload::spec::CapacityRequest;
    let c = catalog();
    let mut fitted = 0;
    for model in &c.models {
        let precision = model
            .native_precision
            .clone()
            .unwrap_or_else(|| "fp8".into());
        for gpu in &c.gpus {
            for engine in &c.engines {
                let r = CapacityRequest {
                    model: model.id.clone(),
                    gpu: gpu.id.clone(),
                    precision: precision.clone(),
                    engine: engine.id.clone(),
                    kv_precision: None,
                    gpus: Some(8),
                    tp: None,
                    ep: None,
                    attention_dp: false,
                    concurrency: Some(1),
                    speculative: None,
                    sweep: true,
                    shape: RequestShape {
                        input_tokens: 1000.0,
                        output_tokens: 1000.0,
                    },
                    tokens_per_month: None,
                    peak_to_average: 1.0,
                    hosting: Hosting::Cloud,
                    price_kind: PriceKind::OnDemand,
                };
                let label = format!(
                    "{} ({precision}) on {} with {}",
                    model.id, gpu.id, engine.id
                );
                let cap = capacity(&c, &r).unwrap_or_else(|e| panic!("{label}: {e}"));
                if !cap.fits {
                    assert!(
                        cap.sweep.is_empty() && cap.at_concurrency.is_none(),
                        "{label}"
                    );
                    continue;
                }
                fitted += 1;
                let one = cap.at_concurrency.as_ref().unwrap();
                assert_eq!(one.concurrency, 1.0, "{label}");
                assert_eq!(cap.sweep.first(), Some(one), "{label}");
                assert_eq!(
                    cap.sweep.last().map(|p| p.concurrency),
                    cap.max_batch.map(f64::from),
                    "{label}"
                );
                for p in &cap.sweep {
                    for v in [p.tpot_ms, p.ttft_ms, p.output_tokens_per_s_per_gpu] {
                        assert!(v.is_finite() && v > 0.0, "{label}: {p:?}");
                    }
                }
                for w in cap.sweep.windows(2) {
                    assert!(w[1].tpot_ms >= w[0].tpot_ms, "{label}: {w:?}");
                }
            }
        }
    }
    // Most combinations fit on eight GPUs (the largest models not on the smallest cards).
    assert!(
        fitted > c.models.len() * c.gpus.len() * c.engines.len() / 2,
        "{fitted}"
    );
}
