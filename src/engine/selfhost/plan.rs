//! How much one replica may serve under the latency target, and how many replicas (and
//! spares) a demand takes.

use super::search::{Rejection, Shortage, Space};
use crate::engine::MAX_UNITS;
use crate::engine::serving::latency::LatencyEstimate;
use crate::model::catalog::hardware::Gpu;
use crate::model::workload::{HOURS_PER_MONTH, Phase, Workload};

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
