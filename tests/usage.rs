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
        [
            "no-full-month",
            "no-requests",
            "not-per-request",
            "not-hourly",
            "too-short"
        ]
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
    // The mix is the models' shares, to 4 decimals, in the export's order (largest first).
    let models = d["models"].as_array().unwrap();
    let mix: String = models
        .iter()
        .map(|m| {
            let (id, share) = (
                m["catalog_id"].as_str().unwrap(),
                m["share"].as_f64().unwrap(),
            );
            format!("  - {{api: {id}, share: {share:.4}}}\n")
        })
        .collect();
    assert_eq!(models.len(), 2);
    assert!(text.contains(&format!("\napis:\n{mix}")), "{mix}\n{text}");
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
    // The API side is priced as the mix.
    let parts = direct["options"]["api"]["parts"].as_array().unwrap();
    let api = |i: usize, k: &str| parts[i][k].clone();
    assert_eq!(
        (api(0, "api"), api(1, "api")),
        ("gpt-4o".into(), "gpt-4o-mini".into())
    );
    let total: f64 = parts
        .iter()
        .map(|p| p["monthly_cost_usd"].as_f64().unwrap())
        .sum();
    let cost = direct["options"]["api"]["monthly_cost_usd"]
        .as_f64()
        .unwrap();
    assert!((total - cost).abs() < 0.01, "{total} {cost}");
    // Flags still override: one API named replaces the mix.
    let more = json(&["--usage", OPENAI, "--tokens", "2B", "--api", "gpt-4o-mini"]);
    assert_eq!(more["workload"]["tokens_per_month"], 2e9);
    assert_eq!(more["workload"]["api"], "gpt-4o-mini");
    assert_eq!(more["workload"].get("apis"), None);
    assert_eq!(more["options"]["api"]["parts"].as_array().unwrap().len(), 1);
}

const LITELLM_CSV: &str = "tests/data/usage/litellm-spend-logs.csv.gz";
const LITELLM_JSONL: &str = "tests/data/usage/litellm-spend-logs.jsonl.gz";
const OPENROUTER: &str = "tests/data/usage/openrouter-activity.json";

fn gunzip(path: &str) -> String {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// A length as the tool bins it: exact below 10,000, 3 significant digits from there.
fn bin(v: f64) -> f64 {
    if v < 10_000.0 {
        v
    } else {
        let unit = 10_f64.powi(v.log10().floor() as i32 - 2);
        (v / unit).floor() * unit
    }
}

/// The nearest-rank quantile of sorted values.
fn rank(sorted: &[f64], q: f64) -> f64 {
    sorted[((q * sorted.len() as f64).ceil() as usize).max(1) - 1]
}

/// `LiteLLM`'s spend logs summed by hand from the JSON lines: a failed request and a cache hit
/// left out, three bad rows and the truncated last line skipped, each where it is; the CSV dump
/// of the same table (which has the last row whole) gives the same figures with it added.
#[test]
fn litellm_spend_logs_give_what_their_requests_add_up_to() {
    let lines: Vec<String> = gunzip(LITELLM_JSONL).lines().map(str::to_string).collect();
    let rows: Vec<Value> = lines
        .iter()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(rows.len(), lines.len() - 1, "the last line is cut short");
    let mut good = Vec::new();
    for r in &rows {
        let ok = r["status"] == "success"
            && r["cache_hit"] == "False"
            && r["prompt_tokens"].is_u64()
            && r["completion_tokens"].is_u64()
            && r.get("startTime").is_some();
        if ok {
            let t = r["startTime"].as_str().unwrap();
            let day: i64 = t[8..10].parse().unwrap();
            let hour: i64 = t[11..13].parse().unwrap();
            let cached =
                r["metadata"]["additional_usage_values"]["prompt_tokens_details"]["cached_tokens"]
                    .as_f64()
                    .unwrap();
            let f = |k: &str| r[k].as_f64().unwrap();
            good.push((
                (day - 3) * 24 + hour,
                f("prompt_tokens"),
                cached,
                f("completion_tokens"),
            ));
        }
    }
    assert_eq!(good.len(), rows.len() - 5);
    let sum = |f: fn(&(i64, f64, f64, f64)) -> f64| good.iter().map(f).sum::<f64>();
    let (input, cached, output) = (sum(|g| g.1), sum(|g| g.2), sum(|g| g.3));
    let hours = good.iter().map(|g| g.0).max().unwrap() + 1;
    let days = hours as f64 / 24.0;
    let d = json(&["usage", LITELLM_JSONL]);
    assert_eq!(d["formats"], serde_json::json!(["litellm"]));
    close(&d["period"]["days"], days);
    close(&d["tokens_per_month"], (input + output) * 30.44 / days);
    close(&d["cached_share"], cached / input);
    close(&d["requests_per_month"], good.len() as f64 * 30.44 / days);
    let mut totals = vec![0.0; hours as usize];
    for g in &good {
        totals[g.0 as usize] += g.1 + g.3;
    }
    let mean = totals.iter().sum::<f64>() / hours as f64;
    close(
        &d["hourly"]["peak_to_average"],
        totals.iter().copied().fold(0.0, f64::max) / mean,
    );
    let mut lengths: Vec<f64> = good.iter().map(|g| bin(g.1)).collect();
    lengths.sort_by(f64::total_cmp);
    for (key, q) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0)] {
        close(&d["request_lengths"]["input"][key], rank(&lengths, q));
    }
    assert_eq!(d["request_lengths"]["requests"], good.len());
    assert_eq!(d["models"][0]["catalog_id"], "gpt-4o");
    assert_eq!(d["models"][1]["catalog_id"], "gpt-4o-mini");
    assert_eq!(
        d["skipped"],
        serde_json::json!([
            {"reason": "a count that is not a number", "count": 1, "first": format!("{LITELLM_JSONL}:303")},
            {"reason": "a negative count", "count": 1, "first": format!("{LITELLM_JSONL}:404")},
            {"reason": "a row without a time", "count": 1, "first": format!("{LITELLM_JSONL}:505")},
            {"reason": "a truncated last line", "count": 1, "first": format!("{LITELLM_JSONL}:{}", lines.len())},
        ])
    );
    assert_eq!(
        d["excluded"],
        serde_json::json!([
            {"reason": "a failed request (status not success)", "count": 1, "first": format!("{LITELLM_JSONL}:101")},
            {"reason": "a hit on LiteLLM's response cache (no model ran)", "count": 1, "first": format!("{LITELLM_JSONL}:202")},
        ])
    );
    // The CSV: a header line, so each row one line further down, and the last row whole.
    let c = json(&["usage", LITELLM_CSV]);
    let last: Vec<String> = gunzip(LITELLM_CSV)
        .lines()
        .last()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let (p, o): (f64, f64) = (last[5].parse().unwrap(), last[6].parse().unwrap());
    close(&c["period"]["days"], days);
    close(
        &c["tokens_per_month"],
        (input + output + p + o) * 30.44 / days,
    );
    close(
        &c["requests_per_month"],
        (good.len() + 1) as f64 * 30.44 / days,
    );
    assert_eq!(c["skipped"][0]["first"], format!("{LITELLM_CSV}:304"));
    assert_eq!(c["excluded"][1]["first"], format!("{LITELLM_CSV}:203"));
    refused(
        &["usage", LITELLM_CSV, "--strict"],
        &format!(
            "error: 3 problems in the input:\n  {LITELLM_CSV}:304: 1 row(s) with a count that is not a number, the first here; correct the export, or drop --strict to count such rows as skipped\n  \
             {LITELLM_CSV}:405: 1 row(s) with a negative count, the first here; correct the export, or drop --strict to count such rows as skipped\n  \
             {LITELLM_CSV}:506: 1 row(s) with a row without a time, the first here; correct the export, or drop --strict to count such rows as skipped\n"
        ),
    );
}

/// A log of one request a row in a shape no preset knows, read with `--map`: a plain CSV and
/// the same rows as JSON lines with nested usage give the same figures, computed by hand.
#[test]
fn any_request_log_reads_with_map() {
    let dir = common::scratch("usage-map");
    let csv = dir.join("requests.csv");
    std::fs::write(
        &csv,
        "created,model_name,in,cache_read,cache_write,out\n\
         2026-08-03T09:10:00Z,claude-sonnet-4-5-20250929,100,300,50,40\n\
         2026-08-03T09:50:00Z,claude-sonnet-4-5-20250929,200,0,0,60\n\
         2026-08-03T10:05:00Z,gpt-4o,1000,,,500\n",
    )
    .unwrap();
    let jsonl = dir.join("requests.jsonl");
    std::fs::write(
        &jsonl,
        "{\"created\": 1785748200, \"model_name\": \"claude-sonnet-4-5-20250929\", \"usage\": {\"in\": 100, \"cache_read\": 300, \"cache_write\": 50, \"out\": 40}}\n\
         {\"created\": 1785750600000, \"model_name\": \"claude-sonnet-4-5-20250929\", \"usage\": {\"in\": 200, \"cache_read\": 0, \"cache_write\": 0, \"out\": 60}}\n\
         {\"created\": \"2026-08-03 10:05:00\", \"model_name\": \"gpt-4o\", \"usage\": {\"in\": 1000, \"out\": 500}}\n",
    )
    .unwrap();
    // Input 450 + 200 + 1,000 = 1,650 (Anthropic-style counts added), 300 cached; output
    // 600; two hours (09:00 and 10:00): 2,250 tokens over 1/12 of a day.
    let map = "timestamp=created,model=model_name,input=in+cache_read+cache_write|in,output=out,cached=cache_read";
    let nested = map
        .replace("=in", "=usage.in")
        .replace("+cache_read", "+usage.cache_read")
        .replace("+cache_write", "+usage.cache_write")
        .replace("|in", "|usage.in")
        .replace("=out", "=usage.out")
        .replace("=cache_read", "=usage.cache_read");
    for (file, map) in [(&csv, map.to_string()), (&jsonl, nested)] {
        let d = json(&["usage", file.to_str().unwrap(), "--map", &map]);
        assert_eq!(d["formats"], serde_json::json!(["map"]), "{map}");
        close(&d["period"]["days"], 2.0 / 24.0);
        close(&d["tokens_per_month"], 2250.0 * 30.44 * 12.0);
        close(&d["input_share"], 1650.0 / 2250.0);
        close(&d["cached_share"], 300.0 / 1650.0);
        close(&d["tokens_per_request"]["input"], 550.0);
        close(&d["request_lengths"]["input"]["p50"], 450.0);
        close(&d["request_lengths"]["output"]["max"], 500.0);
        assert_eq!(d["models"][0]["catalog_id"], "gpt-4o");
        assert_eq!(d["models"][1]["catalog_id"], "claude-sonnet-4.5");
    }
    let path = csv.to_str().unwrap();
    refused(
        &[
            "usage",
            path,
            "--map",
            "timestamp=created,input=prompt,output=out",
        ],
        &format!(
            "error: {path}:1: field `input`: not in the file's columns or keys (the map format reads it from `prompt`); name the field with --map KEY=FIELD (a column of a CSV, a key of a JSON row, dots into nested JSON)\n"
        ),
    );
    // A field named is a field expected: a model or cached column the file lacks is refused.
    refused(
        &[
            "usage",
            path,
            "--map",
            "timestamp=created,input=in,output=out,cached=cache_hit",
        ],
        &format!(
            "error: {path}:1: field `cached`: not in the file's columns or keys (the map format reads it from `cache_hit`); name the field with --map KEY=FIELD (a column of a CSV, a key of a JSON row, dots into nested JSON)\n"
        ),
    );
    refused(
        &["usage", path, "--map", "timestamp=created,output=out"],
        "error: --map: `input=` is missing (needed: timestamp, input, output); give --map timestamp=FIELD,input=FIELD,output=FIELD[,model=FIELD][,cached=FIELD], e.g. --map timestamp=created_at,model=model,input=prompt_tokens,output=completion_tokens\n",
    );
    refused(
        &["usage", path],
        &format!(
            "error: {path}:1: is not a usage export llm-decide reads; give a usage export llm-decide reads (OpenAI's or Anthropic's usage API pages, OpenRouter's activity or generations, ccusage's JSON, LiteLLM's spend logs, Helicone's requests, Langfuse's observations; tests/data/usage/README.md lists them); for another log of one request a row, name its fields: --map timestamp=..,model=..,input=..,output=..,cached=.. (--usage-map with --usage)\n"
        ),
    );
    // The decision and `check` read the same log with --usage-map: the workload is the one
    // `usage --map` describes.
    let direct = json(&["--usage", path, "--usage-map", map]);
    close(
        &direct["workload"]["tokens_per_month"],
        2250.0 * 30.44 * 12.0,
    );
    // The scenario read writes shares to 4 decimals.
    let share = direct["workload"]["input_share"].as_f64().unwrap();
    assert!((share - 1650.0 / 2250.0).abs() < 5e-5, "{share}");
    let (code, out, err) = common::run(&["check", "--usage", path, "--usage-map", map]);
    assert_eq!(code, 0, "{out}{err}");
    refused(
        &["--usage", path, "--usage-map", "timestamp=created"],
        "error: --usage-map: `input=` is missing (needed: timestamp, input, output); give --usage-map timestamp=FIELD,input=FIELD,output=FIELD[,model=FIELD][,cached=FIELD], e.g. --usage-map timestamp=created_at,model=model,input=prompt_tokens,output=completion_tokens\n",
    );
}

/// A request as a test reads it from a fixture: hour from the period's start, input (cached
/// included), cached, output, model; `None` when the format leaves it out.
type Hand = Option<(usize, f64, f64, f64, String)>;

/// The hour of an RFC 3339 time in August 2026 from 2026-08-03 00:00.
fn hour_of(t: &str) -> usize {
    let day: usize = t[8..10].parse().unwrap();
    (day - 3) * 24 + t[11..13].parse::<usize>().unwrap()
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(0.0)
}

/// Each per-request fixture gives the volume, shares, requests, peak, request lengths and
/// model mix its rows add up to here, the rows its format leaves out counted.
#[test]
fn request_logs_give_what_their_requests_add_up_to() {
    let helicone = |r: &Value| -> Hand {
        let left_out = r["response_status"] != 200
            || r["cache_reference_id"] != "00000000-0000-0000-0000-000000000000";
        let read = num(&r["prompt_cache_read_tokens"]);
        let input = num(&r["prompt_tokens"]) + read + num(&r["prompt_cache_write_tokens"]);
        let model = r["request_model"].as_str().unwrap().to_string();
        (!left_out).then(|| {
            let hour = hour_of(r["request_created_at"].as_str().unwrap());
            (hour, input, read, num(&r["completion_tokens"]), model)
        })
    };
    let langfuse = |r: &Value| -> Hand {
        (r["type"] == "GENERATION").then(|| {
            let cached = num(&r["usageDetails"]["input_cached_tokens"]);
            let model = r["model"].as_str().unwrap().to_string();
            let hour = hour_of(r["startTime"].as_str().unwrap());
            (
                hour,
                num(&r["inputUsage"]),
                cached,
                num(&r["outputUsage"]),
                model,
            )
        })
    };
    let openrouter = |r: &Value| -> Hand {
        let d = &r["data"];
        let model = d["model"].as_str().unwrap().to_string();
        let hour = hour_of(d["created_at"].as_str().unwrap());
        let (input, output) = (
            num(&d["native_tokens_prompt"]),
            num(&d["native_tokens_completion"]),
        );
        Some((hour, input, num(&d["native_tokens_cached"]), output, model))
    };
    type Case<'a> = (&'a str, &'a str, &'a dyn Fn(&Value) -> Hand, u64, &'a str);
    let cases: [Case; 3] = [
        (
            "tests/data/usage/helicone-requests.json.gz",
            "helicone",
            &helicone,
            2,
            "claude-sonnet-4.5",
        ),
        (
            "tests/data/usage/langfuse-observations.jsonl.gz",
            "langfuse",
            &langfuse,
            235,
            "gpt-4.1",
        ),
        (
            "tests/data/usage/openrouter-generations.jsonl.gz",
            "openrouter-generation",
            &openrouter,
            0,
            "gpt-4.1",
        ),
    ];
    for (file, format, read, left_out, api) in cases {
        let text = gunzip(file);
        let rows: Vec<Value> = if format == "helicone" {
            serde_json::from_str::<Value>(&text).unwrap()["data"]
                .as_array()
                .unwrap()
                .clone()
        } else {
            text.lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect()
        };
        let hand: Vec<_> = rows.iter().filter_map(read).collect();
        assert_eq!((rows.len() - hand.len()) as u64, left_out, "{file}");
        let (input, cached, output) = hand
            .iter()
            .fold((0.0, 0.0, 0.0), |a, h| (a.0 + h.1, a.1 + h.2, a.2 + h.3));
        let hours = hand.iter().map(|h| h.0).max().unwrap() + 1;
        let days = hours as f64 / 24.0;
        let mut totals = vec![0.0; hours];
        for h in &hand {
            totals[h.0] += h.1 + h.3;
        }
        let mean = totals.iter().sum::<f64>() / hours as f64;
        let mut lengths: Vec<f64> = hand.iter().map(|h| bin(h.1)).collect();
        lengths.sort_by(f64::total_cmp);
        let d = json(&["usage", file]);
        assert_eq!(d["formats"], serde_json::json!([format]), "{file}");
        close(&d["period"]["days"], days);
        close(&d["tokens_per_month"], (input + output) * 30.44 / days);
        close(&d["cached_share"], cached / input);
        close(&d["requests_per_month"], hand.len() as f64 * 30.44 / days);
        close(
            &d["hourly"]["peak_to_average"],
            totals.iter().copied().fold(0.0, f64::max) / mean,
        );
        close(&d["request_lengths"]["input"]["p50"], rank(&lengths, 0.5));
        close(&d["request_lengths"]["input"]["p99"], rank(&lengths, 0.99));
        let excluded: u64 = d["excluded"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["count"].as_u64().unwrap())
            .sum();
        assert_eq!(excluded, left_out, "{file}");
        assert_eq!(d["skipped"], serde_json::json!([]), "{file}");
        let first = &d["models"][0];
        let tokens: f64 = hand
            .iter()
            .filter(|h| first["model"] == h.4.as_str())
            .map(|h| h.1 + h.3)
            .sum();
        close(&first["share"], tokens / (input + output));
        assert_eq!(first["catalog_id"], api, "{file}");
    }
}

/// ccusage's days: input is the uncached, cache-write and cache-read counts of each model;
/// days read as UTC days; no requests and no hourly shape.
#[test]
fn ccusage_days_give_what_their_models_add_up_to() {
    let file = "tests/data/usage/ccusage-daily.json";
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let (mut input, mut cached, mut output) = (0.0, 0.0, 0.0);
    for day in doc["daily"].as_array().unwrap() {
        for m in day["modelBreakdowns"].as_array().unwrap() {
            input += num(&m["inputTokens"])
                + num(&m["cacheCreationTokens"])
                + num(&m["cacheReadTokens"]);
            cached += num(&m["cacheReadTokens"]);
            output += num(&m["outputTokens"]);
        }
    }
    let d = json(&["usage", file]);
    assert_eq!(d["formats"], serde_json::json!(["ccusage"]));
    close(&d["period"]["days"], 28.0);
    close(&d["tokens_per_month"], (input + output) * 30.44 / 28.0);
    close(&d["cached_share"], cached / input);
    assert_eq!(d["requests_per_month"], Value::Null);
    assert_eq!(d["hourly"], Value::Null);
    assert_eq!(d["models"][0]["catalog_id"], "claude-sonnet-4.5");
    assert_eq!(d["models"][1]["catalog_id"], "claude-haiku-4.5");
}

/// `OpenRouter`'s activity: a day's tokens by model; no cached count, no hourly shape; its
/// `provider/model` slugs map to the catalog after the provider.
#[test]
fn openrouter_activity_gives_what_its_days_add_up_to() {
    let page: Value = serde_json::from_str(&std::fs::read_to_string(OPENROUTER).unwrap()).unwrap();
    let items = page["data"].as_array().unwrap();
    let f = |k: &str| items.iter().map(|i| i[k].as_f64().unwrap()).sum::<f64>();
    let (input, output, requests) = (f("prompt_tokens"), f("completion_tokens"), f("requests"));
    let d = json(&["usage", OPENROUTER]);
    close(&d["period"]["days"], 30.0);
    close(&d["tokens_per_month"], (input + output) * 30.44 / 30.0);
    close(&d["requests_per_month"], requests * 30.44 / 30.0);
    assert_eq!(d["cached_share"], Value::Null);
    assert_eq!(d["hourly"], Value::Null);
    let reasons: Vec<(&str, &str)> = d["unavailable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["field"].as_str().unwrap(), m["reason"].as_str().unwrap()))
        .collect();
    assert!(
        reasons.contains(&("cached_share", "no-cache-counts")),
        "{reasons:?}"
    );
    assert!(reasons.contains(&("hourly", "not-hourly")), "{reasons:?}");
    let ids: Vec<&Value> = d["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["catalog_id"])
        .collect();
    assert_eq!(ids, [&Value::Null, &Value::from("gpt-4.1")]);
}

/// Daily `OpenAI` buckets of gpt-4o from 2026-06-01 (`days` before it too, at `early` tokens a
/// day): 36M tokens a day in June, 40M in July, 44M in August, four fifths input, 2,000 tokens
/// a request.
fn growing_usage(name: &str, days: i64, early: u64) -> std::path::PathBuf {
    let dir = common::scratch(name);
    let file = dir.join("usage.json");
    let june_1 = 1_780_272_000_i64;
    let data: Vec<Value> = (-days..92)
        .map(|i| {
            let per_day: u64 = match i {
                ..0 => early,
                0..30 => 36_000_000,
                30..61 => 40_000_000,
                _ => 44_000_000,
            };
            let start = june_1 + i * 86_400;
            serde_json::json!({"object": "bucket", "start_time": start, "end_time": start + 86_400,
                "results": [{"object": "organization.usage.completions.result",
                    "input_tokens": per_day * 4 / 5, "input_cached_tokens": 0,
                    "output_tokens": per_day / 5, "num_model_requests": per_day / 2000,
                    "model": "gpt-4o-2024-08-06"}]})
        })
        .collect();
    let page =
        serde_json::json!({"object": "page", "data": data, "has_more": false, "next_page": null});
    std::fs::write(&file, page.to_string()).unwrap();
    file
}

/// `check --usage FILE --alert-at TRIGGER` as JSON: its exit status and its one check.
fn alert(path: &str, trigger: &str) -> (i32, Value) {
    let (code, out, err) = common::run(&[
        "check",
        "--usage",
        path,
        "--alert-at",
        trigger,
        "--format",
        "json",
    ]);
    let d: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, d["scenarios"][0]["checks"][0].clone())
}

/// The article's triggers on observed usage: at gpt-4o's $2.50/$10 a 1M tokens and four fifths
/// input, a token costs $4.00 per 1M; June's rate is 36M x 30.44 = 1.096B tokens a month
/// ($4,383), July's 1.218B ($4,870), August's 1.339B ($5,357.44): August is the first to
/// reach $5,000 (start planning, exit 1, named), and none reaches $10,000 (ready to switch,
/// exit 0, the last month's bill shown).
#[test]
fn check_usage_names_the_month_a_trigger_is_reached() {
    let file = growing_usage("usage-alert", 0, 0);
    let path = file.to_str().unwrap();
    let august = 44e6 * 30.44 * 4.0 / 1e6;
    let (code, c) = alert(path, "start-planning");
    assert_eq!(code, 1, "{c}");
    assert_eq!(
        (
            c["name"].as_str(),
            c["limit"].as_f64(),
            c["passed"].as_bool()
        ),
        (Some("alert_at"), Some(5000.0), Some(false))
    );
    close(&c["actual"], august);
    assert_eq!(
        c["message"],
        "API bill in 2026-08: $5,357 a month reached the start-planning trigger of $5,000: start planning self-hosting"
    );
    let (code, c) = alert(path, "ready-to-switch");
    assert_eq!(code, 0, "{c}");
    close(&c["actual"], august);
    assert_eq!(
        c["message"],
        "API bill in 2026-08: $5,357 a month, under the ready-to-switch trigger of $10,000"
    );
    // The months are in the usage summary too.
    let u = json(&["usage", path]);
    let months: Vec<(&str, f64)> = u["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["month"].as_str().unwrap(), m["days"].as_f64().unwrap()))
        .collect();
    assert_eq!(
        months,
        [("2026-06", 30.0), ("2026-07", 31.0), ("2026-08", 31.0)]
    );
    // The main command gates the same way.
    let (code, _, err) = common::run(&["--usage", path, "--alert-at", "start-planning"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("alert_at: API bill in 2026-08: $5,357 a month reached"),
        "{err}"
    );
}

/// A month observed for less than a week is not judged on its own: three days of May at 100M
/// tokens a day ($12,176 a month at $4.00 per 1M) would trip ready-to-switch ($10,000) if they
/// were; June, July and August do not, and August's $5,357 is shown.
#[test]
fn a_short_month_is_not_judged_alone() {
    let file = growing_usage("usage-alert-short", 3, 100_000_000);
    let path = file.to_str().unwrap();
    let (code, c) = alert(path, "ready-to-switch");
    assert_eq!(code, 0, "{c}");
    assert_eq!(
        c["message"],
        "API bill in 2026-08: $5,357 a month, under the ready-to-switch trigger of $10,000"
    );
    let u = json(&["usage", path]);
    assert_eq!(u["months"][0]["month"], "2026-05");
    assert_eq!(u["months"][0]["days"], 3.0);
}

/// A scenario's budget can hold the trigger: it is checked against the scenario's volume, and
/// a value that is not a trigger is refused where it is.
#[test]
fn a_scenario_budget_holds_a_trigger() {
    let dir = common::scratch("usage-alert-budget");
    let file = dir.join("s.yaml");
    let path = file.to_str().unwrap();
    std::fs::write(&file, "version: 1\nname: S\ntokens_per_month: 2B\napi: gpt-4o\nbudget:\n  alert_at: start-planning\n").unwrap();
    let (code, out, _) = common::run(&["check", path, "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let d: Value = serde_json::from_str(&out).unwrap();
    let c = &d["scenarios"][0]["checks"][0];
    // 2B tokens at the default input share: the decision's own API bill.
    assert!(
        c["message"].as_str().unwrap().starts_with("API bill: $"),
        "{c}"
    );
    std::fs::write(
        &file,
        "version: 1\nname: S\ntokens_per_month: 2B\nbudget:\n  alert_at: soon\n",
    )
    .unwrap();
    refused(
        &["check", path],
        &format!(
            "error: {path}:5:13: field `budget.alert_at`: \"soon\" is not a trigger; use one of start-planning, ready-to-switch, crossover\n"
        ),
    );
}

/// A mix given by flag replaces the scenario's one API (flags win), and is priced part by part.
#[test]
fn a_mix_from_the_command_line_replaces_a_files_api() {
    let dir = common::scratch("mix-flag");
    let file = dir.join("one-api.yaml");
    std::fs::write(&file, "version: 1\ntokens_per_month: 2B\napi: o3\n").unwrap();
    let path = file.to_str().unwrap();
    let d = json(&["--scenario", path, "--apis", "gpt-4o-mini=75%,gpt-4o=25%"]);
    let w = &d["workload"];
    assert_eq!(w["apis"][0]["api"], "gpt-4o-mini");
    assert_eq!(w["apis"][1]["share"], 0.25);
    let parts = d["options"]["api"]["parts"].as_array().unwrap();
    let tokens = w["tokens_per_month"].as_f64().unwrap();
    for p in parts {
        let (share, rate) = (
            p["share"].as_f64().unwrap(),
            p["usd_per_mtok"].as_f64().unwrap(),
        );
        let cost = p["monthly_cost_usd"].as_f64().unwrap();
        assert!(
            (cost - tokens * share * rate / 1e6).abs() < 1e-6 * cost.max(1.0),
            "{p}"
        );
    }
}

/// The crossover sweep splits a mix as the decision does: at the workload's volume its row is
/// the decision's API and self-host costs (the self-hosted model matched to the strongest API
/// it takes, not to the largest).
#[test]
fn the_sweep_prices_a_mix_as_the_decision_does() {
    let args = [
        "--tokens",
        "1B",
        "--apis",
        "gpt-4o-mini=60%,gpt-4.1=30%,mistral-small=10%",
    ];
    let d = json(&args);
    let mut sweep = vec!["crossover"];
    sweep.extend(args);
    let s = json(&sweep);
    let row = s["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["is_workload"] == true)
        .unwrap();
    assert_eq!(
        row["api_monthly_cost_usd"],
        d["options"]["api"]["monthly_cost_usd"]
    );
    assert_eq!(
        row["self_host_monthly_cost_usd"],
        d["options"]["self_host"]["monthly_cost_usd"]
    );
    assert_eq!(d["workload"]["api"], "gpt-4.1");
}
