//! Real output checked against docs/report.schema.json with the `jsonschema` crate.
//!
//! Every command in tests/data/schema-runs.txt is run and its JSON validated against the
//! definition of the document it prints (a decision against `decision`, not just against any
//! document), and the schema is shown to be strict: a renamed, dropped or added field, an
//! unknown code and a wrong type each fail.

use serde_json::{Value, json};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn schema() -> Value {
    let text = std::fs::read_to_string(format!("{ROOT}/docs/report.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A validator for one document kind: the schema `llm-decide schema KIND` prints (the
/// definitions, entered at `$defs/kind`), so every run checked here checks that command too.
fn validator(kind: &str) -> jsonschema::Validator {
    assert!(
        schema()["$defs"].get(kind).is_some(),
        "the schema has no definition {kind}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_llm-decide"))
        .args(["schema", &kind.replace('_', "-")])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["$ref"], format!("#/$defs/{kind}"));
    assert_eq!(printed["$defs"], schema()["$defs"]);
    jsonschema::validator_for(&printed).unwrap()
}

/// `llm-decide schema` prints docs/report.schema.json as it is, and refuses a document it does
/// not know, listing those it does.
#[test]
fn the_schema_command_prints_the_contract() {
    let out = Command::new(env!("CARGO_BIN_EXE_llm-decide"))
        .arg("schema")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        std::fs::read_to_string(format!("{ROOT}/docs/report.schema.json")).unwrap()
    );
    let out = Command::new(env!("CARGO_BIN_EXE_llm-decide"))
        .args(["schema", "report"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).starts_with("error: invalid value 'report' for '[DOCUMENT]'\n  [possible values: decision, compare, check,"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn errors(kind: &str, v: &Value) -> Vec<String> {
    validator(kind)
        .iter_errors(v)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn run(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_llm-decide"))
        .args(args)
        .args(["--format", "json", "--today", "2026-11-27"])
        .current_dir(ROOT)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    // Bad input prints the error document, and only with exit status 2.
    assert_eq!(
        out.status.code() == Some(2),
        doc.get("error").is_some(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    doc
}

/// Which document a command printed, from the command itself.
fn kind(args: &[&str]) -> &'static str {
    match args[0] {
        "compare" => "compare",
        "check" => "check",
        "diff" => "diff",
        "capacity" => "capacity",
        "calibrate" => "calibration",
        "usage" => "usage",
        "crossover" => "crossover",
        "validate" => "validation",
        "pricing" if args[1] == "diff" => "pricing_diff",
        "pricing" => "import",
        "list" => match args[1] {
            "apis" => "list_apis",
            "setups" => "list_setups",
            "gpus" => "list_gpus",
            "offers" => "list_offers",
            "models" => "list_models",
            "scenarios" => "list_scenarios",
            other => panic!("no document for list {other}"),
        },
        _ => "decision",
    }
}

fn runs() -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(format!("{ROOT}/tests/data/schema-runs.txt")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().map(String::from).collect())
        .collect()
}

#[test]
fn every_document_kind_matches_its_definition() {
    let mut kinds = std::collections::BTreeSet::new();
    for args in runs() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let doc = run(&args);
        let k = if doc.get("error").is_some() {
            "error"
        } else {
            kind(&args)
        };
        kinds.insert(k);
        let e = errors(k, &doc);
        assert!(e.is_empty(), "{args:?} ({k}):\n{}", e.join("\n"));
    }
    // Every document the schema defines is printed by some run, so none goes unchecked.
    let s = schema();
    let documents: std::collections::BTreeSet<&str> = s["anyOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["$ref"].as_str().unwrap().trim_start_matches("#/$defs/"))
        .collect();
    assert_eq!(documents, kinds);
}

#[test]
fn a_renamed_dropped_or_added_field_fails() {
    let v = run(&["--tokens", "800M", "--latency", "150ms"]);
    assert_eq!(errors("decision", &v), Vec::<String>::new());

    let mut renamed = v.clone();
    let api = renamed["options"]["api"].as_object_mut().unwrap();
    let cost = api.remove("monthly_cost_usd").unwrap();
    api.insert("monthly_cost".into(), cost);
    let e = errors("decision", &renamed).join("\n");
    assert!(e.contains("/options/api"), "{e}");
    assert!(e.contains("monthly_cost_usd"), "{e}");
    assert!(e.contains("monthly_cost"), "{e}");

    let mut dropped = v.clone();
    dropped.as_object_mut().unwrap().remove("checks");
    let e = errors("decision", &dropped).join("\n");
    assert!(e.contains("\"checks\" is a required property"), "{e}");

    let mut added = v.clone();
    added["recommendation"]["surprise"] = Value::Bool(true);
    let e = errors("decision", &added).join("\n");
    assert!(e.contains("/recommendation"), "{e}");
    assert!(e.contains("surprise"), "{e}");
}

#[test]
fn an_unknown_code_or_a_wrong_type_fails() {
    let v = run(&["--tokens", "800M", "--latency", "150ms"]);
    let mut bad = v.clone();
    bad["recommendation"]["choice"] = json!("maybe");
    bad["recommendation"]["reasons"][0]["code"] = json!("because");
    bad["pricing"]["sha256"] = json!("xyz");
    bad["schema_version"] = json!(1.5);
    let e = errors("decision", &bad).join("\n");
    for want in [
        "/recommendation/choice: \"maybe\" is not one of",
        "/recommendation/reasons/0/code: \"because\" is not one of",
        "/pricing/sha256: \"xyz\" does not match",
        "/schema_version: 1.5 is not of type \"integer\"",
    ] {
        assert!(e.contains(want), "{want} not in:\n{e}");
    }
}

/// Every machine code the report can print (the string each arm of report/words/codes.rs
/// returns) is listed in the schema, so a new kind of fact cannot ship undocumented.
#[test]
fn every_code_is_in_the_schema() {
    let source = std::fs::read_to_string(format!("{ROOT}/src/report/words/codes.rs")).unwrap();
    let codes: Vec<&str> = source
        .split("=> \"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert!(codes.len() > 30, "found only {codes:?}");
    let mut listed = std::collections::BTreeSet::new();
    collect_enums(&schema(), &mut listed);
    let missing: Vec<&&str> = codes.iter().filter(|c| !listed.contains(**c)).collect();
    assert!(
        missing.is_empty(),
        "codes missing from the schema: {missing:?}"
    );
}

fn collect_enums(v: &Value, into: &mut std::collections::BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Array(values)) = map.get("enum") {
                into.extend(values.iter().filter_map(Value::as_str).map(String::from));
            }
            map.values().for_each(|x| collect_enums(x, into));
        }
        Value::Array(items) => items.iter().for_each(|x| collect_enums(x, into)),
        _ => {}
    }
}
