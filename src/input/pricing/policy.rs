//! The `policy` block of a pricing file, applied onto the policy in force: absent fields keep
//! their value. Each numeric field is one row of a table (its path, how its text is read, where
//! it is in the file and where it goes in the policy), so a new policy number is one row; ids,
//! lists and ranges are read after the table.

use super::raw::{RawPolicy, RawRangeEntry, RawSelfHostPolicy};
use crate::input::validate::{COUNT, Checker, MS, NUMBER, Parser, SHARE, TOKENS, USD, three};
use crate::input::yaml::{Located, Pos, Q, Scalar};
use crate::model::Named;
use crate::model::catalog::hardware::SelfHostPolicy;
use crate::model::catalog::policy::{CapabilityIndex, Policy, RangeMs};
use crate::model::units::{Bounds, UnitKind};
use crate::model::workload::HOURS_PER_MONTH;
use crate::model::workload::uncertainty::{Range, ordered};

/// How a policy number's text is read.
#[derive(Clone, Copy)]
enum Read {
    /// Any value the parser accepts.
    Any(Parser),
    /// A value greater than zero.
    Positive(Parser, UnitKind),
    /// A value within bounds that make physical sense (never clamped: refused with the limit).
    Within(Parser, Bounds),
}

/// One numeric field of a policy block: where it is in the file and where it goes.
struct Number<R, P> {
    /// The field path, for problems.
    path: &'static str,
    /// How its text is read.
    read: Read,
    /// Where it is in the raw block.
    get: fn(&R) -> Option<&Q>,
    /// Where its value goes.
    set: fn(&mut P, f64),
}

use Read::{Any, Positive, Within};
use UnitKind::{Duration, Share, Tokens};

/// The policy's numbers, in file order.
const POLICY: &[Number<RawPolicy, Policy>] = &[
    Number {
        path: "policy.tie_band",
        read: Any(SHARE),
        get: |r| r.tie_band.as_ref(),
        set: |p, v| p.tie_band = v,
    },
    Number {
        path: "policy.default_input_share",
        read: Any(SHARE),
        get: |r| r.default_input_share.as_ref(),
        set: |p, v| p.default_input_share = v,
    },
    Number {
        path: "policy.volume_api_below_tokens",
        read: Positive(TOKENS, Tokens),
        get: |r| r.volume_api_below_tokens.as_ref(),
        set: |p, v| p.volume_api_below_tokens = v,
    },
    Number {
        path: "policy.volume_self_host_above_tokens",
        read: Positive(TOKENS, Tokens),
        get: |r| r.volume_self_host_above_tokens.as_ref(),
        set: |p, v| p.volume_self_host_above_tokens = v,
    },
    Number {
        path: "policy.start_planning_usd_per_month",
        read: Any(USD),
        get: |r| r.start_planning_usd_per_month.as_ref(),
        set: |p, v| p.start_planning_usd_per_month = v,
    },
    Number {
        path: "policy.price_warning_days",
        read: Within(NUMBER, Bounds::new(UnitKind::Number, 0.0, 36_500.0)),
        get: |r| r.price_warning_days.as_ref(),
        set: |p, v| p.price_warning_days = v,
    },
    Number {
        path: "policy.ready_to_switch_usd_per_month",
        read: Any(USD),
        get: |r| r.ready_to_switch_usd_per_month.as_ref(),
        set: |p, v| p.ready_to_switch_usd_per_month = v,
    },
    Number {
        path: "policy.latency.self_host_below_ms",
        read: Within(MS, Bounds::new(Duration, 1.0, 3_600_000.0)),
        get: |r| r.latency.as_ref()?.self_host_below_ms.as_ref(),
        set: |p, v| p.latency.self_host_below_ms = v,
    },
    Number {
        path: "policy.spiky_peak_to_average",
        read: Within(NUMBER, Bounds::new(UnitKind::Number, 1.0, HOURS_PER_MONTH)),
        get: |r| r.spiky_peak_to_average.as_ref(),
        set: |p, v| p.spiky_peak_to_average = v,
    },
    Number {
        path: "policy.default_spike_hours_per_month",
        read: Within(
            NUMBER,
            Bounds::new(UnitKind::Number, 1.0, HOURS_PER_MONTH - 1.0),
        ),
        get: |r| r.default_spike_hours_per_month.as_ref(),
        set: |p, v| p.default_spike_hours_per_month = v,
    },
    Number {
        path: "policy.business_hours_per_month",
        read: Within(
            NUMBER,
            Bounds::new(UnitKind::Number, 1.0, HOURS_PER_MONTH - 1.0),
        ),
        get: |r| r.business_hours_per_month.as_ref(),
        set: |p, v| p.business_hours_per_month = v,
    },
    Number {
        path: "policy.projection.horizon_months",
        read: Within(NUMBER, Bounds::whole(1.0, 600.0)),
        get: |r| r.projection.as_ref()?.horizon_months.as_ref(),
        set: |p, v| p.horizon_months = v as u32,
    },
    Number {
        path: "policy.projection.api_price_decline_yearly",
        read: Any(SHARE),
        get: |r| r.projection.as_ref()?.api_price_decline_yearly.as_ref(),
        set: |p, v| p.api_price_decline_yearly = v,
    },
    Number {
        path: "policy.projection.build_engineer_months",
        read: Within(NUMBER, Bounds::new(UnitKind::Number, 0.0, 1200.0)),
        get: |r| r.projection.as_ref()?.build_engineer_months.as_ref(),
        set: |p, v| p.build_engineer_months = v,
    },
    Number {
        path: "policy.projection.months_to_production",
        read: Within(NUMBER, Bounds::new(UnitKind::Number, 0.0, 120.0)),
        get: |r| r.projection.as_ref()?.months_to_production.as_ref(),
        set: |p, v| p.months_to_production = v,
    },
    Number {
        path: "policy.monte_carlo.draws",
        read: Within(COUNT, Bounds::whole(1.0, 1_000_000.0)),
        get: |r| r.monte_carlo.as_ref()?.draws.as_ref(),
        set: |p, v| p.monte_carlo_draws = v as u32,
    },
    Number {
        path: "policy.monte_carlo.seed",
        read: Within(NUMBER, Bounds::whole(0.0, 9_007_199_254_740_992.0)),
        get: |r| r.monte_carlo.as_ref()?.seed.as_ref(),
        set: |p, v| p.monte_carlo_seed = v as u64,
    },
    Number {
        path: "policy.weights.cost",
        read: Any(NUMBER),
        get: |r| r.weights.as_ref()?.cost.as_ref(),
        set: |p, v| p.weights.cost = v,
    },
    Number {
        path: "policy.weights.team_hire",
        read: Any(NUMBER),
        get: |r| r.weights.as_ref()?.team_hire.as_ref(),
        set: |p, v| p.weights.team_hire = v,
    },
    Number {
        path: "policy.weights.team_ready",
        read: Any(NUMBER),
        get: |r| r.weights.as_ref()?.team_ready.as_ref(),
        set: |p, v| p.weights.team_ready = v,
    },
    Number {
        path: "policy.weights.experimenting",
        read: Any(NUMBER),
        get: |r| r.weights.as_ref()?.experimenting.as_ref(),
        set: |p, v| p.weights.experimenting = v,
    },
    Number {
        path: "policy.weights.time_to_market",
        read: Any(NUMBER),
        get: |r| r.weights.as_ref()?.time_to_market.as_ref(),
        set: |p, v| p.weights.time_to_market = v,
    },
    Number {
        path: "policy.weights.fine_tuning",
        read: Any(NUMBER),
        get: |r| r.weights.as_ref()?.fine_tuning.as_ref(),
        set: |p, v| p.weights.fine_tuning = v,
    },
    Number {
        path: "policy.weights.always_on",
        read: Any(NUMBER),
        get: |r| r.weights.as_ref()?.always_on.as_ref(),
        set: |p, v| p.weights.always_on = v,
    },
    Number {
        path: "policy.weights.latency",
        read: Any(NUMBER),
        get: |r| r.weights.as_ref()?.latency.as_ref(),
        set: |p, v| p.weights.latency = v,
    },
];

/// The self-hosting policy's numbers, in file order.
const SELF_HOST: &[Number<RawSelfHostPolicy, SelfHostPolicy>] = &[
    Number {
        path: "policy.self_host.target_utilization",
        read: Within(SHARE, Bounds::new(Share, 0.05, 1.0)),
        get: |r| r.target_utilization.as_ref(),
        set: |p, v| p.target_utilization = v,
    },
    Number {
        path: "policy.self_host.redundancy_replicas",
        read: Within(NUMBER, Bounds::whole(0.0, 64.0)),
        get: |r| r.redundancy_replicas.as_ref(),
        set: |p, v| p.redundancy_replicas = v as u32,
    },
    Number {
        path: "policy.self_host.interactive_tpot_ms",
        read: Within(MS, Bounds::new(Duration, 1.0, 60_000.0)),
        get: |r| r.interactive_tpot_ms.as_ref(),
        set: |p, v| p.interactive_tpot_ms = v,
    },
    Number {
        path: "policy.self_host.default_output_tokens",
        read: Within(TOKENS, Bounds::new(Tokens, 1.0, 1e6)),
        get: |r| r.default_output_tokens.as_ref(),
        set: |p, v| p.default_output_tokens = v,
    },
    Number {
        path: "policy.self_host.amortization_months",
        read: Within(NUMBER, Bounds::new(UnitKind::Number, 1.0, 240.0)),
        get: |r| r.amortization_months.as_ref(),
        set: |p, v| p.amortization_months = v,
    },
    Number {
        path: "policy.self_host.pue",
        read: Within(NUMBER, Bounds::new(UnitKind::Number, 1.0, 5.0)),
        get: |r| r.pue.as_ref(),
        set: |p, v| p.pue = v,
    },
    Number {
        path: "policy.self_host.electricity_usd_per_kwh",
        read: Within(USD, Bounds::new(UnitKind::Money, 0.0, 10.0)),
        get: |r| r.electricity_usd_per_kwh.as_ref(),
        set: |p, v| p.electricity_usd_per_kwh = v,
    },
    Number {
        path: "policy.self_host.colocation_usd_per_kw_month",
        read: Within(USD, Bounds::new(UnitKind::Money, 0.0, 10_000.0)),
        get: |r| r.colocation_usd_per_kw_month.as_ref(),
        set: |p, v| p.colocation_usd_per_kw_month = v,
    },
];

/// Reads each row's value from `raw` and sets it on `target`.
fn apply_numbers<R, P>(ck: &mut Checker, rows: &[Number<R, P>], raw: &R, target: &mut P) {
    for row in rows {
        let q = (row.get)(raw);
        let value = match row.read {
            Any(parser) => ck.opt(row.path, q, parser),
            Positive(parser, kind) => ck.opt_positive(row.path, q, parser, kind),
            Within(parser, bounds) => {
                let v = ck.opt(row.path, q, parser);
                ck.bounded(row.path, q, v, bounds)
            }
        };
        if let Some(v) = value {
            (row.set)(target, v);
        }
    }
}

/// Applies a file's policy values onto `policy`; absent fields keep their value.
pub fn apply_policy(ck: &mut Checker, policy: &mut Policy, raw: &RawPolicy) {
    apply_numbers(ck, POLICY, raw, policy);
    if let Some(c) = &raw.capability_index {
        let field = |n: &str| format!("policy.capability_index.{n}");
        let mut read = |n: &str, q: &Q| ck.opt(&field(n), Some(q), NUMBER);
        let (frontier, strong, standard) = (
            read("frontier", &c.value.frontier),
            read("strong", &c.value.strong),
            read("standard", &c.value.standard),
        );
        if let (Some(frontier), Some(strong), Some(standard)) = (frontier, strong, standard) {
            if frontier >= strong && strong >= standard {
                policy.capability_index = Some(CapabilityIndex {
                    source: c.value.source.clone(),
                    frontier,
                    strong,
                    standard,
                });
            } else {
                ck.report(
                    c.pos,
                    "policy.capability_index",
                    format!("the thresholds {frontier}, {strong}, {standard} are not in order"),
                    Some("give frontier >= strong >= standard"),
                );
            }
        }
    }
    for (target, id) in [
        (&mut policy.default_api, &raw.default_api),
        (&mut policy.default_setup, &raw.default_setup),
        (&mut policy.default_frontier_api, &raw.default_frontier_api),
    ] {
        if let Some(id) = id {
            target.clone_from(&id.value);
        }
    }
    if let Some(volumes) = &raw.volumes {
        let parsed: Vec<f64> = volumes
            .iter()
            .filter_map(|q| ck.opt_positive("policy.volumes[]", Some(q), TOKENS, Tokens))
            .collect();
        if parsed.len() == volumes.len() {
            policy.volumes = parsed;
        }
    }
    if let Some(l) = &raw.latency {
        let latency = &mut policy.latency;
        for (name, range, target) in [
            (
                "api_network_rtt_ms",
                &l.api_network_rtt_ms,
                &mut latency.api_network_rtt,
            ),
            ("api_queue_ms", &l.api_queue_ms, &mut latency.api_queue),
            (
                "self_host_network_rtt_ms",
                &l.self_host_network_rtt_ms,
                &mut latency.self_host_network_rtt,
            ),
        ] {
            if let Some(r) = range
                .as_ref()
                .and_then(|r| min_max(ck, name, &r.min, &r.max))
            {
                *target = r;
            }
        }
    }
    for (name, hours, field) in [
        (
            "default_spike_hours_per_month",
            policy.default_spike_hours_per_month,
            &raw.default_spike_hours_per_month,
        ),
        (
            "business_hours_per_month",
            policy.business_hours_per_month,
            &raw.business_hours_per_month,
        ),
    ] {
        if hours > HOURS_PER_MONTH {
            ck.report(
                field.as_ref().map(|q| q.pos).unwrap_or_default(),
                &format!("policy.{name}"),
                format!("{hours} hours is more than the 730 hours of a month"),
                None,
            );
        }
    }
    if let Some(sh) = &raw.self_host {
        apply_self_host(ck, &mut policy.self_host, sh);
    }
    if let Some(list) = &raw.sensitivity {
        let ranges: Vec<_> = list
            .iter()
            .filter_map(|r| policy_range(ck, &r.value, r.pos))
            .collect();
        if ranges.len() == list.len() {
            policy.sensitivity = ranges;
        }
    }
}

/// A `min`/`max` pair of milliseconds, in order.
fn min_max(ck: &mut Checker, name: &str, min: &Q, max: &Q) -> Option<RangeMs> {
    let lo = ck.opt(&format!("policy.latency.{name}.min"), Some(min), MS);
    let hi = ck.opt(&format!("policy.latency.{name}.max"), Some(max), MS);
    let (min_ms, max_ms) = (lo?, hi?);
    if min_ms > max_ms {
        ck.report(
            min.pos,
            &format!("policy.latency.{name}"),
            format!("min {min_ms} ms is above max {max_ms} ms"),
            Some("swap them"),
        );
        return None;
    }
    Some(RangeMs { min_ms, max_ms })
}

/// Applies a file's self-hosting policy onto `policy`.
fn apply_self_host(ck: &mut Checker, policy: &mut SelfHostPolicy, raw: &RawSelfHostPolicy) {
    let p = "policy.self_host";
    if let Some(b) = raw.sized_by_default {
        policy.sized_by_default = b;
    }
    for (target, id) in [
        (&mut policy.engine, &raw.engine),
        (&mut policy.default_model, &raw.default_model),
        (&mut policy.default_small_model, &raw.default_small_model),
    ] {
        if let Some(id) = id {
            target.clone_from(&id.value);
        }
    }
    if let Some(b) = ck.opt_one_of(&format!("{p}.personnel"), raw.personnel.as_ref()) {
        policy.personnel = b;
    }
    if let Some(list) = &raw.default_precisions {
        policy.default_precisions = list.iter().map(|l| l.value.clone()).collect();
    }
    if let Some(k) = ck.opt_one_of(&format!("{p}.price_kind"), raw.price_kind.as_ref()) {
        policy.price_kind = k;
    }
    if let Some(list) = &raw.price_classes {
        let field = format!("{p}.price_classes");
        let classes: Vec<_> = list.iter().filter_map(|c| ck.one_of(&field, c)).collect();
        if classes.len() == list.len() {
            policy.price_classes = classes;
        }
    }
    apply_numbers(ck, SELF_HOST, raw, policy);
    if policy.pue != 0.0 && policy.pue < 1.0 {
        ck.report(
            Pos::default(),
            &format!("{p}.pue"),
            format!("{} is below 1", policy.pue),
            Some("facility power is at least IT power; PUE is 1 or more"),
        );
    }
}

pub fn policy_range(ck: &mut Checker, raw: &RawRangeEntry, pos: Pos) -> Option<Range> {
    let lever = ck.one_of("policy.sensitivity[].lever", &raw.lever)?;
    let field = format!("policy.sensitivity[{}]", lever.id());
    let kind = if lever.is_share() {
        Share
    } else {
        UnitKind::Number
    };
    let default_likely = Q {
        value: Scalar("1".into()),
        pos,
    };
    let list = Located {
        value: vec![
            raw.low.clone(),
            raw.likely.clone().unwrap_or(default_likely),
            raw.high.clone(),
        ],
        pos,
    };
    let [low, likely, high] = if lever.is_share() && raw.likely.is_none() {
        let lo = ck.opt(&field, Some(&raw.low), SHARE)?;
        let hi = ck.opt(&field, Some(&raw.high), SHARE)?;
        ordered([lo, f64::midpoint(lo, hi), hi]).ok()?
    } else {
        three(ck, &field, &list, kind)?
    };
    Some(Range {
        lever,
        low,
        likely,
        high,
    })
}
