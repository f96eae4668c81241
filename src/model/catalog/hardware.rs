//! Hardware and open models: GPUs with their specs and prices, open-weight models with
//! their architecture, and numeric precisions. Validated values; the YAML shapes live in
//! `input/`. The serving engines' constants are in `serving`, and named from here too.

pub use super::serving::{Calibration, MemoryStep, QuantizedKv, Serving, SmallerGpus};
use super::{Provenance, Tier};
use crate::model::date::Date;
use serde::{Deserialize, Serialize};

/// Tensor-parallel degrees a deployment may use (one node of up to 8 GPUs).
pub const TP_DEGREES: [u32; 4] = [1, 2, 4, 8];

/// The tensor-parallel degrees a deployment can use: every supported one, or with a GPU count
/// given, those that split it into whole replicas (3 GPUs make three replicas of one, never one
/// of two with a GPU left over).
pub fn tp_choices(total_gpus: Option<u32>) -> Vec<u32> {
    TP_DEGREES
        .iter()
        .copied()
        .filter(|&tp| total_gpus.is_none_or(|n| tp <= n && n % tp == 0))
        .collect()
}

/// `NVLink` bandwidth of the slowest catalog part (A100 SXM4, third generation), GB/s each way.
pub const DEFAULT_LINK_NVLINK_GB_S: f64 = 300.0;
/// Infinity Fabric bandwidth of the slowest catalog part (MI300X), GB/s each way.
pub const DEFAULT_LINK_XGMI_GB_S: f64 = 448.0;
/// `PCIe` 4.0 x16, GB/s each way.
pub const DEFAULT_LINK_PCIE_GB_S: f64 = 32.0;

/// How GPUs of a kind talk to each other for tensor parallelism.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Interconnect {
    /// `NVLink` / `NVSwitch`: high-bandwidth GPU-to-GPU links.
    Nvlink,
    /// AMD Infinity Fabric (xGMI): high-bandwidth GPU-to-GPU links, costed for tensor
    /// parallelism like `NVLink` (an assumption: no engine publishes separate figures).
    Xgmi,
    /// `PCIe` only.
    Pcie,
}

crate::named!(Interconnect { Nvlink => "nvlink", Xgmi => "xgmi", Pcie => "pcie" });

impl Interconnect {
    /// Whether the GPUs have a high-bandwidth link for tensor parallelism.
    pub fn fast(self) -> bool {
        matches!(self, Interconnect::Nvlink | Interconnect::Xgmi)
    }

    /// GPU-to-GPU bandwidth, GB/s each way, for a GPU whose entry gives none: the slowest
    /// link of the kind in the catalog (`docs/methodology.md`, "Tensor parallelism").
    pub fn default_link_gb_s(self) -> f64 {
        match self {
            Interconnect::Nvlink => DEFAULT_LINK_NVLINK_GB_S,
            Interconnect::Xgmi => DEFAULT_LINK_XGMI_GB_S,
            Interconnect::Pcie => DEFAULT_LINK_PCIE_GB_S,
        }
    }
}

/// How an offer's hardware is shared with other customers, where the provider says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tenancy {
    /// Single-tenant hosts or clusters.
    Dedicated,
    /// Whole physical machines.
    BareMetal,
    /// Virtual machines on shared hosts.
    Shared,
    /// Third-party hosts through a marketplace.
    Marketplace,
}

crate::named!(Tenancy {
    Dedicated => "dedicated",
    BareMetal => "bare-metal",
    Shared => "shared",
    Marketplace => "marketplace",
});

/// Where self-hosted GPUs run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hosting {
    /// Rented by the hour from a cloud.
    Cloud,
    /// Bought, amortized, powered and housed.
    Owned,
}

crate::named!(Hosting { Cloud => "cloud", Owned => "owned" });

/// How a cloud price is billed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PriceKind {
    /// Pay as you go.
    #[default]
    OnDemand,
    /// One-year commitment.
    #[serde(rename = "reserved-1y")]
    Reserved1y,
    /// Three-year commitment.
    #[serde(rename = "reserved-3y")]
    Reserved3y,
    /// Interruptible.
    Spot,
}

crate::named!(PriceKind {
    OnDemand => "on-demand",
    Reserved1y => "reserved-1y",
    Reserved3y => "reserved-3y",
    Spot => "spot",
});

/// What kind of seller a price comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProviderClass {
    /// AWS, Azure, Google Cloud.
    Hyperscaler,
    /// GPU clouds (Lambda, `RunPod` secure, Hyperstack, Nebius, ...).
    Specialist,
    /// Marketplaces and community clouds ("starting at" prices, variable supply).
    Marketplace,
}

crate::named!(ProviderClass {
    Hyperscaler => "hyperscaler",
    Specialist => "specialist",
    Marketplace => "marketplace",
});

/// A cloud price for one GPU.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GpuPrice {
    /// Provider, e.g. `aws`, `runpod`.
    pub provider: String,
    /// Seller class.
    pub class: ProviderClass,
    /// Billing kind.
    pub kind: PriceKind,
    /// USD per GPU-hour.
    pub usd_per_gpu_hour: f64,
    /// Instance or offer, when known.
    pub instance: Option<String>,
    /// Region, when known.
    pub region: Option<String>,
    /// GPUs rented together (an 8-GPU-only node is 8); `None` when the source does not say.
    pub gpus_per_unit: Option<u32>,
    /// How the hardware is shared, where the provider says (for this offer, or for all its
    /// offers).
    pub tenancy: Option<Tenancy>,
    /// The provider's compliance offers (unknown where the provider publishes none).
    #[serde(default)]
    pub compliance: super::Compliance,
    /// Where they come from.
    #[serde(default)]
    pub compliance_source: Option<String>,
    /// Remarks (whole-VM price, derived per GPU, ...).
    pub note: Option<String>,
    /// When the price was observed.
    pub checked: Date,
    /// Where it comes from.
    pub source: String,
}

impl Gpu {
    /// GPU-to-GPU bandwidth one GPU has in a group of `tp`, GB/s each way: the entry's link,
    /// else its kind of link's default. Behind a switch (`NVLink`) or the host's `PCIe` every
    /// GPU keeps its whole link; Infinity Fabric is a mesh of 7 point-to-point links (one to
    /// each of the other 7 GPUs of a node), so a group of `tp` uses `tp - 1` of them.
    pub fn link_bandwidth_gb_s(&self, tp: u32) -> f64 {
        let link = self
            .link_gb_s
            .unwrap_or_else(|| self.interconnect.default_link_gb_s());
        match self.interconnect {
            Interconnect::Xgmi => link * f64::from(tp.clamp(2, 8) - 1) / 7.0,
            Interconnect::Nvlink | Interconnect::Pcie => link,
        }
    }
}

impl GpuPrice {
    /// Whether a replica of `gpus` GPUs can be rented from this offer in whole units (one GPU
    /// of an 8-GPU-only node cannot). An offer that does not say is taken per GPU.
    pub fn rents(&self, gpus: u32) -> bool {
        self.gpus_per_unit
            .is_none_or(|u| u > 0 && gpus.is_multiple_of(u))
    }
}

/// Owned-hardware cost of one GPU, where known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnedCost {
    /// Whether the GPU is sold on its own (a rack-scale or rental-only part is not: it cannot
    /// be owned one GPU at a time).
    pub sold: bool,
    /// Purchase price per GPU (with its share of the server), USD.
    pub purchase_usd: Option<f64>,
    /// What the purchase price covers (the card alone, a share of a server, networking).
    pub includes: Option<String>,
    /// Hardware cost per GPU per month, already amortized, USD.
    pub amortized_usd_per_month: Option<f64>,
    /// Why it is not sold alone, or other remarks.
    pub note: Option<String>,
    /// When the price was observed.
    pub checked: Option<Date>,
    /// Where it comes from.
    pub source: String,
}

/// A GPU.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gpu {
    /// Catalog id, e.g. `h100-sxm`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Memory, GB.
    pub memory_gb: f64,
    /// Memory bandwidth, GB/s.
    pub memory_bandwidth_gb_s: f64,
    /// Dense BF16/FP16 tensor TFLOPS (FP32 accumulate).
    pub bf16_tflops: f64,
    /// Dense FP8 tensor TFLOPS, if supported.
    pub fp8_tflops: Option<f64>,
    /// Dense FP4 tensor TFLOPS, if supported and known.
    pub fp4_tflops: Option<f64>,
    /// Dense INT8 tensor TOPS, if known.
    pub int8_tops: Option<f64>,
    /// Measured maximum achievable BF16 matmul TFLOPS, if measured.
    pub measured_bf16_tflops: Option<f64>,
    /// Measured maximum achievable FP8 matmul TFLOPS, if measured.
    pub measured_fp8_tflops: Option<f64>,
    /// Measured maximum FP4 matmul rate, TFLOPS, where known.
    pub measured_fp4_tflops: Option<f64>,
    /// Board power, W.
    pub power_w: Option<f64>,
    /// GPU-to-GPU links.
    pub interconnect: Interconnect,
    /// GPU-to-GPU bandwidth of one GPU, GB/s each way, where the entry gives it.
    pub link_gb_s: Option<f64>,
    /// Cloud prices.
    pub prices: Vec<GpuPrice>,
    /// Owned-hardware cost, where known.
    pub owned: Option<OwnedCost>,
    /// Where the specs come from.
    pub provenance: Provenance,
}

/// How a model's feed-forward weights are organised.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Experts {
    /// Routed experts per `MoE` layer.
    pub count: u32,
    /// Experts each token uses.
    pub per_token: u32,
}

/// Layers that attend only to the last `window_tokens` tokens, and so cache only those.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SlidingWindow {
    /// The window, tokens.
    pub window_tokens: f64,
    /// How many layers use it.
    pub layers: u32,
}

/// An open-weight model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenModel {
    /// Catalog id, e.g. `llama-3.1-70b`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Total parameters, billions.
    pub params_b: f64,
    /// Parameters a token multiplies, billions: the total less the input embedding's lookup
    /// table where it is not tied to the output projection, and for a mixture of experts less
    /// the experts not routed to.
    pub active_params_b: f64,
    /// The input embedding's parameters, billions, where the table is not tied to the output
    /// projection (`vocab_size x hidden_size`): held in memory but only looked up, row by row,
    /// so a step neither reads it whole nor multiplies by it; 0 when tied or not known.
    #[serde(default)]
    pub lookup_params_b: f64,
    /// Transformer layers.
    pub layers: u32,
    /// Hidden size.
    pub hidden_size: u32,
    /// Attention (query) heads.
    pub attention_heads: u32,
    /// Key/value heads (grouped-query attention).
    pub kv_heads: u32,
    /// Dimension of one head.
    pub head_dim: u32,
    /// Values cached per token per layer; `2 x kv_heads x head_dim` unless the model
    /// compresses its cache (`DeepSeek`'s multi-head latent attention caches 512 + 64).
    pub kv_values_per_layer: u32,
    /// Context length, tokens.
    pub context_tokens: f64,
    /// Mixture-of-experts layout, if any.
    pub experts: Option<Experts>,
    /// Sliding-window layers, if any.
    #[serde(default)]
    pub sliding: Option<SlidingWindow>,
    /// The precision its released checkpoint stores (`DeepSeek` FP8, gpt-oss MXFP4): the only
    /// one the search tries unless a precision is asked for; `None`: the policy's defaults.
    #[serde(default)]
    pub native_precision: Option<String>,
    /// Capability tier.
    pub tier: Tier,
    /// Its score on the public capability index tiers are read from.
    pub index: Option<super::IndexScore>,
    /// Where the figures come from.
    pub provenance: Provenance,
}

impl OpenModel {
    /// Bytes of KV cache per token at `kv_bytes` per value, every layer attending to it.
    pub fn kv_bytes_per_token(&self, kv_bytes: f64) -> f64 {
        f64::from(self.layers) * f64::from(self.kv_values_per_layer) * kv_bytes
    }

    /// Bytes of KV cache a sequence of `tokens` holds at `kv_bytes` per value: every token in
    /// full-attention layers, at most the window in sliding-window layers.
    pub fn kv_bytes_for(&self, tokens: f64, kv_bytes: f64) -> f64 {
        let per_layer = f64::from(self.kv_values_per_layer) * kv_bytes;
        match self.sliding {
            Some(s) => {
                let sliding = f64::from(s.layers.min(self.layers));
                per_layer
                    * ((f64::from(self.layers) - sliding) * tokens
                        + sliding * tokens.min(s.window_tokens))
            }
            None => per_layer * f64::from(self.layers) * tokens,
        }
    }
}

/// How a precision's matrix multiplies run on a GPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComputeRate {
    /// BF16/FP16 tensor cores.
    Bf16,
    /// FP8 tensor cores.
    Fp8,
    /// INT8 tensor cores.
    Int8,
    /// FP4 tensor cores.
    Fp4,
}

crate::named!(ComputeRate { Bf16 => "bf16", Fp8 => "fp8", Int8 => "int8", Fp4 => "fp4" });

/// A numeric precision for weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Precision {
    /// Id: `fp16`, `bf16`, `fp8`, `int8`, `int4`, `fp4`.
    pub id: String,
    /// Bytes per weight, including quantization scales.
    pub bytes_per_weight: f64,
    /// Measured matmul over peak at this precision's native rate, for a GPU that has no
    /// measurement of its own at that rate.
    pub matmul_ratio: Option<f64>,
    /// Whether, on a mixture of experts, it quantizes only the routed experts (MXFP4 as
    /// released with gpt-oss; vLLM's and TensorRT-LLM's MXFP4 methods), the other weights
    /// staying 16-bit.
    pub experts_only: bool,
    /// Tensor-core rate used where the GPU supports the precision natively.
    pub native_rate: ComputeRate,
    /// GPUs (catalog ids) that run it natively; elsewhere weights are dequantized and
    /// multiplied at the BF16 rate.
    pub native_on: Vec<String>,
    /// Where the figures come from.
    pub source: String,
}

/// Which personnel a sized deployment's cost counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PersonnelBasis {
    /// The FTE the described team lacks against the staffing minimum (the whole minimum when
    /// no team is described): what self-hosting adds to the payroll.
    #[default]
    Incremental,
    /// The whole staffing minimum, existing staff included: full cost of ownership.
    Full,
}

crate::named!(PersonnelBasis { Incremental => "incremental", Full => "full" });

/// Self-hosting policy: owned-hardware running costs and capacity-planning defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SelfHostPolicy {
    /// The self-host option of a decision is a sized deployment (true) or the packaged setup.
    pub sized_by_default: bool,
    /// Serving engine used unless another is named.
    pub engine: String,
    /// Which personnel the cost counts.
    pub personnel: PersonnelBasis,
    /// Open model served when the workload names none.
    pub default_model: String,
    /// Small open model for the simple tier of a three-tier complexity plan.
    pub default_small_model: String,
    /// Precisions the deployment search tries when the workload names none.
    pub default_precisions: Vec<String>,
    /// Cloud price kind used when none is named.
    pub price_kind: PriceKind,
    /// Provider classes considered when picking the cheapest cloud price.
    pub price_classes: Vec<ProviderClass>,
    /// Planned utilization of serving capacity at the peak hour (0 to 1).
    pub target_utilization: f64,
    /// Spare replicas for 24/7 production (N+1 = 1).
    pub redundancy_replicas: u32,
    /// Time-per-output-token ceiling for interactive serving, ms.
    pub interactive_tpot_ms: f64,
    /// Output tokens per request when the workload gives no request shape.
    pub default_output_tokens: f64,
    /// Months over which a purchase is amortized.
    pub amortization_months: f64,
    /// Power usage effectiveness (facility power over IT power).
    pub pue: f64,
    /// Electricity price, USD per kWh.
    pub electricity_usd_per_kwh: f64,
    /// Colocation (space, network, remote hands), USD per kW of IT load per month.
    pub colocation_usd_per_kw_month: f64,
}
