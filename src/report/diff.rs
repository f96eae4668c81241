//! Two runs compared: what each option costs in both, how far the break-even volume moved
//! and whether the recommendation changed. Both sides are read from the JSON report layout,
//! so a saved report and a fresh run compare the same way.

use crate::engine::decision::check::{CheckResult, number as json_number};
use crate::model::output::Increase;
use crate::model::units::{fmt_share, fmt_usd};
use serde::Serialize;
use serde_json::Value;

/// What a diff needs from one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    /// Where it came from: the scenario or the JSON report file.
    pub file: String,
    /// The scenario's name.
    pub name: String,
    /// Tokens a month.
    pub tokens_per_month: f64,
    /// `api`, `self-host` or `hybrid`.
    pub choice: String,
    /// The hybrid pattern, when hybrid.
    pub pattern: Option<String>,
    /// Monthly cost of the recommendation, USD.
    pub monthly_cost_usd: f64,
    /// The break-even volume; `None`: never.
    pub crossover_tokens_per_month: Option<f64>,
    /// Every option with its cost.
    pub options: Vec<OptionCost>,
}

/// One option's cost in a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionCost {
    /// Matches the same option across runs: `api`, `self-host`, `hybrid:<pattern>`.
    pub key: String,
    /// What it is in this run: `API gpt-4o`, `Self-host 1 x cloud-a100`.
    pub label: String,
    /// Monthly cost, USD.
    pub monthly_cost_usd: f64,
    /// Whether nothing rules it out.
    pub feasible: bool,
}

impl Snapshot {
    /// Reads a JSON decision report. Errors name the missing or mistyped field.
    pub fn from_json(file: &str, v: &Value) -> Result<Snapshot, String> {
        if v.get("scenarios").is_some() {
            return Err("it holds several scenarios (a compare report); diff needs one decision report (llm-decide --format json)".into());
        }
        let version = num(v, "/schema_version")?;
        if version != f64::from(super::SCHEMA_VERSION) {
            return Err(format!(
                "schema_version is {version}, this llm-decide reads version {}",
                super::SCHEMA_VERSION
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
        })
    }

    /// The recommendation in a few words.
    pub fn recommendation(&self) -> String {
        match &self.pattern {
            Some(p) => format!("{} ({p})", self.choice),
            None => self.choice.clone(),
        }
    }
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

/// One option in both runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionDelta {
    /// The option's key.
    pub key: String,
    /// Its label in the base run, if there.
    pub base_label: Option<String>,
    /// Its label in the head run, if there.
    pub head_label: Option<String>,
    /// Base monthly cost, USD.
    pub base_usd: Option<f64>,
    /// Head monthly cost, USD.
    pub head_usd: Option<f64>,
    /// Head minus base, USD a month.
    pub delta_usd: Option<f64>,
    /// The change as a share of the base.
    pub delta_share: Option<f64>,
}

/// Two runs compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// The base run.
    pub base: Snapshot,
    /// The head run.
    pub head: Snapshot,
    /// Every option in either run, base order first.
    pub options: Vec<OptionDelta>,
    /// The recommended option's cost, base to head.
    pub recommended: OptionDelta,
    /// Head break-even minus base, tokens a month; `None` when either is never.
    pub crossover_delta_tokens_per_month: Option<f64>,
    /// Whether the recommendation (choice or hybrid pattern) changed.
    pub flipped: bool,
    /// The gates asked for.
    pub gates: Vec<CheckResult>,
}

fn delta(key: &str, base: Option<(&str, f64)>, head: Option<(&str, f64)>) -> OptionDelta {
    let d = base.zip(head).map(|(b, h)| h.1 - b.1);
    OptionDelta {
        key: key.to_string(),
        base_label: base.map(|b| b.0.to_string()),
        head_label: head.map(|h| h.0.to_string()),
        base_usd: base.map(|b| b.1),
        head_usd: head.map(|h| h.1),
        delta_usd: d,
        delta_share: d.zip(base).and_then(|(d, b)| (b.1 > 0.0).then(|| d / b.1)),
    }
}

impl Diff {
    /// Compares two runs and runs the gates.
    pub fn new(
        base: Snapshot,
        head: Snapshot,
        fail_on_flip: bool,
        max_increase: Option<Increase>,
    ) -> Diff {
        let mut keys: Vec<&str> = base.options.iter().map(|o| o.key.as_str()).collect();
        for o in &head.options {
            if !keys.contains(&o.key.as_str()) {
                keys.push(&o.key);
            }
        }
        let find = |s: &'_ Snapshot, k: &str| -> Option<(String, f64)> {
            s.options
                .iter()
                .find(|o| o.key == k)
                .map(|o| (o.label.clone(), o.monthly_cost_usd))
        };
        let options = keys
            .iter()
            .map(|k| {
                let (b, h) = (find(&base, k), find(&head, k));
                delta(
                    k,
                    b.as_ref().map(|(l, c)| (l.as_str(), *c)),
                    h.as_ref().map(|(l, c)| (l.as_str(), *c)),
                )
            })
            .collect();
        let (b, h) = (base.recommendation(), head.recommendation());
        let recommended = delta(
            "recommended",
            Some((&b, base.monthly_cost_usd)),
            Some((&h, head.monthly_cost_usd)),
        );
        let flipped = b != h;
        let mut gates = Vec::new();
        if fail_on_flip {
            gates.push(CheckResult {
                name: "fail_on_flip",
                limit: Value::String(b.clone()),
                actual: Value::String(h.clone()),
                passed: !flipped,
                message: if flipped {
                    format!("the recommendation changed from {b} to {h}")
                } else {
                    format!("the recommendation stayed {b}")
                },
            });
        }
        if let Some(limit) = max_increase {
            let d = recommended.delta_usd.unwrap_or(0.0);
            let (limit_value, passed, words) = match limit {
                Increase::Usd(usd) => (json_number(usd), d <= usd, fmt_usd(usd)),
                Increase::Share(share) => {
                    let allowed = share * base.monthly_cost_usd;
                    (
                        json_number(share),
                        d <= allowed,
                        format!("{} ({})", fmt_share(share), fmt_usd(allowed)),
                    )
                }
            };
            gates.push(CheckResult {
                name: "max_increase",
                limit: limit_value,
                actual: json_number(d),
                passed,
                message: format!(
                    "the recommended monthly cost went from {} to {} ({}{}), against a limit of {words}",
                    fmt_usd(base.monthly_cost_usd),
                    fmt_usd(head.monthly_cost_usd),
                    if d >= 0.0 { "+" } else { "-" },
                    fmt_usd(d.abs()),
                ),
            });
        }
        Diff {
            crossover_delta_tokens_per_month: base
                .crossover_tokens_per_month
                .zip(head.crossover_tokens_per_month)
                .map(|(b, h)| h - b),
            options,
            recommended,
            flipped,
            gates,
            base,
            head,
        }
    }
}
