//! The serving engines' constants: efficiencies and overheads of a step, batch caps and step
//! budgets, the KV cache's defaults, and the user's own calibrations. Validated values; the
//! YAML shapes live in `input/`.

use super::hardware::{Gpu, Precision};
use crate::model::date::Date;
use serde::{Deserialize, Serialize};

/// The precisions a KV cache is kept in by the engines modelled: 16-bit (the model's dtype),
/// FP8 and FP4 (NVFP4 on Blackwell). Integer KV caches are not modelled.
pub const KV_PRECISIONS: &[&str] = &["fp16", "bf16", "fp8", "fp4"];

/// The serving engine's efficiency constants (a vLLM / TensorRT-LLM class engine with
/// continuous batching, paged KV cache and tensor parallelism).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Serving {
    /// Engine id: `batched`, `llama.cpp`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Share of peak memory bandwidth a decode step achieves.
    pub bandwidth_efficiency: f64,
    /// Share of the GPU's measured matmul rate a serving step achieves (attention,
    /// small GEMMs, non-GEMM kernels). Where no measurement exists, `default_matmul_ratio`
    /// of peak stands in for it.
    pub gemm_efficiency: f64,
    /// Measured matmul over peak where the GPU has no measurement.
    pub default_matmul_ratio: f64,
    /// Fixed time per decode step (kernel launches, synchronisation), ms.
    pub step_overhead_ms: f64,
    /// Time per running sequence per step (scheduling, sampling, detokenisation), µs.
    pub sequence_overhead_us: f64,
    /// Time a layer of a forward that carries a prompt spends outside the GPU's kernels when
    /// the forward is not captured in a CUDA graph (kernels launched one by one), µs; 0 where
    /// the engine's prefill is captured or compiled whole.
    #[serde(default)]
    pub prefill_layer_overhead_us: f64,
    /// Decode steps a new prompt waits, while other sequences run, before its first token
    /// (the engine's scheduling and front end under load), charged as `steps x whole step x (1 -
    /// 1/N)` at `N` sequences: nothing at one stream, where the engine is idle when a request
    /// arrives. 0 in every published profile; a user's benchmark sets it.
    #[serde(default)]
    pub prefill_wait_steps: f64,
    /// Tokens up to which a forward carrying a prompt is captured in CUDA graphs (vLLM's
    /// largest capture size) and pays no launch time a layer; `None`: a prompt's forwards are
    /// never captured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefill_graph_tokens: Option<f64>,
    /// Share of GPU memory the engine may use (vLLM `gpu_memory_utilization`).
    pub memory_utilization: f64,
    /// Memory per GPU for the CUDA context, activations and workspace, GB.
    pub runtime_overhead_gb: f64,
    /// Largest batch (concurrent sequences) the engine schedules.
    pub max_batch: u32,
    /// Tokens a step may carry, decoded and prefilled together (vLLM's
    /// `max_num_batched_tokens`, `SGLang`'s `chunked_prefill_size`); a longer prompt is
    /// prefilled in chunks over several steps. `None`: no budget is modelled.
    #[serde(default)]
    pub step_tokens: Option<f64>,
    /// The engine's own defaults on smaller GPUs, where they differ (vLLM V1 schedules fewer
    /// sequences and tokens a step on GPUs under 70 GiB and on the A100).
    #[serde(default)]
    pub smaller_gpus: Option<SmallerGpus>,
    /// The step budget by GPU memory, where the engine sets it so (`SGLang`'s
    /// `chunked_prefill_size`): the first tier whose bound the GPU's memory is under; on larger
    /// GPUs, `step_tokens`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub step_tokens_by_memory: Vec<MemoryStep>,
    /// Bytes per cached key/value unless the deployment names a KV precision (or the
    /// weights come as a quantized checkpoint whose cache is quantized too).
    pub kv_bytes: f64,
    /// The KV cache of the engine's quantized checkpoints, where they carry one: `TensorRT-LLM`
    /// serves `ModelOpt`'s FP8 and NVFP4 checkpoints with an FP8 cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantized_kv: Option<QuantizedKv>,
    /// Whether the KV cache is allocated in pages as a sequence grows (vLLM, `SGLang`,
    /// TensorRT-LLM), so that a running sequence holds on average its prompt and half its
    /// output; otherwise each sequence reserves its whole prompt and output up front.
    pub kv_paged: bool,
    /// Fixed time of one tensor-parallel all-reduce (launch and synchronisation), µs.
    pub all_reduce_latency_us: f64,
    /// Share of the GPU-to-GPU link's bandwidth an all-reduce reaches.
    pub link_efficiency: f64,
    /// Whether the engine splits a model across GPUs by layers (llama.cpp's default), each GPU
    /// running its layers in turn, rather than by tensors: more GPUs then add memory, not
    /// speed.
    #[serde(default)]
    pub layer_split: bool,
    /// Constants measured by the user's own benchmark on one GPU and precision
    /// (`llm-decide calibrate`), which replace the published ones there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calibrations: Vec<Calibration>,
}

/// The KV cache an engine runs with a quantized checkpoint of some weight precisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuantizedKv {
    /// Precision id of the KV cache.
    pub precision: String,
    /// Precision ids of the weights whose checkpoints carry it.
    pub weights: Vec<String>,
    /// Bytes per cached value at that precision (the catalog's, filled in when the tables
    /// are joined).
    #[serde(default)]
    pub bytes: f64,
    /// GPUs that run that precision (the catalog's, filled in when the tables are joined);
    /// elsewhere the engine keeps `kv_bytes`.
    #[serde(default)]
    pub native_on: Vec<String>,
}

/// An engine's batch cap and step budget on smaller GPUs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmallerGpus {
    /// GPUs with less memory than this, GB, are smaller.
    pub below_memory_gb: f64,
    /// GPUs that count as smaller whatever their memory (catalog ids).
    pub also: Vec<String>,
    /// Largest batch there.
    pub max_batch: u32,
    /// Tokens a step there.
    pub step_tokens: Option<f64>,
}

/// One tier of an engine's step budget by GPU memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemoryStep {
    /// GPUs with less memory than this, GiB (2^30 bytes, as engines read it from the driver),
    /// are in the tier.
    pub below_memory_gib: f64,
    /// Tokens a step there.
    pub step_tokens: f64,
}

impl Serving {
    /// The largest batch and the tokens a step the engine schedules on `gpu` by default.
    pub fn limits_on(&self, gpu: &Gpu) -> (u32, Option<f64>) {
        match &self.smaller_gpus {
            Some(s) if gpu.memory_gb < s.below_memory_gb || s.also.contains(&gpu.id) => {
                (s.max_batch, s.step_tokens)
            }
            _ => {
                let gib = gpu.memory_gb * 1e9 / f64::from(1u32 << 30);
                let tier = self
                    .step_tokens_by_memory
                    .iter()
                    .find(|t| gib < t.below_memory_gib);
                (
                    self.max_batch,
                    tier.map(|t| t.step_tokens).or(self.step_tokens),
                )
            }
        }
    }

    /// Bytes per cached value when the deployment names no KV precision: the quantized
    /// checkpoint's cache where the engine serves `weights` so and `gpu` runs it, else
    /// `kv_bytes`.
    pub fn default_kv_bytes(&self, weights: &Precision, gpu: &Gpu) -> f64 {
        match &self.quantized_kv {
            Some(q) if q.weights.contains(&weights.id) && q.native_on.contains(&gpu.id) => q.bytes,
            _ => self.kv_bytes,
        }
    }

    /// The calibration measured on `gpu` at `precision`, if any.
    pub fn calibration(&self, gpu: &str, precision: &str) -> Option<&Calibration> {
        self.calibrations
            .iter()
            .find(|c| c.gpu == gpu && c.precision == precision)
    }
}

/// An engine's constants fitted on one GPU and precision from a benchmark of the user's own
/// deployment; a constant the benchmark could not determine is absent and the engine's
/// published value stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// GPU id.
    pub gpu: String,
    /// Precision id of the weights.
    pub precision: String,
    /// Share of peak memory bandwidth a decode step achieved.
    pub bandwidth_efficiency: Option<f64>,
    /// Share of the measured matmul rate a step achieved.
    pub gemm_efficiency: Option<f64>,
    /// Fixed time per step, ms.
    pub step_overhead_ms: Option<f64>,
    /// Time per running sequence per step, µs.
    pub sequence_overhead_us: Option<f64>,
    /// Launch time a layer of a prompt's forwards outside CUDA graphs, µs.
    #[serde(default)]
    pub prefill_layer_overhead_us: Option<f64>,
    /// Decode steps a new prompt waits at load before its first token.
    #[serde(default)]
    pub prefill_wait_steps: Option<f64>,
    /// The model benchmarked (catalog id).
    pub model: Option<String>,
    /// GPUs of the benchmarked server.
    pub gpus: Option<u32>,
    /// When the benchmark ran.
    pub checked: Date,
    /// What was measured and how well the constants fit it.
    pub source: String,
}
