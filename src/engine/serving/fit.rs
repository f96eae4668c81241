//! What would hold a model that does not fit: more GPUs at the same precision, a smaller
//! precision, or a GPU with more memory.

use super::sizing::Config;
use crate::model::hardware::{Gpu, OpenModel, Precision, Serving, TP_DEGREES};
use crate::model::pricing::Catalog;
use crate::model::workload::RequestShape;

/// What would fit a model that does not fit `tp` x `gpu` at `precision`: more GPUs at the
/// same precision, or a smaller precision, or a larger GPU.
pub fn what_fits(
    catalog: &Catalog,
    model: &OpenModel,
    gpu: &Gpu,
    precision: &Precision,
    engine: &Serving,
    shape: RequestShape,
) -> String {
    let fits = |g: &Gpu, p: &Precision, tp: u32| {
        Config {
            model,
            gpu: g,
            precision: p,
            serving: engine,
            tp,
            shape,
            tpot_limit_ms: None,
        }
        .size()
        .fits
    };
    let weights = model.params_b * precision.bytes_per_weight;
    let mut options = Vec::new();
    if let Some(tp) = TP_DEGREES.iter().find(|&&tp| fits(gpu, precision, tp)) {
        options.push(format!("{tp} x {} in {}", gpu.id, precision.id));
    }
    for p in &catalog.precisions {
        if p.bytes_per_weight < precision.bytes_per_weight
            && let Some(tp) = TP_DEGREES.iter().find(|&&tp| fits(gpu, p, tp))
        {
            options.push(format!("{tp} x {} in {}", gpu.id, p.id));
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
        options.push(format!("{tp} x {} in {}", g.id, precision.id));
    }
    let head = format!(
        "{} in {} needs {:.1} GB for its weights alone",
        model.id, precision.id, weights
    );
    if options.is_empty() {
        format!("{head}; no single node of up to 8 GPUs in the catalog holds it")
    } else {
        format!("{head}; it fits on {}", options.join(", or "))
    }
}
