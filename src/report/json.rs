//! The JSON renderer: the machine contract. Keys are sorted, whole numbers print as
//! integers, money is rounded to cents (prices per 1M tokens to a millionth of a dollar), and
//! nothing depends on the clock or the machine, so identical inputs give identical bytes.

use super::{Document, Listing, Report, SCHEMA_VERSION, Tool, api_out, hybrid_out, self_host_out};
use serde_json::{Map, Number, Value, json};

/// Renders a document as pretty-printed JSON with a trailing newline.
pub fn render(doc: &Document) -> String {
    let mut value = match doc {
        Document::Decision(r) => report(r),
        Document::Compare(c) => json!({
            "schema_version": SCHEMA_VERSION,
            "tool": Tool::this(),
            "scenarios": c.reports.iter().map(report).collect::<Vec<_>>(),
        }),
        Document::Check(c) => stamped(json!(c)),
        Document::Diff(d) => stamped(json!(d)),
        Document::Import(i) => stamped(json!(i)),
        Document::Text(t) => json!(t),
        Document::Crossover(s) => stamped(json!({
            "workload": s.report.analysis.workload.name,
            "tokens_per_month": s.report.analysis.workload.tokens_per_month,
            "api": s.report.analysis.api.id,
            "self_host": s.report.analysis.self_host.label(),
            "crossover": s.report.analysis.crossover,
            "log_scale": s.log_scale,
            "rows": s.rows,
            "pricing": s.report.pricing,
            "inputs": s.report.inputs,
        })),
        Document::Validation(v) => stamped(json!({ "valid": v })),
        Document::List(listing) => list(listing),
        Document::Capacity(c) => stamped(json!(c)),
    };
    normalize(&mut value, "");
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// An object with the schema version and the tool added.
fn stamped(mut v: Value) -> Value {
    if let Value::Object(map) = &mut v {
        map.insert("schema_version".into(), json!(SCHEMA_VERSION));
        map.insert("tool".into(), json!(Tool::this()));
    }
    v
}

/// A report value with its numbers rounded as the renderer prints them.
pub fn normalized(mut value: Value) -> Value {
    normalize(&mut value, "");
    value
}

/// One decision report.
pub fn report(r: &Report) -> Value {
    let a = &r.analysis;
    json!({
        "schema_version": SCHEMA_VERSION,
        "tool": Tool::this(),
        "pricing": r.pricing,
        "inputs": r.inputs,
        "workload": a.workload,
        "assumptions": a.assumptions,
        "options": {
            "api": api_out(&a.api),
            "self_host": self_host_out(&a.self_host),
            "hybrid": a.hybrids.iter().map(hybrid_out).collect::<Vec<_>>(),
        },
        "crossover": a.crossover,
        "volume_table": a.volume_table,
        "recommendation": a.recommendation,
        "projection": a.projection,
        "tco": a.projection.tco,
        "sensitivity": a.sensitivity,
        "uncertainty": a.uncertainty,
        "warnings": r.warnings,
        "checks": r.checks,
    })
}

fn list(listing: &Listing) -> Value {
    let (kind, items) = match listing {
        Listing::Apis(apis) => ("apis", json!(apis)),
        Listing::Setups(setups) => ("setups", json!(setups)),
        Listing::Gpus(gpus) => ("gpus", json!(gpus)),
        Listing::Models(models) => ("models", json!(models)),
        Listing::Scenarios(s) => ("scenarios", json!(s)),
    };
    let mut map = Map::new();
    map.insert(kind.into(), items);
    stamped(Value::Object(map))
}

/// Rounds numbers by what their key says they hold, and prints whole numbers as integers.
fn normalize(value: &mut Value, key: &str) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                normalize(v, k);
            }
        }
        Value::Array(items) => {
            for v in items {
                normalize(v, key);
            }
        }
        Value::Number(n) => {
            if let Some(x) = n.as_f64().filter(|_| n.is_f64()) {
                *n = number(round_for(key, x));
            }
        }
        _ => {}
    }
}

fn round_for(key: &str, x: f64) -> f64 {
    let places = if key.ends_with("per_mtok") {
        6
    } else if key.ends_with("_usd") || key.contains("usd_per_month") {
        2
    } else if key.ends_with("_ms") {
        3
    } else {
        9
    };
    let scale = 10f64.powi(places);
    let rounded = (x * scale).round() / scale;
    if rounded.is_finite() { rounded } else { x }
}

fn number(x: f64) -> Number {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if x.fract() == 0.0 && x.abs() < EXACT {
        Number::from(x as i64)
    } else {
        Number::from_f64(x).unwrap_or_else(|| Number::from(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_their_keys() {
        let mut v = json!({
            "monthly_cost_usd": 3749.999999,
            "usd_per_mtok": 0.0750000001,
            "tokens_per_month": 533333334.0,
            "ttft_p95_ms": 650.00000001,
            "share": 0.33333333333,
            "list": [{"main_usd": 1.005}],
        });
        normalize(&mut v, "");
        assert_eq!(
            v.to_string(),
            r#"{"list":[{"main_usd":1}],"monthly_cost_usd":3750,"share":0.333333333,"tokens_per_month":533333334,"ttft_p95_ms":650,"usd_per_mtok":0.075}"#
        );
    }
}
