//! `usage` end to end: each format's fixture (`tests/data/usage`, `scripts/usage_fixtures.py`)
//! gives the figures a computation over its rows here gives; bad rows are counted where they
//! are, and refused with --strict.

mod common;

use common::{json, refused};
use serde_json::Value;

const OPENAI: &str = "tests/data/usage/openai-completions-hourly.jsonl";
const ANTHROPIC: &str = "tests/data/usage/anthropic-messages-daily.json";

fn close(got: &Value, want: f64) {
    let g = got.as_f64().unwrap();
    assert!(
        (g - want).abs() <= 1e-6 * want.abs().max(1.0),
        "{g} against {want}"
    );
}

/// The `OpenAI` fixture's rows summed by hand: 35 days of hourly buckets, one row skipped.
#[test]
fn openai_hourly_pages_give_what_their_rows_add_up_to() {
    let (mut input, mut cached, mut output, mut requests) = (0.0, 0.0, 0.0, 0.0);
    let mut hours: Vec<f64> = Vec::new();
    let mut by_model: Vec<(String, f64)> = Vec::new();
    for line in std::fs::read_to_string(OPENAI).unwrap().lines() {
        let page: Value = serde_json::from_str(line).unwrap();
        for bucket in page["data"].as_array().unwrap() {
            let mut hour = 0.0;
            for row in bucket["results"].as_array().unwrap() {
                let f = |k: &str| row[k].as_f64().unwrap();
                if f("input_tokens") < 0.0 {
                    continue;
                }
                input += f("input_tokens");
                cached += f("input_cached_tokens");
                output += f("output_tokens");
                requests += f("num_model_requests");
                let tokens = f("input_tokens") + f("output_tokens");
                hour += tokens;
                let model = row["model"].as_str().unwrap().to_string();
                match by_model.iter_mut().find(|(m, _)| *m == model) {
                    Some((_, t)) => *t += tokens,
                    None => by_model.push((model, tokens)),
                }
            }
            hours.push(hour);
        }
    }
    let total = input + output;
    let per_month = 30.44 / 35.0;
    let d = json(&["usage", OPENAI]);
    assert_eq!(d["formats"], serde_json::json!(["openai"]));
    close(&d["period"]["days"], 35.0);
    close(&d["tokens_per_month"], total * per_month);
    close(&d["input_share"], input / total);
    close(&d["cached_share"], cached / input);
    close(&d["output_share"], output / total);
    close(&d["requests_per_month"], requests * per_month);
    close(&d["tokens_per_request"]["input"], input / requests);
    let mean = hours.iter().sum::<f64>() / hours.len() as f64;
    let peak = hours.iter().copied().fold(0.0, f64::max);
    close(&d["hourly"]["peak_to_average"], peak / mean);
    assert_eq!(d["hourly"]["day"].as_array().unwrap().len(), 24);
    assert_eq!(d["hourly"]["week"].as_array().unwrap().len(), 168);
    assert!(d["growth"]["per_month"].as_f64().unwrap() > 0.0);
    let models = d["models"].as_array().unwrap();
    assert_eq!(models.len(), 2);
    for m in models {
        let (_, t) = by_model
            .iter()
            .find(|(name, _)| m["model"] == name.as_str())
            .unwrap();
        close(&m["share"], t / total);
    }
    assert_eq!(models[0]["catalog_id"], "gpt-4o");
    assert_eq!(models[1]["catalog_id"], "gpt-4o-mini");
    assert_eq!(
        d["skipped"],
        serde_json::json!([{"reason": "a negative count", "count": 1, "first": format!("{OPENAI}:1 data[100].results[2]")}])
    );
    refused(
        &["usage", OPENAI, "--strict"],
        &format!(
            "error: {OPENAI}:1 data[100].results[2]: 1 row(s) with a negative count, the first here; correct the export, or drop --strict to count such rows as skipped\n"
        ),
    );
}

/// Anthropic's daily report: input is the uncached, cache-read and cache-write counts; no
/// requests, no hourly shape, too short for a growth rate.
#[test]
fn anthropic_daily_pages_give_what_their_rows_add_up_to() {
    let page: Value = serde_json::from_str(&std::fs::read_to_string(ANTHROPIC).unwrap()).unwrap();
    let (mut input, mut cached, mut output) = (0.0, 0.0, 0.0);
    for bucket in page["data"].as_array().unwrap() {
        for row in bucket["results"].as_array().unwrap() {
            let f = |v: &Value| v.as_f64().unwrap();
            let writes = f(&row["cache_creation"]["ephemeral_5m_input_tokens"])
                + f(&row["cache_creation"]["ephemeral_1h_input_tokens"]);
            input += f(&row["uncached_input_tokens"]) + f(&row["cache_read_input_tokens"]) + writes;
            cached += f(&row["cache_read_input_tokens"]);
            output += f(&row["output_tokens"]);
        }
    }
    let d = json(&["usage", ANTHROPIC]);
    close(&d["period"]["days"], 7.0);
    close(&d["tokens_per_month"], (input + output) * 30.44 / 7.0);
    close(&d["cached_share"], cached / input);
    assert_eq!(d["requests_per_month"], Value::Null);
    assert_eq!(d["hourly"], Value::Null);
    assert_eq!(d["growth"], Value::Null);
    let reasons: Vec<&str> = d["unavailable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        ["no-full-month", "no-requests", "not-hourly", "too-short"]
    );
    assert_eq!(d["models"][0]["catalog_id"], "claude-sonnet-4.5");
}

/// `--write-scenario` writes the workload as a scenario that validates, holds the figures the
/// summary gives (to the places written) and decides.
#[test]
fn a_scenario_written_from_usage_decides() {
    let dir = common::scratch("usage-scenario");
    let file = dir.join("observed.yaml");
    let path = file.to_str().unwrap();
    let d = json(&["usage", OPENAI, "--write-scenario", path]);
    let text = std::fs::read_to_string(&file).unwrap();
    let value = |key: &str| -> f64 {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{key}: ")))
            .unwrap_or_else(|| panic!("{key} not in {text}"));
        line[key.len() + 2..].parse().unwrap()
    };
    let f = |k: &str| d[k].as_f64().unwrap();
    assert_eq!(value("tokens_per_month"), f("tokens_per_month").round());
    assert!((value("input_share") - f("input_share")).abs() < 5e-5);
    assert!((value("cached_input_share") - f("cached_share")).abs() < 5e-5);
    assert!((value("growth_monthly") - d["growth"]["per_month"].as_f64().unwrap()).abs() < 5e-5);
    assert!(text.contains("\napi: gpt-4o\n"), "{text}");
    let (code, out, err) = common::run(&["validate", path]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = common::run(&["--scenario", path]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("llm-decide: Observed usage\n"), "{out}");
    // Deciding from the exports directly gives the same decision as from the scenario.
    let from_file = json(&["--scenario", path]);
    let direct = json(&["--usage", OPENAI]);
    for key in ["workload", "options", "recommendation", "crossover"] {
        assert_eq!(direct[key], from_file[key], "{key}");
    }
    // Flags still override.
    let more = json(&["--usage", OPENAI, "--tokens", "2B"]);
    assert_eq!(more["workload"]["tokens_per_month"], 2e9);
}
