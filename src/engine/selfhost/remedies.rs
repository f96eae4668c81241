//! When no deployment meets the latency target: what would, one change at a time (more
//! tensor parallelism, another GPU, a lower planned utilization, a smaller model), each with
//! the cheapest deployment that meets every requirement.

use super::search::{Deployment, Space, search};
use crate::model::catalog::hardware::{Gpu, TP_DEGREES};
use crate::model::catalog::{Catalog, Tier};
use crate::model::workload::Workload;

/// One change to a deployment.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Any tensor-parallel degree, where one was fixed.
    MoreTensorParallelism,
    /// Any GPU of the catalog, where one was fixed.
    FasterGpu,
    /// A lower planned utilization at the peak (a share).
    LowerUtilization(f64),
    /// A model with fewer active parameters.
    SmallerModel {
        /// Model id.
        model: String,
        /// Its capability tier.
        tier: Tier,
    },
}

/// A change to the deployment that meets the latency target, with its cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Remedy {
    /// What changes.
    pub change: Change,
    /// Whether the change swaps the model (and so its quality).
    pub changes_model: bool,
    /// The cheapest deployment with that change that meets every requirement.
    pub deployment: Deployment,
}

/// When no deployment in `space` meets the latency target: what would, one change at a time
/// (more tensor parallelism, any GPU, a smaller model, a lower planned utilization): the
/// changes that keep the model first, then smaller models, each group cheapest first.
pub fn remedies(catalog: &Catalog, workload: &Workload, space: &Space) -> Vec<Remedy> {
    let all_tps = TP_DEGREES.to_vec();
    let all_gpus: Vec<&Gpu> = catalog.gpus.iter().collect();
    let mut tries: Vec<(Change, Space)> = Vec::new();
    if space.tps.len() < all_tps.len() {
        let mut s = space.clone();
        s.tps.clone_from(&all_tps);
        tries.push((Change::MoreTensorParallelism, s));
    }
    if space.gpus.len() < all_gpus.len() {
        let mut s = space.clone();
        s.gpus.clone_from(&all_gpus);
        s.tps.clone_from(&all_tps);
        tries.push((Change::FasterGpu, s));
    }
    for &u in &[0.5, 0.35, 0.2] {
        if u < space.target_utilization {
            let mut s = space.clone();
            s.target_utilization = u;
            s.gpus.clone_from(&all_gpus);
            s.tps.clone_from(&all_tps);
            tries.push((Change::LowerUtilization(u), s));
        }
    }
    for m in &catalog.models {
        if m.active_params_b < space.model.active_params_b {
            let mut s = space.clone();
            s.model = m;
            s.gpus.clone_from(&all_gpus);
            s.tps.clone_from(&all_tps);
            tries.push((
                Change::SmallerModel {
                    model: m.id.clone(),
                    tier: m.tier,
                },
                s,
            ));
        }
    }
    let mut found: Vec<Remedy> = tries
        .into_iter()
        .filter_map(|(change, s)| {
            let changes_model = s.model.id != space.model.id;
            search(catalog, workload, &s).best.map(|deployment| Remedy {
                change,
                changes_model,
                deployment,
            })
        })
        .collect();
    found.sort_by(|a, b| {
        (a.changes_model, a.deployment.monthly_cost_usd)
            .partial_cmp(&(b.changes_model, b.deployment.monthly_cost_usd))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    found
}
