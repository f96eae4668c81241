//! Validation of the serving engines: their constants, their defaults on smaller GPUs, and
//! `calibrations`, an engine's constants fitted on the user's own benchmark of one GPU and
//! precision (written by `llm-decide calibrate`).

use super::Origin;
use super::hardware::count;
use super::raw::{
    RawCalibration, RawMemoryStep, RawPricingFile, RawQuantizedKv, RawServing, RawSmallerGpus,
};
use crate::input::validate::{Checker, MS, NUMBER, Parser, SHARE};
use crate::input::yaml::{Located, Q};
use crate::model::catalog::hardware::{Calibration, MemoryStep, QuantizedKv, Serving, SmallerGpus};
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
    entry_name(&raw.engine.value, &raw.gpu.value, &raw.precision.value)
}

/// How problems name a validated entry.
pub fn field(engine: &str, c: &Calibration) -> String {
    entry_name(engine, &c.gpu, &c.precision)
}

fn entry_name(engine: &str, gpu: &str, precision: &str) -> String {
    format!("calibrations[{engine}/{gpu}/{precision}]")
}

/// Bounds of the overheads given in µs (a sequence's, a layer's launch): up to 10 ms.
const MICROS: Bounds = Bounds::new(UnitKind::Number, 0.0, 1e4);

/// The constants a calibration may give, which an engine gives too (`given`: the bandwidth
/// and GEMM efficiencies, the step, per-sequence and prefill-launch overheads, the steps a
/// prompt waits at load), each with its parser and bounds: an efficiency a share of at least
/// 1%, the overheads up to a second a step and 10 ms a sequence or a layer, the wait up to 100
/// steps.
fn calibrated(given: [&Option<Q>; 6]) -> [(&'static str, &Option<Q>, Parser, Bounds); 6] {
    let efficiency = Bounds::new(UnitKind::Share, 0.01, 1.0);
    let [bandwidth, gemm, step, sequence, launch, wait] = given;
    [
        ("bandwidth_efficiency", bandwidth, SHARE, efficiency),
        ("gemm_efficiency", gemm, SHARE, efficiency),
        (
            "step_overhead_ms",
            step,
            MS,
            Bounds::new(UnitKind::Duration, 0.0, 1e3),
        ),
        ("sequence_overhead_us", sequence, NUMBER, MICROS),
        ("prefill_layer_overhead_us", launch, NUMBER, MICROS),
        (
            "prefill_wait_steps",
            wait,
            NUMBER,
            Bounds::new(UnitKind::Number, 0.0, 100.0),
        ),
    ]
}

/// A calibration's constants, in [`calibrated`]'s order.
fn calibration_fields(raw: &RawCalibration) -> [&Option<Q>; 6] {
    [
        &raw.bandwidth_efficiency,
        &raw.gemm_efficiency,
        &raw.step_overhead_ms,
        &raw.sequence_overhead_us,
        &raw.prefill_layer_overhead_us,
        &raw.prefill_wait_steps,
    ]
}

/// Validates a calibration: the constants it gives are within the engine's bounds, at least
/// one is given, and it says when and from what it was measured.
pub fn calibration(ck: &mut Checker, entry: &Located<RawCalibration>) -> Option<EngineCalibration> {
    let raw = &entry.value;
    let p = prefix(raw);
    let f = |n: &str| format!("{p}.{n}");
    let before = ck.problems.0.len();
    let mut constant = |name: &str, q: &Option<Q>, parse, bounds: Bounds| {
        let v = ck.opt(&f(name), q.as_ref(), parse);
        ck.bounded(&f(name), q.as_ref(), v, bounds)
    };
    let [bandwidth, gemm, overhead, per_sequence, launch, wait] =
        calibrated(calibration_fields(raw))
            .map(|(name, q, parse, bounds)| constant(name, q, parse, bounds));
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
    if calibration_fields(raw).iter().all(|q| q.is_none()) {
        ck.report(
            entry.pos,
            &p,
            "gives no constant",
            Some("give bandwidth_efficiency, gemm_efficiency, step_overhead_ms, sequence_overhead_us, prefill_layer_overhead_us or prefill_wait_steps (llm-decide calibrate writes them)"),
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
            prefill_layer_overhead_us: launch,
            prefill_wait_steps: wait,
            model: raw.model.as_ref().map(|m| m.value.clone()),
            gpus: gpus.map(|g| g as u32),
            checked: provenance.checked?,
            source: provenance.source,
        },
    })
}

/// The ids a file's engines (their smaller GPUs, their quantized checkpoints' precisions) and
/// calibrations (engine, GPU, precision, model) name, with their places.
pub fn origins(raw: &RawPricingFile) -> Vec<Origin> {
    let mut out = Vec::new();
    for e in &raw.engines {
        let p = format!("engines[{}]", e.value.id.value);
        let also = e
            .value
            .smaller_gpus
            .iter()
            .flat_map(|s| s.value.also.iter())
            .enumerate()
            .map(|(i, g)| (format!("{p}.smaller_gpus.also[{i}]"), g));
        let quantized = e.value.quantized_kv.iter().flat_map(|q| {
            let kv = q
                .value
                .precision
                .iter()
                .map(|k| (format!("{p}.quantized_kv.precision"), k));
            let weights = q.value.weights.iter().enumerate();
            kv.chain(weights.map(|(i, w)| (format!("{p}.quantized_kv.weights[{i}]"), w)))
        });
        for (field, id) in also.chain(quantized) {
            out.push(Origin {
                field,
                id: id.value.clone(),
                pos: id.pos,
            });
        }
    }
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

/// Tokens a step, from 16 to ten million.
fn step_budget(ck: &mut Checker, field: &str, q: &Q) -> Option<f64> {
    let v = ck.opt(field, Some(q), NUMBER);
    ck.bounded(field, Some(q), v, Bounds::new(UnitKind::Number, 16.0, 1e7))
}

/// Validates an engine's step budget by GPU memory: each tier a memory bound and a budget,
/// the bounds rising from one tier to the next.
fn memory_steps(
    ck: &mut Checker,
    p: &str,
    tiers: &[Located<RawMemoryStep>],
) -> Option<Vec<MemoryStep>> {
    let mut out = Vec::new();
    let mut complete = true;
    for (i, t) in tiers.iter().enumerate() {
        let f = |n: &str| format!("{p}[{i}].{n}");
        let below = ck.req_positive(
            t.pos,
            &f("below_memory_gib"),
            t.value.below_memory_gib.as_ref(),
            NUMBER,
            UnitKind::Number,
            "give the memory, GiB, under which a GPU is in this tier",
        );
        let tokens = if let Some(q) = t.value.step_tokens.as_ref() {
            step_budget(ck, &f("step_tokens"), q)
        } else {
            let fix = "give the tokens a step on GPUs in this tier";
            ck.report(t.pos, &f("step_tokens"), "is missing", Some(fix));
            None
        };
        let (Some(below), Some(step_tokens)) = (below, tokens) else {
            complete = false;
            continue;
        };
        if let Some(last) = out.last().map(|m: &MemoryStep| m.below_memory_gib)
            && below <= last
        {
            ck.report(
                t.pos,
                &f("below_memory_gib"),
                format!("{below} is not above the tier before ({last})"),
                Some("list the tiers from the smallest GPUs up"),
            );
            complete = false;
        }
        out.push(MemoryStep {
            below_memory_gib: below,
            step_tokens,
        });
    }
    complete.then_some(out)
}

/// Validates an engine's quantized-checkpoint KV cache: a precision and at least one weight
/// precision (the ids are checked with the catalog's when the tables are joined).
fn quantized_kv(ck: &mut Checker, p: &str, q: &Located<RawQuantizedKv>) -> Option<QuantizedKv> {
    let Some(precision) = &q.value.precision else {
        let fix = "give the KV cache's precision id, e.g. fp8";
        ck.report(q.pos, &format!("{p}.precision"), "is missing", Some(fix));
        return None;
    };
    if q.value.weights.is_empty() {
        let fix = "list the weight precisions whose checkpoints carry it, e.g. [fp8, nvfp4]";
        ck.report(q.pos, &format!("{p}.weights"), "is empty", Some(fix));
        return None;
    }
    Some(QuantizedKv {
        precision: precision.value.clone(),
        weights: q.value.weights.iter().map(|w| w.value.clone()).collect(),
        bytes: 0.0,
        native_on: Vec::new(),
    })
}

/// Validates an engine's defaults on smaller GPUs: a memory bound and a batch cap required,
/// a step budget optional; the GPU ids of `also` are checked with the catalog's.
fn smaller_gpus(ck: &mut Checker, p: &str, s: &Located<RawSmallerGpus>) -> Option<SmallerGpus> {
    let raw = &s.value;
    let f = |n: &str| format!("{p}.{n}");
    let below = ck.req_positive(
        s.pos,
        &f("below_memory_gb"),
        raw.below_memory_gb.as_ref(),
        NUMBER,
        UnitKind::Number,
        "give the memory, GB, under which a GPU counts as smaller",
    );
    let batch = count(ck, s.pos, &f("max_batch"), raw.max_batch.as_ref());
    let step_tokens = raw
        .step_tokens
        .as_ref()
        .map(|q| step_budget(ck, &f("step_tokens"), q));
    Some(SmallerGpus {
        below_memory_gb: below?,
        also: raw.also.iter().map(|g| g.value.clone()).collect(),
        max_batch: batch?,
        step_tokens: match step_tokens {
            Some(v) => Some(v?),
            None => None,
        },
    })
}

/// Validates a serving-engine entry; every constant is required.
pub fn engine(ck: &mut Checker, entry: &Located<RawServing>) -> Option<Serving> {
    let raw = &entry.value;
    let p = format!("engines[{}]", raw.id.value);
    let f = |n: &str| format!("{p}.{n}");
    let fix = "give the engine's value; see pricing/serving.yaml";
    // Required, then within bounds: an efficiency under 1% would mean an engine that barely
    // runs (a typo for a percentage), and so on. Shares and figures with a positive floor must
    // be above zero; overheads may be zero.
    let mut within = |n: &str, q: &Option<Q>, parse: Parser, bounds: Bounds| {
        let v = if bounds.kind == UnitKind::Share || bounds.min > 0.0 {
            ck.req_positive(entry.pos, &f(n), q.as_ref(), parse, bounds.kind, fix)
        } else {
            ck.req(entry.pos, &f(n), q.as_ref(), parse, fix)
        };
        ck.bounded(&f(n), q.as_ref(), v, bounds)
    };
    let efficiency = Bounds::new(UnitKind::Share, 0.01, 1.0);
    let share = Bounds::new(UnitKind::Share, 0.0, 1.0);
    let [bandwidth, gemm, overhead, per_sequence, launch, wait] = calibrated([
        &raw.bandwidth_efficiency,
        &raw.gemm_efficiency,
        &raw.step_overhead_ms,
        &raw.sequence_overhead_us,
        &raw.prefill_layer_overhead_us,
        &raw.prefill_wait_steps,
    ])
    .map(|(name, q, parse, bounds)| within(name, q, parse, bounds));
    let [ratio, utilization, runtime, kv, link, latency] = [
        (
            "default_matmul_ratio",
            &raw.default_matmul_ratio,
            SHARE,
            share,
        ),
        (
            "memory_utilization",
            &raw.memory_utilization,
            SHARE,
            efficiency,
        ),
        (
            "runtime_overhead_gb",
            &raw.runtime_overhead_gb,
            NUMBER,
            Bounds::new(UnitKind::Number, 0.0, 1e3),
        ),
        (
            "kv_bytes",
            &raw.kv_bytes,
            NUMBER,
            Bounds::new(UnitKind::Number, 0.25, 8.0),
        ),
        ("link_efficiency", &raw.link_efficiency, SHARE, efficiency),
        (
            "all_reduce_latency_us",
            &raw.all_reduce_latency_us,
            NUMBER,
            Bounds::new(UnitKind::Number, 0.0, 1e4),
        ),
    ]
    .map(|(name, q, parse, bounds)| within(name, q, parse, bounds));
    let graph_tokens = raw
        .prefill_graph_tokens
        .as_ref()
        .map(|q| step_budget(ck, &f("prefill_graph_tokens"), q));
    let batch = count(ck, entry.pos, &f("max_batch"), raw.max_batch.as_ref());
    let step_tokens = raw
        .step_tokens
        .as_ref()
        .map(|q| step_budget(ck, &f("step_tokens"), q));
    let smaller = raw
        .smaller_gpus
        .as_ref()
        .map(|s| smaller_gpus(ck, &f("smaller_gpus"), s));
    let by_memory = memory_steps(ck, &f("step_tokens_by_memory"), &raw.step_tokens_by_memory);
    let quantized = raw
        .quantized_kv
        .as_ref()
        .map(|q| quantized_kv(ck, &f("quantized_kv"), q));
    Some(Serving {
        id: raw.id.value.clone(),
        name: raw.name.clone().unwrap_or_else(|| raw.id.value.clone()),
        bandwidth_efficiency: bandwidth?,
        gemm_efficiency: gemm?,
        default_matmul_ratio: ratio?,
        step_overhead_ms: overhead?,
        sequence_overhead_us: per_sequence?,
        prefill_layer_overhead_us: launch?,
        prefill_wait_steps: wait?,
        prefill_graph_tokens: match graph_tokens {
            Some(v) => Some(v?),
            None => None,
        },
        memory_utilization: utilization?,
        runtime_overhead_gb: runtime?,
        max_batch: batch?,
        step_tokens: match step_tokens {
            Some(v) => Some(v?),
            None => None,
        },
        smaller_gpus: match smaller {
            Some(s) => Some(s?),
            None => None,
        },
        step_tokens_by_memory: by_memory?,
        kv_bytes: kv?,
        quantized_kv: match quantized {
            Some(q) => Some(q?),
            None => None,
        },
        kv_paged: raw.kv_paged.unwrap_or(false),
        all_reduce_latency_us: latency?,
        link_efficiency: link?,
        layer_split: raw.layer_split.unwrap_or(false),
        calibrations: Vec::new(),
    })
}
