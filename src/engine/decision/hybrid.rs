//! Hybrid plans: the article's four patterns, each costed as a split of the workload between
//! the self-hosted side (packaged setup or sized deployment) and the API, with what would
//! rule it out. Each plan's routes (tokens, units, variable cost) plus its fixed costs add up
//! to its total, which equals the economics model's figure for the pattern.

use crate::engine::EngineError;
use crate::engine::cost::economics::{Economics, Levers};
use crate::engine::cost::{ApiPlan, Mix, Unit, unit_cost};
use crate::engine::decision::constraints::Blocker;
use crate::engine::selfhost::Target;
use crate::engine::serving::latency::LatencyEstimate;
use crate::model::decision::Pattern;
use crate::model::workload::Workload;
use serde::Serialize;

/// Which side serves a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// The API.
    Api,
    /// The self-hosted side.
    SelfHost,
}

/// What part of the traffic a route carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Traffic {
    /// Traffic that needs frontier reasoning.
    Frontier,
    /// Traffic simple enough for the small model.
    Simple,
    /// The rest, between simple and frontier.
    Medium,
    /// Everything but frontier reasoning, on one model.
    SimpleAndMedium,
    /// Sensitive traffic.
    Sensitive,
    /// Traffic that is not sensitive.
    NonSensitive,
    /// Production traffic.
    Production,
    /// Development and testing.
    Development,
    /// The load the self-hosted baseline carries.
    Baseline,
    /// What the baseline of this many units cannot carry.
    Overflow {
        /// Units of the baseline.
        units: u32,
    },
}

/// Where a route's traffic goes.
#[derive(Debug, Clone, PartialEq)]
pub enum RouteTarget {
    /// An API model, by id.
    Api(String),
    /// The self-hosted side.
    SelfHost(Target),
}

/// A part of the traffic and where it goes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Route {
    /// What traffic.
    #[serde(skip)]
    pub traffic: Traffic,
    /// Where it goes.
    pub side: Side,
    /// Model, setup or deployment.
    #[serde(skip)]
    pub target: RouteTarget,
    /// Tokens per month.
    pub tokens_per_month: f64,
    /// Share of the workload's tokens.
    pub share: f64,
    /// Self-hosted units serving it (spares included); `None` for API routes.
    pub units: Option<u32>,
    /// Cost that varies with the route: units x unit cost, or API tokens x price, USD a month.
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

/// A split of the workload between the two sides, costed but not yet checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// The pattern.
    pub pattern: Pattern,
    /// The routes, self-hosted first.
    pub routes: Vec<Route>,
    /// Costs independent of the split (personnel, other fixed), USD a month.
    pub fixed_usd_per_month: f64,
    /// Total: routes plus fixed, USD per month.
    pub monthly_cost_usd: f64,
    /// Self-hosted units over all routes.
    pub self_host_units: u32,
    /// Tokens a month sent to APIs.
    pub api_tokens_per_month: f64,
    /// What the plan routes where.
    pub exposure: Exposure,
}

/// A costed hybrid plan, checked against the constraints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HybridPlan {
    /// The pattern.
    pub pattern: Pattern,
    /// The routes, self-hosted first.
    pub routes: Vec<Route>,
    /// Costs independent of the split (personnel, other fixed), USD a month.
    pub fixed_usd_per_month: f64,
    /// Total: routes plus fixed, USD per month.
    pub monthly_cost_usd: f64,
    /// Self-hosted units over all routes.
    pub self_host_units: u32,
    /// Tokens a month sent to APIs.
    pub api_tokens_per_month: f64,
    /// Saving over the pure API option, as a share of its cost (negative: costs more).
    pub saving_vs_api: f64,
    /// Saving over the pure self-host option, as a share of its cost.
    pub saving_vs_self_host: f64,
    /// What rules the plan out; empty when feasible.
    #[serde(skip)]
    pub blockers: Vec<Blocker>,
    /// Latency of the plan's user-facing traffic: the slower side it sends users to.
    #[serde(skip)]
    pub latency: Option<LatencyEstimate>,
}

impl HybridPlan {
    /// A split with its savings against both pure options (their monthly costs), what rules it
    /// out and the latency its users see.
    pub fn new(
        split: Split,
        pure_usd: (f64, f64),
        blockers: Vec<Blocker>,
        latency: LatencyEstimate,
    ) -> HybridPlan {
        let saving = |usd: f64| 1.0 - split.monthly_cost_usd / usd.max(f64::MIN_POSITIVE);
        HybridPlan {
            saving_vs_api: saving(pure_usd.0),
            saving_vs_self_host: saving(pure_usd.1),
            pattern: split.pattern,
            routes: split.routes,
            fixed_usd_per_month: split.fixed_usd_per_month,
            monthly_cost_usd: split.monthly_cost_usd,
            self_host_units: split.self_host_units,
            api_tokens_per_month: split.api_tokens_per_month,
            blockers,
            latency: Some(latency),
        }
    }
}

/// The small-model tier of a three-tier complexity plan.
pub struct SmallTarget<'a> {
    /// One unit of the small model.
    pub unit: &'a Unit,
    /// What its routes serve on.
    pub target: &'a Target,
}

/// What the plans are built from.
pub struct Inputs<'a> {
    /// The workload.
    pub workload: &'a Workload,
    /// The API side for ordinary traffic (main model with its frontier share).
    pub api: &'a ApiPlan<'a>,
    /// The API side for frontier traffic only.
    pub frontier: &'a ApiPlan<'a>,
    /// Token mix.
    pub mix: Mix,
    /// The self-hosted unit.
    pub unit: &'a Unit,
    /// What the self-hosted routes serve on.
    pub target: &'a Target,
    /// The small-model tier, when the workload has simple traffic.
    pub small: Option<SmallTarget<'a>>,
    /// The economics the totals come from.
    pub economics: &'a Economics<'a>,
}

impl Inputs<'_> {
    fn share(&self, tokens: f64) -> f64 {
        let total = self.workload.tokens_per_month;
        if total > 0.0 { tokens / total } else { 0.0 }
    }

    /// A self-hosted route on `unit`: its units (spares included) and their cost.
    fn self_route(&self, traffic: Traffic, unit: &Unit, target: &Target, tokens: f64) -> Route {
        let c = unit_cost(unit, tokens, unit.workload_factor(self.workload));
        Route {
            traffic,
            side: Side::SelfHost,
            target: RouteTarget::SelfHost(target.clone()),
            tokens_per_month: tokens,
            share: self.share(tokens),
            units: Some(c.units),
            monthly_cost_usd: f64::from(c.units) * unit.usd_per_month,
        }
    }

    /// An API route.
    fn api_route(
        &self,
        traffic: Traffic,
        api: &ApiPlan,
        tokens: f64,
    ) -> Result<Route, EngineError> {
        // Named by the API that takes the most of this traffic (the first on a tie).
        let target = &api
            .parts
            .iter()
            .filter(|p| p.share > 0.0)
            .reduce(|a, b| if b.share > a.share { b } else { a })
            .map_or(api.lead(), |p| p.model)
            .id;
        Ok(Route {
            traffic,
            side: Side::Api,
            target: RouteTarget::Api(target.clone()),
            tokens_per_month: tokens,
            share: self.share(tokens),
            units: None,
            monthly_cost_usd: api.cost(&self.mix, tokens)?.monthly_cost_usd,
        })
    }

    fn plan(pattern: Pattern, routes: Vec<Route>, fixed: f64, exposure: Exposure) -> Split {
        let sum = |side: Side, f: fn(&Route) -> f64| {
            routes.iter().filter(|r| r.side == side).map(f).sum::<f64>()
        };
        Split {
            pattern,
            fixed_usd_per_month: fixed,
            monthly_cost_usd: routes.iter().map(|r| r.monthly_cost_usd).sum::<f64>() + fixed,
            self_host_units: routes.iter().filter_map(|r| r.units).sum(),
            api_tokens_per_month: sum(Side::Api, |r| r.tokens_per_month),
            routes,
            exposure,
        }
    }
}

/// Every hybrid plan the workload's data allows, unchecked against constraints.
pub fn plans(inputs: &Inputs) -> Result<Vec<Split>, EngineError> {
    let w = inputs.workload;
    let v = w.tokens_per_month;
    let f = w.capability.frontier_share;
    let s = w.privacy.sensitive_share;
    let d = w.dev_share;
    let fixed = inputs.unit.fixed_usd_per_month;
    let mut out = Vec::new();
    if f > 0.0 && f < 1.0 {
        out.push(complexity(inputs)?);
    }
    if s > 0.0 && s < 1.0 {
        let routes = vec![
            inputs.self_route(Traffic::Sensitive, inputs.unit, inputs.target, v * s),
            inputs.api_route(Traffic::NonSensitive, inputs.api, v * (1.0 - s))?,
        ];
        let exposure = Exposure {
            api_gets_sensitive: false,
            self_gets_frontier: f > 0.0,
            api_user_facing: true,
        };
        out.push(Inputs::plan(Pattern::Sensitivity, routes, fixed, exposure));
    }
    if d > 0.0 && d < 1.0 {
        let routes = vec![
            inputs.self_route(
                Traffic::Production,
                inputs.unit,
                inputs.target,
                v * (1.0 - d),
            ),
            inputs.api_route(Traffic::Development, inputs.api, v * d)?,
        ];
        let exposure = Exposure {
            api_gets_sensitive: s > 0.0,
            self_gets_frontier: f > 0.0,
            api_user_facing: false,
        };
        out.push(Inputs::plan(Pattern::DevProd, routes, fixed, exposure));
    }
    if let Some(b) = inputs.economics.burst(&Levers::default()) {
        let served = v - b.overflow_tokens;
        let spares = inputs.unit.spare_units;
        let units = b.units + spares;
        let routes = vec![
            Route {
                traffic: Traffic::Baseline,
                side: Side::SelfHost,
                target: RouteTarget::SelfHost(inputs.target.clone()),
                tokens_per_month: served,
                share: inputs.share(served),
                units: Some(units),
                monthly_cost_usd: f64::from(units) * inputs.unit.usd_per_month,
            },
            inputs.api_route(
                Traffic::Overflow { units: b.units },
                inputs.api,
                b.overflow_tokens,
            )?,
        ];
        let exposure = Exposure {
            api_gets_sensitive: s > 0.0,
            self_gets_frontier: f > 0.0,
            api_user_facing: true,
        };
        out.push(Inputs::plan(Pattern::Burst, routes, fixed, exposure));
    }
    Ok(out)
}

/// Complexity: frontier reasoning to the frontier API; the rest self-hosted, split between
/// the small model (simple traffic) and the large one when the workload has simple traffic.
fn complexity(inputs: &Inputs) -> Result<Split, EngineError> {
    let w = inputs.workload;
    let v = w.tokens_per_month;
    let f = w.capability.frontier_share;
    let exposure = Exposure {
        api_gets_sensitive: w.privacy.sensitive_share > 0.0,
        self_gets_frontier: false,
        api_user_facing: true,
    };
    let frontier = inputs.api_route(Traffic::Frontier, inputs.frontier, v * f)?;
    let (routes, fixed) = match (&inputs.small, &inputs.economics.small) {
        (Some(small), Some(tier)) => {
            let simple = tier.share;
            let routes = vec![
                inputs.self_route(Traffic::Simple, small.unit, small.target, v * simple),
                inputs.self_route(
                    Traffic::Medium,
                    inputs.unit,
                    inputs.target,
                    v * (1.0 - f - simple),
                ),
                frontier,
            ];
            let other = inputs.unit.fixed_usd_per_month - inputs.economics.personnel_usd;
            (routes, tier.multi_model_personnel_usd + other)
        }
        _ => (
            vec![
                inputs.self_route(
                    Traffic::SimpleAndMedium,
                    inputs.unit,
                    inputs.target,
                    v * (1.0 - f),
                ),
                frontier,
            ],
            inputs.unit.fixed_usd_per_month,
        ),
    };
    Ok(Inputs::plan(Pattern::Complexity, routes, fixed, exposure))
}
