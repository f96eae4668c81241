//! `llm-decide pricing import-litellm` on a real excerpt of `LiteLLM`'s price file: the
//! converted file loads with --pricing and reproduces `LiteLLM`'s prices for every converted
//! model.

mod common;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const EXCERPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/litellm/model_prices_excerpt.json"
);

fn llm_decide(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_llm-decide"))
        .args(args)
        .output()
        .unwrap()
}

fn import(name: &str, extra: &[&str]) -> (String, String) {
    let out_file = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let out_path = out_file.to_string_lossy().into_owned();
    let mut args = vec![
        "pricing",
        "import-litellm",
        EXCERPT,
        "--checked",
        "2026-11-27",
        "--output",
        &out_path,
    ];
    args.extend_from_slice(extra);
    let out = llm_decide(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out_path, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The catalog's API entries with the converted file layered on.
fn listed(pricing: &str) -> Vec<Value> {
    let out = llm_decide(&["list", "apis", "--pricing", pricing, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["apis"].as_array().unwrap().clone()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn converted_prices_reproduce_the_file() {
    let (file, stderr) = import("litellm-all.yaml", &[]);
    assert_eq!(
        stderr,
        format!(
            "converted 9 chat models from {EXCERPT}; skipped 7 entries: 1 chat without per-token input and output prices, 1 deprecated before 2026-11-27, 1 mode embedding, 1 mode image_generation, 1 mode responses, 1 no mode, 1 the sample_spec documentation entry\n"
        )
    );
    let source: Value = serde_json::from_str(&std::fs::read_to_string(EXCERPT).unwrap()).unwrap();
    let apis = listed(&file);
    let mut converted = 0;
    for (key, e) in source.as_object().unwrap() {
        let chat = e["mode"] == "chat"
            && e["input_cost_per_token"].is_number()
            && e["output_cost_per_token"].is_number()
            && e["deprecation_date"]
                .as_str()
                .is_none_or(|d| d >= "2026-11-27");
        // A model the embedded catalog has keeps its id there; the source names the key.
        let from_key = format!("LiteLLM model_prices_and_context_window.json, key {key}");
        let found = apis.iter().find(|a| {
            a["provenance"]["source"]
                .as_str()
                .is_some_and(|s| s == from_key || s.starts_with(&format!("{from_key} (")))
        });
        if !chat {
            // Skipped keys are not converted (an embedded entry of the same id may remain).
            let converted_here = found.is_some_and(|a| {
                a["provenance"]["source"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("LiteLLM"))
            });
            assert!(!converted_here, "{key} converted");
            continue;
        }
        converted += 1;
        let a = found.unwrap_or_else(|| panic!("{key} missing"));
        let per_m = |f: &str| e[f].as_f64().unwrap() * 1e6;
        assert!(
            close(
                a["input_usd_per_mtok"].as_f64().unwrap(),
                per_m("input_cost_per_token")
            ),
            "{key} input"
        );
        assert!(
            close(
                a["output_usd_per_mtok"].as_f64().unwrap(),
                per_m("output_cost_per_token")
            ),
            "{key} output"
        );
        match e["cache_read_input_token_cost"].as_f64() {
            Some(c) => assert!(
                close(a["cached_input_usd_per_mtok"].as_f64().unwrap(), c * 1e6),
                "{key} cached"
            ),
            None => assert!(a["cached_input_usd_per_mtok"].is_null(), "{key} cached"),
        }
        if let (Some(bi), Some(bo)) = (
            e["input_cost_per_token_batches"].as_f64(),
            e["output_cost_per_token_batches"].as_f64(),
        ) {
            let want = 1.0
                - (bi / per_m("input_cost_per_token") * 1e6)
                    .max(bo / per_m("output_cost_per_token") * 1e6);
            assert!(
                (a["batch_discount"].as_f64().unwrap() - want).abs() < 1e-6,
                "{key} batch"
            );
        }
        assert_eq!(
            a["context_tokens"].as_f64(),
            e["max_input_tokens"].as_f64(),
            "{key} context"
        );
        assert_eq!(a["provenance"]["checked"], "2026-11-27", "{key}");
        assert!(
            a["provenance"]["source"]
                .as_str()
                .unwrap()
                .starts_with(&format!(
                    "LiteLLM model_prices_and_context_window.json, key {key}"
                ))
        );
        if let Some(above) = e["input_cost_per_token_above_200k_tokens"].as_f64() {
            let l = &a["long_context"];
            assert_eq!(l["above_input_tokens"], 200_000);
            assert!(
                close(l["input_usd_per_mtok"].as_f64().unwrap(), above * 1e6),
                "{key} long input"
            );
            assert!(close(
                l["output_usd_per_mtok"].as_f64().unwrap(),
                e["output_cost_per_token_above_200k_tokens"]
                    .as_f64()
                    .unwrap()
                    * 1e6
            ));
        }
    }
    assert_eq!(converted, 9);
}

#[test]
fn known_ids_keep_their_tier_and_new_providers_are_declared() {
    let (file, _) = import("litellm-tiers.yaml", &[]);
    let text = std::fs::read_to_string(&file).unwrap();
    // gpt-4o is in the embedded catalog as frontier; deepseek-coder is not: the default, marked.
    // It refreshes the built-in entry: LiteLLM's prices, the catalog's name, latency and score.
    assert!(text.contains("  # Refreshes the built-in entry: LiteLLM's prices, and what LiteLLM lacks kept.\n  - id: \"gpt-4o\"\n    provider: \"openai\"\n    name: \"GPT-4o\"\n    litellm_key: \"gpt-4o\"\n    latency: {ttft_ms: 450, output_tokens_per_s: 131, checked: 2026-06-24, "), "{text}");
    assert!(text.contains("    input_usd_per_mtok: 2.5\n    output_usd_per_mtok: 10\n    cached_input_usd_per_mtok: 1.25\n    batch_discount: 0.5\n    tier: frontier\n"), "{text}");
    assert!(text.contains("    tier: standard  # review\n"));
    assert!(
        text.contains("providers:\n  - id: \"xai\"\n    name: \"xai\"\n"),
        "{text}"
    );
    // Google's two LiteLLM providers map to the catalog's `google`.
    assert!(text.contains("  - id: \"gemini/gemini-3.1-pro-preview\"\n    provider: \"google\"\n"));
}

#[test]
fn provider_filter_and_deprecated_models() {
    let (file, stderr) = import(
        "litellm-openai.yaml",
        &["--provider", "openai", "--include-deprecated"],
    );
    assert!(stderr.starts_with("converted 4 chat models"), "{stderr}");
    assert!(stderr.contains("6 provider not selected"), "{stderr}");
    let text = std::fs::read_to_string(&file).unwrap();
    let ids: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("  - id: "))
        .collect();
    // In key order.
    assert_eq!(
        ids,
        [
            "\"ft:gpt-4o-2024-08-06\"",
            "\"gpt-4.1\"",
            "\"gpt-4o\"",
            "\"gpt-4o-mini\""
        ]
    );
}

#[test]
fn a_file_that_is_not_litellm_is_refused() {
    let out = llm_decide(&[
        "pricing",
        "import-litellm",
        concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"),
        "--as-of",
        "2026-11-27",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Cargo.toml: not valid JSON: expected value at line 1 column 2; pass LiteLLM's model_prices_and_context_window.json"), "{stderr}");
}

/// The whole of `LiteLLM`'s file (1.110.2, 4,878 entries) converts into a file the tool loads:
/// every entry it cannot take is skipped with its reason, never written.
#[test]
fn the_whole_real_file_imports_into_a_valid_pricing_file() {
    use std::io::Read as _;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("litellm-whole");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/litellm/model_prices_and_context_window-1.110.2.json.gz"
        ))
        .unwrap(),
    )
    .read_to_end(&mut json)
    .unwrap();
    let input = dir.join("prices.json");
    std::fs::write(&input, &json).unwrap();
    let output = dir.join("litellm.yaml");
    let (i, o) = (input.to_string_lossy(), output.to_string_lossy());
    let out = llm_decide(&[
        "pricing",
        "import-litellm",
        &i,
        "--checked",
        "2026-11-30",
        "--output",
        &o,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("converted 3048 chat models"), "{stderr}");
    let out = llm_decide(&["validate", &o]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // 3,048 converted, 25 of them refreshing built-in entries: 27 built-ins + 3,023 new.
    assert!(String::from_utf8_lossy(&out.stdout).contains("catalog of 3050 APIs"));
    let yaml = std::fs::read_to_string(&output).unwrap();
    assert_eq!(yaml.matches("# Refreshes the built-in entry").count(), 25);
}

/// What cannot become a valid entry is skipped with its reason, and a file with nothing to
/// convert writes nothing.
#[test]
fn hostile_entries_are_skipped_and_an_empty_import_writes_nothing() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("litellm-hostile");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let chat = |input: &str| {
        format!(
            r#"{{"mode":"chat","litellm_provider":"openai","input_cost_per_token":{input},"output_cost_per_token":2e-6}}"#
        )
    };
    let hostile = format!(
        r#"{{"": {}, "big": {}, "two words": {}, "ok": {}}}"#,
        chat("1e-6"),
        chat("1e300"),
        chat("1e-6"),
        chat("1e-6")
    );
    std::fs::write(dir.join("hostile.json"), hostile).unwrap();
    std::fs::write(dir.join("none.json"), "{}").unwrap();
    let path = |n: &str| dir.join(n).to_string_lossy().into_owned();
    let out = llm_decide(&[
        "pricing",
        "import-litellm",
        &path("hostile.json"),
        "--checked",
        "2026-11-30",
        "--output",
        &path("h.yaml"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "converted 1 chat models from ".to_string()
            + &path("hostile.json")
            + "; skipped 3 entries: 2 a key that is empty or holds spaces or control characters, 1 a price past $1e15 per 1M tokens\n"
    );
    assert_eq!(
        llm_decide(&["validate", &path("h.yaml")]).status.code(),
        Some(0)
    );
    let out = llm_decide(&[
        "pricing",
        "import-litellm",
        &path("none.json"),
        "--as-of",
        "2026-11-30",
        "--output",
        &path("n.yaml"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: {}: holds no models; pass LiteLLM's model_prices_and_context_window.json; nothing was written\n",
            path("none.json")
        )
    );
    assert!(!dir.join("n.yaml").exists());
}

/// A file says nothing about when its prices were current: the import asks for the date
/// rather than stamping today's, and writes nothing.
#[test]
fn a_file_needs_the_date_its_prices_were_current() {
    let out_file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("undated.yaml");
    let _ = std::fs::remove_file(&out_file);
    let out = llm_decide(&[
        "pricing",
        "import-litellm",
        EXCERPT,
        "--output",
        &out_file.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: {EXCERPT}: no date to record as each price's `checked`: a file does not say when its prices were current; pass --as-of YYYY-MM-DD, the day the list was downloaded\n"
        )
    );
    assert!(!out_file.exists());
}

/// `-` reads the list from standard input.
#[test]
fn standard_input_imports_like_the_file() {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_llm-decide"))
        .args(["pricing", "import-litellm", "-", "--as-of", "2026-11-27"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let excerpt = std::fs::read(EXCERPT).unwrap();
    child.stdin.take().unwrap().write_all(&excerpt).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let from_file = llm_decide(&[
        "pricing",
        "import-litellm",
        EXCERPT,
        "--as-of",
        "2026-11-27",
    ]);
    let body = |o: &Output| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter(|l| !l.starts_with("# File:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(body(&out), body(&from_file));
    assert!(String::from_utf8_lossy(&out.stdout).contains("# File: standard input (sha256 "));
}

/// A URL is fetched (here from a server on this machine, as a mirror would serve it): the
/// prices are recorded as checked on the list's own date, the server's Last-Modified.
#[test]
fn a_url_is_fetched_and_dated_by_its_last_modified() {
    let (base, server) = common::serve_once(
        std::fs::read(EXCERPT).unwrap(),
        Some("Wed, 25 Nov 2026 10:00:00 GMT"),
    );
    let url = format!("{base}/model_prices_and_context_window.json");
    let out = llm_decide(&["pricing", "import-litellm", &url, "--today", "2026-11-30"]);
    let request = server.join().unwrap();
    assert!(
        request.starts_with("GET /model_prices_and_context_window.json HTTP/1.1"),
        "{request}"
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yaml = String::from_utf8_lossy(&out.stdout);
    assert!(yaml.contains(&format!("# File: {url} (sha256 ")), "{yaml}");
    assert!(
        yaml.contains("`checked` is 2026-11-25 (the list's own date, the server's Last-Modified)"),
        "{yaml}"
    );
    assert!(yaml.contains("    checked: 2026-11-25\n"), "{yaml}");
    assert!(!yaml.contains("checked: 2026-11-30"), "{yaml}");
}

/// Without a Last-Modified date, a fetched list is dated the day it was fetched, and says so.
#[test]
fn a_url_without_a_date_is_dated_the_day_it_was_fetched() {
    let (base, server) = common::serve_once(std::fs::read(EXCERPT).unwrap(), None);
    let url = format!("{base}/prices.json");
    let out = llm_decide(&["pricing", "import-litellm", &url, "--today", "2026-11-30"]);
    server.join().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let yaml = String::from_utf8_lossy(&out.stdout);
    assert!(
        yaml.contains(
            "`checked` is 2026-11-30 (the day it was fetched; the server gives no Last-Modified date)"
        ),
        "{yaml}"
    );
    assert!(yaml.contains("    checked: 2026-11-30\n"), "{yaml}");
}

/// A URL that cannot be fetched is a clear error, and nothing is written.
#[test]
fn an_unreachable_url_is_a_clear_error() {
    // A port nothing listens on: bind one, then let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/prices.json");
    let out = llm_decide(&["pricing", "import-litellm", &url, "--today", "2026-11-30"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(&format!("error: {url}: cannot fetch it: ")),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("; check the address and the network; offline, download the file elsewhere and pass its path with --as-of\n"),
        "{stderr}"
    );
}
