//! The article's packaged setups checked against physics: can their GPUs hold the workload's
//! model, and what do they serve a month by the sizing engine?

use super::search;
use crate::engine::serving::fit::what_fits;
use crate::engine::serving::sizing::Config;
use crate::model::pricing::{Catalog, Setup};
use crate::model::units::fmt_tokens;
use crate::model::workload::{HOURS_PER_MONTH, Workload};

/// Checks a packaged setup's claim against physics: can its GPUs hold the workload's model,
/// and what do they serve a month by the sizing engine?
pub fn physical_check(catalog: &Catalog, workload: &Workload, setup: &Setup) -> Option<String> {
    let gpu = catalog.gpu(setup.gpu.as_deref()?)?;
    let sh = &catalog.policy.self_host;
    let model_id = workload
        .deployment
        .model
        .as_deref()
        .unwrap_or(&sh.default_model);
    let model = catalog.model(model_id)?;
    let engine = catalog.engine(&sh.engine)?;
    let shape = search::shape(workload, &catalog.policy);
    let tp = setup.gpus_per_unit.clamp(1, 8);
    let sized = |precision: &str| {
        let p = catalog.precision(precision)?;
        Some(
            Config {
                model,
                gpu,
                precision: p,
                serving: engine,
                tp,
                shape,
                tpot_limit_ms: Some(sh.interactive_tpot_ms),
            }
            .size(),
        )
    };
    let bf16 = sized("bf16")?;
    let head = format!(
        "The article prices {} ({} x {}) as serving a 70B-class model at {} tokens a month.",
        setup.name,
        tp,
        gpu.id,
        fmt_tokens(setup.tokens_per_month_per_unit)
    );
    let month = |tps: f64, z: &crate::engine::serving::sizing::Sizing| {
        tps * (z.shape.input_tokens + z.shape.output_tokens) / z.shape.output_tokens
            * HOURS_PER_MONTH
            * 3600.0
            * sh.target_utilization
    };
    if bf16.fits {
        return Some(format!(
            "{head} By the sizing engine {} in bf16 fits and serves about {} tokens a month at {:.0}% utilization.",
            model.id,
            fmt_tokens(month(bf16.output_tokens_per_s, &bf16)),
            sh.target_utilization * 100.0
        ));
    }
    let precision = catalog.precision("bf16")?;
    let fits = what_fits(catalog, model, gpu, precision, engine, shape);
    let quantized = ["fp8", "int8", "int4"]
        .iter()
        .filter_map(|p| sized(p))
        .find(|z| z.fits)
        .map(|z| {
            format!(
                " Quantized to {} it fits and serves about {} tokens a month.",
                z.precision,
                fmt_tokens(month(z.output_tokens_per_s, &z))
            )
        })
        .unwrap_or_default();
    Some(format!("{head} That does not hold: {fits}.{quantized}"))
}
