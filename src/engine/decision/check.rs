//! Budget checks on a recommendation: cost, cost per 1M tokens, latency, the expected
//! choice, and the age of the prices used; and the gates of a diff. Each check reports its
//! limit, the actual value, whether it passed, and the facts its message is made from.

use crate::engine::Analysis;
use crate::engine::usage::MonthUsage;
use crate::model::date::Date;
use crate::model::decision::{Choice, Pattern};
use crate::model::output::Increase;
use crate::model::workload::{AlertAt, Budget};
use serde::Serialize;

/// Which check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// Monthly cost of the recommendation against a limit, USD.
    MaxMonthlyCostUsd,
    /// Cost per 1M tokens of the recommendation against a limit, USD.
    MaxCostPerMtokUsd,
    /// Latency of the recommendation against a limit, ms.
    MaxLatencyMs,
    /// The recommendation against the one expected.
    Expect,
    /// Age of the oldest price used against a limit, days.
    MaxPriceAgeDays,
    /// A diff's recommendation must not change.
    FailOnFlip,
    /// A diff's recommended cost must not grow by more than a limit.
    MaxIncrease,
    /// The volume (each observed month's) must not have reached a monitoring trigger.
    AlertAt,
}

crate::named!(Check {
    MaxMonthlyCostUsd => "max_monthly_cost_usd",
    MaxCostPerMtokUsd => "max_cost_per_mtok_usd",
    MaxLatencyMs => "max_latency_ms",
    Expect => "expect",
    MaxPriceAgeDays => "max_price_age_days",
    FailOnFlip => "fail_on_flip",
    MaxIncrease => "max_increase",
    AlertAt => "alert_at",
});

/// A limit or an actual value: a number in the check's unit, or a recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Figure {
    /// A number in the check's unit.
    Number(f64),
    /// A recommendation, such as `hybrid (burst)`.
    Choice(String),
}

/// What a check's message is made from.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    /// The recommendation a cost check is about.
    Recommended {
        /// The choice.
        choice: Choice,
        /// Its pattern.
        pattern: Option<Pattern>,
    },
    /// A cost per 1M tokens.
    PerMtok,
    /// A latency: the lower bound, when the figure is not known.
    Latency {
        /// The lower bound, ms, when the latency is not known.
        lower_bound_ms: Option<f64>,
    },
    /// The oldest price used, if it has a date.
    PriceAge {
        /// Its `checked` date.
        oldest: Option<Date>,
    },
    /// A diff's recommendation in both runs.
    Flip {
        /// The base run's.
        base: String,
        /// The head run's.
        head: String,
    },
    /// A monitoring trigger: the API bill (or, for the crossover, the volume) of the month
    /// that reached it, or of the last month when none did.
    Alert {
        /// The trigger.
        trigger: AlertAt,
        /// The month that reached it first, or the last month checked; `None` for a workload
        /// that is not observed usage.
        month: Option<String>,
        /// Whether the limit is a volume (the crossover) rather than a bill.
        volume: bool,
    },
    /// A diff's recommended cost in both runs, and the limit on its growth.
    Increase {
        /// Base, USD a month.
        base_usd: f64,
        /// Head, USD a month.
        head_usd: f64,
        /// The limit.
        limit: Increase,
        /// The growth it allows, USD a month.
        allowed_usd: f64,
    },
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    /// The check.
    pub name: Check,
    /// The limit.
    pub limit: Figure,
    /// The actual value; `None` when unknown.
    pub actual: Option<Figure>,
    /// Whether it passed (an unknown actual fails).
    pub passed: bool,
    /// What its message is made from.
    #[serde(skip)]
    pub detail: Detail,
}

/// Runs the budget's checks on an analysis. `today` is needed for the price-age check only;
/// `months`, the observed months of usage the workload came from (none for a scenario), for
/// the monitoring trigger only.
pub fn check(
    a: &Analysis,
    budget: &Budget,
    today: Option<Date>,
    oldest_price: Option<Date>,
    months: &[MonthUsage],
) -> Vec<CheckResult> {
    let r = &a.recommendation;
    let recommended = Detail::Recommended {
        choice: r.choice,
        pattern: r.pattern,
    };
    let mut out = Vec::new();
    if let Some(limit) = budget.max_monthly_cost_usd {
        let actual = r.monthly_cost_usd;
        out.push(CheckResult {
            name: Check::MaxMonthlyCostUsd,
            limit: Figure::Number(limit),
            actual: Some(Figure::Number(actual)),
            passed: actual <= limit,
            detail: recommended.clone(),
        });
    }
    if let Some(limit) = budget.max_cost_per_mtok_usd {
        let actual = r.monthly_cost_usd / a.workload.tokens_per_month * 1e6;
        out.push(CheckResult {
            name: Check::MaxCostPerMtokUsd,
            limit: Figure::Number(limit),
            actual: Some(Figure::Number(actual)),
            passed: actual <= limit,
            detail: Detail::PerMtok,
        });
    }
    if let Some(limit) = budget.max_latency_ms {
        out.push(latency(a, limit));
    }
    if let Some(expected) = &budget.expect {
        out.push(CheckResult {
            name: Check::Expect,
            limit: Figure::Choice(expected.clone()),
            actual: Some(Figure::Choice(
                crate::model::Named::id(r.choice).to_string(),
            )),
            passed: crate::model::Named::id(r.choice) == expected,
            detail: recommended,
        });
    }
    if let Some(limit) = budget.max_price_age_days {
        let age = today.zip(oldest_price).map(|(t, o)| o.days_until(t) as f64);
        out.push(CheckResult {
            name: Check::MaxPriceAgeDays,
            limit: Figure::Number(limit),
            actual: age.map(Figure::Number),
            passed: age.is_some_and(|d| d <= limit),
            detail: Detail::PriceAge {
                oldest: oldest_price.filter(|_| age.is_some()),
            },
        });
    }
    if let Some(trigger) = budget.alert_at {
        out.push(alert(a, trigger, months));
    }
    out
}

/// The fewest days of a calendar month observed for the month to be judged on its own.
pub const MIN_MONTH_DAYS: f64 = 7.0;

/// A monitoring trigger against the workload's volume, or each observed month's in order: the
/// API bill is the month's volume at the API's cost per token for this workload (its price,
/// input share and caching); the crossover is the break-even volume. Fails at the first month
/// that reaches it, naming it; passes with the last month's figure otherwise.
pub fn alert(a: &Analysis, trigger: AlertAt, months: &[MonthUsage]) -> CheckResult {
    let tokens = a.workload.tokens_per_month;
    let per_token = if tokens > 0.0 {
        a.api.cost.monthly_cost_usd / tokens
    } else {
        0.0
    };
    // A month observed for less than a week is not judged on its own (a few busy days scaled
    // to a month would trip the trigger); with none observed a week, the whole period is.
    let series: Vec<(Option<&str>, f64)> = months
        .iter()
        .filter(|m| m.days >= MIN_MONTH_DAYS)
        .map(|m| (Some(m.month.as_str()), m.tokens_per_month))
        .collect();
    let series = if series.is_empty() {
        vec![(None, tokens)]
    } else {
        series
    };
    let (limit, figure): (Option<f64>, fn(f64, f64) -> f64) = match trigger {
        AlertAt::StartPlanning => (Some(a.policy.start_planning_usd_per_month), |v, p| v * p),
        AlertAt::ReadyToSwitch => (Some(a.policy.ready_to_switch_usd_per_month), |v, p| v * p),
        AlertAt::Crossover => (a.crossover.tokens_per_month, |v, _| v),
    };
    let reached = limit.and_then(|l| series.iter().find(|(_, v)| figure(*v, per_token) >= l));
    let (month, volume) = reached
        .or(series.last())
        .copied()
        .expect("one figure at least");
    CheckResult {
        name: Check::AlertAt,
        limit: limit.map_or_else(|| Figure::Choice("never".into()), Figure::Number),
        actual: Some(Figure::Number(figure(volume, per_token))),
        passed: reached.is_none(),
        detail: Detail::Alert {
            trigger,
            month: month.map(str::to_string),
            volume: trigger == AlertAt::Crossover,
        },
    }
}

/// The recommendation's latency (the target's figure, p95 TTFT without a target) against a
/// limit. A lower bound is known only when it already exceeds the limit.
fn latency(a: &Analysis, limit: f64) -> CheckResult {
    let r = &a.recommendation;
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
    CheckResult {
        name: Check::MaxLatencyMs,
        limit: Figure::Number(limit),
        actual: known.map(Figure::Number),
        passed: known.is_some_and(|v| v <= limit),
        detail: Detail::Latency {
            lower_bound_ms: known.is_none().then(|| actual.unwrap_or(0.0)),
        },
    }
}
