//! Two runs compared: what each option costs in both, how far the break-even volume moved,
//! whether the recommendation changed, and the gates a CI job asks for.

use super::check::{Check, CheckResult, Detail, Figure};
use crate::model::decision::Snapshot;
use crate::model::output::Increase;
use serde::Serialize;

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
    /// Whether the two runs were decided with different pricing data (a price file edited, or
    /// a tool upgrade whose embedded prices moved): part of the change is the prices'. `false`
    /// when either run does not record its pricing.
    pub prices_changed: bool,
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

/// Every option in either run, base order first, with its change.
fn option_deltas(base: &Snapshot, head: &Snapshot) -> Vec<OptionDelta> {
    let mut keys: Vec<&str> = base.options.iter().map(|o| o.key.as_str()).collect();
    for o in &head.options {
        if !keys.contains(&o.key.as_str()) {
            keys.push(&o.key);
        }
    }
    let find = |s: &Snapshot, k: &str| -> Option<(String, f64)> {
        s.options
            .iter()
            .find(|o| o.key == k)
            .map(|o| (o.label.clone(), o.monthly_cost_usd))
    };
    keys.iter()
        .map(|k| {
            let (b, h) = (find(base, k), find(head, k));
            delta(
                k,
                b.as_ref().map(|(l, c)| (l.as_str(), *c)),
                h.as_ref().map(|(l, c)| (l.as_str(), *c)),
            )
        })
        .collect()
}

impl Diff {
    /// Compares two runs and runs the gates.
    pub fn new(
        base: Snapshot,
        head: Snapshot,
        fail_on_flip: bool,
        max_increase: Option<Increase>,
    ) -> Diff {
        let options = option_deltas(&base, &head);
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
                name: Check::FailOnFlip,
                limit: Figure::Choice(b.clone()),
                actual: Some(Figure::Choice(h.clone())),
                passed: !flipped,
                detail: Detail::Flip { base: b, head: h },
            });
        }
        if let Some(limit) = max_increase {
            let d = recommended.delta_usd.unwrap_or(0.0);
            let (limit_value, allowed) = match limit {
                Increase::Usd(usd) => (usd, usd),
                Increase::Share(share) => (share, share * base.monthly_cost_usd),
            };
            gates.push(CheckResult {
                name: Check::MaxIncrease,
                limit: Figure::Number(limit_value),
                actual: Some(Figure::Number(d)),
                passed: d <= allowed,
                detail: Detail::Increase {
                    base_usd: base.monthly_cost_usd,
                    head_usd: head.monthly_cost_usd,
                    limit,
                    allowed_usd: allowed,
                },
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
            prices_changed: base
                .pricing_sha256
                .as_ref()
                .zip(head.pricing_sha256.as_ref())
                .is_some_and(|(b, h)| b != h),
            base,
            head,
        }
    }
}
