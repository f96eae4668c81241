//! Validation of `calibrations`: an engine's constants fitted on the user's own benchmark of
//! one GPU and precision (written by `llm-decide calibrate`).

use super::Origin;
use super::raw::{RawCalibration, RawPricingFile};
use crate::input::validate::{Checker, MS, NUMBER, SHARE};
use crate::input::yaml::{Located, Q};
use crate::model::catalog::hardware::Calibration;
use crate::model::units::{Bounds, UnitKind};

/// A calibration and the engine it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineCalibration {
    /// Engine id.
    pub engine: String,
    /// The constants.
    pub calibration: Calibration,
}

impl EngineCalibration {
    /// Whether two calibrations are of the same engine, GPU and precision (a later file's
    /// replaces an earlier one's).
    pub fn same(&self, other: &Self) -> bool {
        self.engine == other.engine
            && self.calibration.gpu == other.calibration.gpu
            && self.calibration.precision == other.calibration.precision
    }
}

/// How problems name an entry: `calibrations[vllm/h100-sxm/fp8]`.
pub fn prefix(raw: &RawCalibration) -> String {
    format!(
        "calibrations[{}/{}/{}]",
        raw.engine.value, raw.gpu.value, raw.precision.value
    )
}

/// Validates a calibration: the constants it gives are within the engine's bounds, at least
/// one is given, and it says when and from what it was measured.
pub fn calibration(ck: &mut Checker, entry: &Located<RawCalibration>) -> Option<EngineCalibration> {
    let raw = &entry.value;
    let p = prefix(raw);
    let f = |n: &str| format!("{p}.{n}");
    let before = ck.problems.0.len();
    let efficiency = Bounds::new(UnitKind::Share, 0.01, 1.0);
    let mut constant = |name: &str, q: &Option<Q>, parse, bounds: Bounds| {
        let v = ck.opt(&f(name), q.as_ref(), parse);
        ck.bounded(&f(name), q.as_ref(), v, bounds)
    };
    let bandwidth = constant(
        "bandwidth_efficiency",
        &raw.bandwidth_efficiency,
        SHARE,
        efficiency,
    );
    let gemm = constant("gemm_efficiency", &raw.gemm_efficiency, SHARE, efficiency);
    let overhead = constant(
        "step_overhead_ms",
        &raw.step_overhead_ms,
        MS,
        Bounds::new(UnitKind::Duration, 0.0, 1e3),
    );
    let per_sequence = constant(
        "sequence_overhead_us",
        &raw.sequence_overhead_us,
        NUMBER,
        Bounds::new(UnitKind::Number, 0.0, 1e4),
    );
    let gpus = constant(
        "gpus",
        &raw.gpus,
        NUMBER,
        Bounds::new(UnitKind::Number, 1.0, 64.0),
    );
    if let (Some(q), Some(g)) = (&raw.gpus, gpus)
        && g.fract() != 0.0
    {
        ck.report(
            q.pos,
            &f("gpus"),
            format!("{g} is not a whole number"),
            Some("give the benchmarked server's GPUs"),
        );
    }
    let given = [
        &raw.bandwidth_efficiency,
        &raw.gemm_efficiency,
        &raw.step_overhead_ms,
        &raw.sequence_overhead_us,
    ];
    if given.iter().all(|q| q.is_none()) {
        ck.report(
            entry.pos,
            &p,
            "gives no constant",
            Some("give bandwidth_efficiency, gemm_efficiency, step_overhead_ms or sequence_overhead_us (llm-decide calibrate writes them)"),
        );
    }
    let provenance = ck.provenance(entry.pos, &p, raw.checked.as_ref(), raw.source.as_ref())?;
    if ck.problems.0.len() > before {
        return None;
    }
    Some(EngineCalibration {
        engine: raw.engine.value.clone(),
        calibration: Calibration {
            gpu: raw.gpu.value.clone(),
            precision: raw.precision.value.clone(),
            bandwidth_efficiency: bandwidth,
            gemm_efficiency: gemm,
            step_overhead_ms: overhead,
            sequence_overhead_us: per_sequence,
            model: raw.model.as_ref().map(|m| m.value.clone()),
            gpus: gpus.map(|g| g as u32),
            checked: provenance.checked?,
            source: provenance.source,
        },
    })
}

/// The ids a file's calibrations name (engine, GPU, precision, model), with their places.
pub fn origins(raw: &RawPricingFile) -> Vec<Origin> {
    let mut out = Vec::new();
    for c in &raw.calibrations {
        let c = &c.value;
        let p = prefix(c);
        let named = [
            ("engine", Some(&c.engine)),
            ("gpu", Some(&c.gpu)),
            ("precision", Some(&c.precision)),
            ("model", c.model.as_ref()),
        ];
        for (name, id) in named {
            if let Some(id) = id {
                out.push(Origin {
                    field: format!("{p}.{name}"),
                    id: id.value.clone(),
                    pos: id.pos,
                });
            }
        }
    }
    out
}
