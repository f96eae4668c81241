//! The article's packaged setups checked against physics: can their GPUs hold the workload's
//! model, and what do they serve a month by the sizing engine?

use super::search;
use crate::engine::serving::fit::{FitAdvice, what_fits};
use crate::engine::serving::sizing::{Config, Sizing};
use crate::model::catalog::{Catalog, Setup};
use crate::model::workload::{HOURS_PER_MONTH, Workload};

/// A packaged setup's claim checked against physics.
#[derive(Debug, Clone, PartialEq)]
pub struct PhysicalCheck {
    /// The setup's display name.
    pub setup: String,
    /// GPUs per unit.
    pub tp: u32,
    /// GPU id.
    pub gpu: String,
    /// Tokens a month the article says a unit serves.
    pub claimed_tokens_per_month: f64,
    /// The workload's model.
    pub model: String,
    /// What the sizing engine finds.
    pub finding: Finding,
}

/// What the sizing engine finds for a packaged setup.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    /// The model fits in bf16 and serves this many tokens a month at the planned utilization.
    Fits {
        /// Tokens a month.
        tokens_per_month: f64,
        /// The planned utilization.
        utilization: f64,
    },
    /// It does not fit in bf16: what would, and the smallest quantization that fits on the
    /// setup's GPUs with what it serves.
    DoesNotFit {
        /// What would hold it.
        advice: FitAdvice,
        /// Precision id and tokens a month, when a quantization fits.
        quantized: Option<(String, f64)>,
    },
}

/// Checks a packaged setup's claim against physics: can its GPUs hold the workload's model,
/// and what do they serve a month by the sizing engine?
pub fn physical_check(
    catalog: &Catalog,
    workload: &Workload,
    setup: &Setup,
) -> Option<PhysicalCheck> {
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
                kv: None,
                cached_share: workload.cached_input_share,
                ep: 1,
                speculative: None,
                attention_dp: false,
            }
            .size(),
        )
    };
    let month = |z: &Sizing| {
        z.output_tokens_per_s * (z.shape.input_tokens + z.shape.output_tokens)
            / z.shape.output_tokens
            * HOURS_PER_MONTH
            * 3600.0
            * sh.target_utilization
    };
    let bf16 = sized("bf16")?;
    let finding = if bf16.fits {
        Finding::Fits {
            tokens_per_month: month(&bf16),
            utilization: sh.target_utilization,
        }
    } else {
        let precision = catalog.precision("bf16")?;
        Finding::DoesNotFit {
            advice: what_fits(
                catalog,
                model,
                gpu,
                precision,
                (engine, None),
                (1, false),
                shape,
            ),
            quantized: ["fp8", "int8", "int4"]
                .iter()
                .filter_map(|p| sized(p))
                .find(|z| z.fits)
                .map(|z| (z.precision.clone(), month(&z))),
        }
    };
    Some(PhysicalCheck {
        setup: setup.name.clone(),
        tp,
        gpu: gpu.id.clone(),
        claimed_tokens_per_month: setup.tokens_per_month_per_unit,
        model: model.id.clone(),
        finding,
    })
}
