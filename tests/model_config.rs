//! Models from their Hugging Face `config.json` (tests/data/hf-configs, sources in its README):
//! parameter counts against the published ones, the attention and expert layout the sizing
//! uses, and a config the reader cannot size refused with the field named.

mod common;

use common::run;
use llm_decide::input::pricing::model_config::{ConfigError, read};

fn config(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/data/hf-configs/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Totals within 2% of the published figure (5% for Kimi K2's "1T", a figure rounded to one
/// digit); active parameters within 10% (publishers differ on whether the input embedding, a
/// lookup, counts: `OpenAI` leaves it out as this reader does).
#[test]
fn parameter_counts_match_the_published_ones() {
    // (file, published total B, published active B, source)
    let rows: &[(&str, f64, f64, &str)] = &[
        (
            "gpt-oss-120b",
            117.0,
            5.1,
            "openai/gpt-oss README @0492bd3: 117B, 5.1B active",
        ),
        (
            "gpt-oss-20b",
            21.0,
            3.6,
            "openai/gpt-oss README @0492bd3: 21B, 3.6B active",
        ),
        ("Qwen3-8B", 8.2, 8.2, "OpenRouter qwen/qwen3-8b: dense 8.2B"),
        (
            "Qwen3-32B",
            32.8,
            32.8,
            "OpenRouter qwen/qwen3-32b: dense 32.8B",
        ),
        (
            "Qwen3-30B-A3B",
            30.5,
            3.3,
            "vLLM Ascend docs: 30.5B total, 3.3B activated",
        ),
        (
            "Qwen3-235B-A22B",
            235.0,
            22.0,
            "NVIDIA NeMo AutoModel docs: 235B, 22B activated",
        ),
        (
            "DeepSeek-R1",
            671.0,
            37.0,
            "deepseek-ai/DeepSeek-V3 README @06dbd30: 671B, 37B",
        ),
        (
            "DeepSeek-V3.1",
            671.0,
            37.0,
            "deepseek-ai/DeepSeek-V3 README @06dbd30: 671B, 37B (V3.1 keeps the architecture)",
        ),
        (
            "gemma-3-27b-it",
            27.0,
            27.0,
            "google/gemma-3-27b-it model card, as summarized at drose.io/aitools (read 2026-11-30): a 27-billion-parameter multimodal model (its vision encoder is not counted here)",
        ),
        (
            "Mistral-Small-3.1-24B-Instruct-2503",
            24.0,
            24.0,
            "mistralai/Mistral-Small-3.1-24B-Instruct-2503 model card: 24B (the vision encoder is not counted here)",
        ),
        (
            "Kimi-K2-Instruct",
            1000.0,
            32.0,
            "MoonshotAI/Kimi-K2 README @11062d1: 1T, 32B",
        ),
        (
            "Llama-4-Scout-17B-16E-Instruct",
            109.0,
            17.0,
            "meta-llama/llama-models MODEL_CARD @038acb9: 109B, 17B (the vision encoder is not counted here)",
        ),
        (
            "Llama-4-Maverick-17B-128E-Instruct.text-only",
            400.0,
            17.0,
            "same model card: 400B, 17B",
        ),
        // Reconstructed configs (tests/data/hf-configs/README.md): their counts meeting the
        // published ones is what checks the reconstruction.
        (
            "GLM-4.5",
            355.0,
            32.0,
            "zai-org/GLM-4.5 README @170f20b: 355B total, 32B active",
        ),
        (
            "GLM-4.5-Air",
            106.0,
            12.0,
            "zai-org/GLM-4.5 README @170f20b: 106B total, 12B active",
        ),
        (
            "GLM-4.6",
            355.0,
            32.0,
            "zai-org/GLM-4.5 README @170f20b: GLM-4.6 355B-A32B",
        ),
    ];
    for &(name, total, active, source) in rows {
        let a = read(&config(name)).unwrap();
        let (t, act) = (a.params / 1e9, a.active_params / 1e9);
        let tolerance = if name.starts_with("Kimi") { 0.05 } else { 0.02 };
        assert!(
            (t / total - 1.0).abs() <= tolerance,
            "{name}: {t:.2}B vs {total}B ({source})"
        );
        assert!(
            (act / active - 1.0).abs() <= 0.10,
            "{name}: {act:.2}B active vs {active}B ({source})"
        );
    }
}

/// What the sizing reads besides the counts: layers, cached values per token per layer
/// (`2 x kv_heads x head_dim`, or `DeepSeek`'s latent 512 + 64), experts, the sliding-window
/// layers and the checkpoint's quantization.
#[test]
fn layouts_are_read_from_the_config() {
    type Row<'a> = (
        &'a str,
        u32,
        u32,
        Option<(u32, u32)>,
        Option<(f64, u32)>,
        Option<&'a str>,
        f64,
    );
    let rows: &[Row] = &[
        // 36 layers, 8 KV heads x 64: 1,024 values; 128 experts, 4 a token; half the layers
        // slide over 128 tokens; MXFP4 experts; 131,072 tokens.
        (
            "gpt-oss-120b",
            36,
            1024,
            Some((128, 4)),
            Some((128.0, 18)),
            Some("mxfp4"),
            131_072.0,
        ),
        ("Qwen3-8B", 36, 2048, None, None, None, 40_960.0),
        (
            "Qwen3-235B-A22B",
            94,
            1024,
            Some((128, 8)),
            None,
            None,
            40_960.0,
        ),
        (
            "DeepSeek-R1",
            61,
            576,
            Some((256, 8)),
            None,
            Some("fp8"),
            163_840.0,
        ),
        // 36 of 48 layers attend within 8,192-token chunks (a NoPE layer every 4th).
        (
            "Llama-4-Scout-17B-16E-Instruct",
            48,
            2048,
            Some((16, 1)),
            Some((8192.0, 36)),
            None,
            10_485_760.0,
        ),
    ];
    for &(name, layers, kv, experts, sliding, quant, context) in rows {
        let a = read(&config(name)).unwrap();
        assert_eq!(a.layers, layers, "{name}");
        assert_eq!(a.kv_values_per_layer, kv, "{name}");
        assert_eq!(a.experts.map(|e| (e.count, e.per_token)), experts, "{name}");
        assert_eq!(
            a.sliding.map(|s| (s.window_tokens, s.layers)),
            sliding,
            "{name}"
        );
        assert_eq!(a.quantization.as_deref(), quant, "{name}");
        assert_eq!(a.context_tokens, context, "{name}");
    }
}

#[test]
fn an_architecture_it_cannot_size_is_refused_naming_the_field() {
    let mut c: serde_json::Value = serde_json::from_str(&config("Qwen3-8B")).unwrap();
    c.as_object_mut().unwrap().remove("num_attention_heads");
    assert_eq!(
        read(&c.to_string()),
        Err(ConfigError::Missing("num_attention_heads"))
    );
    assert_eq!(
        read(&c.to_string()).unwrap_err().to_string(),
        "field `num_attention_heads` is missing or not a positive whole number; the sizing needs it for this architecture"
    );
    assert!(matches!(read("[1, 2]"), Err(ConfigError::NotJson(_))));
}

/// `--model-config` through the binary. Qwen3-8B in BF16 on one H100: 8.19B x 2 = 16.38 GB of
/// weights, 70 - 16.38 = 53.62 GB for the KV cache; 36 layers x 2,048 values x 2 bytes =
/// 147,456 B a token, 1,500 tokens held on average (paged): 221.2 MB -> 242 sequences.
/// gpt-oss-120b in FP4: 116.8B x 0.5625 = 65.69 GB, 4.31 GB left; 18 full-attention layers
/// hold 1,500 tokens and 18 sliding ones their 128-token window, 2,048 bytes a layer a token:
/// 55.30 + 4.72 = 60.02 MB a sequence -> 71.
#[test]
fn model_config_sizes_a_model_from_its_file() {
    // Copied under names the catalog does not use (it has gpt-oss-120b itself).
    let dir = std::env::temp_dir().join(format!("llm-decide-own-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (file, id) in [("Qwen3-8B", "my-qwen"), ("gpt-oss-120b", "my-oss")] {
        std::fs::write(dir.join(format!("{id}.json")), config(file)).unwrap();
    }
    let size = |id: &str, precision: &str| -> serde_json::Value {
        let (code, out, err) = run(&[
            "capacity",
            "--model-config",
            dir.join(format!("{id}.json")).to_str().unwrap(),
            "--model",
            id,
            "--gpu",
            "h100-sxm",
            "--precision",
            precision,
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).unwrap()
    };
    let qwen = size("my-qwen", "bf16");
    assert_eq!(qwen["max_batch"], 242);
    assert!((qwen["memory_gb"]["weights"].as_f64().unwrap() - 16.38).abs() < 0.01);
    let oss = size("my-oss", "fp4");
    assert_eq!(oss["max_batch"], 71);
    assert!((oss["memory_gb"]["weights"].as_f64().unwrap() - 65.69).abs() < 0.01);
    // A decision needs the tier; with it, the model is compared like any other.
    let args = [
        "--tokens",
        "1B",
        "--model-config",
        "tests/data/hf-configs/Qwen3-32B.json",
        "--model",
        "Qwen3-32B",
    ];
    let (code, out, err) = run(&args);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err.trim_end(),
        "error: --model-config: a decision compares the model with an API, and a config.json does not say how capable it is; give its tier with --model-tier frontier|strong|standard|small"
    );
    let (code, out, _) =
        run(&[&args[..], &["--model-tier", "strong", "--format", "json"]].concat());
    assert_eq!(code, 0);
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["capability"]["model"], "Qwen3-32B");
    assert_eq!(r["capability"]["model_tier"], "strong");
    assert_eq!(r["capability"]["matched"], "named");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bad_model_config_is_refused_naming_the_file_and_field() {
    let dir = std::env::temp_dir().join(format!("llm-decide-cfg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("half.json");
    std::fs::write(&bad, r#"{"hidden_size": 4096}"#).unwrap();
    let taken = dir.join("llama-3.1-8b.json");
    std::fs::write(&taken, config("Qwen3-8B")).unwrap();
    for (path, want) in [
        (
            &bad,
            "field `num_hidden_layers` is missing or not a positive whole number; the sizing needs it for this architecture; give the model's config.json from its Hugging Face repository",
        ),
        (
            &taken,
            "model id \"llama-3.1-8b\" is already in the catalog; rename the file, or use the catalog's model with --model",
        ),
    ] {
        let p = path.to_str().unwrap();
        let (code, out, err) = run(&[
            "capacity",
            "--model-config",
            p,
            "--model",
            "x",
            "--gpu",
            "h100-sxm",
            "--precision",
            "bf16",
        ]);
        assert_eq!((code, out.as_str()), (2, ""));
        assert_eq!(err.trim_end(), format!("error: {p}: {want}"));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The catalog's open models of 2025-2026 are the reader's own figures for their configs, so
/// that a model in the catalog and the same model given with --model-config size alike.
#[test]
fn catalog_models_are_read_from_their_configs() {
    let catalog = llm_decide::input::catalog::load(&[]).unwrap();
    let pairs = [
        ("gpt-oss-20b", "gpt-oss-20b"),
        ("gpt-oss-120b", "gpt-oss-120b"),
        ("qwen3-8b", "Qwen3-8B"),
        ("qwen3-32b", "Qwen3-32B"),
        ("qwen3-30b-a3b", "Qwen3-30B-A3B"),
        ("qwen3-235b-a22b", "Qwen3-235B-A22B"),
        ("deepseek-r1", "DeepSeek-R1"),
        ("deepseek-v3.1", "DeepSeek-V3.1"),
        ("gemma-3-27b", "gemma-3-27b-it"),
        ("mistral-small-3.1", "Mistral-Small-3.1-24B-Instruct-2503"),
        ("kimi-k2", "Kimi-K2-Instruct"),
        ("llama-4-scout", "Llama-4-Scout-17B-16E-Instruct"),
        (
            "llama-4-maverick",
            "Llama-4-Maverick-17B-128E-Instruct.text-only",
        ),
        ("glm-4.5", "GLM-4.5"),
        ("glm-4.5-air", "GLM-4.5-Air"),
        ("glm-4.6", "GLM-4.6"),
    ];
    for (id, file) in pairs {
        let m = catalog.model(id).unwrap();
        let a = read(&config(file)).unwrap();
        let from = a.model(id, m.tier, "test");
        assert!((m.params_b - from.params_b).abs() < 0.005, "{id}");
        assert!(
            (m.active_params_b - from.active_params_b).abs() < 0.005,
            "{id}"
        );
        // The catalog's vocab_size and tied_embeddings give the config's lookup table.
        assert!(
            (m.lookup_params_b - from.lookup_params_b).abs() < 1e-9,
            "{id}: {} vs {}",
            m.lookup_params_b,
            from.lookup_params_b
        );
        assert_eq!(
            (
                m.layers,
                m.kv_heads,
                m.kv_values_per_layer,
                m.context_tokens,
                m.experts,
                m.sliding,
                &m.native_precision
            ),
            (
                from.layers,
                from.kv_heads,
                from.kv_values_per_layer,
                from.context_tokens,
                from.experts,
                from.sliding,
                &from.native_precision
            ),
            "{id}"
        );
    }
}

/// A pricing file's model entry can point at a config.json (relative to the file): the
/// architecture comes from it, and giving its figures too, or a file that is not there, is
/// refused with the file, line and field.
#[test]
fn a_pricing_file_model_can_point_at_its_config() {
    let dir = std::env::temp_dir().join(format!("llm-decide-pf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("Qwen3-8B.json"), config("Qwen3-8B")).unwrap();
    let entry = |extra: &str, file: &str| {
        format!(
            "version: 1\nmodels:\n  - id: my-qwen\n    config: {file}\n{extra}    tier: small\n    checked: 2026-11-30\n    source: \"Qwen/Qwen3-8B config.json\"\n"
        )
    };
    let cases = [
        ("ok.yaml", entry("", "Qwen3-8B.json"), None),
        (
            "both.yaml",
            entry("    params_b: 8\n", "Qwen3-8B.json"),
            Some(":5:15: field `models[my-qwen].params_b`: is given beside config, which the architecture is read from; give either config or the architecture's figures, not both".to_string()),
        ),
        (
            "missing.yaml",
            entry("", "nothere.json"),
            Some(format!(
                ":4:13: field `models[my-qwen].config`: cannot read {}: No such file or directory (os error 2); point config at the model's config.json from its Hugging Face repository",
                dir.join("nothere.json").display()
            )),
        ),
    ];
    for (name, text, error) in cases {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        let (code, out, err) = run(&[
            "capacity",
            "--pricing",
            file.to_str().unwrap(),
            "--model",
            "my-qwen",
            "--gpu",
            "h100-sxm",
            "--precision",
            "bf16",
            "--format",
            "json",
        ]);
        match error {
            // The same 242 sequences as the config given with --model-config.
            None => {
                assert_eq!(code, 0, "{err}");
                let c: serde_json::Value = serde_json::from_str(&out).unwrap();
                assert_eq!(c["max_batch"], 242);
            }
            Some(tail) => {
                // Bad input under --format json: the error as a JSON document on stdout too.
                assert_eq!(code, 2);
                let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
                assert_eq!(
                    format!("error: {}", doc["error"]["message"].as_str().unwrap()),
                    err.trim_end()
                );
                assert_eq!(
                    err.trim_end(),
                    format!("error: {}{tail}", file.display()),
                    "{name}"
                );
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// An untied input embedding (`vocab_size x hidden_size`) is only looked up, so the parameters
/// a token multiplies leave it out: a count that includes it is refused, naming the table's
/// size, unless the file says the table is tied to the output projection. Without an active
/// count a dense model multiplies its total less the table: 8.03 - 128,256 x 4,096 / 10^9 =
/// 7.505B.
#[test]
fn active_parameters_leave_out_the_lookup_table() {
    let dir = std::env::temp_dir().join(format!("llm-decide-lookup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let entry = |extra: &str| {
        format!(
            "version: 1\nmodels:\n  - id: my-dense\n    params_b: 8.03\n{extra}    layers: 32\n    hidden_size: 4096\n    vocab_size: 128256\n    attention_heads: 32\n    kv_heads: 8\n    head_dim: 128\n    context_tokens: 8192\n    tier: small\n    checked: 2026-12-01\n    source: \"a config.json\"\n"
        )
    };
    let file = dir.join("over.yaml");
    std::fs::write(&file, entry("    active_params_b: 8.03\n")).unwrap();
    let name = file.to_str().unwrap();
    let (code, out, err) = run(&["validate", name]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        format!(
            "error: {name}:3:5: field `models[my-dense].active_params_b`: 8.03 is above params_b 8.03 less the input embedding's 0.525 (vocab_size x hidden_size, a lookup); give the parameters a token multiplies (the untied input embedding is only looked up), or say tied_embeddings: true\n"
        )
    );
    for (extra, active) in [
        (
            "    active_params_b: 8.03\n    tied_embeddings: true\n",
            8.03,
        ),
        ("", 7.504_663_424),
    ] {
        std::fs::write(&file, entry(extra)).unwrap();
        let (code, out, err) = run(&["list", "models", "--pricing", name, "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        let m = doc["models"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == "my-dense")
            .unwrap()
            .clone();
        let got = m["active_params_b"].as_f64().unwrap();
        assert!((got - active).abs() < 1e-9, "{extra:?}: {got}");
    }
    // A table as large as the model leaves nothing to multiply: refused.
    std::fs::write(&file, entry("").replace("128256", "2000000")).unwrap();
    let (code, _, err) = run(&["validate", name]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "error: {name}:3:5: field `models[my-dense].vocab_size`: vocab_size x hidden_size is 8.192 billion, not below params_b 8.03; check vocab_size and hidden_size against the model's config.json\n"
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
