//! When no deployment meets every requirement: what would, one change at a time (more tensor
//! parallelism, another GPU, another GPU count, precision or hosting, a lower planned
//! utilization, a smaller model), each with the cheapest deployment that meets every
//! requirement. A change that replaces a value the workload asked for is only ever advice.

use super::search::{Deployment, Space, search};
use crate::model::catalog::hardware::{Gpu, Hosting, Precision, tp_choices};
use crate::model::catalog::{Catalog, Tier};
use crate::model::workload::{DeploymentRequest, Workload};

/// One change to a deployment.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Any tensor-parallel degree, where one was fixed.
    MoreTensorParallelism,
    /// Any GPU of the catalog, where one was fixed.
    OtherGpu,
    /// As many GPUs as the peak needs, where a count was fixed.
    GpuCount,
    /// Any of the default precisions, where one was fixed.
    OtherPrecision,
    /// The other hosting, where one was fixed.
    OtherHosting(Hosting),
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

impl Change {
    /// Whether the change replaces a value the workload asked for (such a change is advice,
    /// never applied).
    pub fn overrides(&self, asked: &DeploymentRequest) -> bool {
        match self {
            Change::MoreTensorParallelism => asked.tp.is_some(),
            Change::OtherGpu => asked.gpu.is_some(),
            Change::GpuCount => asked.gpus.is_some(),
            Change::OtherPrecision => asked.precision.is_some(),
            Change::OtherHosting(_) => asked.hosting.is_some(),
            Change::LowerUtilization(_) => false,
            Change::SmallerModel { .. } => asked.model.is_some(),
        }
    }
}

/// A change to the deployment that makes it work, with its cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Remedy {
    /// What changes.
    pub change: Change,
    /// Whether the change swaps the model (and so its quality).
    pub changes_model: bool,
    /// The cheapest deployment with that change that meets every requirement.
    pub deployment: Deployment,
}

/// When no deployment in `space` meets every requirement: what would, one change at a time
/// (each relaxes one choice and keeps the rest as asked): the changes that keep the model
/// first, then smaller models, each group cheapest first.
pub fn remedies<'a>(catalog: &'a Catalog, workload: &Workload, space: &Space<'a>) -> Vec<Remedy> {
    let mut found: Vec<Remedy> = changes(catalog, workload, space)
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

/// Each single change worth trying, with the search space it gives: a choice the workload (or
/// the policy) narrowed, opened up again.
fn changes<'a>(
    catalog: &'a Catalog,
    workload: &Workload,
    space: &Space<'a>,
) -> Vec<(Change, Space<'a>)> {
    let all_gpus: Vec<&'a Gpu> = catalog.gpus.iter().collect();
    let mut tries: Vec<(Change, Space<'a>)> = Vec::new();
    let mut relax = |change: Change, edit: &dyn Fn(&mut Space<'a>)| {
        let mut s = space.clone();
        edit(&mut s);
        tries.push((change, s));
    };
    if space.tps.len() < tp_choices(space.total_gpus).len() {
        relax(Change::MoreTensorParallelism, &|s| {
            s.tps = tp_choices(s.total_gpus);
        });
    }
    if space.gpus.len() < all_gpus.len() {
        relax(Change::OtherGpu, &|s| s.gpus.clone_from(&all_gpus));
    }
    if space.total_gpus.is_some() {
        let tp_fixed = workload.deployment.tp.is_some();
        relax(Change::GpuCount, &|s| {
            s.total_gpus = None;
            if !tp_fixed {
                s.tps = tp_choices(None);
            }
        });
    }
    let defaults: Vec<&'a Precision> = catalog
        .policy
        .self_host
        .default_precisions
        .iter()
        .filter_map(|id| catalog.precision(id))
        .collect();
    if defaults
        .iter()
        .any(|p| !space.precisions.iter().any(|q| q.id == p.id))
    {
        relax(Change::OtherPrecision, &|s| {
            s.precisions.clone_from(&defaults);
        });
    }
    if let [only] = space.hostings[..] {
        let other = match only {
            Hosting::Cloud => Hosting::Owned,
            Hosting::Owned => Hosting::Cloud,
        };
        relax(Change::OtherHosting(other), &|s| s.hostings = vec![other]);
    }
    for &u in &[0.5, 0.35, 0.2] {
        if u < space.target_utilization {
            relax(Change::LowerUtilization(u), &|s| s.target_utilization = u);
        }
    }
    for m in &catalog.models {
        if m.active_params_b < space.model.active_params_b {
            relax(
                Change::SmallerModel {
                    model: m.id.clone(),
                    tier: m.tier,
                },
                &|s| s.model = m,
            );
        }
    }
    tries
}
