//! The JSON Schema in docs/report.schema.json checked against the binary's real output.
//!
//! The validator below implements the JSON Schema keywords that schema uses (type, const,
//! enum, properties, required, additionalProperties, items, anyOf, $ref to $defs, minimum,
//! pattern for dates and hashes) and fails loudly on any other keyword, so the schema cannot
//! silently use something unchecked.

use serde_json::Value;
use std::process::Command;

fn schema() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/report.schema.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        other => panic!("unknown type {other}"),
    }
}

/// `^\d{4}-\d{2}-\d{2}$` and `^[0-9a-f]{64}$`, the only patterns the schema uses.
fn pattern_ok(p: &str, s: &str) -> bool {
    match p {
        r"^\d{4}-\d{2}-\d{2}$" => {
            s.len() == 10
                && s.char_indices().all(|(i, c)| {
                    if i == 4 || i == 7 {
                        c == '-'
                    } else {
                        c.is_ascii_digit()
                    }
                })
        }
        "^[0-9a-f]{64}$" => s.len() == 64 && s.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')),
        other => panic!("unsupported pattern {other}"),
    }
}

fn validate(root: &Value, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(map) = schema.as_object() else {
        panic!("schema at {at} is not an object");
    };
    for (key, rule) in map {
        match key.as_str() {
            "$schema" | "$id" | "title" | "description" | "$defs" => {}
            "$ref" => {
                let name = rule.as_str().unwrap().strip_prefix("#/$defs/").unwrap();
                let target = &root["$defs"][name];
                assert!(!target.is_null(), "no definition {name}");
                validate(root, target, v, at, errors);
            }
            "type" => {
                let ok = match rule {
                    Value::String(t) => type_ok(t, v),
                    Value::Array(ts) => ts.iter().any(|t| type_ok(t.as_str().unwrap(), v)),
                    _ => panic!("bad type rule"),
                };
                if !ok {
                    errors.push(format!("{at}: expected type {rule}, found {v}"));
                }
            }
            "const" => {
                if rule != v {
                    errors.push(format!("{at}: expected {rule}, found {v}"));
                }
            }
            "enum" => {
                if !rule.as_array().unwrap().contains(v) {
                    errors.push(format!("{at}: {v} is not one of {rule}"));
                }
            }
            "minimum" => {
                if v.as_f64().is_some_and(|x| x < rule.as_f64().unwrap()) {
                    errors.push(format!("{at}: {v} is below {rule}"));
                }
            }
            "pattern" => {
                if let Some(s) = v.as_str()
                    && !pattern_ok(rule.as_str().unwrap(), s)
                {
                    errors.push(format!("{at}: {s:?} does not match {rule}"));
                }
            }
            "required" => {
                if let Some(obj) = v.as_object() {
                    for k in rule.as_array().unwrap() {
                        if !obj.contains_key(k.as_str().unwrap()) {
                            errors.push(format!("{at}: missing required field {k}"));
                        }
                    }
                }
            }
            "properties" => {
                if let Some(obj) = v.as_object() {
                    for (k, sub) in rule.as_object().unwrap() {
                        if let Some(x) = obj.get(k) {
                            validate(root, sub, x, &format!("{at}.{k}"), errors);
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let (Some(obj), Some(false)) = (v.as_object(), rule.as_bool()) {
                    let known = map.get("properties").and_then(Value::as_object);
                    for k in obj.keys() {
                        if !known.is_some_and(|p| p.contains_key(k)) {
                            errors.push(format!("{at}: field {k} is not in the schema"));
                        }
                    }
                }
            }
            "items" => {
                if let Some(items) = v.as_array() {
                    for (i, x) in items.iter().enumerate() {
                        validate(root, rule, x, &format!("{at}[{i}]"), errors);
                    }
                }
            }
            "anyOf" => {
                let all: Vec<Vec<String>> = rule
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| {
                        let mut e = Vec::new();
                        validate(root, s, v, at, &mut e);
                        e
                    })
                    .collect();
                if all.iter().all(|e| !e.is_empty()) {
                    let best = all.into_iter().min_by_key(Vec::len).unwrap();
                    errors.push(format!(
                        "{at}: matches none of anyOf; closest: {}",
                        best.join("; ")
                    ));
                }
            }
            other => panic!("the schema uses {other:?}, which this validator does not check"),
        }
    }
}

fn errors(v: &Value) -> Vec<String> {
    let s = schema();
    let mut e = Vec::new();
    validate(&s, &s, v, "$", &mut e);
    e
}

fn run(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_llm-decide"))
        .args(args)
        .args(["--format", "json", "--today", "2026-11-27"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn real_output_matches_the_schema() {
    let cases: &[&[&str]] = &[
        &["--tokens", "800M", "--latency", "150ms"],
        &[
            "--tokens",
            "800M",
            "--max-monthly-cost",
            "1k",
            "--expect",
            "api",
            "--max-price-age",
            "30",
            "--max-latency",
            "100ms",
            "--max-cost-per-mtok",
            "5",
        ],
        &["--scenario", "saas-startup"],
        &["--scenario", "healthcare"],
        &["--scenario", "ecommerce"],
        &["--scenario", "trading"],
        &["--scenario", "hybrid-80-20", "--pricing", "seed"],
        &[
            "--tokens",
            "1B",
            "--api-price",
            "3/15",
            "--self-host-cost",
            "5k",
        ],
        &["compare", "scenarios"],
        &[
            "check",
            "scenarios",
            "--max-monthly-cost",
            "10k",
            "--max-price-age",
            "400",
        ],
        &[
            "diff",
            "scenarios/ecommerce.yaml",
            "scenarios/hybrid-80-20.yaml",
            "--fail-on-flip",
            "--max-increase",
            "5%",
        ],
    ];
    for args in cases {
        let e = errors(&run(args));
        assert!(e.is_empty(), "{args:?}:\n{}", e.join("\n"));
    }
}

#[test]
fn the_validator_catches_drift() {
    let mut v = run(&["--tokens", "800M"]);
    v["recommendation"]["choice"] = Value::String("maybe".into());
    v["pricing"]["sha256"] = Value::String("xyz".into());
    v.as_object_mut().unwrap().remove("checks");
    v["surprise"] = Value::Bool(true);
    let e = errors(&v);
    let text = e.join("\n");
    for want in [
        "\"maybe\" is not one of",
        "\"xyz\" does not match",
        "missing required field \"checks\"",
        "field surprise is not in the schema",
    ] {
        assert!(text.contains(want), "{want} not in:\n{text}");
    }
}
