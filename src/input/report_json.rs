//! A saved JSON decision report read back for `diff`: the recommendation, the break-even
//! volume and every option's cost. Errors name the missing or mistyped field.

use crate::model::decision::{OptionCost, Snapshot};
use serde_json::Value;

/// Reads a JSON decision report. Errors name the missing or mistyped field.
pub fn snapshot(file: &str, v: &Value, schema_version: u32) -> Result<Snapshot, String> {
    if v.get("scenarios").is_some() {
        return Err("it holds several scenarios (a compare report); diff needs one decision report (llm-decide --format json)".into());
    }
    let version = num(v, "/schema_version")?;
    if version != f64::from(schema_version) {
        return Err(format!(
            "schema_version is {version}, this llm-decide reads version {schema_version}"
        ));
    }
    let mut options = vec![
        OptionCost {
            key: "api".into(),
            label: format!("API {}", text(v, "/options/api/id")?),
            monthly_cost_usd: num(v, "/options/api/monthly_cost_usd")?,
            feasible: flag(v, "/options/api/feasible")?,
        },
        OptionCost {
            key: "self-host".into(),
            label: {
                let units = num(v, "/options/self_host/units")?;
                let what = text(v, "/options/self_host/setup")
                    .or_else(|_| text(v, "/options/self_host/name"))?;
                if units == 1.0 {
                    format!("Self-host {what}")
                } else {
                    format!("Self-host {units} units of {what}")
                }
            },
            monthly_cost_usd: num(v, "/options/self_host/monthly_cost_usd")?,
            feasible: flag(v, "/options/self_host/feasible")?,
        },
    ];
    let plans = v
        .pointer("/options/hybrid")
        .and_then(Value::as_array)
        .ok_or("field options.hybrid is missing or not a list")?;
    for (i, _) in plans.iter().enumerate() {
        let at = |f: &str| format!("/options/hybrid/{i}/{f}");
        let pattern = text(v, &at("pattern"))?;
        options.push(OptionCost {
            key: format!("hybrid:{pattern}"),
            label: format!("Hybrid {pattern}"),
            monthly_cost_usd: num(v, &at("monthly_cost_usd"))?,
            feasible: flag(v, &at("feasible"))?,
        });
    }
    Ok(Snapshot {
        file: file.to_string(),
        name: text(v, "/workload/name")?,
        tokens_per_month: num(v, "/workload/tokens_per_month")?,
        choice: text(v, "/recommendation/choice")?,
        pattern: v
            .pointer("/recommendation/pattern")
            .and_then(Value::as_str)
            .map(str::to_string),
        monthly_cost_usd: num(v, "/recommendation/monthly_cost_usd")?,
        crossover_tokens_per_month: v
            .pointer("/crossover/tokens_per_month")
            .and_then(Value::as_f64),
        options,
        pricing_sha256: v
            .pointer("/pricing/sha256")
            .and_then(Value::as_str)
            .map(str::to_string),
        tool_version: v
            .pointer("/tool/version")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

fn field(pointer: &str) -> String {
    pointer.trim_start_matches('/').replace('/', ".")
}

fn num(v: &Value, pointer: &str) -> Result<f64, String> {
    v.pointer(pointer)
        .and_then(Value::as_f64)
        .ok_or_else(|| format!("field {} is missing or not a number", field(pointer)))
}

fn text(v: &Value, pointer: &str) -> Result<String, String> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("field {} is missing or not text", field(pointer)))
}

fn flag(v: &Value, pointer: &str) -> Result<bool, String> {
    v.pointer(pointer)
        .and_then(Value::as_bool)
        .ok_or_else(|| format!("field {} is missing or not true/false", field(pointer)))
}
