//! The search for a deployment: the space of models, GPUs, precisions, tensor-parallel
//! degrees and hostings a workload allows; how many replicas of each configuration it needs at
//! its peak, what they cost and why a configuration is rejected; and the cheapest that fits,
//! meets capacity and meets the latency target.

use super::memo;
use super::plan::{Costs, Plan, plan};
use crate::engine::EngineError;
use crate::engine::cost::curve;
use crate::engine::cost::gpu::{Excluded, OfferRules, Unpriced};
use crate::engine::serving::kv::kv_precision;
use crate::engine::serving::sizing::{Config, Sizing};
use crate::model::catalog::Catalog;
use crate::model::catalog::hardware::{
    Gpu, Hosting, OpenModel, Precision, PriceKind, Serving, tp_choices,
};
use crate::model::catalog::policy::Policy;
use crate::model::workload::{LatencyMetric, LatencyTarget, RequestShape, Workload};

/// The request shape of a workload: its own, or the policy's output length with the input
/// from the input share.
pub fn shape(workload: &Workload, policy: &Policy) -> RequestShape {
    if let Some(r) = workload.request {
        RequestShape {
            input_tokens: r.input_tokens,
            output_tokens: r.output_tokens,
        }
    } else {
        let output = policy.self_host.default_output_tokens;
        let share = workload.input_share.min(0.99);
        RequestShape {
            input_tokens: (output * share / (1.0 - share)).round(),
            output_tokens: output,
        }
    }
}

use super::deployment::preferred;
pub use super::deployment::{Deployment, LoadLatency, Summary};
use crate::model::workload::Speculative;

/// The choices the search iterates over, already resolved against the catalog.
#[derive(Clone)]
pub struct Space<'a> {
    /// Model.
    pub model: &'a OpenModel,
    /// GPUs tried.
    pub gpus: Vec<&'a Gpu>,
    /// Precisions tried.
    pub precisions: Vec<&'a Precision>,
    /// Tensor-parallel degrees tried.
    pub tps: Vec<u32>,
    /// Hostings tried.
    pub hostings: Vec<Hosting>,
    /// Cloud price kind.
    pub kind: PriceKind,
    /// Engine.
    pub engine: &'a Serving,
    /// Total GPUs, when fixed.
    pub total_gpus: Option<u32>,
    /// Planned utilization at the peak hour.
    pub target_utilization: f64,
    /// Which cloud offers may serve the workload's sensitive traffic.
    pub rules: OfferRules,
    /// Precision of the KV cache; `None`: the engine's default.
    pub kv: Option<&'a Precision>,
    /// Expert-parallel degree (1: none); only tensor-parallel degrees it divides are tried.
    pub ep: u32,
    /// Whether attention runs data-parallel over a replica's GPUs.
    pub attention_dp: bool,
    /// Speculative decoding; `None`: none.
    pub speculative: Option<Speculative>,
}

impl Space<'_> {
    /// The cloud offers of the space's GPUs and price kind that the workload's privacy
    /// excludes; none when the space rents no GPU.
    pub fn excluded_offers(
        &self,
        policy: &crate::model::catalog::hardware::SelfHostPolicy,
    ) -> Vec<Excluded> {
        if self.hostings.contains(&Hosting::Cloud) {
            self.rules.excluded(&self.gpus, policy, self.kind)
        } else {
            Vec::new()
        }
    }
}

/// Resolves a workload's deployment request against the catalog.
pub fn space<'a>(catalog: &'a Catalog, workload: &Workload) -> Result<Space<'a>, EngineError> {
    let r = &workload.deployment;
    let sh = &catalog.policy.self_host;
    let unknown = |what: &'static str, id: &str| EngineError::UnknownId {
        what,
        id: id.to_string(),
    };
    let model_id = r.model.as_deref().unwrap_or(&sh.default_model);
    let model = catalog
        .model(model_id)
        .ok_or_else(|| unknown("model id", model_id))?;
    let gpus = match &r.gpu {
        Some(id) => vec![catalog.gpu(id).ok_or_else(|| unknown("GPU id", id))?],
        None => catalog.gpus.iter().collect(),
    };
    let precisions = match &r.precision {
        Some(id) => vec![
            catalog
                .precision(id)
                .ok_or_else(|| unknown("precision", id))?,
        ],
        None => match model
            .native_precision
            .as_deref()
            .and_then(|id| catalog.precision(id))
        {
            Some(native) => vec![native],
            None => sh
                .default_precisions
                .iter()
                .filter_map(|id| catalog.precision(id))
                .collect(),
        },
    };
    let engine_id = r.engine.as_deref().unwrap_or(&sh.engine);
    let engine = catalog
        .engine(engine_id)
        .ok_or_else(|| unknown("engine", engine_id))?;
    Ok(Space {
        model,
        gpus,
        precisions,
        tps: r
            .tp
            .map_or_else(|| tp_choices(r.gpus), |t| vec![t])
            .into_iter()
            .filter(|t| t % r.ep.unwrap_or(1) == 0)
            .collect(),
        hostings: r
            .hosting
            .map_or_else(|| vec![Hosting::Cloud, Hosting::Owned], |h| vec![h]),
        kind: r.price_kind.unwrap_or(sh.price_kind),
        engine,
        total_gpus: r.gpus,
        target_utilization: sh.target_utilization,
        rules: OfferRules::for_workload(workload),
        kv: kv_precision(catalog, r.kv_precision.as_deref())?,
        ep: r.ep.unwrap_or(1),
        attention_dp: r.attention_dp,
        speculative: r.speculative.clone(),
    })
}

/// Why a configuration cannot serve the workload.
#[derive(Debug, Clone, PartialEq)]
pub enum Rejection {
    /// The model does not fit in the GPUs' memory (the candidate says which model, GPUs and
    /// precision).
    DoesNotFit,
    /// The GPU cannot be priced for the hosting asked for.
    Unpriced(Unpriced),
    /// The GPUs given hold fewer replicas than the peak needs.
    TooFewGpus(Shortage),
    /// The peak would need more replicas than the tool counts ([`MAX_UNITS`]).
    TooManyReplicas,
    /// The request is longer than the model's context window.
    ExceedsContext {
        /// The model's context window, tokens.
        context_tokens: f64,
        /// The request (prompt and output), tokens.
        request_tokens: f64,
    },
    /// The latency at the peak misses the target.
    MissesLatency {
        /// The figure the target applies to, ms.
        figure_ms: f64,
        /// The target.
        target: LatencyTarget,
    },
}

/// Rejections of one kind, for the search summary; a shortage of GPUs is its own kind per
/// count and GPU.
#[derive(Debug, Clone, PartialEq)]
pub enum RejectionKind {
    /// Does not fit in memory.
    DoesNotFit,
    /// No cloud price of the kind asked for.
    NoCloudPrice,
    /// No purchase price or power figure for owned hosting.
    NoOwnedCost,
    /// Misses the latency target.
    MissesLatency,
    /// Too few of the GPUs given.
    TooFewGpus(Shortage),
    /// More replicas than the tool counts.
    TooManyReplicas,
    /// The request is longer than the model's context window.
    ExceedsContext {
        /// The model's context window, tokens.
        context_tokens: f64,
        /// The request (prompt and output), tokens.
        request_tokens: f64,
    },
    /// No cloud offer may serve the sensitive traffic (third parties not allowed, or no offer
    /// known to meet the requirements).
    ExcludedByPrivacy,
}

/// GPUs given that hold fewer replicas than the volume needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortage {
    /// GPUs given.
    pub total: u32,
    /// GPU id.
    pub gpu: String,
    /// GPUs per replica.
    pub tp: u32,
    /// Replicas they hold.
    pub serve: u32,
    /// Tokens a month one replica serves at the planned utilization.
    pub replica_tokens_per_month: f64,
    /// Replicas the peak needs.
    pub needed: u32,
    /// Spare replicas on top.
    pub spares: u32,
}

impl Rejection {
    /// The kind it is counted under.
    pub fn kind(&self) -> RejectionKind {
        match self {
            Rejection::DoesNotFit => RejectionKind::DoesNotFit,
            Rejection::Unpriced(u) => RejectionKind::of_unpriced(u),
            Rejection::MissesLatency { .. } => RejectionKind::MissesLatency,
            Rejection::TooFewGpus(s) => RejectionKind::TooFewGpus(s.clone()),
            Rejection::TooManyReplicas => RejectionKind::TooManyReplicas,
            Rejection::ExceedsContext {
                context_tokens,
                request_tokens,
            } => RejectionKind::ExceedsContext {
                context_tokens: *context_tokens,
                request_tokens: *request_tokens,
            },
        }
    }
}

impl RejectionKind {
    /// The kind a GPU that cannot be priced is counted under.
    pub fn of_unpriced(u: &Unpriced) -> RejectionKind {
        match u {
            Unpriced::NoCloudPrice { .. } | Unpriced::WholeNodesOnly { .. } => {
                RejectionKind::NoCloudPrice
            }
            Unpriced::ThirdPartyForbidden { .. } | Unpriced::ExcludedByPrivacy { .. } => {
                RejectionKind::ExcludedByPrivacy
            }
            _ => RejectionKind::NoOwnedCost,
        }
    }
}

/// How many configurations were rejected for one kind of reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    /// The reason.
    pub kind: RejectionKind,
    /// Configurations rejected for it.
    pub configurations: u32,
}

/// The outcome of a search.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    /// The cheapest deployment that fits, meets capacity and the latency target.
    pub best: Option<Deployment>,
    /// Every deployment that does and that no other one is at least as cheap as at every
    /// volume (the cost curve's rule, [`curve::undominated`]), as units for costing at other
    /// volumes.
    pub passing: Vec<curve::Candidate>,
    /// The fastest deployment that fits, when none meets every requirement.
    pub closest: Option<Deployment>,
    /// Configurations evaluated.
    pub evaluated: u32,
    /// Why configurations were rejected, by kind of reason, in the order first met.
    pub rejected: Vec<Rejected>,
}

/// The longest decode step the latency target allows: the interactive per-token limit, or
/// the workload's TPOT target; for a TTFT target also the time left after the network and the
/// prefill (the first token waits for one step of the running batch); for an end-to-end
/// target, what is left per output token.
fn step_limit(workload: &Workload, policy: &Policy, prefill_ms: f64) -> f64 {
    let interactive = policy.self_host.interactive_tpot_ms;
    let Some(t) = &workload.latency else {
        return interactive;
    };
    let network = match t.percentile {
        crate::model::workload::Percentile::P50 => {
            let r = policy.latency.self_host_network_rtt;
            f64::midpoint(r.min_ms, r.max_ms)
        }
        _ => policy.latency.self_host_network_rtt.max_ms,
    };
    let output = shape(workload, policy).output_tokens;
    match t.metric {
        LatencyMetric::Tpot => t.target_ms,
        LatencyMetric::Ttft => interactive.min(t.target_ms - network - prefill_ms),
        LatencyMetric::E2e => interactive.min((t.target_ms - network - prefill_ms) / output),
    }
}

/// One point of the search space.
#[derive(Clone, Copy)]
pub(super) struct Candidate<'a> {
    pub gpu: &'a Gpu,
    pub precision: &'a Precision,
    pub tp: u32,
    pub hosting: Hosting,
    /// Its slot among the search's sizings (GPU, precision, tensor-parallel degree).
    pub sized_at: usize,
    /// Its slot among the search's GPU prices (GPU, tensor-parallel degree, hosting).
    pub priced_at: usize,
}

/// One replica of the candidate sized for the workload's request at the interactive per-token
/// limit, or why it cannot be: the request is longer than the model's context window, or the
/// model does not fit in memory. The sizing is kept in the search's `table`.
pub(super) fn size_replica<'a>(
    catalog: &Catalog,
    workload: &Workload,
    space: &'a Space<'a>,
    c: Candidate<'a>,
    table: &memo::Table,
) -> Result<(Config<'a>, std::sync::Arc<Sizing>, RequestShape), Rejection> {
    let Candidate {
        gpu, precision, tp, ..
    } = c;
    let policy = &catalog.policy;
    let shape = shape(workload, policy);
    let mut config = Config {
        model: space.model,
        gpu,
        precision,
        serving: space.engine,
        tp,
        shape,
        tpot_limit_ms: None,
        kv: space.kv,
        cached_share: workload.cached_input_share,
        ep: space.ep,
        speculative: space.speculative.as_ref(),
        attention_dp: space.attention_dp,
    };
    let sized = table.sized(c.sized_at, || {
        // A request longer than the model's context window cannot be served, whatever the
        // memory.
        let request_tokens = shape.input_tokens + shape.output_tokens;
        if request_tokens > space.model.context_tokens {
            return Err(Rejection::ExceedsContext {
                context_tokens: space.model.context_tokens,
                request_tokens,
            });
        }
        let limit = step_limit(workload, policy, config.prefill_ms());
        let sizing = std::sync::Arc::new(
            Config {
                tpot_limit_ms: Some(limit),
                ..config
            }
            .size(),
        );
        if !sizing.fits {
            return Err(Rejection::DoesNotFit);
        }
        Ok((sizing, limit))
    });
    let (sizing, limit) = sized.as_ref().map_err(Clone::clone)?;
    config.tpot_limit_ms = Some(*limit);
    Ok((config, sizing.clone(), shape))
}

/// Sizes one configuration for the workload: replicas, cost, latency. `Err` says why it
/// cannot serve the workload at all.
fn evaluate(
    catalog: &Catalog,
    workload: &Workload,
    space: &Space,
    c: Candidate,
    costs: &Costs,
) -> Result<Deployment, Rejection> {
    Ok(plan(catalog, workload, space, c, costs)?.deployment(catalog, workload, space))
}

/// Searches the space for the cheapest deployment that fits, meets capacity and meets the
/// latency target (ties go to fewer GPUs, then to more capacity).
pub fn search(catalog: &Catalog, workload: &Workload, space: &Space) -> Search {
    search_beating(catalog, workload, space, None)
}

/// [`search`], where a deployment is worth returning only if it is preferred to `beat` (the
/// best of the spaces searched before): with none better, `best` is `None` and no latency is
/// worked out, while `passing` still holds what passed.
///
/// Once a search has been through this space for this workload, the candidates it found unable
/// to serve whatever the volume are counted from the memo's survey rather than met again; when
/// none of the others passes, the whole space is searched again for the closest miss.
pub fn search_beating(
    catalog: &Catalog,
    workload: &Workload,
    space: &Space,
    beat: Option<&Deployment>,
) -> Search {
    let costs = Costs::new(catalog, workload, space);
    let count = memo::candidates(space);
    let surveyed = costs.survey().and_then(|survey| {
        let mut found = Found::default();
        for &at in &survey.live {
            let c = candidate(space, at as usize);
            let planned = plan(catalog, workload, space, c, &costs).map_err(|r| r.kind());
            found.take(workload, at as usize, planned);
        }
        found.rejected.add(&survey.known);
        found.best.is_some().then_some(found)
    });
    let (found, closest) = match surveyed {
        Some(found) => (found, None),
        None => search_all(catalog, workload, space, &costs),
    };
    costs.survey_once(space);
    let Found {
        best,
        passing,
        rejected,
    } = found;
    let passed = best.is_some();
    let best = best
        .filter(|p| beat.is_none_or(|b| preferred(p.preference(), b.preference())))
        .map(|p| p.deployment(catalog, workload, space));
    costs.keep(catalog);
    Search {
        closest: if passed { None } else { closest },
        best,
        passing: passing
            .into_iter()
            .map(|(mut c, sizing)| {
                c.name = super::deployment::replica_name(&sizing);
                c
            })
            .collect(),
        evaluated: count as u32,
        rejected: rejected
            .in_order()
            .into_iter()
            .map(|(kind, configurations)| Rejected {
                kind,
                configurations,
            })
            .collect(),
    }
}

/// What a search found so far: the best plan (its latency is worked out once the search is
/// over), the undominated passing candidates with their sizings, and the rejections.
#[derive(Default)]
struct Found<'a> {
    best: Option<Plan<'a>>,
    passing: Vec<(curve::Candidate, std::sync::Arc<Sizing>)>,
    rejected: memo::Tally,
}

impl<'a> Found<'a> {
    /// Takes the plan of the candidate at position `at`, or counts its rejection.
    fn take(&mut self, workload: &Workload, at: usize, planned: Result<Plan<'a>, RejectionKind>) {
        match planned {
            Ok(p) => {
                // Kept undominated as the search goes, as the cost curve keeps them.
                curve::offer(&mut self.passing, p.candidate(workload), workload, || {
                    p.sizing()
                });
                if self
                    .best
                    .as_ref()
                    .is_none_or(|b| preferred(p.preference(), b.preference()))
                {
                    self.best = Some(p);
                }
            }
            Err(kind) => self.rejected.count(kind, 1, at),
        }
    }
}

/// The candidate at position `at` of the space's order (GPU, precision, tensor-parallel degree,
/// hosting).
fn candidate<'a>(space: &'a Space<'a>, at: usize) -> Candidate<'a> {
    let (g, p, t, h) = memo::position(space, at);
    let (sized_at, priced_at) = memo::slots(space, (g, p, t, h));
    Candidate {
        gpu: space.gpus[g],
        precision: space.precisions[p],
        tp: space.tps[t],
        hosting: space.hostings[h],
        sized_at,
        priced_at,
    }
}

/// Every candidate of the space in order, and, while nothing has passed, the closest miss.
fn search_all<'a>(
    catalog: &Catalog,
    workload: &Workload,
    space: &'a Space<'a>,
    costs: &'a Costs,
) -> (Found<'a>, Option<Deployment>) {
    let mut found = Found::default();
    let mut closest: Option<Deployment> = None;
    // The workload without its target and its search's costs, for the closest miss: made when
    // a rejection first needs them.
    let relaxed = std::cell::OnceCell::new();
    for at in 0..memo::candidates(space) {
        let c = candidate(space, at);
        // A rejection an earlier search met whatever the volume is not met again.
        let planned = match costs.known_rejection(&c) {
            Some(kind) => Err(kind),
            None => plan(catalog, workload, space, c, costs).map_err(|r| r.kind()),
        };
        let missed = planned.is_err();
        found.take(workload, at, planned);
        if missed && found.best.is_none() {
            let (relaxed, own) = relaxed.get_or_init(|| {
                let mut w = workload.clone();
                w.latency = None;
                // Without a target the relaxed workload is the workload.
                let own = workload
                    .latency
                    .is_some()
                    .then(|| Costs::new(catalog, &w, space));
                (w, own)
            });
            let costs = own.as_ref().unwrap_or(costs);
            closest = fastest_fit(catalog, (relaxed, costs), space, c, closest);
        }
    }
    if let Some((_, Some(costs))) = relaxed.into_inner() {
        costs.keep(catalog);
    }
    (found, closest)
}

/// Keeps the fitting, priceable configuration with the lowest time to first token, as the
/// closest miss to report when nothing meets every requirement. `relaxed` is the workload
/// without its latency target (everything else the workload asked for holds), `costs` its
/// search's.
fn fastest_fit(
    catalog: &Catalog,
    (relaxed, costs): (&Workload, &Costs),
    space: &Space,
    c: Candidate,
    current: Option<Deployment>,
) -> Option<Deployment> {
    let Ok(candidate) = evaluate(catalog, relaxed, space, c, costs) else {
        return current;
    };
    match current {
        Some(d) if d.latency.ttft_p95_ms <= candidate.latency.ttft_p95_ms => Some(d),
        _ => Some(candidate),
    }
}
