//! The serving model's inputs through the binary: the KV cache's precision is a deployment
//! input (flag and scenario field), and a paging engine holds a running sequence's prompt and
//! half its output. Figures worked by hand.

mod common;

use common::{json, refused, run, scratch};

/// pricing/serving.yaml with `from` written as `to`, given as a pricing file: refused (status
/// 2, nothing on stdout) with `message` on stderr.
/// pricing/serving.yaml with each `from` replaced by its `to`, written in the scratch folder
/// `dir`.
fn engines_with(dir: &str, edits: &[(&str, &str)]) -> std::path::PathBuf {
    let file = scratch(dir).join("engines.yaml");
    let mut text = std::fs::read_to_string("pricing/serving.yaml").unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    std::fs::write(&file, text).unwrap();
    file
}

fn engines_refused(dir: &str, edit: (&str, &str), message: &str) {
    let file = engines_with(dir, &[edit]);
    let (code, out, err) = run(&["--pricing", file.to_str().unwrap(), "--tokens", "800M"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains(message), "{err}");
}

/// Llama 3.3 70B in FP8 on one H200: 141 x 0.9 - 2 = 124.9 GB for weights and KV, 70.55 GB of
/// weights, 54.35 GB of KV cache. A 1,000 + 1,000 token request holds 1,500 tokens on average
/// (paged) of 80 layers x 2,048 values: 16-bit 491.52 MB -> 110 sequences; FP8 245.76 MB ->
/// 221; FP4 (NVFP4: 4 bits and one 8-bit scale per 16 values, 0.5625 bytes) 138.24 MB -> 393.
#[test]
fn kv_cache_precision_is_an_input() {
    let base = [
        "capacity",
        "--model",
        "llama-3.3-70b",
        "--gpu",
        "h200",
        "--precision",
        "fp8",
    ];
    let cases: &[(&[&str], f64, u64)] = &[
        (&[], 2.0, 110),
        (&["--kv-precision", "bf16"], 2.0, 110),
        (&["--kv-precision", "fp8"], 1.0, 221),
        (&["--kv-precision", "fp4"], 0.5625, 393),
    ];
    for (extra, bytes, batch) in cases {
        let c = json(&[&base[..], extra].concat());
        assert_eq!(c["kv_bytes_per_value"], *bytes, "{extra:?}");
        assert_eq!(c["kv_paged"], true);
        assert_eq!(c["max_batch"], *batch, "{extra:?}");
    }
    // A precision no KV cache is kept in here is refused, naming the choices.
    let (code, out, err) = run(&[&base[..], &["--kv-precision", "int4"]].concat());
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err.trim_end(),
        "error: --kv-precision: unknown KV-cache precision \"int4\"; use one of fp16, bf16, fp8, fp4"
    );
    // In a decision, from the flag or the scenario field, into the sized deployment.
    let dir = std::env::temp_dir().join(format!("llm-decide-kv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("kv.yaml");
    std::fs::write(
        &file,
        "version: 1\ntokens_per_month: 1B\nself_host:\n  model: llama-3.3-70b\n  gpu: h200\n  precision: fp8\n  kv_precision: fp8\n",
    )
    .unwrap();
    let from_file = json(&["--scenario", file.to_str().unwrap()]);
    let from_flags = json(&[
        "--tokens",
        "1B",
        "--model",
        "llama-3.3-70b",
        "--gpu",
        "h200",
        "--precision",
        "fp8",
        "--kv-precision",
        "fp8",
    ]);
    for r in [&from_file, &from_flags] {
        let z = &r["options"]["self_host"]["deployment"]["sizing"];
        assert_eq!(z["kv_bytes_per_value"], 1.0);
        assert_eq!(z["kv_cache_bytes_per_token"], 163_840.0);
    }
    let (code, _, err) = run(&["--tokens", "1B", "--kv-precision", "fp9"]);
    assert_eq!(code, 2);
    assert_eq!(
        err.trim_end(),
        "error: --kv-precision: unknown KV-cache precision \"fp9\"; did you mean \"fp8\"? (one of fp16, bf16, fp8, fp4)"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// TensorRT-LLM serves `ModelOpt`'s FP8 and NVFP4 checkpoints with an FP8 KV cache, so without
/// `--kv-precision` its FP8 deployment of Llama 3.3 70B on one H200 holds 221 sequences (as
/// above, 245.76 MB each), not 110; weights it serves in BF16, a GPU without FP8 (the A100) and
/// the other engines keep 16 bits; a KV precision the user names decides. An engine's rule that
/// names an unknown precision is refused at its place.
#[test]
fn tensorrt_llm_caches_in_fp8_with_its_quantized_checkpoints() {
    let capacity = |engine: &str, gpu: &str, precision: &str, extra: &[&str]| {
        let base = [
            "capacity",
            "--model",
            "llama-3.3-70b",
            "--gpu",
            gpu,
            "--precision",
            precision,
            "--engine",
            engine,
        ];
        let c = json(&[&base[..], extra].concat());
        (
            c["kv_bytes_per_value"].as_f64().unwrap(),
            c["max_batch"].as_u64(),
        )
    };
    // Engine, GPU, weights, flags; bytes a cached value, and the largest batch where checked.
    type Case<'a> = (&'a str, &'a str, &'a str, &'a [&'a str], f64, u64);
    let cases: &[Case] = &[
        ("trtllm", "h200", "fp8", &[], 1.0, 221),
        (
            "trtllm",
            "h200",
            "fp8",
            &["--kv-precision", "bf16"],
            2.0,
            110,
        ),
        ("trtllm", "b200", "fp4", &[], 1.0, 0),
        ("trtllm", "a100-80gb", "fp8", &[], 2.0, 0),
        ("trtllm", "h200", "bf16", &[], 2.0, 0),
        ("batched", "h200", "fp8", &[], 2.0, 110),
        ("vllm", "h200", "fp8", &[], 2.0, 110),
        ("sglang", "h200", "fp8", &[], 2.0, 110),
    ];
    for &(engine, gpu, precision, extra, bytes, batch) in cases {
        let (got_bytes, got_batch) = capacity(engine, gpu, precision, extra);
        let label = format!("{engine} {precision} on {gpu} {extra:?}");
        assert_eq!(got_bytes, bytes, "{label}");
        if batch > 0 {
            assert_eq!(got_batch, Some(batch), "{label}");
        }
    }
    engines_refused(
        "quantized-kv",
        ("weights: [fp8, fp4, nvfp4]", "weights: [fp8, fp4, nvfp5]"),
        "field `engines[trtllm].quantized_kv.weights[2]`: unknown precision id \"nvfp5\"; did you mean \"nvfp4\"?",
    );
    // The cache's precision is one a KV cache is kept in.
    engines_refused(
        "quantized-kv-precision",
        (
            "quantized_kv: {precision: fp8,",
            "quantized_kv: {precision: int8,",
        ),
        "field `engines[trtllm].quantized_kv.precision`: unknown KV-cache precision \"int8\"",
    );
}

/// The cached share of prompts skips prefill on the self-hosted side too (the engine's prefix
/// cache), as it is discounted on the API: the same deployment reaches its first token sooner
/// (the prefill arithmetic is worked by hand in the sizing engine's unit test).
#[test]
fn a_cached_prefix_shortens_the_self_hosted_prefill() {
    let ttft = |cached: &str| {
        json(&[
            "--requests",
            "250000",
            "--input-tokens",
            "4000",
            "--output-tokens",
            "200",
            "--model",
            "llama-3.3-70b",
            "--gpu",
            "h100-sxm",
            "--tp",
            "2",
            "--precision",
            "fp8",
            "--cached-share",
            cached,
        ])["options"]["self_host"]["deployment"]["sizing"]["ttft_ms"]
            .as_f64()
            .unwrap()
    };
    let (none, half) = (ttft("0"), ttft("0.5"));
    assert!(half < 0.75 * none, "{half} vs {none}");
}

/// `capacity` says where a token's time goes, kernel by kernel, and whether the GPU runs the
/// precision on its tensor cores: FP8 on an A100 is weight-only (no FP8 tensor cores), on an
/// H100 native.
#[test]
fn capacity_shows_the_step_and_the_precision_as_run() {
    let args = |gpu| {
        [
            "capacity",
            "--model",
            "llama-3.1-70b",
            "--gpu",
            gpu,
            "--precision",
            "fp8",
            "--gpus",
            "2",
        ]
    };
    for (gpu, native) in [("a100-80gb", false), ("h100-sxm", true)] {
        let d = json(&args(gpu));
        assert_eq!(d["native_precision"], native, "{gpu}");
        let s = &d["step"];
        let parts: f64 = [
            "gemm_ms",
            "decode_attention_ms",
            "prefill_attention_ms",
            "communication_ms",
            "overhead_ms",
            "draft_ms",
        ]
        .iter()
        .map(|k| s[k].as_f64().unwrap())
        .sum();
        // Each part is printed to three decimals.
        assert!(
            (parts - s["total_ms"].as_f64().unwrap()).abs() < 0.003,
            "{gpu}"
        );
        assert_eq!(s["total_ms"], d["tpot_ms"], "{gpu}");
        assert!(
            s["communication_ms"].as_f64().unwrap() > 0.0,
            "{gpu}: TP 2 all-reduces"
        );
    }
    let (code, out, _) = run(&args("a100-80gb"));
    assert_eq!(code, 0);
    let precision = out.lines().find(|l| l.starts_with("│ Precision ")).unwrap();
    assert!(
        precision.ends_with(" fp8 (weight-only, at the BF16 rate) │"),
        "{out}"
    );
    assert!(out.contains("Step at the largest batch"), "{out}");
    assert!(
        out.contains("GEMMs 93.4 + attention 20.4 + communication 7.2 + overhead 5.26 ms"),
        "{out}"
    );
}

/// Expert parallelism is an input (`--ep`, `self_host.ep`): a mixture of experts' routed
/// experts spread whole over that many GPUs, reached by all-to-all. It needs experts, one of
/// the engines' degrees, and a tensor-parallel degree it divides; anything else is refused.
#[test]
fn expert_parallelism_is_an_input() {
    let capacity = |extra: &[&str]| {
        let base = [
            "capacity",
            "--model",
            "qwen3-235b-a22b",
            "--gpu",
            "h100-sxm",
            "--gpus",
            "8",
            "--precision",
            "fp8",
        ];
        json(&[&base[..], extra].concat())
    };
    let (tp, ep) = (capacity(&[]), capacity(&["--ep", "8"]));
    assert_eq!(
        (tp["expert_parallel"].clone(), ep["expert_parallel"].clone()),
        (1.into(), 8.into())
    );
    // Eight experts a token: the all-to-alls move more than the all-reduce they replace.
    let comm = |d: &serde_json::Value| d["step"]["communication_ms"].as_f64().unwrap();
    assert!(comm(&ep) > comm(&tp), "{} vs {}", comm(&ep), comm(&tp));
    let (code, out, _) = run(&[
        "capacity",
        "--model",
        "qwen3-235b-a22b",
        "--gpu",
        "h100-sxm",
        "--gpus",
        "8",
        "--precision",
        "fp8",
        "--ep",
        "8",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("8 x 1, experts over 8 GPUs │"), "{out}");
    // With no --model, only a mixture of experts can be deployed that way.
    let d = json(&[
        "--tokens", "5B", "--gpu", "h100-sxm", "--gpus", "8", "--ep", "8",
    ]);
    let sizing = &d["options"]["self_host"]["deployment"]["sizing"];
    assert_eq!(sizing["expert_parallel"], 8);
    assert_eq!(sizing["tensor_parallel"], 8);
    let cases: &[(&[&str], &str)] = &[
        (
            &["--tokens", "5B", "--model", "llama-3.1-70b", "--ep", "2"],
            "error: --ep: llama-3.1-70b is a dense model: it has no experts to spread; drop --ep, or name a mixture-of-experts model (`llm-decide list models`)\n",
        ),
        (
            &[
                "capacity",
                "--model",
                "qwen3-235b-a22b",
                "--gpu",
                "h100-sxm",
                "--gpus",
                "8",
                "--tp",
                "4",
                "--ep",
                "8",
            ],
            "error: --ep: expert parallelism of 8 does not divide the tensor-parallel degree 4; give an expert-parallel degree that divides 4 (the experts are spread over the replica's GPUs)\n",
        ),
        (
            &[
                "capacity",
                "--model",
                "qwen3-235b-a22b",
                "--gpu",
                "h100-sxm",
                "--gpus",
                "8",
                "--ep",
                "3",
            ],
            "error: --ep: expert parallelism of 3 is not supported; use 1, 2, 4 or 8\n",
        ),
    ];
    for (args, message) in cases {
        refused(args, message);
    }
    let dir = scratch("expert-parallel");
    let file = dir.join("dense.yaml");
    std::fs::write(
        &file,
        "version: 1\ntokens_per_month: 5B\nself_host:\n  model: llama-3.1-70b\n  ep: 8\n",
    )
    .unwrap();
    let (code, _, err) = run(&["--scenario", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "error: {}:5:7: field `self_host.ep`: llama-3.1-70b is a dense model: it has no experts to spread; drop self_host.ep, or name a mixture-of-experts model (`llm-decide list models`)\n",
            file.display()
        )
    );
}

/// Self-hosted latency is taken at the load the plan carries (Little's law on the step time),
/// not at the largest batch: at 800M tokens a month the replica runs a handful of sequences
/// and a dense model's token comes near the single-stream speed (a mixture of experts reads
/// more experts for a few sequences than for one: the README's gpt-oss-120b, 9.3 ms alone,
/// takes 16.5 ms at 3.4); the largest batch's figure stays beside it as the ceiling, and an
/// average hour of business-hours traffic runs fewer sequences.
#[test]
fn latency_is_taken_at_the_load_the_plan_carries() {
    let f = |v: &serde_json::Value| v.as_f64().unwrap();
    let dense = json(&[
        "--tokens",
        "800M",
        "--latency",
        "150ms",
        "--model",
        "gemma-3-27b",
    ]);
    let dep = &dense["options"]["self_host"]["deployment"];
    let single = 1000.0 / f(&dep["sizing"]["single_stream_output_tokens_per_s"]);
    let load = &dep["load"];
    assert!(f(&load["concurrency_at_peak"]) < 10.0, "{load}");
    assert!(
        f(&load["tpot_at_peak_ms"]) < 1.1 * single,
        "{load} vs {single}"
    );
    let d = json(&["--tokens", "800M", "--latency", "150ms"]);
    let dep = &d["options"]["self_host"]["deployment"];
    let load = &dep["load"];
    assert!(f(&load["concurrency_at_peak"]) < 10.0, "{load}");
    assert!(
        f(&load["tpot_at_peak_ms"]) < f(&load["tpot_at_capacity_ms"]),
        "{load}"
    );
    assert_eq!(dep["latency"]["tpot_ms"], load["tpot_at_peak_ms"]);
    assert_eq!(load["tpot_at_capacity_ms"], dep["sizing"]["tpot_ms"]);
    let (_, out, _) = run(&["--tokens", "800M", "--latency", "150ms"]);
    assert!(out.contains("  Self-host TPOT 16.5 ms at the peak hour (3.4 sequences running a replica), 16.5 ms in an average\n  hour (3.4), 32.6 ms at the largest batch the plan allows.\n"), "{out}");
    let b = json(&["--tokens", "5B", "--traffic", "business-hours"]);
    let l = &b["options"]["self_host"]["deployment"]["load"];
    assert!(
        f(&l["concurrency_at_average"]) < f(&l["concurrency_at_peak"]),
        "{l}"
    );
    assert!(
        f(&l["tpot_at_average_ms"]) <= f(&l["tpot_at_peak_ms"]),
        "{l}"
    );
}

/// `capacity --concurrency N` answers at a fixed number of sequences a replica, `--sweep` over
/// 1, 2, 4, ... and the largest batch, the way serving benchmarks publish their curves: more
/// sequences, slower tokens for each user and more in all. A concurrency above the largest
/// batch is refused, saying what limits it.
#[test]
fn capacity_answers_at_a_concurrency_and_over_a_sweep() {
    let base = [
        "capacity",
        "--model",
        "llama-3.1-8b",
        "--gpu",
        "h100-sxm",
        "--precision",
        "fp8",
    ];
    let d = json(&[&base[..], &["--concurrency", "32", "--sweep"]].concat());
    let f = |v: &serde_json::Value| v.as_f64().unwrap();
    let at = &d["at_concurrency"];
    assert_eq!(at["concurrency"], 32.0);
    // The JSON rounds milliseconds to three decimals.
    let per_user = f(&at["tokens_per_s_per_user"]);
    assert!((per_user * f(&at["tpot_ms"]) / 1000.0 - 1.0).abs() < 1e-4);
    assert!((f(&at["output_tokens_per_s"]) / (32.0 * per_user) - 1.0).abs() < 1e-9);
    let sweep = d["sweep"].as_array().unwrap();
    let n: Vec<f64> = sweep.iter().map(|p| f(&p["concurrency"])).collect();
    let max = f(&d["max_batch"]);
    assert_eq!(n[..9], [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0]);
    assert_eq!(*n.last().unwrap(), max);
    for w in sweep.windows(2) {
        assert!(f(&w[1]["tpot_ms"]) > f(&w[0]["tpot_ms"]));
        assert!(f(&w[1]["output_tokens_per_s_per_gpu"]) > f(&w[0]["output_tokens_per_s_per_gpu"]));
    }
    // At the largest batch the sweep meets the step the table reports.
    assert_eq!(sweep.last().unwrap()["tpot_ms"], d["tpot_ms"]);
    assert_eq!(sweep[5], *at);
    let (code, out, _) = run(&[&base[..], &["--sweep"]].concat());
    assert_eq!(code, 0);
    assert!(
        out.contains("Throughput against speed per user, one replica\n"),
        "{out}"
    );
    let (code, html, _) = run(&[&base[..], &["--sweep", "--format", "html"]].concat());
    assert_eq!(code, 0);
    assert!(
        html.contains("<svg") && html.contains(">tokens/s per user</text>"),
        "{html}"
    );
    assert!(
        out.contains("│         1 ┆ 5.23 ms ┆            50.7 ms ┆             191.0 ┆"),
        "{out}"
    );
    let (code, out, err) = run(&[&base[..], &["--concurrency", "400"]].concat());
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "error: --concurrency 400: one replica of llama-3.1-8b in fp8 on 1 x h100-sxm holds at most 315 sequences of this request shape (the memory left for the KV cache); give at most 315, or more GPUs a replica\n"
    );
}

/// Speculative decoding with multi-token-prediction heads (`--speculative K`, `--acceptance A`,
/// `self_host.speculative`): a step verifies each sequence's drafts and gains
/// `(1 - A^(K+1)) / (1 - A)` tokens; the acceptance defaults to DeepSeek-V3's 0.85. A memory-bound
/// single stream comes out near that many times faster; an acceptance alone, or more than 8
/// drafts, is refused.
#[test]
fn speculative_decoding_is_an_option() {
    let capacity = |extra: &[&str]| {
        let base = [
            "capacity",
            "--model",
            "deepseek-v3.1",
            "--gpu",
            "h200",
            "--gpus",
            "8",
            "--precision",
            "fp8",
        ];
        json(&[&base[..], extra].concat())
    };
    let f = |v: &serde_json::Value| v.as_f64().unwrap();
    let (plain, spec) = (capacity(&[]), capacity(&["--speculative", "1"]));
    let speedup = f(&spec["single_stream_output_tokens_per_s"])
        / f(&plain["single_stream_output_tokens_per_s"]);
    assert!((1.5..1.85).contains(&speedup), "{speedup}");
    assert_eq!(spec["step"]["tokens_per_step"], 1.85);
    let seventy = capacity(&["--speculative", "3", "--acceptance", "0.7"]);
    assert!((f(&seventy["step"]["tokens_per_step"]) - 0.7599 / 0.3).abs() < 1e-6);
    let cases: &[(&[&str], &str)] = &[
        (
            &["--tokens", "5B", "--acceptance", "0.7"],
            "error: --acceptance: an acceptance is given, but speculative decoding is not asked for; give the draft tokens a step too (--speculative K), or drop it\n",
        ),
        (
            &["--tokens", "5B", "--speculative", "9"],
            "error: --speculative: 9 draft tokens a step are not modelled; give 1 to 8\n",
        ),
        (
            &["--tokens", "5B", "--speculative", "2", "--acceptance", "1"],
            "error: --acceptance: an acceptance of 1 is not a probability strictly between 0 and 1; give a share such as 0.7 (70%)\n",
        ),
    ];
    for (args, message) in cases {
        refused(args, message);
    }
    // From a scenario file the refusal names the file, line and field.
    let dir = scratch("speculative");
    let file = dir.join("acceptance.yaml");
    std::fs::write(
        &file,
        "version: 1\ntokens_per_month: 5B\nself_host:\n  acceptance: 0.7\n",
    )
    .unwrap();
    let (code, _, err) = run(&["--scenario", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "error: {}:4:15: field `self_host.acceptance`: an acceptance is given, but speculative decoding is not asked for; give the draft tokens a step too (self_host.speculative), or drop it\n",
            file.display()
        )
    );
    let d = json(&[
        "--tokens",
        "5B",
        "--model",
        "deepseek-v3.1",
        "--speculative",
        "1",
    ]);
    assert_eq!(
        d["options"]["self_host"]["deployment"]["sizing"]["step"]["tokens_per_step"],
        1.85
    );
}

/// A step's token budget (vLLM's `max_num_batched_tokens`, 8,192): gpt-oss-20b on an H200 with
/// 8,000-token prompts and 250-token answers puts 1 + 32 = 33 tokens a sequence in a step, so
/// vLLM runs at most 248 sequences where memory would hold more (TensorRT-LLM's profile models
/// no budget), and beside 200 running sequences a prompt is prefilled over two steps.
#[test]
fn a_step_budget_caps_vllm_on_long_prompts() {
    let base = [
        "capacity",
        "--model",
        "gpt-oss-20b",
        "--gpu",
        "h200",
        "--precision",
        "mxfp4",
        "--input-tokens",
        "8000",
        "--output-tokens",
        "250",
    ];
    let vllm = json(&[&base[..], &["--engine", "vllm", "--concurrency", "200"]].concat());
    let trtllm = json(&[&base[..], &["--engine", "trtllm", "--concurrency", "200"]].concat());
    assert_eq!(vllm["max_batch"], 248);
    assert!(
        trtllm["max_batch"].as_u64().unwrap() > 248,
        "{}",
        trtllm["max_batch"]
    );
    let at = &vllm["at_concurrency"];
    let (ttft, tpot) = (
        at["ttft_ms"].as_f64().unwrap(),
        at["tpot_ms"].as_f64().unwrap(),
    );
    // The prompt's prefill (8,000 tokens at the replica's prefill rate), then two steps of the
    // running batch (the JSON rounds to thousandths of a ms).
    let prefill = 8000.0 / vllm["prefill_tokens_per_s"].as_f64().unwrap() * 1000.0;
    assert!(
        ((ttft - prefill) / tpot - 2.0).abs() < 1e-3,
        "{at} {prefill}"
    );
    refused(
        &[&base[..], &["--engine", "vllm", "--concurrency", "300"]].concat(),
        "error: --concurrency 300: one replica of gpt-oss-20b in mxfp4 on 1 x h200 holds at most 248 sequences of this request shape (the engine's cap on sequences or on tokens a step); give at most 248\n",
    );
}

/// A separate draft model (`--draft-model`, `self_host.draft_model`): Llama 3.1 70B in FP8 on
/// two H100s drafts three tokens a step with Llama 3.1 8B, accepted 70% of the time; one stream
/// runs faster than without (the draft's passes are in the step), its weights take memory, and
/// a draft model no smaller than the model, or one without --speculative, is refused.
#[test]
fn a_draft_model_drafts_for_a_larger_one() {
    let base = [
        "capacity",
        "--model",
        "llama-3.1-70b",
        "--gpu",
        "h100-sxm",
        "--gpus",
        "2",
        "--precision",
        "fp8",
        "--concurrency",
        "1",
    ];
    let plain = json(&base);
    let drafted = json(
        &[
            &base[..],
            &[
                "--speculative",
                "3",
                "--acceptance",
                "0.7",
                "--draft-model",
                "llama-3.1-8b",
            ],
        ]
        .concat(),
    );
    let f =
        |d: &serde_json::Value, p: &str| d.pointer(p).and_then(serde_json::Value::as_f64).unwrap();
    assert!(f(&drafted, "/step/draft_ms") > 0.0);
    assert!((f(&drafted, "/step/tokens_per_step") - 2.533).abs() < 1e-3);
    assert!(
        f(&drafted, "/at_concurrency/tpot_ms") < f(&plain, "/at_concurrency/tpot_ms") / 1.5,
        "{} {}",
        drafted["at_concurrency"],
        plain["at_concurrency"]
    );
    // The 8B draft's weights in FP8, about 8 GB more.
    let more = f(&drafted, "/memory_gb/weights") - f(&plain, "/memory_gb/weights");
    assert!((7.5..8.5).contains(&more), "{more}");
    refused(
        &[
            &base[..],
            &["--speculative", "2", "--draft-model", "llama-3.1-405b"],
        ]
        .concat(),
        "error: --draft-model: llama-3.1-405b (405.85B parameters) is not smaller than llama-3.1-70b (70.55B): a draft model is a small one; name a smaller model of the same family, e.g. an 8B or 1B one\n",
    );
    refused(
        &[&base[..], &["--draft-model", "llama-3.1-8b"]].concat(),
        "error: --draft-model: a draft model is given, but speculative decoding is not asked for; give the draft tokens a step too (--speculative K), or drop it\n",
    );
    // In a scenario file, at its line.
    let dir = scratch("draft-model");
    let file = dir.join("s.yaml");
    std::fs::write(
        &file,
        "version: 1\ntokens_per_month: 800M\nself_host:\n  model: llama-3.1-70b\n  speculative: 2\n  draft_model: llama-3.1-8\n",
    )
    .unwrap();
    let name = file.to_str().unwrap();
    refused(
        &["--scenario", name],
        &format!(
            "error: {name}:6:16: field `self_host.draft_model`: unknown model id \"llama-3.1-8\"; did you mean \"llama-3.1-8b\"? (`llm-decide list models` shows them all)\n"
        ),
    );
}

/// vLLM's own defaults differ by GPU: 1,024 sequences and 8,192 tokens a step on GPUs of 70 GiB
/// or more, 256 and 2,048 under 70 GiB and on the A100 (by name). Llama 3.1 8B in BF16 with
/// 200 + 200 tokens fits more than 256 sequences on both an A100 80GB and an H100, so the cap
/// is the engine's. A GPU the rule names that the catalog lacks is refused at its place.
#[test]
fn vllm_schedules_fewer_sequences_on_smaller_gpus() {
    let batch = |gpu: &str| {
        json(&[
            "capacity",
            "--model",
            "llama-3.1-8b",
            "--gpu",
            gpu,
            "--precision",
            "bf16",
            "--engine",
            "vllm",
            "--input-tokens",
            "200",
            "--output-tokens",
            "200",
        ])["max_batch"]
            .as_u64()
            .unwrap()
    };
    assert_eq!((batch("a100-80gb"), batch("h100-sxm")), (256, 1024));
    engines_refused(
        "smaller-gpus",
        (
            "also: [a100-80gb, a100-80gb-pcie]",
            "also: [a100-80g, a100-80gb-pcie]",
        ),
        "field `engines[vllm].smaller_gpus.also[0]`: unknown GPU id \"a100-80g\"; did you mean \"a100-80gb\"?",
    );
}

/// `SGLang` sets its step budget (`chunked_prefill_size`) by the GPU's memory in GiB: 4,096
/// under 60 GiB (24 GB = 22.4 GiB, 48 GB = 44.7), 8,192 under 160 (80 GB = 74.5, 141 GB = 131.3,
/// 96 GB = 89.4), 16,384 above (180 GB = 167.6, 192 GB = 178.8). vLLM's rule for smaller GPUs
/// comes first where an engine has one. Tiers out of order are refused at their place.
#[test]
fn sglang_sets_its_step_budget_by_gpu_memory() {
    let catalog = llm_decide::input::catalog::load(&[]).unwrap();
    let budget = |engine: &str, gpu: &str| {
        let serving = catalog.engine(engine).unwrap();
        serving.limits_on(catalog.gpu(gpu).unwrap()).1
    };
    let cases = [
        ("sglang", "l4", 4096.0),
        ("sglang", "rtx-4090", 4096.0),
        ("sglang", "l40s", 4096.0),
        ("sglang", "a100-40gb", 4096.0),
        ("sglang", "a100-80gb", 8192.0),
        ("sglang", "h100-sxm", 8192.0),
        ("sglang", "rtx-pro-6000", 8192.0),
        ("sglang", "h200", 8192.0),
        ("sglang", "b200", 16384.0),
        ("sglang", "mi300x", 16384.0),
        ("vllm", "a100-80gb", 2048.0),
        ("vllm", "b200", 8192.0),
    ];
    for (engine, gpu, want) in cases {
        assert_eq!(budget(engine, gpu), Some(want), "{engine} on {gpu}");
    }
    engines_refused(
        "sglang-tiers",
        (
            "{below_memory_gib: 60, step_tokens: 4096}",
            "{below_memory_gib: 10, step_tokens: 4096}",
        ),
        "field `engines[sglang].step_tokens_by_memory[1].below_memory_gib`: 10 is not above the tier before (20); list the tiers from the smallest GPUs up",
    );
}

/// llama.cpp splits a model by layers, so an expert-parallel degree cannot be honoured: it is
/// refused, never dropped.
#[test]
fn expert_parallelism_is_refused_where_layers_are_split() {
    refused(
        &[
            "capacity",
            "--model",
            "gpt-oss-120b",
            "--gpu",
            "h100-sxm",
            "--gpus",
            "2",
            "--precision",
            "mxfp4",
            "--engine",
            "llama.cpp",
            "--ep",
            "2",
        ],
        "error: --ep: llama.cpp server splits a model across GPUs by layers, not by experts; drop the expert-parallel degree, or name a tensor-parallel engine (--engine)\n",
    );
}

/// Attention data parallelism is an input (`--attention-dp yes`, `self_host.attention_dp`):
/// each GPU of a replica holds the weights every token uses and runs attention for its own
/// share of the batch. Qwen3 235B in FP4 on 8 B200s under TensorRT-LLM: the shared weights
/// (235.09B - 0.622B lookup - 128 experts of (235.09 - 0.622 - 21.57) / 120 = 1.774B = 7.378B,
/// and the 0.622B lookup table: 8.0B at 0.5625 bytes, 4.50 GB) are held 7 more times (31.50
/// GB: 132.24 -> 163.73 GB a replica), and with no attention
/// all-reduce and an eighth of the per-sequence time a step, the largest batch's throughput
/// more than doubles. An engine that splits by layers refuses it, at the flag or the field.
#[test]
fn attention_data_parallelism_is_an_input() {
    let args = |dp| {
        [
            "capacity",
            "--model",
            "qwen3-235b-a22b",
            "--gpu",
            "b200",
            "--gpus",
            "8",
            "--tp",
            "8",
            "--precision",
            "fp4",
            "--engine",
            "trtllm",
            "--attention-dp",
            dp,
        ]
    };
    let (tp, dp) = (json(&args("no")), json(&args("yes")));
    assert_eq!(
        (tp["attention"].as_str(), dp["attention"].as_str()),
        (Some("tensor-parallel"), Some("data-parallel"))
    );
    let weights = |c: &serde_json::Value| c["memory_gb"]["weights"].as_f64().unwrap();
    assert!((weights(&dp) - weights(&tp) - 31.497).abs() < 0.01, "{dp}");
    let speed = |c: &serde_json::Value| c["max_output_tokens_per_s"].as_f64().unwrap();
    assert!(
        speed(&dp) > 2.0 * speed(&tp),
        "{} vs {}",
        speed(&dp),
        speed(&tp)
    );
    let (code, out, _) = run(&args("yes"));
    assert_eq!(code, 0);
    assert!(out.contains(" 8 x 1, attention data-parallel │"), "{out}");
    // A dense model has nothing to spread it for.
    refused(
        &[
            "capacity",
            "--model",
            "llama-3.1-70b",
            "--gpu",
            "h100-sxm",
            "--attention-dp",
            "yes",
        ],
        "error: --attention-dp: llama-3.1-70b is a dense model: attention data parallelism serves a mixture of experts; drop attention data parallelism, or name a mixture-of-experts model\n",
    );
    // In a decision, from the flag or the scenario field.
    let dir = scratch("attention-dp");
    let file = dir.join("dp.yaml");
    let scenario = |engine: &str| {
        format!(
            "version: 1\ntokens_per_month: 20B\nself_host:\n  model: qwen3-235b-a22b\n  gpu: h200\n  engine: {engine}\n  attention_dp: true\n"
        )
    };
    std::fs::write(&file, scenario("trtllm")).unwrap();
    let name = file.to_str().unwrap();
    let from_flags = json(&[
        "--tokens",
        "20B",
        "--model",
        "qwen3-235b-a22b",
        "--gpu",
        "h200",
        "--engine",
        "trtllm",
        "--attention-dp",
        "yes",
    ]);
    for d in [&json(&["--scenario", name]), &from_flags] {
        let z = &d["options"]["self_host"]["deployment"]["sizing"];
        assert_eq!(z["attention"], "data-parallel", "{z}");
    }
    std::fs::write(&file, scenario("llama.cpp")).unwrap();
    refused(
        &["--scenario", name],
        &format!(
            "error: {name}:7:17: field `self_host.attention_dp`: llama.cpp server splits a model across GPUs by layers, not its attention by sequences; drop attention data parallelism, or name a tensor-parallel engine (--engine)\n"
        ),
    );
}

/// A prompt's forwards outside CUDA graphs pay the engine's launch time a layer
/// (`prefill_layer_overhead_us`, fitted in tests/calibration/ttft.rs): Llama 3.1 8B's 32 layers
/// at the default profile's 975 µs are 31.2 ms more to the first token than with none, and the
/// time per token is the same. vLLM captures forwards up to 512 tokens: a 500-token prompt
/// pays nothing there, a 1,000-token one 32 x 560 µs = 17.92 ms. A value that is not a plain
/// non-negative number is refused where it stands, and so is an engine without one.
#[test]
fn a_prompts_uncaptured_forwards_pay_the_engines_launch_time() {
    let file = engines_with(
        "prefill-launch",
        &[
            (
                "prefill_layer_overhead_us: 975",
                "prefill_layer_overhead_us: 0",
            ),
            (
                "prefill_layer_overhead_us: 560",
                "prefill_layer_overhead_us: 0",
            ),
        ],
    );
    let at = |engine: &str, input: &str, pricing: &[&str]| {
        let base = [
            "capacity",
            "--model",
            "llama-3.1-8b",
            "--gpu",
            "h100-sxm",
            "--precision",
            "fp8",
            "--concurrency",
            "1",
            "--engine",
            engine,
            "--input-tokens",
            input,
        ];
        let c = json(&[&base[..], pricing].concat());
        let f = |k: &str| c["at_concurrency"][k].as_f64().unwrap();
        (f("ttft_ms"), f("tpot_ms"))
    };
    let none = ["--pricing", file.to_str().unwrap()];
    for (engine, input, want) in [
        ("batched", "1000", 31.2),
        ("trtllm", "1000", 31.2),
        ("vllm", "1000", 17.92),
        ("vllm", "500", 0.0),
    ] {
        let (ttft, tpot) = at(engine, input, &[]);
        let (bare_ttft, bare_tpot) = at(engine, input, &none);
        assert!(
            (ttft - bare_ttft - want).abs() < 2e-3,
            "{engine} {input}: {ttft} - {bare_ttft}"
        );
        assert_eq!(tpot, bare_tpot, "{engine} {input}");
    }
    engines_refused(
        "prefill-launch-negative",
        (
            "prefill_layer_overhead_us: 780",
            "prefill_layer_overhead_us: -5",
        ),
        "field `engines[sglang].prefill_layer_overhead_us`: \"-5\" is not a valid number: it is negative; write a plain number, e.g. 2 or 0.5",
    );
    // Like every constant of an engine, it is given: an entry copied from an older file
    // without it is refused, not run at none.
    engines_refused(
        "prefill-launch-missing",
        ("    prefill_layer_overhead_us: 780\n", ""),
        "field `engines[sglang].prefill_layer_overhead_us`: is missing; give the engine's value; see pricing/serving.yaml",
    );
    engines_refused(
        "prefill-graph-tokens",
        ("prefill_graph_tokens: 512", "prefill_graph_tokens: 8"),
        "field `engines[vllm].prefill_graph_tokens`: 8 is below the limit of 16",
    );
}

/// A wait at load (`prefill_wait_steps`, 0 in every published profile; `calibrate` fits it):
/// three steps for vLLM put the first token 3 x (1 - 1/N) whole steps later at N sequences
/// (2.25 time-per-token steps at 4, none at one stream), and leave the time per token as it
/// was. A negative wait, one past 100 steps, and an engine without one are refused.
#[test]
fn an_engine_may_keep_a_prompt_waiting_at_load() {
    const VLLM: &str = "your own benchmark.\n    prefill_wait_steps: 0\n";
    let file = engines_with(
        "prefill-wait",
        &[(VLLM, "your own benchmark.\n    prefill_wait_steps: 3\n")],
    );
    let at = |n: &str, pricing: &[&str]| {
        let base = [
            "capacity",
            "--model",
            "llama-3.1-8b",
            "--gpu",
            "h100-sxm",
            "--precision",
            "fp8",
            "--engine",
            "vllm",
            "--concurrency",
            n,
        ];
        let c = json(&[&base[..], pricing].concat());
        let f = |k: &str| c["at_concurrency"][k].as_f64().unwrap();
        (f("ttft_ms"), f("tpot_ms"))
    };
    let waits = ["--pricing", file.to_str().unwrap()];
    for (n, steps) in [("1", 0.0), ("4", 2.25), ("16", 2.8125)] {
        let ((ttft, tpot), (bare_ttft, bare_tpot)) = (at(n, &waits), at(n, &[]));
        assert_eq!(tpot, bare_tpot, "{n}");
        assert!(
            (ttft - bare_ttft - steps * tpot).abs() < 2e-3,
            "{n}: {ttft} - {bare_ttft} against {steps} x {tpot}"
        );
    }
    for (dir, value, message) in [
        (
            "prefill-wait-negative",
            "-1",
            "field `engines[vllm].prefill_wait_steps`: \"-1\" is not a valid number: it is negative; write a plain number, e.g. 2 or 0.5",
        ),
        (
            "prefill-wait-past",
            "101",
            "field `engines[vllm].prefill_wait_steps`: 101 is above the limit of 100",
        ),
    ] {
        engines_refused(
            dir,
            (
                VLLM,
                &format!("your own benchmark.\n    prefill_wait_steps: {value}\n"),
            ),
            message,
        );
    }
    engines_refused(
        "prefill-wait-missing",
        (VLLM, "your own benchmark.\n"),
        "field `engines[vllm].prefill_wait_steps`: is missing; give the engine's value; see pricing/serving.yaml",
    );
}

/// TensorRT-LLM's attention-DP balance (`attention_dp_config: {enable_balance: true,
/// timeout_iters: 60}`) holds a new prompt up to 60 steps: a `calibrations:` entry for the
/// deployment's engine, GPU and precision gives it, and the time to first token at 64
/// sequences grows by 60 x (1 - 1/64) = 59.0625 steps of the time per token there, nothing
/// else moving. The deployment is the `InferenceX` DeepSeek-R1 run on 8 B200s (1,451 ms measured).
#[test]
fn a_balance_wait_is_given_for_the_deployment_that_enables_it() {
    let file = scratch("adp-balance").join("balance.yaml");
    std::fs::write(
        &file,
        "version: 1\ncalibrations:\n  - engine: trtllm\n    gpu: b200\n    precision: fp8\n    prefill_wait_steps: 60\n    checked: 2025-12-15\n    source: \"trtllm-serve attention_dp_config: enable_balance true, timeout_iters 60\"\n",
    )
    .unwrap();
    let at = |pricing: &[&str]| {
        let base = [
            "capacity",
            "--model",
            "deepseek-r1",
            "--gpu",
            "b200",
            "--gpus",
            "8",
            "--tp",
            "8",
            "--ep",
            "8",
            "--attention-dp",
            "yes",
            "--engine",
            "trtllm",
            "--input-tokens",
            "922",
            "--output-tokens",
            "922",
            "--concurrency",
            "64",
        ];
        let c = json(&[&base[..], pricing].concat());
        let f = |k: &str| c["at_concurrency"][k].as_f64().unwrap();
        (f("ttft_ms"), f("tpot_ms"))
    };
    let ((ttft, tpot), (bare_ttft, bare_tpot)) =
        (at(&["--pricing", file.to_str().unwrap()]), at(&[]));
    assert_eq!(tpot, bare_tpot);
    // The JSON rounds to a thousandth of a ms; 59 steps carry the time per token's rounding.
    assert!(
        (ttft - bare_ttft - 59.0625 * tpot).abs() < 0.035,
        "{ttft} - {bare_ttft} against 59.0625 x {tpot}"
    );
}

/// Without `--precision`, `capacity` sizes a model in the precision its checkpoint is released
/// in (the catalog's `native_precision`): `DeepSeek`-R1 in FP8 fits 8 B200s, gpt-oss-120b in MXFP4
/// one H100; a model released in BF16 stays in BF16; a precision typed is used as typed.
#[test]
fn capacity_sizes_a_model_in_its_checkpoints_precision_by_default() {
    for (model, gpu, gpus, typed, precision, fits) in [
        ("deepseek-r1", "b200", "8", None, "fp8", true),
        ("deepseek-r1", "b200", "8", Some("bf16"), "bf16", false),
        ("gpt-oss-120b", "h100-sxm", "1", None, "mxfp4", true),
        ("llama-3.1-8b", "h100-sxm", "1", None, "bf16", true),
    ] {
        let mut args = vec!["capacity", "--model", model, "--gpu", gpu, "--gpus", gpus];
        if let Some(p) = typed {
            args.extend(["--precision", p]);
        }
        let c = json(&args);
        assert_eq!(
            (c["precision"].as_str(), c["fits"].as_bool()),
            (Some(precision), Some(fits)),
            "{args:?}"
        );
    }
}

/// When a deployment does not fit, the advice on what would is split as it asked: DeepSeek-V3
/// in FP8 fits 4 MI300Xs tensor-parallel (683.2 GB for weights and cache, 671 GB of weights),
/// but with attention data parallelism each GPU holds the weights every token uses whole,
/// 722.3 GB in all, and it does not; so the advice for one H200 names 4 MI325Xs instead, and
/// capacity asked directly agrees with both.
#[test]
fn the_advice_on_what_fits_keeps_the_attention_split() {
    let capacity = |gpu: &str, gpus: &str, adp: &str| {
        json(&[
            "capacity",
            "--model",
            "deepseek-v3",
            "--gpu",
            gpu,
            "--gpus",
            gpus,
            "--precision",
            "fp8",
            "--attention-dp",
            adp,
        ])
    };
    assert_eq!(capacity("mi300x", "4", "no")["fits"], true);
    let split = capacity("mi300x", "4", "yes");
    assert_eq!(split["fits"], false);
    assert_eq!(split["memory_gb"]["weights"], 722.338_102_834);
    for (adp, larger) in [("no", "4 x mi300x in fp8"), ("yes", "4 x mi325x in fp8")] {
        let (code, out, _) = run(&[
            "capacity",
            "--model",
            "deepseek-v3",
            "--gpu",
            "h200",
            "--gpus",
            "1",
            "--precision",
            "fp8",
            "--attention-dp",
            adp,
        ]);
        assert_eq!(code, 0);
        assert!(
            out.contains(&format!("or 4 x h200 in int4, or {larger}.\n")),
            "{adp}: {out}"
        );
    }
}
