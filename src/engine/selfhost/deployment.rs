//! A sized deployment: one replica's sizing, how many replicas serve the workload, what they
//! cost (GPUs and personnel) and the latency they give; as a unit for costing at other volumes,
//! and in brief for reasons, notes and remedies.

use crate::engine::cost::gpu::GpuMonthly;
use crate::engine::cost::{Basis, Item, Line, Unit, UnitName, fixed_line};
use crate::engine::serving::latency::{Inference, LatencyEstimate};
use crate::engine::serving::queueing::Queue;
use crate::engine::serving::sizing::Sizing;
use crate::model::catalog::hardware::Hosting;
use serde::Serialize;
use std::sync::Arc;

/// A deployment sized for a workload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deployment {
    /// Per-token latency at the load the plan carries: the peak hour's, the average hour's,
    /// and the ceiling at the largest batch the plan allows.
    pub load: LoadLatency,
    /// One replica.
    pub sizing: Arc<Sizing>,
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
    /// Tokens per month one replica serves at the target utilization running batch work at the
    /// largest batch that fits (no per-token latency to meet).
    pub batch_replica_tokens_per_month: f64,
    /// How many times the average demand the replicas are sized for (the peak-to-average ratio
    /// of interactive traffic, or the time all the work takes with batch work off-peak).
    pub sizing_factor: f64,
    /// Personnel lines.
    #[serde(skip)]
    pub personnel: Vec<Line>,
    /// Total, USD per month.
    pub monthly_cost_usd: f64,
    /// Queueing for a batch slot at the peak hour.
    pub queue: Queue,
    /// Latency of the self-hosted side with this deployment.
    #[serde(skip)]
    pub latency: LatencyEstimate,
}

/// What a unit of a sized deployment is: one replica of its model on its GPUs at its
/// precision.
pub(super) fn replica_name(sizing: &Sizing) -> UnitName {
    UnitName::Replica {
        tp: sizing.tensor_parallel,
        gpu: sizing.gpu.clone(),
        model: sizing.model.clone(),
        precision: sizing.precision.clone(),
    }
}

/// Whether the first of two [`Deployment::preference`] keys is the better one.
pub fn preferred(a: (f64, f64, u32), b: (f64, f64, u32)) -> bool {
    a.partial_cmp(&b).is_some_and(std::cmp::Ordering::is_lt)
}

/// Per-token latency of a deployment at the load it carries.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LoadLatency {
    /// Sequences a replica runs at the peak hour (Little's law on the step time).
    pub concurrency_at_peak: f64,
    /// Time per output token at the peak hour, ms: what the target is checked against.
    pub tpot_at_peak_ms: f64,
    /// Time to first token at the peak hour without queueing (prefill plus one step), ms.
    pub ttft_at_peak_ms: f64,
    /// Sequences a replica runs in an average hour.
    pub concurrency_at_average: f64,
    /// Time per output token in an average hour, ms.
    pub tpot_at_average_ms: f64,
    /// Time per output token at the largest batch the plan allows, ms: the ceiling at capacity.
    pub tpot_at_capacity_ms: f64,
}

impl Deployment {
    /// Whether this deployment is the better choice: it costs less; at the same cost it serves
    /// more a replica (the rule by which the cost curve drops the other, so that a run and the
    /// volume table name the same deployment); at the same cost and capacity it takes fewer
    /// GPUs.
    pub fn preferred_to(&self, other: &Deployment) -> bool {
        preferred(self.preference(), other.preference())
    }

    /// What a deployment is compared by: its monthly cost, minus what a replica serves at its
    /// sizing factor, and its GPUs, in that order.
    pub fn preference(&self) -> (f64, f64, u32) {
        (
            self.monthly_cost_usd,
            -self.replica_tokens_per_month / self.sizing_factor,
            self.gpus,
        )
    }

    /// The inference figures the latency model needs.
    pub fn inference(&self) -> Inference {
        Inference {
            ttft_ms: self.load.ttft_at_peak_ms,
            launch_ms: self.sizing.prefill_launch_ms,
            tpot_ms: self.load.tpot_at_peak_ms,
            output_tokens: self.sizing.shape.output_tokens,
            queue: self.queue,
        }
    }
}

impl Deployment {
    /// The deployment as a unit (one replica) for costing at other volumes.
    pub fn unit(&self, fixed_usd: f64) -> Unit {
        let tp = self.sizing.tensor_parallel;
        let mut lines: Vec<Line> = self
            .gpu_cost
            .lines
            .iter()
            .map(|l| Line {
                item: l.item.clone(),
                usd_per_month: l.usd_per_month * f64::from(tp),
                basis: Basis::PerGpu {
                    gpus: tp,
                    each: Box::new(l.basis.clone()),
                },
            })
            .collect();
        lines.retain(|l| l.usd_per_month != 0.0 || l.item == Item::GpuRental);
        let mut fixed_lines = self.personnel.clone();
        fixed_lines.extend(fixed_line(fixed_usd));
        Unit {
            name: replica_name(&self.sizing),
            usd_per_month: self.gpu_cost.usd_per_gpu_month * f64::from(tp),
            tokens_per_month: self.replica_tokens_per_month,
            lines,
            fixed_usd_per_month: fixed_lines.iter().map(|l| l.usd_per_month).sum(),
            fixed_lines,
            spare_units: self.spare_replicas,
            batch_tokens_per_month: Some(self.batch_replica_tokens_per_month),
        }
    }
}

/// A deployment in brief, for reasons, notes and remedies.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Replicas serving traffic.
    pub replicas: u32,
    /// GPUs per replica.
    pub tp: u32,
    /// GPU id.
    pub gpu: String,
    /// Precision id.
    pub precision: String,
    /// Cloud or owned.
    pub hosting: Hosting,
    /// GPUs in all.
    pub gpus: u32,
    /// Peak demand, tokens per second.
    pub peak_tokens_per_s: f64,
    /// Capacity of one replica, tokens per second.
    pub replica_tokens_per_s: f64,
    /// Batch per replica.
    pub batch: u32,
    /// Peak demand over capacity.
    pub utilization_at_peak: f64,
    /// Spare replicas.
    pub spares: u32,
    /// Total, USD per month.
    pub monthly_cost_usd: f64,
    /// The day of the user's benchmark whose constants it was sized at, if any.
    pub calibrated: Option<crate::model::date::Date>,
}

impl Deployment {
    /// The deployment in brief.
    pub fn summary(&self) -> Summary {
        Summary {
            replicas: self.replicas,
            tp: self.sizing.tensor_parallel,
            gpu: self.sizing.gpu.clone(),
            precision: self.sizing.precision.clone(),
            hosting: self.gpu_cost.hosting,
            gpus: self.gpus,
            peak_tokens_per_s: self.peak_tokens_per_s,
            replica_tokens_per_s: self.capacity_tokens_per_s / f64::from(self.replicas.max(1)),
            batch: self.sizing.batch,
            utilization_at_peak: self.utilization_at_peak,
            spares: self.spare_replicas,
            monthly_cost_usd: self.monthly_cost_usd,
            calibrated: self.sizing.calibration.as_ref().map(|c| c.checked),
        }
    }
}
