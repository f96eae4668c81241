//! The options priced at the workload's volume and checked against the constraints: the API
//! (its plan and latency), the self-hosted side (its unit, team and latency), the hybrid
//! splits between them, and the break-even volume and volume table.

use crate::engine::EngineError;
use crate::engine::analysis::{ApiOption, SelfHostOption, VolumeRow};
use crate::engine::cost::crossover::Crossover;
use crate::engine::cost::curve::Curve;
use crate::engine::cost::economics::Economics;
use crate::engine::cost::{ApiPlan, Mix, api_plan, team, unit_cost};
use crate::engine::decision::constraints::{Blocker, Constraints};
use crate::engine::decision::hybrid::{self, Exposure, HybridPlan};
use crate::engine::decision::volumes::volume_table;
use crate::engine::selfhost::{self, Side};
use crate::engine::serving::latency::{self, LatencyEstimate};
use crate::model::catalog::Catalog;
use crate::model::workload::{ApiShare, Workload};

/// The options, priced and checked.
pub struct Priced {
    /// The API option.
    pub api: ApiOption,
    /// The self-hosted model sold as an API by serverless providers, each priced and checked
    /// like the API: the baseline self-hosting competes with.
    pub serverless: Vec<ApiOption>,
    /// The self-host option.
    pub self_host: SelfHostOption,
    /// The hybrid plans.
    pub hybrids: Vec<HybridPlan>,
    /// The break-even volume.
    pub crossover: Crossover,
    /// Both sides at other volumes.
    pub volume_table: Vec<VolumeRow>,
}

/// Prices every option at the workload's volume and checks it against the constraints.
pub fn price(
    catalog: &Catalog,
    workload: &Workload,
    (plan, mix): (&ApiPlan, &Mix),
    side: &Side,
    (economics, depth): (&Economics, crate::engine::Depth),
) -> Result<Priced, EngineError> {
    let policy = &catalog.policy;
    let output_tokens = selfhost::search::shape(workload, policy).output_tokens;
    let target = workload.latency.as_ref();
    let self_latency = latency::self_host(
        policy,
        side.deployment
            .as_ref()
            .map(selfhost::search::Deployment::inference),
        output_tokens,
        target,
    );
    let (api, constraints) = api_option(catalog, workload, (plan, mix), &self_latency)?;
    let serverless = serverless(catalog, workload, side, &self_latency)?;
    let self_host = self_host_option(catalog, workload, side, &constraints, self_latency);
    let hybrids = hybrids(
        workload,
        (plan, mix),
        side,
        economics,
        &constraints,
        (&api, &self_host),
    )?;
    let curve = Curve {
        candidates: &side.candidates,
        catalog,
        workload,
    };
    let crossover = curve.crossover(plan.usd_per_mtok(mix)?);
    Ok(Priced {
        volume_table: match depth {
            crate::engine::Depth::Full => volume_table(policy, workload, plan, mix, &curve)?,
            crate::engine::Depth::Decision => Vec::new(),
        },
        api,
        serverless,
        self_host,
        hybrids,
        crossover,
    })
}

/// An API plan priced at the workload's volume, with its latency and what rules it out, and
/// the constraints worked out against it (which the other options share).
fn api_option(
    catalog: &Catalog,
    workload: &Workload,
    (plan, mix): (&ApiPlan, &Mix),
    self_latency: &LatencyEstimate,
) -> Result<(ApiOption, Constraints), EngineError> {
    let api_latency = api_latency(catalog, workload, plan);
    let constraints = Constraints::new(workload, &plan.models(), &api_latency, self_latency);
    let lead = plan.lead();
    let kept = plan.frontier_only();
    let api = ApiOption {
        id: lead.id.clone(),
        name: lead.name.clone(),
        tier: lead.tier,
        frontier_id: (!kept.parts.is_empty() && kept.lead().id != lead.id)
            .then(|| kept.lead().id.clone()),
        cost: plan.cost(mix, workload.tokens_per_month)?,
        blockers: constraints.blockers(
            Exposure {
                api_gets_sensitive: workload.privacy.sensitive_share > 0.0,
                self_gets_frontier: false,
                api_user_facing: true,
            },
            true,
            false,
        ),
        privacy_issue: constraints.api_privacy.clone(),
        latency: api_latency,
    };
    Ok((api, constraints))
}

/// The API side's latency: the slowest of the APIs whose traffic a self-hosted side may take
/// (the traffic that stays on an API sees the same API in every option).
fn api_latency(catalog: &Catalog, workload: &Workload, plan: &ApiPlan) -> LatencyEstimate {
    let policy = &catalog.policy;
    let output_tokens = selfhost::search::shape(workload, policy).output_tokens;
    let figure = |e: &LatencyEstimate| e.target_estimate_ms.unwrap_or(e.ttft_p95_ms);
    plan.replaceable()
        .into_iter()
        .map(|m| {
            latency::api(
                policy,
                m,
                workload.api_network,
                output_tokens,
                workload.latency.as_ref(),
            )
        })
        .reduce(|a, b| if figure(&b) > figure(&a) { b } else { a })
        .unwrap_or_else(|| unreachable!("a plan has a part a self-hosted side may take"))
}

/// The sized deployment's model as serverless providers sell it (catalog APIs whose `serves`
/// names it), cheapest first, each priced and checked as the workload's API would be: same
/// traffic, same frontier routing, same privacy, context and latency rules.
///
/// # Errors
/// Only when the frontier API is not in the catalog.
fn serverless(
    catalog: &Catalog,
    workload: &Workload,
    side: &Side,
    self_latency: &LatencyEstimate,
) -> Result<Vec<ApiOption>, EngineError> {
    let Some(model) = side.deployment.as_ref().map(|d| &d.sizing.model) else {
        return Ok(Vec::new());
    };
    let mut options = Vec::new();
    for api in &catalog.apis {
        if api.id == workload.api || api.serves.as_ref().is_none_or(|s| &s.model != model) {
            continue;
        }
        let mut w = workload.clone();
        w.api.clone_from(&api.id);
        if !w.apis.is_empty() {
            // The serverless API takes the traffic a self-hosted side would; the rest of the
            // mix stays where it is.
            let (mixed, _) = api_plan(catalog, workload)?;
            let kept = mixed.frontier_only();
            w.apis = kept
                .parts
                .iter()
                .map(|p| ApiShare {
                    api: p.model.id.clone(),
                    share: p.share * mixed.frontier_share(),
                })
                .chain([ApiShare {
                    api: api.id.clone(),
                    share: 1.0 - mixed.frontier_share(),
                }])
                .collect();
        }
        let (plan, mix) = api_plan(catalog, &w)?;
        // One that lacks a price the workload needs (a batch price, with batch traffic) is not
        // a baseline this workload could buy; it is left out rather than priced without it.
        if let Ok((option, _)) = api_option(catalog, &w, (&plan, &mix), self_latency) {
            options.push(option);
        }
    }
    options.sort_by(|a, b| a.cost.monthly_cost_usd.total_cmp(&b.cost.monthly_cost_usd));
    Ok(options)
}

/// The self-hosted side priced at the workload's volume, with its team check and what rules
/// it out (a constraint, or no deployment meeting every requirement).
fn self_host_option(
    catalog: &Catalog,
    workload: &Workload,
    side: &Side,
    constraints: &Constraints,
    latency: LatencyEstimate,
) -> SelfHostOption {
    let unit = &side.unit;
    let cost = unit_cost(
        unit,
        workload.tokens_per_month,
        unit.workload_factor(workload),
    );
    let mut blockers = constraints.blockers(
        Exposure {
            api_gets_sensitive: false,
            self_gets_frontier: workload.capability.frontier_share > 0.0,
            api_user_facing: false,
        },
        false,
        true,
    );
    blockers.extend(no_deployment(side));
    SelfHostOption {
        kind: side.kind,
        setup: side.setup.clone(),
        name: unit.name.clone(),
        gpu: side.gpu.clone(),
        unit_costs: unit.lines.clone(),
        fixed_costs: unit.fixed_lines.clone(),
        tokens_per_month_per_unit: unit.tokens_per_month,
        deployment: side.deployment.clone(),
        search: side.search.clone(),
        team: team::check(&catalog.staffing, workload, cost.units, false),
        cost,
        latency,
        blockers,
        notes: side.notes.clone(),
        remedies: side.remedies.clone(),
        tiers: side.tiers.clone(),
    }
}

/// The side's own blocker: no deployment meets every requirement.
fn no_deployment(side: &Side) -> Option<Blocker> {
    side.no_deployment
        .clone()
        .map(|n| Blocker::NoDeployment(Box::new(n)))
}

/// Every hybrid split the workload allows, checked: its savings against the pure options,
/// what rules it out, and the latency its users see (the slower side it sends them to).
fn hybrids(
    workload: &Workload,
    (plan, mix): (&ApiPlan, &Mix),
    side: &Side,
    economics: &Economics,
    constraints: &Constraints,
    (api, self_host): (&ApiOption, &SelfHostOption),
) -> Result<Vec<HybridPlan>, EngineError> {
    let frontier_only = plan.frontier_only();
    let target = side.target();
    let splits = hybrid::plans(&hybrid::Inputs {
        workload,
        api: plan,
        frontier: &frontier_only,
        mix: *mix,
        unit: &side.unit,
        target: &target,
        small: side.small.as_ref().map(|s| hybrid::SmallTarget {
            unit: &s.unit,
            target: &s.target,
        }),
        economics,
    })?;
    let pure = (api.cost.monthly_cost_usd, self_host.cost.monthly_cost_usd);
    Ok(splits
        .into_iter()
        .map(|split| {
            let mut blockers = constraints.blockers(split.exposure, true, true);
            blockers.extend(no_deployment(side));
            let latency =
                if split.exposure.api_user_facing && slower(&api.latency, &self_host.latency) {
                    api.latency.clone()
                } else {
                    self_host.latency.clone()
                };
            HybridPlan::new(split, pure, blockers, latency)
        })
        .collect())
}

/// Whether the API's user-facing latency is the worse of the two sides.
fn slower(api: &LatencyEstimate, self_host: &LatencyEstimate) -> bool {
    let figure = |e: &LatencyEstimate| e.target_estimate_ms.unwrap_or(e.ttft_p95_ms);
    api.meets_target == Some(false) || figure(api) >= figure(self_host)
}
