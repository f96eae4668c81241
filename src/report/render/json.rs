//! The JSON renderer: the machine contract. Keys are sorted, whole numbers print as
//! integers, money is rounded to cents (prices per 1M tokens to a millionth of a dollar), and
//! nothing depends on the clock or the machine, so identical inputs give identical bytes.

use crate::engine::cost::Line;
use crate::engine::decision::check::CheckResult;
use crate::engine::decision::constraints::Blocker;
use crate::engine::decision::hybrid::HybridPlan;
use crate::engine::selfhost::matching::TierMatch;
use crate::engine::selfhost::search::Deployment;
use crate::engine::serving::capacity::Capacity;
use crate::engine::serving::latency::LatencyEstimate;
use crate::engine::{Analysis, ApiOption, Assumption};
use crate::model::Named;
use crate::report::{Document, Listing, Report, SCHEMA_VERSION, Tool, words};
use serde_json::{Map, Number, Value, json};

/// Renders a document as pretty-printed JSON with a trailing newline.
pub fn render(doc: &Document) -> String {
    render_with(doc, &crate::model::output::Settings::default())
}

/// Renders a document as [`render`] does, with `settings` (the defaults beyond the flags) as
/// its `settings` field when any were used.
pub fn render_with(doc: &Document, settings: &crate::model::output::Settings) -> String {
    let mut value = document(doc);
    if settings.any()
        && let Value::Object(map) = &mut value
    {
        map.insert("settings".into(), json!(settings));
    }
    normalize(&mut value, "");
    pretty(&value)
}

/// A document as its JSON value, before rounding.
fn document(doc: &Document) -> Value {
    match doc {
        Document::Decision(r) => report(r),
        // The reports themselves are written into the list one by one (`report::item`).
        Document::Compare(_) => stamped(json!({ "scenarios": [] })),
        Document::Check(c) => {
            let mut v = json!(c);
            set(
                &mut v,
                "scenarios",
                c.scenarios.iter().map(checked).collect::<Value>(),
            );
            stamped(v)
        }
        Document::Diff(d) => {
            let mut v = json!(d);
            set(&mut v, "gates", checks(&d.gates));
            stamped(v)
        }
        Document::Import(i) => stamped(json!(i)),
        Document::PricingDiff(d) => stamped(json!(d)),
        Document::Text(t) => json!(t),
        Document::Crossover(s) => stamped(json!({
            "workload": s.report.analysis.workload.name,
            "tokens_per_month": s.volume_given.then_some(s.report.analysis.workload.tokens_per_month),
            "sized_at_tokens_per_month": s.report.analysis.workload.tokens_per_month,
            "api": s.report.analysis.api.id,
            "self_host": words::cost::self_host_label(&s.report.analysis.self_host),
            "crossover": s.report.analysis.crossover,
            "log_scale": s.log_scale,
            "rows": volume_rows(&s.rows),
            "pricing": s.report.pricing,
            "inputs": s.report.inputs,
        })),
        Document::Validation(v) => stamped(json!({ "valid": v })),
        Document::List(listing) => list(listing),
        Document::Capacity(c) => stamped(capacity(c)),
        Document::Calibration(c) => stamped(json!(c)),
        Document::Usage(u) => stamped(json!(u)),
    }
}

/// A value pretty-printed, with a trailing newline.
fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// The document `--format json` prints on bad input (exit status 2), so that a CI job can
/// render what is wrong: each problem with its file (or flag), line, column and field where
/// known (null where not), its message and its fix; and the whole error as the tool writes it
/// on stderr.
pub fn error(problems: &[crate::model::problem::Problem], message: &str) -> String {
    let problems: Vec<Value> = problems
        .iter()
        .map(|p| {
            let located = p.pos.line > 0;
            json!({
                "source": (!p.file.is_empty()).then_some(&p.file),
                "line": located.then_some(p.pos.line),
                "column": located.then_some(p.pos.column),
                "field": p.field,
                "message": p.message,
                "fix": p.fix,
            })
        })
        .collect();
    let value = stamped(json!({
        "error": {
            "exit_status": 2,
            "message": message,
            "problems": problems,
        }
    }));
    pretty(&value)
}

/// An element of a top-level list, as the document prints it: rounded, pretty-printed and
/// indented two levels, without a separator or a line end.
pub fn list_item(mut value: Value) -> String {
    normalize(&mut value, "");
    let text = serde_json::to_string_pretty(&value).unwrap_or_default();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("    ");
        out.push_str(line);
    }
    out
}

/// A scenario file checked.
pub fn checked(c: &crate::report::Checked) -> Value {
    let mut v = json!(c);
    set(&mut v, "checks", checks(&c.checks));
    v
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
        "assumptions": a.assumptions.iter().map(assumption).collect::<Vec<_>>(),
        "options": {
            "api": api(&a.api),
            "self_host": self_host(a),
            "serverless": a.serverless.iter().map(api).collect::<Vec<_>>(),
            "hybrid": a.hybrids.iter().map(hybrid).collect::<Vec<_>>(),
        },
        "capability": a.self_host.tiers.as_ref().map_or(Value::Null, capability),
        "crossover": a.crossover,
        "volume_table": volume_rows(&a.volume_table),
        "recommendation": recommendation(a),
        "projection": a.projection,
        "tco": a.projection.tco,
        "sensitivity": a.sensitivity,
        "uncertainty": a.uncertainty,
        "warnings": r.warnings,
        "checks": checks(&r.checks),
    })
}

/// Rows of a volume table or sweep, each naming the deployment it costs.
fn volume_rows(rows: &[crate::engine::VolumeRow]) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                let mut v = json!(r);
                set(
                    &mut v,
                    "self_host_deployment",
                    json!(words::cost::unit_name(&r.self_host_unit)),
                );
                v
            })
            .collect(),
    )
}

/// Sets `key` of an object value.
fn set(v: &mut Value, key: &str, value: Value) {
    if let Value::Object(map) = v {
        map.insert(key.to_string(), value);
    }
}

fn assumption(x: &Assumption) -> Value {
    json!({
        "name": words::cost::assumed(&x.name),
        "value": x.value,
        "unit": x.unit,
        "source": words::cost::assumption_basis(&x.basis),
    })
}

fn lines(lines: &[Line]) -> Value {
    Value::Array(
        lines
            .iter()
            .map(|l| {
                json!({
                    "name": words::cost::item(&l.item),
                    "usd_per_month": l.usd_per_month,
                    "note": words::cost::basis(&l.basis),
                })
            })
            .collect(),
    )
}

fn latency(e: &LatencyEstimate) -> Value {
    let mut v = json!(e);
    let components: Vec<Value> = e
        .components
        .iter()
        .map(|c| {
            let mut x = json!(c);
            set(&mut x, "source", json!(words::latency::origin(&c.source)));
            x
        })
        .collect();
    set(&mut v, "components", Value::Array(components));
    v
}

/// An option's blockers (messages), their codes and whether it is feasible.
fn blocked(v: &mut Value, list: &[Blocker]) {
    let messages: Vec<String> = list.iter().map(words::decision::blocker).collect();
    let codes: Vec<&str> = list.iter().map(words::codes::blocker).collect();
    set(v, "blockers", json!(messages));
    set(v, "blocker_codes", json!(codes));
    set(v, "feasible", json!(list.is_empty()));
}

fn api(o: &ApiOption) -> Value {
    let mut v = json!(o);
    set(&mut v, "latency", latency(&o.latency));
    blocked(&mut v, &o.blockers);
    v
}

/// The tiers on both sides, and how the self-hosted model was matched to the API's.
fn capability(t: &TierMatch) -> Value {
    json!({
        "api": t.api,
        "api_tier": t.api_tier.id(),
        "model": t.model,
        "model_tier": t.model_tier.id(),
        "matched": words::codes::matched(t.matched),
        "weaker": t.weaker(),
    })
}

fn deployment(d: &Deployment) -> Value {
    let mut v = json!(d);
    let mut gpu = json!(d.gpu_cost);
    set(&mut gpu, "lines", lines(&d.gpu_cost.lines));
    set(&mut v, "gpu_cost", gpu);
    set(&mut v, "personnel", lines(&d.personnel));
    set(&mut v, "latency", latency(&d.latency));
    v
}

fn self_host(a: &Analysis) -> Value {
    let sh = &a.self_host;
    let mut v = json!(sh);
    set(&mut v, "name", json!(words::cost::unit_name(&sh.name)));
    // `utilization` is the load over the capacity planned at the target utilization, not the
    // share of the GPUs' capacity in use (the deployment's `utilization_at_peak`); this names it.
    set(&mut v, "utilization_of_plan", json!(sh.cost.utilization));
    set(&mut v, "unit_costs", lines(&sh.unit_costs));
    set(&mut v, "fixed_costs", lines(&sh.fixed_costs));
    set(
        &mut v,
        "deployment",
        sh.deployment.as_ref().map_or(Value::Null, deployment),
    );
    let search = sh.search.as_ref().map_or(Value::Null, |s| {
        json!({
            "evaluated": s.evaluated,
            "rejected": s.rejected.iter().map(words::cost::rejected).collect::<Vec<_>>(),
            "excluded_offers": s.excluded,
            "rejections": s.rejected.iter().map(|r| json!({
                "code": words::codes::rejection(&r.kind),
                "configurations": r.configurations,
                "message": words::cost::rejection(&r.kind),
            })).collect::<Vec<_>>(),
        })
    });
    set(&mut v, "search", search);
    set(&mut v, "latency", latency(&sh.latency));
    set(
        &mut v,
        "notes",
        json!(sh.notes.iter().map(words::cost::note).collect::<Vec<_>>()),
    );
    let remedies: Vec<Value> = sh
        .remedies
        .iter()
        .map(|r| {
            json!({
                "change": words::cost::change(&r.change),
                "code": words::codes::change(&r.change),
                "changes_model": r.changes_model,
                "deployment": deployment(&r.deployment),
            })
        })
        .collect();
    set(&mut v, "remedies", Value::Array(remedies));
    blocked(&mut v, &sh.blockers);
    v
}

fn hybrid(h: &HybridPlan) -> Value {
    let mut v = json!(h);
    let routes: Vec<Value> = h
        .routes
        .iter()
        .map(|r| {
            let mut x = json!(r);
            set(
                &mut x,
                "traffic",
                json!(words::decision::traffic(r.traffic)),
            );
            set(&mut x, "target", json!(words::decision::route_target(r)));
            x
        })
        .collect();
    set(&mut v, "routes", Value::Array(routes));
    set(
        &mut v,
        "latency",
        h.latency.as_ref().map_or(Value::Null, latency),
    );
    blocked(&mut v, &h.blockers);
    v
}

fn recommendation(a: &Analysis) -> Value {
    let rec = &a.recommendation;
    let mut v = json!(rec);
    let reasons: Vec<Value> = rec
        .reasons
        .iter()
        .map(|r| {
            json!({
                "rule": r.rule,
                "code": words::codes::reason(&r.fact),
                "favors": r.favors,
                "points": r.points,
                "message": words::decision::reason(r, a),
            })
        })
        .collect();
    set(&mut v, "reasons", Value::Array(reasons));
    let alternatives: Vec<Value> = rec
        .alternatives
        .iter()
        .map(|alt| {
            let mut x = json!(alt);
            set(&mut x, "why_not", json!(words::decision::why_not(alt, a)));
            set(
                &mut x,
                "why_not_code",
                json!(words::codes::why_not(&alt.why_not)),
            );
            x
        })
        .collect();
    set(&mut v, "alternatives", Value::Array(alternatives));
    let mut revisit = json!(rec.revisit);
    set(
        &mut revisit,
        "message",
        json!(words::decision::revisit(&rec.revisit, a)),
    );
    set(
        &mut revisit,
        "code",
        json!(words::codes::advice(&rec.revisit.advice)),
    );
    set(&mut v, "revisit", revisit);
    v
}

/// Check results with their messages and codes.
pub fn checks(list: &[CheckResult]) -> Value {
    Value::Array(
        list.iter()
            .map(|c| {
                let mut x = json!(c);
                set(&mut x, "code", json!(words::codes::check(c)));
                set(&mut x, "message", json!(words::check::message(c)));
                x
            })
            .collect(),
    )
}

/// The capacity report, with what would fit in words.
pub fn capacity(c: &Capacity) -> Value {
    let mut v = json!(c);
    set(
        &mut v,
        "message",
        c.message
            .as_ref()
            .map_or(Value::Null, |m| json!(words::cost::fit(m))),
    );
    if let Some(n) = &c.needed {
        let mut needed = json!(n);
        let gpu = n.gpu_cost.as_ref().map_or(Value::Null, |g| {
            let mut x = json!(g);
            set(&mut x, "lines", lines(&g.lines));
            x
        });
        set(&mut needed, "gpu_cost", gpu);
        set(
            &mut needed,
            "gpu_cost_problem",
            n.gpu_cost_problem
                .as_ref()
                .map_or(Value::Null, |p| json!(words::cost::unpriced(p))),
        );
        set(&mut v, "needed", needed);
    }
    v
}

fn list(listing: &Listing) -> Value {
    let (kind, items) = match listing {
        Listing::Apis(apis) => ("apis", json!(apis)),
        Listing::Setups(setups) => ("setups", json!(setups)),
        Listing::Gpus(gpus) => ("gpus", json!(gpus)),
        Listing::Offers(offers) => ("offers", json!(offers)),
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
    #[allow(clippy::unreadable_literal)]
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
