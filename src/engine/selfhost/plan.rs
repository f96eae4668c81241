//! A configuration planned for a workload: how much one replica may serve under the latency
//! target, how many replicas (and spares) the demand takes and what they cost; and, for the
//! plans a search returns, their latency at the load.

use super::deployment::{Deployment, LoadLatency};
use super::memo;
use super::search::{Candidate, Rejection, Shortage, Space, size_replica};
use crate::engine::MAX_UNITS;
use crate::engine::cost::gpu::{GpuMonthly, Unpriced, gpu_monthly, personnel};
use crate::engine::cost::{curve, personnel_usd, sizing_factor};
use crate::engine::serving::latency::{self, Inference, LatencyEstimate};
use crate::engine::serving::load::Load;
use crate::engine::serving::queueing::Queue;
use crate::engine::serving::sizing::{Config, Sizing};
use crate::model::catalog::Catalog;
use crate::model::catalog::hardware::Gpu;
use crate::model::catalog::policy::Policy;
use crate::model::workload::{HOURS_PER_MONTH, Phase, Workload};
use std::cell::RefCell;

/// A configuration planned for the workload's volume: one replica sized, the replicas and
/// spares the peak needs, and their cost; all the search compares candidates by and costs them
/// at other volumes with. Its latency at the load is worked out by [`Plan::deployment`], for
/// the deployments a search returns.
pub(super) struct Plan<'a> {
    config: Config<'a>,
    sizing: std::sync::Arc<Sizing>,
    /// What a GPU costs, as priced for the search.
    gpu_cost: &'a GpuMonthly,
    replicas: u32,
    spares: u32,
    /// Tokens (input and output) a second one replica serves at the operating batch.
    replica_tps: f64,
    /// Tokens a second one replica serves at the target utilization.
    planned_tps: f64,
    /// Tokens a second one replica serves at the target utilization at the largest batch.
    batch_planned_tps: f64,
    /// The workload's peak, tokens a second, and its peak-to-average ratio.
    peak: f64,
    par: f64,
    factor: f64,
    monthly_cost_usd: f64,
}

const SECONDS_PER_MONTH: f64 = HOURS_PER_MONTH * 3600.0;

/// Plans one configuration for the workload, priced through `costs`. `Err` says why it cannot
/// serve the workload at all.
pub(super) fn plan<'a>(
    catalog: &Catalog,
    workload: &Workload,
    space: &'a Space<'a>,
    c: Candidate<'a>,
    costs: &'a Costs,
) -> Result<Plan<'a>, Rejection> {
    let Candidate { gpu, tp, .. } = c;
    let policy = &catalog.policy;
    let (config, sizing, shape) = size_replica(catalog, workload, space, c, &costs.table)?;
    let gpu_cost = costs
        .gpu(catalog, space, c)
        .as_ref()
        .map_err(|e| Rejection::Unpriced(e.clone()))?;
    let total_tokens = shape.input_tokens + shape.output_tokens;
    let replica_tps = sizing.output_tokens_per_s * total_tokens / shape.output_tokens;
    let batch_tps = sizing
        .max_output_tokens_per_s
        .max(sizing.output_tokens_per_s)
        * total_tokens
        / shape.output_tokens;
    let par = workload.traffic.peak_to_average();
    // Users wait on the interactive share at its peak; batch work waits for idle hours.
    let peak = workload.tokens_per_month * (1.0 - workload.batch_share) * par / SECONDS_PER_MONTH;
    let planned_tps = costs
        .table
        .planned(c.sized_at, || {
            planned_load(replica_tps * space.target_utilization, workload, |tps| {
                latency_at(policy, workload, &config, &sizing, 1, tps).1
            })
        })
        .clone()?;
    let batch_planned_tps = batch_tps * space.target_utilization;
    let factor = sizing_factor(
        par,
        workload.batch_share,
        planned_tps,
        Some(batch_planned_tps),
    );
    let (replicas, spares) = replicas(
        workload,
        space,
        &policy.self_host,
        (gpu, tp),
        (
            workload.tokens_per_month * factor / SECONDS_PER_MONTH,
            planned_tps / space.target_utilization,
            factor,
        ),
    )?;
    let gpus = (replicas + spares) * tp;
    let monthly_cost_usd = f64::from(gpus) * gpu_cost.usd_per_gpu_month
        + costs.team(catalog, workload, replicas + spares)
        + workload.self_host_fixed_usd_per_month;
    Ok(Plan {
        config,
        sizing,
        gpu_cost,
        replicas,
        spares,
        replica_tps,
        planned_tps,
        batch_planned_tps,
        peak,
        par,
        factor,
        monthly_cost_usd,
    })
}

/// Latency at the load: the sequences a replica runs when its share of the requests arrives
/// (Little's law on its own step time), at most its batch; beyond, they queue.
fn load_at(config: &Config, sizing: &Sizing, replicas: u32, tokens_per_s: f64) -> Load {
    let shape = config.shape;
    let per_replica =
        tokens_per_s / (shape.input_tokens + shape.output_tokens) / f64::from(replicas.max(1));
    config.at_concurrency(config.concurrency_at(per_replica, f64::from(sizing.batch)))
}

/// The queue, the latency and the load of `replicas` replicas carrying `tokens_per_s`.
fn latency_at(
    policy: &Policy,
    workload: &Workload,
    config: &Config,
    sizing: &Sizing,
    replicas: u32,
    tokens_per_s: f64,
) -> (Queue, latency::LatencyEstimate, Load) {
    let shape = config.shape;
    let load = load_at(config, sizing, replicas, tokens_per_s);
    let service_ms = load.ttft_ms + (shape.output_tokens - 1.0).max(0.0) * load.tpot_ms;
    let queue = Queue::new(
        u64::from(replicas) * u64::from(sizing.batch),
        tokens_per_s / (shape.input_tokens + shape.output_tokens),
        service_ms,
    );
    let inference = Inference {
        ttft_ms: load.ttft_ms,
        launch_ms: sizing.prefill_launch_ms,
        tpot_ms: load.tpot_ms,
        output_tokens: shape.output_tokens,
        queue,
    };
    let estimate = latency::self_host(
        policy,
        Some(inference),
        shape.output_tokens,
        workload.latency.as_ref(),
    );
    (queue, estimate, load)
}

impl Plan<'_> {
    /// Tokens a month one replica serves at its sizing factor: what a candidate is compared by.
    fn serves(&self) -> f64 {
        self.planned_tps * SECONDS_PER_MONTH / self.factor
    }

    /// What the plan is compared by, as its deployment would be ([`Deployment::preference`]).
    pub(super) fn preference(&self) -> (f64, f64, u32) {
        (
            self.monthly_cost_usd,
            -self.serves(),
            (self.replicas + self.spares) * self.config.tp,
        )
    }

    /// The plan as a candidate of the cost curve, staffed by its size; its name is left empty
    /// (no allocation) for the search to fill, once it is over, if the candidate is kept.
    pub(super) fn candidate(&self, workload: &Workload) -> curve::Candidate {
        let tp = self.config.tp;
        curve::Candidate {
            usd_per_month: self.gpu_cost.usd_per_gpu_month * f64::from(tp),
            tokens_per_month: self.planned_tps * SECONDS_PER_MONTH,
            spare_units: self.spares,
            batch_tokens_per_month: Some(self.batch_planned_tps * SECONDS_PER_MONTH),
            staffed: true,
            other_fixed_usd: workload.self_host_fixed_usd_per_month,
            name: crate::engine::cost::UnitName::Replica {
                tp,
                gpu: String::new(),
                model: String::new(),
                precision: String::new(),
            },
        }
    }

    /// The replica's sizing, shared.
    pub(super) fn sizing(&self) -> std::sync::Arc<Sizing> {
        self.sizing.clone()
    }

    /// The deployment, with its latency at the peak and average load.
    pub(super) fn deployment(
        self,
        catalog: &Catalog,
        workload: &Workload,
        space: &Space,
    ) -> Deployment {
        let Plan {
            config,
            sizing,
            replicas,
            peak,
            par,
            replica_tps,
            ..
        } = self;
        let (queue, latency, at_peak) =
            latency_at(&catalog.policy, workload, &config, &sizing, replicas, peak);
        let at_average = load_at(&config, &sizing, replicas, peak / par.max(1.0));
        Deployment {
            engine: space.engine.id.clone(),
            gpu_cost: self.gpu_cost.clone(),
            replicas,
            spare_replicas: self.spares,
            gpus: (replicas + self.spares) * config.tp,
            peak_tokens_per_s: peak,
            capacity_tokens_per_s: f64::from(replicas) * replica_tps,
            utilization_at_peak: peak / (f64::from(replicas) * replica_tps),
            replica_tokens_per_month: self.planned_tps * SECONDS_PER_MONTH,
            batch_replica_tokens_per_month: self.batch_planned_tps * SECONDS_PER_MONTH,
            sizing_factor: self.factor,
            personnel: personnel(catalog, workload, replicas + self.spares, false),
            monthly_cost_usd: self.monthly_cost_usd,
            queue,
            latency,
            load: LoadLatency {
                concurrency_at_peak: at_peak.concurrency,
                tpot_at_peak_ms: at_peak.tpot_ms,
                ttft_at_peak_ms: at_peak.ttft_ms,
                concurrency_at_average: at_average.concurrency,
                tpot_at_average_ms: at_average.tpot_ms,
                tpot_at_capacity_ms: sizing.tpot_ms,
            },
            sizing,
        }
    }
}

/// The volume-free work of a search (its [`memo::Table`]) and the team costs of its candidates,
/// each worked out when a candidate first needs it: a team for each count of replicas.
pub(super) struct Costs {
    table: memo::Table,
    teams: RefCell<Vec<(u32, f64)>>,
}

impl Costs {
    /// The table kept for `space` and `workload` (or an empty one), and no team yet.
    pub(super) fn new(catalog: &Catalog, workload: &Workload, space: &Space) -> Costs {
        Costs {
            table: memo::Table::take(catalog, workload, space),
            teams: RefCell::new(Vec::new()),
        }
    }

    /// Why the candidate cannot serve whatever the volume, when an earlier search found out.
    pub(super) fn known_rejection(&self, c: &Candidate) -> Option<super::search::RejectionKind> {
        self.table.known_rejection(c.sized_at, c.priced_at)
    }

    /// The survey of an earlier search through the same space ([`memo::Survey`]).
    pub(super) fn survey(&self) -> Option<&memo::Survey> {
        self.table.survey()
    }

    /// Surveys the table once a search has been through every candidate of `space`.
    pub(super) fn survey_once(&self, space: &Space) {
        self.table.survey_once(space);
    }

    /// Keeps the table for the next search.
    pub(super) fn keep(self, catalog: &Catalog) {
        self.table.keep(catalog);
    }

    /// What a GPU of the candidate costs a month, or why it cannot be priced.
    fn gpu(&self, catalog: &Catalog, space: &Space, c: Candidate) -> &Result<GpuMonthly, Unpriced> {
        self.table.price(c.priced_at, || {
            let sh = &catalog.policy.self_host;
            let at = (c.hosting, space.kind);
            std::sync::Arc::new(gpu_monthly(c.gpu, sh, at, c.tp, &space.rules))
        })
    }

    /// What the team running `units` replicas costs a month.
    fn team(&self, catalog: &Catalog, workload: &Workload, units: u32) -> f64 {
        if let Some(&(_, usd)) = self.teams.borrow().iter().find(|(n, _)| *n == units) {
            return usd;
        }
        let usd = personnel_usd(&personnel(catalog, workload, units, false));
        self.teams.borrow_mut().push((units, usd));
        usd
    }
}

/// What one replica may serve, tokens per second: its planned utilization's load, or less where
/// one replica at that load would miss the latency target (`latency` gives one replica's
/// estimate at a load). Pooling replicas only shortens the wait at the same load each, so the
/// plan meets the target at every volume, and a deployment's capacity, like its cost, does not
/// depend on the volume it is asked at. A replica that misses the target even idle is rejected.
pub(super) fn planned_load(
    planned_tps: f64,
    workload: &Workload,
    latency: impl Fn(f64) -> LatencyEstimate,
) -> Result<f64, Rejection> {
    let meets = |tps: f64| latency(tps).meets_target != Some(false);
    if meets(planned_tps) {
        return Ok(planned_tps);
    }
    let idle = latency(planned_tps * 1e-9);
    if let (Some(t), Some(false)) = (&workload.latency, idle.meets_target) {
        return Err(Rejection::MissesLatency {
            figure_ms: idle.target_estimate_ms.unwrap_or(f64::INFINITY),
            target: *t,
        });
    }
    let (mut low, mut high) = (planned_tps * 1e-9, planned_tps);
    for _ in 0..60 {
        let mid = 0.5 * (low + high);
        if meets(mid) {
            low = mid;
        } else {
            high = mid;
        }
    }
    Ok(low)
}

/// Replicas serving the demand they are sized for (tokens per second, what one replica serves,
/// and the sizing factor that demand is the average times) at the planned utilization, and the
/// spares on top: as many as needed, or as many as the GPUs given hold.
pub(super) fn replicas(
    workload: &Workload,
    space: &Space,
    sh: &crate::model::catalog::hardware::SelfHostPolicy,
    (gpu, tp): (&Gpu, u32),
    (peak, replica_tps, factor): (f64, f64, f64),
) -> Result<(u32, u32), Rejection> {
    let needed = ((peak / (replica_tps * space.target_utilization)) * (1.0 - 1e-12))
        .ceil()
        .max(1.0);
    if needed.is_nan() || needed > MAX_UNITS {
        return Err(Rejection::TooManyReplicas);
    }
    let needed = needed as u32;
    let spares = if workload.always_on && workload.phase == Phase::Production {
        sh.redundancy_replicas
    } else {
        0
    };
    let Some(total) = space.total_gpus else {
        return Ok((needed, spares));
    };
    let available = total / tp;
    if available < needed + spares {
        return Err(Rejection::TooFewGpus(Shortage {
            total,
            gpu: gpu.id.clone(),
            tp,
            serve: available,
            replica_tokens_per_month: replica_tps
                * space.target_utilization
                * HOURS_PER_MONTH
                * 3600.0
                / factor,
            needed,
            spares,
        }));
    }
    Ok((available - spares, spares))
}
