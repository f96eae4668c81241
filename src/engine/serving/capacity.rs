//! `llm-decide capacity`: size one deployment on its own. Given a model, a GPU, a precision
//! and a number of GPUs, choose the tensor-parallel degree (or take the one given), pack
//! replicas, and report memory, batch, throughput and latency; with a monthly volume, the
//! replicas, GPUs and monthly GPU cost it needs.

use super::fit::{FitAdvice, what_fits};
use crate::engine::cost::gpu::{GpuMonthly, Unpriced, gpu_monthly};
use crate::engine::serving::kv::{kv_bytes, kv_precision};
use crate::engine::serving::load::Load;
use crate::engine::serving::sizing::{AttentionSplit, Config, MemoryGb, Sizing, Step};
use crate::engine::{EngineError, MAX_UNITS};
use crate::model::catalog::hardware::{Gpu, OpenModel, Precision, Serving, tp_choices};
use crate::model::workload::RequestShape;
use crate::model::workload::Speculative;

use crate::model::catalog::Catalog;
use crate::model::workload::HOURS_PER_MONTH;
use crate::model::workload::spec::CapacityRequest;
use serde::Serialize;

/// What a volume needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Needed {
    /// The volume, tokens per month.
    pub tokens_per_month: f64,
    /// Peak demand, tokens per second.
    pub peak_tokens_per_s: f64,
    /// Replicas needed at the target utilization.
    pub replicas: u32,
    /// GPUs needed.
    pub gpus: u32,
    /// Whether the `--gpus` given are enough.
    pub enough: Option<bool>,
    /// What a GPU costs; `None` with the reason when it cannot be priced.
    #[serde(skip)]
    pub gpu_cost: Option<GpuMonthly>,
    /// Why the GPU cannot be priced.
    #[serde(skip)]
    pub gpu_cost_problem: Option<Unpriced>,
    /// GPU cost of the needed GPUs, USD per month (no personnel); `None` if unpriced.
    pub monthly_cost_usd: Option<f64>,
}

/// How an engine splits a model across a replica's GPUs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GpuSplit {
    /// Every GPU holds a slice of every weight and they work on a step at once.
    Tensor,
    /// Each GPU holds some layers and they run a step in turn: more memory, not more speed.
    Layers,
}

/// The capacity report. Memory, batch, prefill, TTFT and TPOT are per replica at the
/// largest batch; throughput is aggregated over all GPUs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Capacity {
    /// Model id.
    pub model: String,
    /// GPU id.
    pub gpu: String,
    /// Precision id.
    pub precision: String,
    /// Engine id.
    pub engine: String,
    /// `CapacityRequest` shape.
    pub shape: RequestShape,
    /// Total GPUs.
    pub gpus: u32,
    /// Whether the model fits.
    pub fits: bool,
    /// What would fit, when it does not.
    #[serde(skip)]
    pub message: Option<FitAdvice>,
    /// GPUs per replica.
    pub tensor_parallel: u32,
    /// Replicas packed on the GPUs.
    pub replicas: u32,
    /// Expert-parallel degree (1: none).
    pub expert_parallel: u32,
    /// How a replica's GPUs share attention.
    pub attention: AttentionSplit,
    /// Memory per replica, GB.
    pub memory_gb: MemoryGb,
    /// Bytes per cached value (the KV cache's precision).
    pub kv_bytes_per_value: f64,
    /// Whether the engine pages the KV cache (a sequence holds its prompt and half its output
    /// on average) rather than reserving the whole request.
    pub kv_paged: bool,
    /// Largest batch per replica; `None` when it does not fit.
    pub max_batch: Option<u32>,
    /// Output tokens per second of all GPUs at the largest batch.
    pub max_output_tokens_per_s: Option<f64>,
    /// Decode speed of one stream, tokens per second.
    pub single_stream_output_tokens_per_s: Option<f64>,
    /// Prefill speed of one replica, prompt tokens per second.
    pub prefill_tokens_per_s: Option<f64>,
    /// Of a prompt's prefill, the launch time of its forwards outside CUDA graphs, ms.
    pub prefill_launch_ms: Option<f64>,
    /// Time to first token at the largest batch, no queueing, ms.
    pub ttft_ms: Option<f64>,
    /// Time per output token at the largest batch, ms.
    pub tpot_ms: Option<f64>,
    /// Whether the GPU runs the precision on its tensor cores (else weight-only: weights
    /// dequantized and multiplied at the BF16 rate).
    pub native_precision: bool,
    /// The step at the largest batch, kernel by kernel; `None` when it does not fit.
    pub step: Option<Step>,
    /// One replica at the concurrency asked (`--concurrency`).
    pub at_concurrency: Option<Point>,
    /// One replica at concurrencies 1, 2, 4, ... and the largest batch (`--sweep`).
    pub sweep: Vec<Point>,
    /// Tokens (input plus output) a month all GPUs serve at the target utilization.
    pub tokens_per_month_at_target_utilization: Option<f64>,
    /// The target utilization used.
    pub target_utilization: f64,
    /// What `--tokens` needs.
    pub needed: Option<Needed>,
    /// Every tensor-parallel degree tried.
    pub by_tensor_parallel: Vec<Degree>,
    /// How the engine splits the model across a replica's GPUs.
    pub split: GpuSplit,
    /// The user's benchmark whose constants replace the engine's on this GPU and precision.
    pub calibration: Option<crate::model::catalog::hardware::Calibration>,
}

/// One replica at a number of running sequences: the two axes serving benchmarks plot.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    /// Sequences running.
    pub concurrency: f64,
    /// Time per output token, ms.
    pub tpot_ms: f64,
    /// Time to first token without queueing, ms.
    pub ttft_ms: f64,
    /// Output tokens per second of the replica.
    pub output_tokens_per_s: f64,
    /// Output tokens per second per GPU.
    pub output_tokens_per_s_per_gpu: f64,
    /// Output tokens per second each user sees.
    pub tokens_per_s_per_user: f64,
}

impl Point {
    fn of(load: &Load, tp: u32) -> Point {
        Point {
            concurrency: load.concurrency,
            tpot_ms: load.tpot_ms,
            ttft_ms: load.ttft_ms,
            output_tokens_per_s: load.output_tokens_per_s,
            output_tokens_per_s_per_gpu: load.output_tokens_per_s / f64::from(tp),
            tokens_per_s_per_user: 1000.0 / load.tpot_ms,
        }
    }
}

/// One tensor-parallel degree tried.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Degree {
    /// GPUs per replica.
    pub tensor_parallel: u32,
    /// Whether the model fits.
    pub fits: bool,
    /// Replicas the GPUs hold.
    pub replicas: u32,
    /// Output tokens per second of all GPUs at the largest batch; `None` when it does not fit.
    pub max_output_tokens_per_s: Option<f64>,
}

/// The catalog entries a request names.
struct Parts<'a> {
    model: &'a OpenModel,
    gpu: &'a Gpu,
    precision: &'a Precision,
    engine: &'a Serving,
    kv: Option<&'a Precision>,
    ep: u32,
    attention_dp: bool,
    speculative: Option<Speculative>,
}

impl<'a> Parts<'a> {
    fn of(catalog: &'a Catalog, r: &CapacityRequest) -> Result<Parts<'a>, EngineError> {
        let unknown = |what: &'static str, id: &str| EngineError::UnknownId {
            what,
            id: id.to_string(),
        };
        Ok(Parts {
            model: catalog
                .model(&r.model)
                .ok_or_else(|| unknown("model id", &r.model))?,
            gpu: catalog
                .gpu(&r.gpu)
                .ok_or_else(|| unknown("GPU id", &r.gpu))?,
            precision: catalog
                .precision(&r.precision)
                .ok_or_else(|| unknown("precision", &r.precision))?,
            engine: catalog
                .engine(&r.engine)
                .ok_or_else(|| unknown("engine", &r.engine))?,
            kv: kv_precision(catalog, r.kv_precision.as_deref())?,
            ep: r.ep.unwrap_or(1),
            attention_dp: r.attention_dp,
            speculative: r.speculative.clone(),
        })
    }

    /// One replica at `tp` GPUs.
    fn size(&self, tp: u32, shape: RequestShape) -> Sizing {
        self.config(tp, shape).size()
    }

    fn config(&self, tp: u32, shape: RequestShape) -> Config<'_> {
        Config {
            model: self.model,
            gpu: self.gpu,
            precision: self.precision,
            serving: self.engine,
            tp,
            shape,
            tpot_limit_ms: None,
            kv: self.kv,
            cached_share: 0.0,
            ep: self.ep,
            speculative: self.speculative.as_ref(),
            attention_dp: self.attention_dp,
        }
    }
}

/// Sizes a request: every tensor-parallel degree the GPUs allow, the one that serves the most
/// tokens on them (ties to the smaller), and with a volume what it needs.
pub fn capacity(catalog: &Catalog, r: &CapacityRequest) -> Result<Capacity, EngineError> {
    let parts = Parts::of(catalog, r)?;
    let total = r.gpus.or(r.tp).or(r.ep).unwrap_or(1);
    // Every GPU given serves: degrees that split them into whole replicas.
    let degrees: Vec<u32> = tp_choices(Some(total))
        .into_iter()
        .filter(|t| r.tp.is_none_or(|f| f == *t) && t % parts.ep == 0)
        .collect();
    let sized: Vec<Sizing> = degrees.iter().map(|&tp| parts.size(tp, r.shape)).collect();
    let aggregate = |z: &Sizing| f64::from(total / z.tensor_parallel) * z.max_output_tokens_per_s;
    let chosen = sized
        .iter()
        .filter(|z| z.fits)
        .fold(None::<&Sizing>, |best, z| match best {
            Some(b) if aggregate(b) >= aggregate(z) => Some(b),
            _ => Some(z),
        });
    let by_tensor_parallel: Vec<Degree> = sized
        .iter()
        .map(|z| Degree {
            tensor_parallel: z.tensor_parallel,
            fits: z.fits,
            replicas: total / z.tensor_parallel,
            max_output_tokens_per_s: z.fits.then(|| aggregate(z)),
        })
        .collect();
    let utilization = catalog.policy.self_host.target_utilization;
    let mut out = Capacity {
        model: parts.model.id.clone(),
        gpu: parts.gpu.id.clone(),
        precision: parts.precision.id.clone(),
        engine: parts.engine.id.clone(),
        shape: r.shape,
        gpus: total,
        fits: false,
        message: None,
        tensor_parallel: 0,
        replicas: 0,
        expert_parallel: 1,
        attention: AttentionSplit::TensorParallel,
        memory_gb: MemoryGb::default(),
        kv_bytes_per_value: kv_bytes(parts.engine, parts.kv, parts.precision, parts.gpu),
        kv_paged: parts.engine.kv_paged,
        max_batch: None,
        max_output_tokens_per_s: None,
        single_stream_output_tokens_per_s: None,
        prefill_tokens_per_s: None,
        prefill_launch_ms: None,
        ttft_ms: None,
        tpot_ms: None,
        native_precision: parts.config(1, r.shape).native(),
        step: None,
        at_concurrency: None,
        sweep: Vec::new(),
        tokens_per_month_at_target_utilization: None,
        target_utilization: utilization,
        needed: None,
        by_tensor_parallel,
        calibration: parts.config(1, r.shape).calibration().cloned(),
        split: if parts.engine.layer_split {
            GpuSplit::Layers
        } else {
            GpuSplit::Tensor
        },
    };
    let Some(z) = chosen.cloned() else {
        let tp = r.tp.or(degrees.last().copied()).unwrap_or(1);
        out.tensor_parallel = tp;
        let tried = parts.size(tp, r.shape);
        (out.memory_gb, out.attention) = (tried.memory_gb, tried.attention);
        out.message = Some(what_fits(
            catalog,
            parts.model,
            parts.gpu,
            parts.precision,
            (parts.engine, parts.kv),
            (parts.ep, parts.attention_dp),
            r.shape,
        ));
        return Ok(out);
    };
    let replicas = total / z.tensor_parallel;
    let (at_concurrency, sweep) = load_points(&parts, r, &z)?;
    let replica_tokens_per_s = z.max_output_tokens_per_s
        * (r.shape.input_tokens + r.shape.output_tokens)
        / r.shape.output_tokens;
    out.needed = r.tokens_per_month.map(|v| {
        needed(
            catalog,
            parts.gpu,
            r,
            v,
            replicas,
            z.tensor_parallel,
            replica_tokens_per_s,
        )
    });
    Ok(Capacity {
        fits: true,
        tensor_parallel: z.tensor_parallel,
        expert_parallel: z.expert_parallel,
        attention: z.attention,
        replicas,
        memory_gb: z.memory_gb,
        max_batch: Some(z.max_batch),
        max_output_tokens_per_s: Some(f64::from(replicas) * z.max_output_tokens_per_s),
        single_stream_output_tokens_per_s: Some(z.single_stream_output_tokens_per_s),
        prefill_tokens_per_s: Some(z.prefill_tokens_per_s),
        prefill_launch_ms: Some(z.prefill_launch_ms),
        ttft_ms: Some(z.ttft_ms),
        tpot_ms: Some(z.tpot_ms),
        step: Some(z.step),
        at_concurrency,
        sweep,
        tokens_per_month_at_target_utilization: Some(
            f64::from(replicas) * replica_tokens_per_s * utilization * HOURS_PER_MONTH * 3600.0,
        ),
        ..out
    })
}

/// One replica at the concurrency asked (refused above its largest batch, saying what limits
/// it) and over the sweep 1, 2, 4, ... and the largest batch, when asked.
fn load_points(
    parts: &Parts,
    r: &CapacityRequest,
    z: &Sizing,
) -> Result<(Option<Point>, Vec<Point>), EngineError> {
    let config = parts.config(z.tensor_parallel, r.shape);
    let point = |n: u32| Point::of(&config.at_concurrency(f64::from(n)), z.tensor_parallel);
    let at_concurrency = match r.concurrency {
        Some(n) if n > z.max_batch => {
            return Err(EngineError::ConcurrencyAboveBatch {
                concurrency: n,
                max_batch: z.max_batch,
                model: z.model.clone(),
                precision: z.precision.clone(),
                tp: z.tensor_parallel,
                gpu: z.gpu.clone(),
                engine_cap: f64::from(z.max_batch) >= config.engine_batch(),
            });
        }
        n => n.map(point),
    };
    let sweep = if r.sweep {
        std::iter::successors(Some(1u32), |n| n.checked_mul(2))
            .take_while(|n| *n < z.max_batch)
            .chain([z.max_batch])
            .map(point)
            .collect()
    } else {
        Vec::new()
    };
    Ok((at_concurrency, sweep))
}

/// What `volume` tokens a month need: replicas at the planned utilization, GPUs, and their
/// monthly cost.
fn needed(
    catalog: &Catalog,
    gpu: &Gpu,
    r: &CapacityRequest,
    volume: f64,
    replicas: u32,
    tp: u32,
    replica_tokens_per_s: f64,
) -> Needed {
    let sh = &catalog.policy.self_host;
    let peak = volume * r.peak_to_average / (HOURS_PER_MONTH * 3600.0);
    // Capped at the most the tool counts: a volume past it is refused before sizing.
    let need = ((peak / (replica_tokens_per_s * sh.target_utilization)) * (1.0 - 1e-12))
        .ceil()
        .clamp(1.0, MAX_UNITS) as u32;
    let cost = gpu_monthly(
        gpu,
        sh,
        (r.hosting, r.price_kind),
        tp,
        &crate::engine::cost::gpu::OfferRules::default(),
    );
    let gpus = need * tp;
    Needed {
        tokens_per_month: volume,
        peak_tokens_per_s: peak,
        replicas: need,
        gpus,
        // Only GPUs the user gave can be enough or not.
        enough: r.gpus.map(|_| replicas >= need),
        monthly_cost_usd: cost
            .as_ref()
            .ok()
            .map(|c| c.usd_per_gpu_month * f64::from(gpus)),
        gpu_cost_problem: cost.as_ref().err().cloned(),
        gpu_cost: cost.ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::serving::fit::Fit;
    use crate::engine::testing::catalog;
    use crate::model::catalog::hardware::{Hosting, PriceKind};

    fn request(gpus: Option<u32>, tp: Option<u32>, precision: &str) -> CapacityRequest {
        CapacityRequest {
            model: "llama-3.1-70b".into(),
            gpu: "h100".into(),
            precision: precision.into(),
            engine: "batched".into(),
            kv_precision: None,
            gpus,
            tp,
            ep: None,
            attention_dp: false,
            concurrency: None,
            speculative: None,
            sweep: false,
            shape: RequestShape {
                input_tokens: 1000.0,
                output_tokens: 1000.0,
            },
            tokens_per_month: None,
            peak_to_average: 1.0,
            hosting: Hosting::Cloud,
            price_kind: PriceKind::OnDemand,
        }
    }

    #[test]
    fn chooses_the_degree_and_packs_replicas() {
        let c = catalog();
        // bf16 70B needs 4 of the 80 GB test GPUs (see sizing tests).
        let four = capacity(&c, &request(Some(4), None, "bf16")).unwrap();
        assert_eq!(
            (four.fits, four.tensor_parallel, four.replicas, four.gpus),
            (true, 4, 1, 4)
        );
        // 8 GPUs: 2 replicas of TP 4 or 1 of TP 8; the chosen degree serves the most tokens.
        let eight = capacity(&c, &request(Some(8), None, "bf16")).unwrap();
        let best = eight
            .by_tensor_parallel
            .iter()
            .filter_map(|d| d.max_output_tokens_per_s)
            .fold(0.0, f64::max);
        assert_eq!(eight.max_output_tokens_per_s, Some(best));
        assert_eq!(eight.replicas * eight.tensor_parallel, 8);
        // A fixed degree is respected.
        let fixed = capacity(&c, &request(Some(8), Some(8), "bf16")).unwrap();
        assert_eq!((fixed.tensor_parallel, fixed.replicas), (8, 1));
    }

    #[test]
    fn what_fits_when_nothing_does() {
        let c = catalog();
        let none = capacity(&c, &request(None, None, "bf16")).unwrap();
        assert!(!none.fits);
        assert_eq!((none.gpus, none.max_batch, none.ttft_ms), (1, None, None));
        // 70B parameters x 2 bytes: four H100s hold it in bf16, two in fp8.
        let fit = |tp, precision: &str| Fit {
            tp,
            gpu: "h100".into(),
            precision: precision.into(),
        };
        assert_eq!(
            none.message,
            Some(FitAdvice {
                model: "llama-3.1-70b".into(),
                precision: "bf16".into(),
                weights_gb: 140.0,
                fits: vec![fit(4, "bf16"), fit(2, "fp8")],
            })
        );
    }

    #[test]
    fn volume_needs_replicas_and_gpu_cost() {
        let c = catalog();
        let mut r = request(None, Some(2), "fp8");
        r.tokens_per_month = Some(10e9);
        let cap = capacity(&c, &r).unwrap();
        let n = cap.needed.unwrap();
        // Peak = 10B / 2.628M s = 3,805 tokens/s; each replica serves its output rate x 2
        // (1,000 in + 1,000 out per 1,000 out) at 70% utilization.
        let per_replica = cap.max_output_tokens_per_s.unwrap() * 2.0 * 0.7;
        let want = (10e9 / (730.0 * 3600.0) / per_replica).ceil() as u32;
        assert_eq!(n.replicas, want);
        assert_eq!(n.gpus, want * 2);
        // $2 an hour x 730 h per GPU.
        assert_eq!(n.monthly_cost_usd, Some(f64::from(n.gpus) * 1460.0));
    }
}
