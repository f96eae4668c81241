//! The engine: pure functions from a catalog and a workload to an [`Analysis`] (costs,
//! crossover, volume table, hybrid plans, latency, team check, recommendation).
//! No files, printing, clock or environment here.

pub mod cost;
pub mod decision;
pub mod outlook;
pub mod selfhost;
pub mod serving;

#[cfg(test)]
pub(crate) mod testing;

use crate::model::Named;
use crate::model::decision::{Choice, Winner};
use crate::model::policy::Policy;
use crate::model::pricing::{Catalog, CostLine, Provenance};
use crate::model::units::{fmt_ms, fmt_share};
use crate::model::workload::Workload;
use cost::crossover::{self, Crossover};
use cost::team::TeamCheck;
use cost::{ApiCost, ApiPlan, Mix, SelfHostCost, Unit, unit_cost};
use cost::{economics, team};
use decision::Recommendation;
use decision::hybrid::{Exposure, HybridPlan};
use decision::{self as decide, hybrid};
use outlook::{montecarlo, projection, sensitivity};
use selfhost::search as deploy;
use serde::Serialize;
use serving::latency;
use serving::latency::LatencyEstimate;

/// Why the engine could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    /// A price the workload needs is missing from the catalog.
    #[error("API {entry:?} has no {price}, but {because}; {fix}")]
    MissingPrice {
        /// The catalog entry.
        entry: String,
        /// The missing field.
        price: &'static str,
        /// Why it is needed.
        because: String,
        /// How to fix it.
        fix: &'static str,
    },
    /// The workload names an id the catalog does not hold.
    #[error("unknown {what} {id:?}")]
    UnknownId {
        /// What kind of id.
        what: &'static str,
        /// The id.
        id: String,
    },
}

/// The API option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiOption {
    /// Catalog id of the main model.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Catalog id of the model serving the frontier share, when there is one.
    pub frontier_id: Option<String>,
    /// Cost at the workload's volume.
    #[serde(flatten)]
    pub cost: ApiCost,
    /// Latency before inference.
    pub latency: LatencyEstimate,
    /// What rules it out; empty when feasible.
    pub blockers: Vec<String>,
    /// Whether privacy rules it out.
    #[serde(skip)]
    pub privacy_blocked: bool,
    /// The privacy problem in words.
    #[serde(skip)]
    pub privacy_issue: Option<String>,
}

/// The self-host option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SelfHostOption {
    /// Sized from first principles, or a packaged setup.
    pub kind: selfhost::Kind,
    /// Setup id, for a packaged setup.
    pub setup: Option<String>,
    /// What a unit is.
    pub name: String,
    /// GPU of a unit, if known.
    pub gpu: Option<String>,
    /// Cost at the workload's volume.
    #[serde(flatten)]
    pub cost: SelfHostCost,
    /// Cost lines of one unit.
    pub unit_costs: Vec<CostLine>,
    /// Cost lines independent of units (personnel, other fixed).
    pub fixed_costs: Vec<CostLine>,
    /// Tokens per month one unit serves.
    pub tokens_per_month_per_unit: f64,
    /// The sized deployment: replicas, memory, throughput, latency, GPU cost.
    pub deployment: Option<deploy::Deployment>,
    /// What the deployment search looked at.
    pub search: Option<selfhost::SearchSummary>,
    /// Latency estimate.
    pub latency: LatencyEstimate,
    /// Team check.
    pub team: TeamCheck,
    /// What rules it out; empty when feasible.
    pub blockers: Vec<String>,
    /// Things to know about this option.
    pub notes: Vec<String>,
    /// Ways to meet a latency target the deployment misses, cheapest first.
    pub remedies: Vec<selfhost::remedies::Remedy>,
}

impl SelfHostOption {
    /// What the option is called in tables: its packaged setup's id, or the deployment's name.
    pub fn label(&self) -> &str {
        self.setup.as_deref().unwrap_or(&self.name)
    }

    /// The deployment in words: "1 x Cloud GPU (A100)", or "2 replicas of llama-3.1-70b
    /// (fp8) on 1 x h200 = 2 GPUs, 1 of them spare".
    pub fn describe(&self) -> String {
        match &self.deployment {
            Some(d) if self.kind == selfhost::Kind::Sized => {
                let units = self.cost.units;
                let tp = d.sizing.tensor_parallel;
                let spare = if self.cost.spare_units > 0 {
                    format!(", {} of them spare", self.cost.spare_units * tp)
                } else {
                    String::new()
                };
                format!(
                    "{units} replica{} of {} ({}) on {tp} x {} = {} GPU{}{spare}",
                    if units == 1 { "" } else { "s" },
                    d.sizing.model,
                    d.sizing.precision,
                    d.sizing.gpu,
                    units * tp,
                    if units * tp == 1 { "" } else { "s" },
                )
            }
            _ => format!("{} x {}", self.cost.units, self.name),
        }
    }
}

/// A row of the volume table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VolumeRow {
    /// Tokens per month.
    pub tokens_per_month: f64,
    /// API cost, USD per month.
    pub api_monthly_cost_usd: f64,
    /// Self-host cost, USD per month.
    pub self_host_monthly_cost_usd: f64,
    /// Units of the setup.
    pub self_host_units: u32,
    /// Who wins.
    pub winner: Winner,
    /// The workload's own volume.
    pub is_workload: bool,
}

/// A value the result depends on, with its source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assumption {
    /// What it is.
    pub name: String,
    /// Its value.
    pub value: f64,
    /// Its unit.
    pub unit: &'static str,
    /// Where it comes from.
    pub source: String,
}

/// Everything the engine works out for one workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The workload.
    pub workload: Workload,
    /// The policy in force.
    pub policy: Policy,
    /// The API option.
    pub api: ApiOption,
    /// The self-host option.
    pub self_host: SelfHostOption,
    /// Hybrid plans.
    pub hybrids: Vec<HybridPlan>,
    /// The crossover.
    pub crossover: Crossover,
    /// The volume table.
    pub volume_table: Vec<VolumeRow>,
    /// The recommendation.
    pub recommendation: Recommendation,
    /// Values the result depends on.
    pub assumptions: Vec<Assumption>,
    /// Provenance of the catalog entries used.
    pub sources: Vec<Source>,
    /// Month-by-month costs as the volume grows, and the total cost of ownership.
    pub projection: projection::Projection,
    /// Tornado and break-even thresholds.
    pub sensitivity: sensitivity::Sensitivity,
    /// Monte Carlo over the uncertain assumptions.
    pub uncertainty: montecarlo::Uncertainty,
}

/// Analyzes a workload against the catalog.
pub fn analyze(catalog: &Catalog, workload: &Workload) -> Result<Analysis, EngineError> {
    let policy = &catalog.policy;
    let (plan, mix) = api_plan(catalog, workload)?;
    let (main, frontier) = (plan.main, plan.frontier);
    let side = selfhost::side(catalog, workload)?;
    let unit = &side.unit;
    let frontier_only = ApiPlan {
        main: frontier,
        frontier,
        frontier_share: 1.0,
    };
    let par = workload.traffic.peak_to_average();
    let v = workload.tokens_per_month;
    let api_cost = plan.cost(&mix, v)?;
    let sh_cost = unit_cost(unit, v, par);
    let target = workload.latency.as_ref();
    let output_tokens = deploy::shape(workload, policy).output_tokens;
    let api_latency = latency::api(policy, main, workload.api_network, output_tokens, target);
    let self_latency = latency::self_host(
        policy,
        side.deployment.as_ref().map(deploy::Deployment::inference),
        output_tokens,
        target,
    );
    let constraints = Constraints::new(workload, &plan, &api_latency, &self_latency);
    let mut crossover = crossover::crossover(
        plan.usd_per_mtok(&mix)?,
        unit.usd_per_month,
        unit.tokens_per_month / par,
        unit.fixed_with_spares(),
    );
    crossover.units = crossover.units.map(|u| u + unit.spare_units);
    let target_id = side
        .setup
        .clone()
        .unwrap_or_else(|| match &side.deployment {
            Some(d) => format!(
                "{} ({}) on {}",
                d.sizing.model, d.sizing.precision, d.sizing.gpu
            ),
            None => unit.name.clone(),
        });
    let economics = economics(workload, &plan, &frontier_only, &mix, &side)?;
    let mut hybrids = hybrid::plans(&hybrid::Inputs {
        workload,
        api: &plan,
        frontier: &frontier_only,
        mix,
        unit,
        target: &target_id,
        small: side.small.as_ref().map(|s| hybrid::SmallTarget {
            unit: &s.unit,
            target: s.target.clone(),
        }),
        economics: &economics,
    })?;
    for h in &mut hybrids {
        h.saving_vs_api =
            1.0 - h.monthly_cost_usd / api_cost.monthly_cost_usd.max(f64::MIN_POSITIVE);
        h.saving_vs_self_host =
            1.0 - h.monthly_cost_usd / sh_cost.monthly_cost_usd.max(f64::MIN_POSITIVE);
        h.blockers = constraints.blockers(h.exposure, true, true);
        h.blockers.extend(side.blockers.iter().cloned());
        h.latency = Some(
            if h.exposure.api_user_facing && slower(&api_latency, &self_latency) {
                api_latency.clone()
            } else {
                self_latency.clone()
            },
        );
    }
    let team = team::check(&catalog.staffing, workload, sh_cost.units, false);
    let volume_table = volume_table(policy, workload, &plan, &mix, unit)?;
    let mut self_blockers = constraints.blockers(
        Exposure {
            api_gets_sensitive: false,
            self_gets_frontier: workload.capability.frontier_share > 0.0,
            api_user_facing: false,
        },
        false,
        true,
    );
    self_blockers.extend(side.blockers.iter().cloned());
    let mut sources = vec![Source::new(&main.id, SourceKind::Price, &main.provenance)];
    if frontier.id != main.id && workload.capability.frontier_share > 0.0 {
        sources.push(Source::new(
            &frontier.id,
            SourceKind::Price,
            &frontier.provenance,
        ));
    }
    sources.extend(self_host_sources(catalog, &side));
    sources.push(Source::new(
        "staffing",
        SourceKind::Assumption,
        &catalog.staffing.provenance,
    ));
    let mut analysis = Analysis {
        workload: workload.clone(),
        policy: policy.clone(),
        api: ApiOption {
            id: main.id.clone(),
            name: main.name.clone(),
            frontier_id: (workload.capability.frontier_share > 0.0 && frontier.id != main.id)
                .then(|| frontier.id.clone()),
            cost: api_cost,
            latency: api_latency,
            blockers: constraints.blockers(
                Exposure {
                    api_gets_sensitive: workload.privacy.sensitive_share > 0.0,
                    self_gets_frontier: false,
                    api_user_facing: true,
                },
                true,
                false,
            ),
            privacy_blocked: constraints.api_privacy.is_some(),
            privacy_issue: constraints.api_privacy.clone(),
        },
        self_host: SelfHostOption {
            kind: side.kind,
            setup: side.setup.clone(),
            name: unit.name.clone(),
            gpu: side.gpu.clone(),
            cost: sh_cost,
            unit_costs: unit.lines.clone(),
            fixed_costs: unit.fixed_lines.clone(),
            tokens_per_month_per_unit: unit.tokens_per_month,
            deployment: side.deployment.clone(),
            search: side.search.clone(),
            latency: self_latency,
            team,
            blockers: self_blockers,
            notes: side.notes.clone(),
            remedies: side.remedies.clone(),
        },
        hybrids,
        crossover,
        volume_table,
        recommendation: decide::Recommendation::empty(),
        assumptions: assumptions(catalog, workload, &side),
        sources,
        projection: projection::Projection {
            growth_monthly: 0.0,
            api_price_decline_yearly: 0.0,
            hybrid_pattern: None,
            months: Vec::new(),
            crossover_month: None,
            start_planning_month: None,
            ready_to_switch_month: None,
            tco: Vec::new(),
        },
        sensitivity: sensitivity::sensitivity(&economics, &tornado_ranges(policy, workload)),
        uncertainty: montecarlo::Uncertainty {
            draws: 0,
            seed: 0,
            ranges: Vec::new(),
            options: Vec::new(),
        },
    };
    analysis.recommendation = decide::decide(&analysis);
    let hybrid = match analysis.recommendation.pattern {
        Some(p) => Some(p),
        None => analysis
            .hybrids
            .iter()
            .filter(|h| h.blockers.is_empty())
            .min_by(|a, b| a.monthly_cost_usd.total_cmp(&b.monthly_cost_usd))
            .map(|h| h.pattern),
    };
    analysis.projection = projection::project(
        &economics,
        &projection::Settings {
            growth_monthly: workload.growth_monthly,
            api_price_decline_yearly: workload
                .api_price_decline_yearly
                .unwrap_or(policy.api_price_decline_yearly),
            horizon_months: workload.horizon_months.unwrap_or(policy.horizon_months),
            start_planning_usd: policy.start_planning_usd_per_month,
            ready_to_switch_usd: policy.ready_to_switch_usd_per_month,
        },
        hybrid,
    );
    let ranges = if workload.ranges.is_empty() {
        tornado_ranges(policy, workload)
    } else {
        workload.ranges.clone()
    };
    analysis.uncertainty = montecarlo::simulate(
        &economics,
        &feasible_options(&analysis),
        &ranges,
        workload.draws.unwrap_or(policy.monte_carlo_draws),
        workload.seed.unwrap_or(policy.monte_carlo_seed),
    );
    Ok(analysis)
}

/// The tornado's ranges: the policy's, with the workload's input share as the likely mix and
/// any range the workload gives for a lever instead of the policy's.
fn tornado_ranges(policy: &Policy, w: &Workload) -> Vec<sensitivity::Range> {
    policy
        .sensitivity
        .iter()
        .map(|r| match w.ranges.iter().find(|x| x.lever == r.lever) {
            Some(own) => *own,
            None if r.lever.is_share() => sensitivity::Range {
                likely: w.input_share.clamp(r.low, r.high),
                ..*r
            },
            None => *r,
        })
        .collect()
}

/// The options nothing rules out, for the Monte Carlo.
fn feasible_options(a: &Analysis) -> Vec<montecarlo::OptionId> {
    let mut out = Vec::new();
    if a.api.blockers.is_empty() {
        out.push(montecarlo::OptionId::Api);
    }
    if a.self_host.blockers.is_empty() {
        out.push(montecarlo::OptionId::SelfHost);
    }
    out.extend(
        a.hybrids
            .iter()
            .filter(|h| h.blockers.is_empty())
            .map(|h| montecarlo::OptionId::Hybrid(h.pattern)),
    );
    out
}

/// The economics of a workload: rates, unit, fixed costs and the personnel in them.
fn economics<'a>(
    workload: &'a Workload,
    plan: &ApiPlan,
    frontier: &ApiPlan,
    mix: &Mix,
    side: &'a selfhost::Side,
) -> Result<economics::Economics<'a>, EngineError> {
    let personnel = |lines: &[CostLine]| {
        lines
            .iter()
            .filter(|l| l.name.starts_with("personnel"))
            .map(|l| l.usd_per_month)
            .sum::<f64>()
    };
    Ok(economics::Economics {
        volume: workload.tokens_per_month,
        input_share: workload.input_share,
        plan: plan.rates(mix)?,
        frontier: frontier.rates(mix)?,
        frontier_share: workload.capability.frontier_share,
        unit: &side.unit,
        personnel_usd: personnel(&side.unit.fixed_lines),
        unit_personnel_usd: personnel(&side.unit.lines),
        traffic: &workload.traffic,
        sensitive_share: workload.privacy.sensitive_share,
        dev_share: workload.dev_share,
        small: side.small.as_ref().map(|s| economics::SmallTier {
            share: workload.capability.simple_share,
            unit: s.unit.clone(),
            multi_model_personnel_usd: s.multi_model_personnel_usd,
        }),
    })
}

/// Whether the API's user-facing latency is the worse of the two sides.
fn slower(api: &LatencyEstimate, self_host: &LatencyEstimate) -> bool {
    let figure = |e: &LatencyEstimate| e.target_estimate_ms.unwrap_or(e.ttft_p95_ms);
    api.meets_target == Some(false) || figure(api) >= figure(self_host)
}

/// What a catalog entry behind a result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A market price (an API's list price, a GPU rental, a packaged setup's cost): it goes
    /// stale, so its age is checked.
    Price,
    /// A specification (a GPU's memory, a model's architecture).
    Spec,
    /// A stated assumption (loaded salaries).
    Assumption,
}

/// A catalog entry a result relied on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// The entry: an id, or `<gpu> <provider> <kind>` for a GPU price.
    pub id: String,
    /// What it is.
    pub kind: SourceKind,
    /// When it was checked and against what.
    pub provenance: Provenance,
}

impl Source {
    fn new(id: &str, kind: SourceKind, provenance: &Provenance) -> Source {
        Source {
            id: id.to_string(),
            kind,
            provenance: provenance.clone(),
        }
    }
}

/// Provenance of the catalog entries behind the self-host side.
fn self_host_sources(catalog: &Catalog, side: &selfhost::Side) -> Vec<Source> {
    let mut out = Vec::new();
    if let Some(setup) = side.setup.as_deref().and_then(|id| catalog.setup(id)) {
        out.push(Source::new(&setup.id, SourceKind::Price, &setup.provenance));
    }
    if let Some(d) = &side.deployment {
        if let Some(m) = catalog.model(&d.sizing.model) {
            out.push(Source::new(&m.id, SourceKind::Spec, &m.provenance));
        }
        if let Some(g) = catalog.gpu(&d.sizing.gpu) {
            out.push(Source::new(&g.id, SourceKind::Spec, &g.provenance));
        }
        if let Some(p) = &d.gpu_cost.price {
            out.push(Source::new(
                &format!("{} {} {}", d.sizing.gpu, p.provider, p.kind.id()),
                SourceKind::Price,
                &Provenance {
                    checked: Some(p.checked),
                    source: p.source.clone(),
                },
            ));
        }
    }
    out
}

/// The volume table: the policy's volumes and the workload's own.
fn volume_table(
    policy: &Policy,
    workload: &Workload,
    plan: &ApiPlan,
    mix: &Mix,
    unit: &Unit,
) -> Result<Vec<VolumeRow>, EngineError> {
    let mut volumes: Vec<f64> = policy.volumes.clone();
    if !volumes.contains(&workload.tokens_per_month) {
        volumes.push(workload.tokens_per_month);
    }
    volumes.sort_by(f64::total_cmp);
    volume_rows(policy, workload, plan, mix, unit, &volumes)
}

/// Both sides' monthly cost at each volume, with the same API plan, token mix and
/// self-hosted unit as the workload (the unit count steps with the volume).
pub fn sweep(
    catalog: &Catalog,
    workload: &Workload,
    volumes: &[f64],
) -> Result<Vec<VolumeRow>, EngineError> {
    let (plan, mix) = api_plan(catalog, workload)?;
    let side = selfhost::side(catalog, workload)?;
    volume_rows(&catalog.policy, workload, &plan, &mix, &side.unit, volumes)
}

/// The workload's API plan (its API, and the frontier API for its frontier share) and its
/// token mix.
fn api_plan<'a>(
    catalog: &'a Catalog,
    workload: &Workload,
) -> Result<(ApiPlan<'a>, Mix), EngineError> {
    let find_api = |id: &str| {
        catalog.api(id).ok_or_else(|| EngineError::UnknownId {
            what: "API id",
            id: id.to_string(),
        })
    };
    let plan = ApiPlan {
        main: find_api(&workload.api)?,
        frontier: find_api(&workload.capability.frontier_api)?,
        frontier_share: workload.capability.frontier_share,
    };
    let mix = Mix {
        input_share: workload.input_share,
        cached_input_share: workload.cached_input_share,
        batch_share: workload.batch_share,
    };
    Ok((plan, mix))
}

fn volume_rows(
    policy: &Policy,
    workload: &Workload,
    plan: &ApiPlan,
    mix: &Mix,
    unit: &Unit,
    volumes: &[f64],
) -> Result<Vec<VolumeRow>, EngineError> {
    let v = workload.tokens_per_month;
    let par = workload.traffic.peak_to_average();
    volumes
        .iter()
        .map(|&tokens| {
            let api = plan.cost(mix, tokens)?.monthly_cost_usd;
            let sh = unit_cost(unit, tokens, par);
            Ok(VolumeRow {
                tokens_per_month: tokens,
                api_monthly_cost_usd: api,
                self_host_monthly_cost_usd: sh.monthly_cost_usd,
                self_host_units: sh.units,
                winner: match decide::winner(api, sh.monthly_cost_usd, policy.tie_band) {
                    None => Winner::Tie,
                    Some(Choice::Api) => Winner::Api,
                    Some(_) => Winner::SelfHost,
                },
                is_workload: tokens == v,
            })
        })
        .collect()
}

/// The hard constraints, worked out once and applied to every option.
struct Constraints {
    /// Why sensitive traffic may not go to the API, if it may not.
    api_privacy: Option<String>,
    /// Why the API misses the latency target, if it does.
    api_latency: Option<String>,
    /// Why the self-hosted side may not serve frontier traffic, if it may not.
    self_frontier: Option<String>,
    /// Why the self-hosted side misses the latency target, if it does.
    self_latency: Option<String>,
}

impl Constraints {
    fn new(w: &Workload, plan: &ApiPlan, api: &LatencyEstimate, sh: &LatencyEstimate) -> Self {
        let p = &w.privacy;
        let api_privacy = if p.sensitive_share <= 0.0 {
            None
        } else if !p.third_party_allowed {
            Some("third-party processing is not allowed".to_string())
        } else {
            let mut models = vec![plan.main];
            if plan.frontier_share > 0.0 && plan.frontier.id != plan.main.id {
                models.push(plan.frontier);
            }
            let gaps: Vec<String> = p
                .requires
                .iter()
                .flat_map(|offer| {
                    models
                        .iter()
                        .filter_map(move |m| match m.compliance.offers(*offer) {
                            Some(true) => None,
                            Some(false) => Some(format!("{} does not offer {}", m.id, offer.id())),
                            None => Some(format!(
                                "it is not known whether {} offers {}",
                                m.id,
                                offer.id()
                            )),
                        })
                })
                .collect();
            (!gaps.is_empty()).then(|| gaps.join(", "))
        };
        let miss = |e: &LatencyEstimate, side: &str| {
            let t = w.latency.as_ref()?;
            (e.meets_target == Some(false)).then(|| {
                let figure = fmt_ms(e.target_estimate_ms.unwrap_or(e.ttft_p95_ms));
                let target = format!(
                    "{} {} {}",
                    fmt_ms(t.target_ms),
                    t.percentile.id(),
                    t.metric.id()
                );
                if e.lower_bound {
                    format!("{side} network and queueing alone ({figure}) miss the {target} target")
                } else {
                    format!(
                        "{side} estimated {} {} of {figure} misses the {target} target",
                        t.percentile.id(),
                        t.metric.id()
                    )
                }
            })
        };
        Constraints {
            api_privacy,
            api_latency: miss(api, "the API's"),
            self_frontier: (w.capability.frontier_share > 0.0).then(|| {
                format!(
                    "{} of traffic needs frontier reasoning, which no open model offers",
                    fmt_share(w.capability.frontier_share)
                )
            }),
            self_latency: miss(sh, "the self-hosted side's"),
        }
    }

    fn blockers(&self, e: Exposure, uses_api: bool, uses_self: bool) -> Vec<String> {
        let mut out = Vec::new();
        if uses_api
            && e.api_gets_sensitive
            && let Some(p) = &self.api_privacy
        {
            out.push(format!("sensitive traffic would reach the API, but {p}"));
        }
        if uses_api
            && e.api_user_facing
            && let Some(l) = &self.api_latency
        {
            out.push(l.clone());
        }
        if uses_self
            && e.self_gets_frontier
            && let Some(f) = &self.self_frontier
        {
            out.push(f.clone());
        }
        if uses_self && let Some(l) = &self.self_latency {
            out.push(l.clone());
        }
        out
    }
}

fn assumptions(catalog: &Catalog, w: &Workload, side: &selfhost::Side) -> Vec<Assumption> {
    let p = &catalog.policy;
    let setup = side.setup.as_deref().and_then(|id| catalog.setup(id));
    let mut out = vec![
        Assumption {
            name: "input_share".into(),
            value: w.input_share,
            unit: "share",
            source: if (w.input_share - p.default_input_share).abs() < 1e-12 {
                "policy.default_input_share (article: one third input, two thirds output)".into()
            } else {
                "workload".into()
            },
        },
        Assumption {
            name: "tie_band".into(),
            value: p.tie_band,
            unit: "share",
            source: "policy.tie_band (costs this close are \"roughly equal\")".into(),
        },
        Assumption {
            name: "self_host.tokens_per_month_per_unit".into(),
            value: side.unit.tokens_per_month,
            unit: "tokens/month",
            source: match setup {
                Some(s) => s
                    .capacity_note
                    .clone()
                    .unwrap_or_else(|| s.provenance.source.clone()),
                None => format!(
                    "sizing engine: one replica at {}% utilization (policy.self_host.target_utilization)",
                    p.self_host.target_utilization * 100.0
                ),
            },
        },
        Assumption {
            name: "self_host.unit_usd_per_month".into(),
            value: side.unit.usd_per_month,
            unit: "USD/month",
            source: match setup {
                Some(s) => s.provenance.source.clone(),
                None => {
                    "GPU cost x GPUs per replica (options.self_host.deployment.gpu_cost)".into()
                }
            },
        },
        Assumption {
            name: "peak_to_average".into(),
            value: w.traffic.peak_to_average(),
            unit: "ratio",
            source: format!("traffic shape {}", w.traffic.shape.id()),
        },
        Assumption {
            name: "api_network_rtt_p95_ms".into(),
            value: p.latency.api_network_rtt.max_ms,
            unit: "ms",
            source: "policy.latency.api_network_rtt_ms (article: 50-150 ms)".into(),
        },
        Assumption {
            name: "api_queue_p95_ms".into(),
            value: p.latency.api_queue.max_ms,
            unit: "ms",
            source: "policy.latency.api_queue_ms (article: 0-500 ms)".into(),
        },
    ];
    for role in &catalog.staffing.roles {
        out.push(Assumption {
            name: format!("staffing.roles[{}].usd_per_month", role.role),
            value: role.usd_per_month,
            unit: "USD/month",
            source: role.source.clone(),
        });
    }
    out
}
