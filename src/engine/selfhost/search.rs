//! Sized deployments: how many replicas of a model on a GPU a workload needs at its peak,
//! what a GPU costs a month (cloud or owned, line by line), the personnel the deployment
//! needs, and the search for the cheapest deployment that fits, meets capacity and meets the
//! latency target.

use crate::engine::EngineError;
use crate::engine::cost::gpu::{GpuMonthly, gpu_monthly, personnel};
use crate::engine::cost::{Unit, fixed_line};
use crate::engine::serving::latency::{self, Inference, LatencyEstimate};
use crate::engine::serving::queueing::Queue;
use crate::engine::serving::sizing::{Config, Sizing};
use crate::model::Named;
use crate::model::hardware::{Gpu, Hosting, OpenModel, Precision, PriceKind, Serving, TP_DEGREES};
use crate::model::policy::Policy;
use crate::model::pricing::{Catalog, CostLine};
use crate::model::units::fmt_ms;
use crate::model::workload::RequestShape;
use crate::model::workload::{HOURS_PER_MONTH, LatencyMetric, Phase, Workload};
use serde::Serialize;

/// The request shape of a workload: its own, or the policy's output length with the input
/// from the input share.
pub fn shape(workload: &Workload, policy: &Policy) -> RequestShape {
    match workload.request {
        Some(r) => RequestShape {
            input_tokens: r.input_tokens,
            output_tokens: r.output_tokens,
        },
        None => {
            let output = policy.self_host.default_output_tokens;
            let share = workload.input_share.min(0.99);
            RequestShape {
                input_tokens: (output * share / (1.0 - share)).round(),
                output_tokens: output,
            }
        }
    }
}

/// A deployment sized for a workload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deployment {
    /// One replica.
    pub sizing: Sizing,
    /// Serving engine id.
    pub engine: String,
    /// What a GPU costs.
    pub gpu_cost: GpuMonthly,
    /// Replicas serving traffic.
    pub replicas: u32,
    /// Spare replicas (N+1).
    pub spare_replicas: u32,
    /// GPUs in all.
    pub gpus: u32,
    /// Peak demand, tokens (input plus output) per second.
    pub peak_tokens_per_s: f64,
    /// Capacity of the serving replicas, tokens per second.
    pub capacity_tokens_per_s: f64,
    /// Peak demand over capacity.
    pub utilization_at_peak: f64,
    /// Tokens per month one replica serves at the target utilization.
    pub replica_tokens_per_month: f64,
    /// Personnel lines.
    pub personnel: Vec<CostLine>,
    /// Total, USD per month.
    pub monthly_cost_usd: f64,
    /// Queueing for a batch slot at the peak hour.
    pub queue: Queue,
    /// Latency of the self-hosted side with this deployment.
    pub latency: LatencyEstimate,
}

impl Deployment {
    /// The inference figures the latency model needs.
    pub fn inference(&self) -> Inference {
        Inference {
            ttft_ms: self.sizing.ttft_ms,
            tpot_ms: self.sizing.tpot_ms,
            output_tokens: self.sizing.shape.output_tokens,
            queue: self.queue,
        }
    }
}

impl Deployment {
    /// The deployment as a unit (one replica) for costing at other volumes.
    pub fn unit(&self, fixed_usd: f64) -> Unit {
        let tp = self.sizing.tensor_parallel;
        let mut lines: Vec<CostLine> = self
            .gpu_cost
            .lines
            .iter()
            .map(|l| CostLine {
                name: l.name.clone(),
                usd_per_month: l.usd_per_month * f64::from(tp),
                note: l
                    .note
                    .as_ref()
                    .map(|n| format!("{tp} GPU{} x {n}", if tp == 1 { "" } else { "s" })),
            })
            .collect();
        lines.retain(|l| l.usd_per_month != 0.0 || l.name == "gpu rental");
        let mut fixed_lines = self.personnel.clone();
        fixed_lines.extend(fixed_line(fixed_usd));
        Unit {
            name: format!(
                "{} x {} ({}, {})",
                tp, self.sizing.gpu, self.sizing.model, self.sizing.precision
            ),
            usd_per_month: self.gpu_cost.usd_per_gpu_month * f64::from(tp),
            tokens_per_month: self.replica_tokens_per_month,
            lines,
            fixed_usd_per_month: fixed_lines.iter().map(|l| l.usd_per_month).sum(),
            fixed_lines,
            spare_units: self.spare_replicas,
        }
    }
}

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
        None => sh
            .default_precisions
            .iter()
            .filter_map(|id| catalog.precision(id))
            .collect(),
    };
    let engine_id = r.engine.as_deref().unwrap_or(&sh.engine);
    let engine = catalog
        .engine(engine_id)
        .ok_or_else(|| unknown("engine", engine_id))?;
    Ok(Space {
        model,
        gpus,
        precisions,
        tps: r.tp.map_or_else(|| TP_DEGREES.to_vec(), |t| vec![t]),
        hostings: r
            .hosting
            .map_or_else(|| vec![Hosting::Cloud, Hosting::Owned], |h| vec![h]),
        kind: r.price_kind.unwrap_or(sh.price_kind),
        engine,
        total_gpus: r.gpus,
        target_utilization: sh.target_utilization,
    })
}

/// The outcome of a search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Search {
    /// The cheapest deployment that fits, meets capacity and the latency target.
    pub best: Option<Deployment>,
    /// The fastest deployment that fits, when none meets every requirement.
    pub closest: Option<Deployment>,
    /// Configurations evaluated.
    pub evaluated: u32,
    /// Why configurations were rejected, one line per kind of reason, with a count.
    pub rejected: Vec<String>,
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
            (r.min_ms + r.max_ms) / 2.0
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
struct Candidate<'a> {
    gpu: &'a Gpu,
    precision: &'a Precision,
    tp: u32,
    hosting: Hosting,
}

/// Sizes one configuration for the workload: replicas, cost, latency. `Err` says why it
/// cannot serve the workload at all.
fn evaluate(
    catalog: &Catalog,
    workload: &Workload,
    space: &Space,
    c: Candidate,
) -> Result<Deployment, String> {
    let Candidate {
        gpu,
        precision,
        tp,
        hosting,
    } = c;
    let policy = &catalog.policy;
    let sh = &policy.self_host;
    let shape = shape(workload, policy);
    let mut config = Config {
        model: space.model,
        gpu,
        precision,
        serving: space.engine,
        tp,
        shape,
        tpot_limit_ms: None,
    };
    config.tpot_limit_ms = Some(step_limit(workload, policy, config.prefill_ms()));
    let sizing = config.size();
    if !sizing.fits {
        return Err(format!(
            "{} in {} does not fit on {} x {}",
            space.model.id, precision.id, tp, gpu.id
        ));
    }
    let gpu_cost = gpu_monthly(gpu, sh, hosting, space.kind)?;
    let total_tokens = shape.input_tokens + shape.output_tokens;
    let replica_tps = sizing.output_tokens_per_s * total_tokens / shape.output_tokens;
    let peak =
        workload.tokens_per_month * workload.traffic.peak_to_average() / (HOURS_PER_MONTH * 3600.0);
    let needed = ((peak / (replica_tps * sh.target_utilization)) * (1.0 - 1e-12))
        .ceil()
        .max(1.0) as u32;
    let spares = if workload.always_on && workload.phase == Phase::Production {
        sh.redundancy_replicas
    } else {
        0
    };
    let replicas = match space.total_gpus {
        Some(total) => {
            let available = total / tp;
            if available < needed + spares {
                return Err(format!(
                    "{total} x {} serve {} replicas; the peak needs {} plus {spares} spare",
                    gpu.id, available, needed
                ));
            }
            available - spares
        }
        None => needed,
    };
    let arrivals = peak / total_tokens;
    let service_ms = sizing.ttft_ms + (shape.output_tokens - 1.0).max(0.0) * sizing.tpot_ms;
    let queue = Queue::new(replicas * sizing.batch, arrivals, service_ms);
    let latency = latency::self_host(
        policy,
        Some(Inference {
            ttft_ms: sizing.ttft_ms,
            tpot_ms: sizing.tpot_ms,
            output_tokens: shape.output_tokens,
            queue,
        }),
        shape.output_tokens,
        workload.latency.as_ref(),
    );
    if let (Some(t), Some(false)) = (&workload.latency, latency.meets_target) {
        return Err(format!(
            "{} on {} x {} ({}) takes {} {} {} against the {} target",
            space.model.id,
            tp,
            gpu.id,
            precision.id,
            fmt_ms(latency.target_estimate_ms.unwrap_or(f64::INFINITY)),
            t.percentile.id(),
            t.metric.id(),
            fmt_ms(t.target_ms)
        ));
    }
    let personnel = personnel(catalog, workload, replicas + spares, false);
    let gpus = (replicas + spares) * tp;
    let monthly = f64::from(gpus) * gpu_cost.usd_per_gpu_month
        + personnel.iter().map(|l| l.usd_per_month).sum::<f64>()
        + workload.self_host_fixed_usd_per_month;
    Ok(Deployment {
        engine: space.engine.id.clone(),
        gpu_cost,
        replicas,
        spare_replicas: spares,
        gpus,
        peak_tokens_per_s: peak,
        capacity_tokens_per_s: f64::from(replicas) * replica_tps,
        utilization_at_peak: peak / (f64::from(replicas) * replica_tps),
        replica_tokens_per_month: replica_tps * space.target_utilization * HOURS_PER_MONTH * 3600.0,
        personnel,
        monthly_cost_usd: monthly,
        queue,
        latency,
        sizing,
    })
}

/// Searches the space for the cheapest deployment that fits, meets capacity and meets the
/// latency target (ties go to fewer GPUs).
pub fn search(catalog: &Catalog, workload: &Workload, space: &Space) -> Search {
    let mut best: Option<Deployment> = None;
    let mut closest: Option<Deployment> = None;
    let mut evaluated = 0;
    let mut reasons: Vec<(String, u32)> = Vec::new();
    let mut relaxed = workload.clone();
    relaxed.latency = None;
    let mut open_space = space.clone();
    open_space.total_gpus = None;
    for &gpu in &space.gpus {
        for &precision in &space.precisions {
            for &tp in &space.tps {
                for &hosting in &space.hostings {
                    evaluated += 1;
                    let c = Candidate {
                        gpu,
                        precision,
                        tp,
                        hosting,
                    };
                    match evaluate(catalog, workload, space, c) {
                        Ok(d) => {
                            if best.as_ref().is_none_or(|b| {
                                (d.monthly_cost_usd, d.gpus) < (b.monthly_cost_usd, b.gpus)
                            }) {
                                best = Some(d);
                            }
                        }
                        Err(reason) => {
                            let key = reason_kind(&reason);
                            match reasons.iter_mut().find(|(k, _)| *k == key) {
                                Some((_, n)) => *n += 1,
                                None => reasons.push((key, 1)),
                            }
                            if best.is_none() {
                                closest = fastest_fit(catalog, &relaxed, &open_space, c, closest);
                            }
                        }
                    }
                }
            }
        }
    }
    Search {
        closest: if best.is_some() { None } else { closest },
        best,
        evaluated,
        rejected: reasons
            .into_iter()
            .map(|(k, n)| format!("{k} ({n} configurations)"))
            .collect(),
    }
}

/// Groups rejection reasons by their kind, for a short summary.
fn reason_kind(reason: &str) -> String {
    if reason.contains("does not fit") {
        "does not fit in memory".into()
    } else if reason.contains("cloud price") {
        "no cloud price of the chosen kind".into()
    } else if reason.contains("purchase price") || reason.contains("power figure") {
        "no owned-hardware cost".into()
    } else if reason.contains("target") {
        "misses the latency target".into()
    } else {
        reason.to_string()
    }
}

/// Keeps the fitting, priceable configuration with the lowest time to first token, as the
/// closest miss to report when nothing meets every requirement. `relaxed` is the workload
/// without its latency target, `space` the search space without a fixed GPU count.
fn fastest_fit(
    catalog: &Catalog,
    relaxed: &Workload,
    space: &Space,
    c: Candidate,
    current: Option<Deployment>,
) -> Option<Deployment> {
    let Ok(candidate) = evaluate(catalog, relaxed, space, c) else {
        return current;
    };
    match current {
        Some(d) if d.latency.ttft_p95_ms <= candidate.latency.ttft_p95_ms => Some(d),
        _ => Some(candidate),
    }
}

/// A one-line summary of a deployment, for reasons and warnings.
pub fn describe(d: &Deployment) -> String {
    let z = &d.sizing;
    format!(
        "{} replica{} of {} x {} ({}, {}) = {} GPU{} serving {:.0} tokens/s at the peak ({:.0} each at batch {}, {:.0}% utilization){}",
        d.replicas,
        if d.replicas == 1 { "" } else { "s" },
        z.tensor_parallel,
        z.gpu,
        z.precision,
        d.gpu_cost.hosting.id(),
        d.gpus,
        if d.gpus == 1 { "" } else { "s" },
        d.peak_tokens_per_s,
        d.capacity_tokens_per_s / f64::from(d.replicas.max(1)),
        z.batch,
        d.utilization_at_peak * 100.0,
        if d.spare_replicas > 0 {
            format!(", plus {} spare", d.spare_replicas)
        } else {
            String::new()
        }
    )
}
