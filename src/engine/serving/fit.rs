//! What would hold a model that does not fit: more GPUs at the same precision, a smaller
//! precision, or a GPU with more memory.

use super::sizing::Config;
use crate::model::catalog::Catalog;
use crate::model::catalog::hardware::{Gpu, OpenModel, Precision, Serving, TP_DEGREES};
use crate::model::workload::RequestShape;

/// A way to hold a model: GPUs per replica, the GPU and the precision.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// GPUs per replica.
    pub tp: u32,
    /// GPU id.
    pub gpu: String,
    /// Precision id.
    pub precision: String,
}

/// Why a model does not fit, and what would hold it.
#[derive(Debug, Clone, PartialEq)]
pub struct FitAdvice {
    /// Model id.
    pub model: String,
    /// The precision asked for.
    pub precision: String,
    /// Its weights alone at that precision, GB.
    pub weights_gb: f64,
    /// What would hold it; empty when no node of up to 8 GPUs in the catalog does.
    pub fits: Vec<Fit>,
}

/// What would fit a model that does not fit `tp` x `gpu` at `precision`: more GPUs at the
/// same precision, or a smaller precision, or a larger GPU; each split as the deployment
/// asked (its experts over `ep` GPUs, its attention data-parallel or not).
pub fn what_fits<'a>(
    catalog: &'a Catalog,
    model: &'a OpenModel,
    gpu: &'a Gpu,
    precision: &'a Precision,
    (engine, kv): (&'a Serving, Option<&'a Precision>),
    (ep, attention_dp): (u32, bool),
    shape: RequestShape,
) -> FitAdvice {
    let config = |g: &'a Gpu, p: &'a Precision, tp: u32| Config {
        model,
        gpu: g,
        precision: p,
        serving: engine,
        tp,
        shape,
        tpot_limit_ms: None,
        kv,
        cached_share: 0.0,
        ep: ep.min(tp),
        speculative: None,
        attention_dp,
    };
    // Split as the deployment asked: its experts over `ep` GPUs (a degree `ep` divides), its
    // attention data-parallel where it asked for that.
    let fits = |g: &'a Gpu, p: &'a Precision, tp: u32| {
        tp.is_multiple_of(ep) && config(g, p, tp).size().fits
    };
    let mut options = Vec::new();
    if let Some(tp) = TP_DEGREES.iter().find(|&&tp| fits(gpu, precision, tp)) {
        options.push(Fit {
            tp: *tp,
            gpu: gpu.id.clone(),
            precision: precision.id.clone(),
        });
    }
    for p in &catalog.precisions {
        if p.bytes_per_weight < precision.bytes_per_weight
            && let Some(tp) = TP_DEGREES.iter().find(|&&tp| fits(gpu, p, tp))
        {
            options.push(Fit {
                tp: *tp,
                gpu: gpu.id.clone(),
                precision: p.id.clone(),
            });
            break;
        }
    }
    // On larger GPUs: the fewest GPUs (then the least memory) that hold it.
    let larger = catalog
        .gpus
        .iter()
        .filter(|g| g.memory_gb > gpu.memory_gb)
        .filter_map(|g| {
            TP_DEGREES
                .iter()
                .find(|&&tp| fits(g, precision, tp))
                .map(|&tp| (tp, g))
        })
        .min_by(|(ta, a), (tb, b)| {
            (ta, a.memory_gb)
                .partial_cmp(&(tb, b.memory_gb))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    if let Some((tp, g)) = larger {
        options.push(Fit {
            tp,
            gpu: g.id.clone(),
            precision: precision.id.clone(),
        });
    }
    FitAdvice {
        model: model.id.clone(),
        precision: precision.id.clone(),
        weights_gb: config(gpu, precision, 1).weight_bytes() / 1e9,
        fits: options,
    }
}
