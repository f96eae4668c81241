//! Budget checks on a recommendation: cost, cost per 1M tokens, latency, the expected
//! choice, and the age of the prices used. Each check reports its limit, the actual value
//! and whether it passed.

use crate::engine::Analysis;
use crate::model::Named;
use crate::model::date::Date;
use crate::model::decision::Choice;
use crate::model::units::{fmt_ms, fmt_usd, fmt_usd_per_mtok};
use crate::model::workload::Budget;
use serde::Serialize;

/// One check's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    /// `max_monthly_cost_usd`, `max_cost_per_mtok_usd`, `max_latency_ms`, `expect`,
    /// `max_price_age_days`.
    pub name: &'static str,
    /// The limit (a number, or the expected choice).
    pub limit: serde_json::Value,
    /// The actual value; `null` when unknown.
    pub actual: serde_json::Value,
    /// Whether it passed (an unknown actual fails).
    pub passed: bool,
    /// The check in words.
    pub message: String,
}

/// A JSON number, or `null` for a value JSON cannot hold.
pub fn number(v: f64) -> serde_json::Value {
    serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

/// Runs the budget's checks on an analysis. `today` is needed for the price-age check only.
pub fn check(
    a: &Analysis,
    budget: &Budget,
    today: Option<Date>,
    oldest_price: Option<Date>,
) -> Vec<CheckResult> {
    let r = &a.recommendation;
    let mut out = Vec::new();
    let choice = match r.pattern {
        Some(p) => format!("{} ({})", r.choice.id(), p.id()),
        None => r.choice.id().to_string(),
    };
    if let Some(limit) = budget.max_monthly_cost_usd {
        let actual = r.monthly_cost_usd;
        out.push(CheckResult {
            name: "max_monthly_cost_usd",
            limit: number(limit),
            actual: number(actual),
            passed: actual <= limit,
            message: format!(
                "monthly cost of the recommendation ({choice}): {} against a limit of {}",
                fmt_usd(actual),
                fmt_usd(limit)
            ),
        });
    }
    if let Some(limit) = budget.max_cost_per_mtok_usd {
        let actual = r.monthly_cost_usd / a.workload.tokens_per_month * 1e6;
        out.push(CheckResult {
            name: "max_cost_per_mtok_usd",
            limit: number(limit),
            actual: number(actual),
            passed: actual <= limit,
            message: format!(
                "cost per 1M tokens of the recommendation: {} against a limit of {}",
                fmt_usd_per_mtok(actual),
                fmt_usd_per_mtok(limit)
            ),
        });
    }
    if let Some(limit) = budget.max_latency_ms {
        let e = match r.choice {
            Choice::Api => &a.api.latency,
            Choice::SelfHost => &a.self_host.latency,
            Choice::Hybrid => a
                .hybrids
                .iter()
                .find(|h| Some(h.pattern) == r.pattern)
                .and_then(|h| h.latency.as_ref())
                .unwrap_or(&a.self_host.latency),
        };
        let actual = match &a.workload.latency {
            Some(t) => e.figure(t),
            None => Some(e.ttft_p95_ms),
        };
        let known = actual.filter(|_| !e.lower_bound || actual.is_some_and(|v| v > limit));
        out.push(CheckResult {
            name: "max_latency_ms",
            limit: number(limit),
            actual: known.map_or(serde_json::Value::Null, number),
            passed: known.is_some_and(|v| v <= limit),
            message: match known {
                Some(v) => format!("latency of the recommendation: {} against a limit of {}", fmt_ms(v), fmt_ms(limit)),
                None => format!("latency of the recommendation is unknown (a lower bound of {}); it cannot be shown to meet {}", fmt_ms(actual.unwrap_or(0.0)), fmt_ms(limit)),
            },
        });
    }
    if let Some(expected) = &budget.expect {
        out.push(CheckResult {
            name: "expect",
            limit: serde_json::Value::String(expected.clone()),
            actual: serde_json::Value::String(r.choice.id().to_string()),
            passed: r.choice.id() == expected,
            message: format!("recommendation: {choice}, expected {expected}"),
        });
    }
    if let Some(limit) = budget.max_price_age_days {
        let age = today.zip(oldest_price).map(|(t, o)| o.days_until(t) as f64);
        out.push(CheckResult {
            name: "max_price_age_days",
            limit: number(limit),
            actual: age.map_or(serde_json::Value::Null, number),
            passed: age.is_some_and(|d| d <= limit),
            message: match (age, oldest_price) {
                (Some(d), Some(o)) => format!("oldest price used was checked {o}, {d} days ago, against a limit of {limit} days"),
                _ => "the age of the prices used is unknown (a price given on the command line has no date)".to_string(),
            },
        });
    }
    out
}
