//! Checks and gates in words: each result's message, and its limit and actual value in the
//! check's unit.

use super::choice;
use crate::engine::decision::check::{Check, CheckResult, Detail, Figure};
use crate::model::Named;
use crate::model::output::Increase;
use crate::model::units::{fmt_ms, fmt_share, fmt_tokens, fmt_usd, fmt_usd_per_mtok};

/// A limit or an actual value of a check in words; `None` is "unknown".
pub fn value(c: &CheckResult, v: Option<&Figure>) -> String {
    match v {
        Some(Figure::Number(x)) => match c.name {
            Check::AlertAt if matches!(c.detail, Detail::Alert { volume: true, .. }) => {
                format!("{} tokens a month", fmt_tokens(*x))
            }
            Check::MaxMonthlyCostUsd | Check::AlertAt => fmt_usd(*x),
            Check::MaxCostPerMtokUsd => fmt_usd_per_mtok(*x),
            Check::MaxLatencyMs => fmt_ms(*x),
            Check::MaxPriceAgeDays => format!("{x} days"),
            _ => format!("{x}"),
        },
        Some(Figure::Choice(s)) => s.clone(),
        None => "unknown".into(),
    }
}

fn number(v: Option<&Figure>) -> f64 {
    match v {
        Some(Figure::Number(x)) => *x,
        _ => 0.0,
    }
}

/// A check's result in words.
pub fn message(c: &CheckResult) -> String {
    let limit = number(Some(&c.limit));
    let actual = number(c.actual.as_ref());
    match &c.detail {
        Detail::Recommended {
            choice: ch,
            pattern,
        } => match (c.name, &c.limit) {
            (Check::Expect, Figure::Choice(expected)) => {
                format!("recommendation: {}, expected {expected}", choice(*ch, *pattern))
            }
            _ => format!(
                "monthly cost of the recommendation ({}): {} against a limit of {}",
                choice(*ch, *pattern),
                fmt_usd(actual),
                fmt_usd(limit)
            ),
        },
        Detail::PerMtok => format!(
            "cost per 1M tokens of the recommendation: {} against a limit of {}",
            fmt_usd_per_mtok(actual),
            fmt_usd_per_mtok(limit)
        ),
        Detail::Latency { lower_bound_ms } => match lower_bound_ms {
            None => format!(
                "latency of the recommendation: {} against a limit of {}",
                fmt_ms(actual),
                fmt_ms(limit)
            ),
            Some(bound) => format!(
                "latency of the recommendation is unknown (a lower bound of {}); it cannot be shown to meet {}",
                fmt_ms(*bound),
                fmt_ms(limit)
            ),
        },
        Detail::PriceAge { oldest } => match (c.actual.as_ref(), oldest) {
            (Some(_), Some(o)) => format!(
                "oldest price used was checked {o}, {actual} days ago, against a limit of {limit} days"
            ),
            _ => "the age of the prices used is unknown (a price given on the command line has no date)".to_string(),
        },
        Detail::Flip { base, head } => {
            if c.passed {
                format!("the recommendation stayed {base}")
            } else {
                format!("the recommendation changed from {base} to {head}")
            }
        }
        Detail::Alert {
            trigger,
            month,
            volume,
        } => alert(c, *trigger, month.as_deref(), *volume, actual),
        Detail::Increase {
            base_usd,
            head_usd,
            limit,
            allowed_usd,
        } => {
            let words = match limit {
                Increase::Usd(usd) => fmt_usd(*usd),
                Increase::Share(share) => format!("{} ({})", fmt_share(*share), fmt_usd(*allowed_usd)),
            };
            format!(
                "the recommended monthly cost went from {} to {} ({}{}), against a limit of {words}",
                fmt_usd(*base_usd),
                fmt_usd(*head_usd),
                if actual >= 0.0 { "+" } else { "-" },
                fmt_usd(actual.abs()),
            )
        }
    }
}

/// A monitoring trigger's result in words.
fn alert(
    c: &CheckResult,
    trigger: crate::model::workload::AlertAt,
    month: Option<&str>,
    volume: bool,
    actual: f64,
) -> String {
    use crate::model::workload::AlertAt;
    let when = month.map_or_else(String::new, |m| format!(" in {m}"));
    let what = if volume {
        format!("volume{when}: {} tokens a month", fmt_tokens(actual))
    } else {
        format!("API bill{when}: {} a month", fmt_usd(actual))
    };
    let limit = value(c, Some(&c.limit));
    match (&c.limit, c.passed) {
        (Figure::Choice(_), _) => format!(
            "{what}; self-hosting never costs less at this workload, so the crossover cannot be reached"
        ),
        (_, true) => format!("{what}, under the {} trigger of {limit}", trigger.id()),
        (_, false) => format!(
            "{what} reached the {} trigger of {limit}: {}",
            trigger.id(),
            match trigger {
                AlertAt::StartPlanning => "start planning self-hosting",
                AlertAt::ReadyToSwitch => "be ready to switch to self-hosting",
                AlertAt::Crossover => "self-hosting now costs no more than the API",
            }
        ),
    }
}
