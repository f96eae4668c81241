//! Hybrid plans: the article's four patterns, each costed as a split of the workload between
//! the self-hosted side (packaged setup or sized deployment) and the API, with what would
//! rule it out.

use super::EngineError;
use super::cost::{ApiCost, ApiPlan, Mix, SelfHostCost, Unit, unit_cost};
use super::traffic::overflow_tokens;
use crate::model::workload::Workload;
use serde::Serialize;

/// The article's hybrid patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pattern {
    /// Simple and medium traffic self-hosted, complex reasoning to a frontier API.
    Complexity,
    /// Sensitive traffic self-hosted, the rest to the API.
    Sensitivity,
    /// Development and testing on the API, production self-hosted.
    DevProd,
    /// A self-hosted baseline, traffic spikes overflow to the API.
    Burst,
}

crate::named!(Pattern {
    Complexity => "complexity",
    Sensitivity => "sensitivity",
    DevProd => "dev-prod",
    Burst => "burst",
});

/// Which side serves a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// The API.
    Api,
    /// The self-hosted side.
    SelfHost,
}

/// A part of the traffic and where it goes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Route {
    /// What traffic: "frontier reasoning", "sensitive", "overflow above 1 unit", ...
    pub traffic: String,
    /// Where it goes.
    pub side: Side,
    /// Model or setup id.
    pub target: String,
    /// Tokens per month.
    pub tokens_per_month: f64,
    /// Share of the workload's tokens.
    pub share: f64,
    /// USD per month.
    pub monthly_cost_usd: f64,
}

/// What a plan routes where, for checking it against the constraints.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exposure {
    /// The API side receives sensitive traffic.
    pub api_gets_sensitive: bool,
    /// The self-hosted side receives frontier-reasoning traffic.
    pub self_gets_frontier: bool,
    /// The API side serves users (its latency counts).
    pub api_user_facing: bool,
}

/// A costed hybrid plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HybridPlan {
    /// The pattern.
    pub pattern: Pattern,
    /// The routes, self-hosted first.
    pub routes: Vec<Route>,
    /// The self-hosted part.
    pub self_host: SelfHostCost,
    /// The API part.
    pub api: ApiCost,
    /// Total, USD per month.
    pub monthly_cost_usd: f64,
    /// What rules the plan out; empty when feasible.
    pub blockers: Vec<String>,
    /// Latency of the plan's user-facing traffic: the slower side it sends users to.
    pub latency: Option<super::latency::LatencyEstimate>,
    #[serde(skip)]
    /// What the plan routes where.
    pub exposure: Exposure,
}

/// What the plans are built from.
pub struct Inputs<'a> {
    /// The workload.
    pub workload: &'a Workload,
    /// The API side for ordinary traffic (main model with its frontier share).
    pub api: &'a ApiPlan<'a>,
    /// The API side for frontier traffic only.
    pub frontier: &'a ApiPlan<'a>,
    /// The self-hosted unit and what it is called in routes.
    pub unit: &'a Unit,
    /// Id shown as the self-hosted route's target.
    pub target: &'a str,
    /// Token mix.
    pub mix: Mix,
}

fn route(traffic: &str, side: Side, target: &str, tokens: f64, total: f64, usd: f64) -> Route {
    Route {
        traffic: traffic.to_string(),
        side,
        target: target.to_string(),
        tokens_per_month: tokens,
        share: if total > 0.0 { tokens / total } else { 0.0 },
        monthly_cost_usd: usd,
    }
}

/// A plan that self-hosts `self_tokens` and sends `api_tokens` to `api`.
fn split(
    inputs: &Inputs,
    pattern: Pattern,
    labels: (&str, &str),
    self_tokens: f64,
    api: &ApiPlan,
    api_tokens: f64,
    exposure: Exposure,
) -> Result<HybridPlan, EngineError> {
    let w = inputs.workload;
    let self_host = unit_cost(inputs.unit, self_tokens, w.traffic.peak_to_average());
    let api_cost = api.cost(&inputs.mix, api_tokens)?;
    Ok(plan(
        inputs, pattern, labels, self_host, api_cost, api, exposure,
    ))
}

fn plan(
    inputs: &Inputs,
    pattern: Pattern,
    labels: (&str, &str),
    self_host: SelfHostCost,
    api_cost: ApiCost,
    api: &ApiPlan,
    exposure: Exposure,
) -> HybridPlan {
    let total = inputs.workload.tokens_per_month;
    let api_target = if api.frontier_share >= 1.0 {
        &api.frontier.id
    } else {
        &api.main.id
    };
    HybridPlan {
        pattern,
        routes: vec![
            route(
                labels.0,
                Side::SelfHost,
                inputs.target,
                self_host.tokens_per_month,
                total,
                self_host.monthly_cost_usd,
            ),
            route(
                labels.1,
                Side::Api,
                api_target,
                api_cost.tokens_per_month,
                total,
                api_cost.monthly_cost_usd,
            ),
        ],
        monthly_cost_usd: self_host.monthly_cost_usd + api_cost.monthly_cost_usd,
        self_host,
        api: api_cost,
        blockers: Vec::new(),
        latency: None,
        exposure,
    }
}

/// Every hybrid plan the workload's data allows, unchecked against constraints.
pub fn plans(inputs: &Inputs) -> Result<Vec<HybridPlan>, EngineError> {
    let w = inputs.workload;
    let v = w.tokens_per_month;
    let f = w.capability.frontier_share;
    let s = w.privacy.sensitive_share;
    let d = w.dev_share;
    let mut out = Vec::new();
    if f > 0.0 && f < 1.0 {
        out.push(split(
            inputs,
            Pattern::Complexity,
            ("simple and medium traffic", "frontier reasoning"),
            v * (1.0 - f),
            inputs.frontier,
            v * f,
            Exposure {
                api_gets_sensitive: s > 0.0,
                self_gets_frontier: false,
                api_user_facing: true,
            },
        )?);
    }
    if s > 0.0 && s < 1.0 {
        out.push(split(
            inputs,
            Pattern::Sensitivity,
            ("sensitive traffic", "non-sensitive traffic"),
            v * s,
            inputs.api,
            v * (1.0 - s),
            Exposure {
                api_gets_sensitive: false,
                self_gets_frontier: f > 0.0,
                api_user_facing: true,
            },
        )?);
    }
    if d > 0.0 && d < 1.0 {
        out.push(split(
            inputs,
            Pattern::DevProd,
            ("production traffic", "development and testing"),
            v * (1.0 - d),
            inputs.api,
            v * d,
            Exposure {
                api_gets_sensitive: s > 0.0,
                self_gets_frontier: f > 0.0,
                api_user_facing: false,
            },
        )?);
    }
    if let Some(burst) = burst(inputs)? {
        out.push(burst);
    }
    Ok(out)
}

/// The burst plan: the self-hosted baseline (in whole units) that minimises GPU cost plus the
/// API cost of the overflow, among baselines strictly between no unit and the peak.
fn burst(inputs: &Inputs) -> Result<Option<HybridPlan>, EngineError> {
    let w = inputs.workload;
    let v = w.tokens_per_month;
    let par = w.traffic.peak_to_average();
    let u = inputs.unit;
    let capacity = u.tokens_per_month;
    let peak_units = super::cost::units_needed(v, par, capacity);
    let price = inputs.api.usd_per_mtok(&inputs.mix)? / 1e6;
    let spares = u.spare_units;
    let best = (1..peak_units)
        .map(|k| {
            let overflow = overflow_tokens(&w.traffic, v, f64::from(k) * capacity);
            let cost =
                f64::from(k + spares) * u.usd_per_month + u.fixed_usd_per_month + overflow * price;
            (k, overflow, cost)
        })
        .min_by(|a, b| a.2.total_cmp(&b.2));
    let Some((units, overflow, _)) = best else {
        return Ok(None);
    };
    let served = v - overflow;
    let unit_f = f64::from(units);
    let self_host = SelfHostCost {
        tokens_per_month: served,
        units: units + spares,
        spare_units: spares,
        unit_usd_per_month: u.usd_per_month,
        fixed_usd_per_month: u.fixed_usd_per_month,
        monthly_cost_usd: f64::from(units + spares) * u.usd_per_month + u.fixed_usd_per_month,
        capacity_tokens_per_month: unit_f * capacity,
        utilization: served / (unit_f * capacity),
    };
    let api_cost = inputs.api.cost(&inputs.mix, overflow)?;
    let label = format!(
        "overflow above {units} unit{}",
        if units == 1 { "" } else { "s" }
    );
    Ok(Some(plan(
        inputs,
        Pattern::Burst,
        ("baseline load", &label),
        self_host,
        api_cost,
        inputs.api,
        Exposure {
            api_gets_sensitive: w.privacy.sensitive_share > 0.0,
            self_gets_frontier: w.capability.frontier_share > 0.0,
            api_user_facing: true,
        },
    )))
}
