//! Raw shapes of the pricing files, exactly as written: every quantity is a [`Q`] with its
//! position, unknown fields are rejected. `pricing` turns these into catalog types.

use crate::input::yaml::{Located, OneOf, Q};
use crate::model::catalog::hardware::{
    ComputeRate, Interconnect, PersonnelBasis, PriceKind, ProviderClass, Tenancy,
};
use crate::model::catalog::{SetupKind, Tier};
use crate::model::workload::uncertainty::Lever;
use serde::Deserialize;

/// A pricing file: any of the catalog's tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPricingFile {
    /// Format version; must be 1.
    pub version: Located<u32>,
    /// API providers (compliance offers).
    #[serde(default)]
    pub providers: Vec<Located<RawProvider>>,
    /// API models.
    #[serde(default)]
    pub apis: Vec<Located<RawApi>>,
    /// Self-host setups.
    #[serde(default)]
    pub setups: Vec<Located<RawSetup>>,
    /// Staffing table.
    pub staffing: Option<Located<RawStaffing>>,
    /// Policy values.
    pub policy: Option<Located<RawPolicy>>,
    /// GPUs.
    #[serde(default)]
    pub gpus: Vec<Located<RawGpu>>,
    /// Open models.
    #[serde(default)]
    pub models: Vec<Located<RawModel>>,
    /// Numeric precisions.
    #[serde(default)]
    pub precisions: Vec<Located<RawPrecision>>,
    /// Serving engines.
    #[serde(default)]
    pub engines: Vec<Located<RawServing>>,
    /// Engine constants measured on one GPU and precision (`llm-decide calibrate`).
    #[serde(default)]
    pub calibrations: Vec<Located<RawCalibration>>,
}

/// An engine's constants fitted on the user's own benchmark.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalibration {
    pub engine: Located<String>,
    pub gpu: Located<String>,
    pub precision: Located<String>,
    pub bandwidth_efficiency: Option<Q>,
    pub gemm_efficiency: Option<Q>,
    pub step_overhead_ms: Option<Q>,
    pub sequence_overhead_us: Option<Q>,
    pub prefill_layer_overhead_us: Option<Q>,
    pub prefill_wait_steps: Option<Q>,
    pub model: Option<Located<String>>,
    pub gpus: Option<Q>,
    pub checked: Option<Located<String>>,
    pub source: Option<Located<String>>,
}

/// A GPU.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGpu {
    pub id: Located<String>,
    pub name: Option<String>,
    pub memory_gb: Option<Q>,
    pub memory_bandwidth_gb_s: Option<Q>,
    pub bf16_tflops: Option<Q>,
    pub fp8_tflops: Option<Q>,
    pub fp4_tflops: Option<Q>,
    pub int8_tops: Option<Q>,
    pub measured_bf16_tflops: Option<Q>,
    pub measured_fp8_tflops: Option<Q>,
    pub measured_fp4_tflops: Option<Q>,
    pub power_w: Option<Q>,
    pub interconnect: Located<OneOf<Interconnect>>,
    pub link_gb_s: Option<Q>,
    #[serde(default)]
    pub prices: Vec<Located<RawGpuPrice>>,
    pub owned: Option<Located<RawOwned>>,
    pub checked: Option<Located<String>>,
    pub source: Option<Located<String>>,
}

/// A cloud price of a GPU.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGpuPrice {
    pub provider: String,
    pub class: Located<OneOf<ProviderClass>>,
    pub kind: Located<OneOf<PriceKind>>,
    pub usd_per_gpu_hour: Q,
    pub instance: Option<String>,
    pub region: Option<String>,
    pub gpus_per_unit: Option<Q>,
    pub tenancy: Option<Located<OneOf<Tenancy>>>,
    pub note: Option<String>,
    pub checked: Located<String>,
    pub source: Located<String>,
}

/// Owned-hardware cost of a GPU.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOwned {
    pub sold: Option<bool>,
    pub purchase_usd: Option<Q>,
    pub includes: Option<String>,
    pub amortized_usd_per_month: Option<Q>,
    pub note: Option<String>,
    pub checked: Option<Located<String>>,
    pub source: String,
}

/// An open model.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    pub id: Located<String>,
    pub name: Option<String>,
    pub params_b: Option<Q>,
    pub active_params_b: Option<Q>,
    pub vocab_size: Option<Q>,
    pub tied_embeddings: Option<Located<bool>>,
    pub layers: Option<Q>,
    pub hidden_size: Option<Q>,
    pub attention_heads: Option<Q>,
    pub kv_heads: Option<Q>,
    pub head_dim: Option<Q>,
    pub kv_values_per_layer: Option<Q>,
    pub context_tokens: Option<Q>,
    pub experts: Option<RawExperts>,
    pub sliding_window: Option<RawSliding>,
    pub native_precision: Option<Located<String>>,
    pub config: Option<Located<String>>,
    pub tier: Located<OneOf<Tier>>,
    pub index: Option<Located<RawIndex>>,
    pub checked: Option<Located<String>>,
    pub source: Option<Located<String>>,
}

/// Sliding-window layers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSliding {
    pub window_tokens: Q,
    pub layers: Q,
}

/// A mixture-of-experts layout.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExperts {
    pub count: Q,
    pub per_token: Q,
}

/// A numeric precision.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrecision {
    pub id: Located<String>,
    pub bytes_per_weight: Q,
    pub native_rate: Located<OneOf<ComputeRate>>,
    pub native_on: Vec<Located<String>>,
    pub matmul_ratio: Option<Q>,
    pub experts_only: Option<bool>,
    pub source: String,
}

/// A serving engine's constants.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServing {
    pub id: Located<String>,
    pub name: Option<String>,
    pub note: Option<String>,
    pub bandwidth_efficiency: Option<Q>,
    pub gemm_efficiency: Option<Q>,
    pub default_matmul_ratio: Option<Q>,
    pub step_overhead_ms: Option<Q>,
    pub sequence_overhead_us: Option<Q>,
    pub prefill_layer_overhead_us: Option<Q>,
    pub prefill_wait_steps: Option<Q>,
    pub prefill_graph_tokens: Option<Q>,
    pub memory_utilization: Option<Q>,
    pub runtime_overhead_gb: Option<Q>,
    pub max_batch: Option<Q>,
    pub step_tokens: Option<Q>,
    pub kv_bytes: Option<Q>,
    pub quantized_kv: Option<Located<RawQuantizedKv>>,
    pub kv_paged: Option<bool>,
    pub layer_split: Option<bool>,
    pub all_reduce_latency_us: Option<Q>,
    pub link_efficiency: Option<Q>,
    pub smaller_gpus: Option<Located<RawSmallerGpus>>,
    #[serde(default)]
    pub step_tokens_by_memory: Vec<Located<RawMemoryStep>>,
}

/// The KV cache an engine runs with quantized checkpoints of some weight precisions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuantizedKv {
    pub precision: Option<Located<String>>,
    #[serde(default)]
    pub weights: Vec<Located<String>>,
}

/// One tier of an engine's step budget by GPU memory.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMemoryStep {
    pub below_memory_gib: Option<Q>,
    pub step_tokens: Option<Q>,
}

/// An engine's defaults on smaller GPUs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSmallerGpus {
    pub below_memory_gb: Option<Q>,
    #[serde(default)]
    pub also: Vec<Located<String>>,
    pub max_batch: Option<Q>,
    pub step_tokens: Option<Q>,
}

/// Self-hosting policy; every field optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSelfHostPolicy {
    pub sized_by_default: Option<bool>,
    pub engine: Option<Located<String>>,
    pub personnel: Option<Located<OneOf<PersonnelBasis>>>,
    pub default_model: Option<Located<String>>,
    pub default_small_model: Option<Located<String>>,
    pub default_precisions: Option<Vec<Located<String>>>,
    pub price_kind: Option<Located<OneOf<PriceKind>>>,
    pub price_classes: Option<Vec<Located<OneOf<ProviderClass>>>>,
    pub target_utilization: Option<Q>,
    pub redundancy_replicas: Option<Q>,
    pub interactive_tpot_ms: Option<Q>,
    pub default_output_tokens: Option<Q>,
    pub amortization_months: Option<Q>,
    pub pue: Option<Q>,
    pub electricity_usd_per_kwh: Option<Q>,
    pub colocation_usd_per_kw_month: Option<Q>,
}

/// An API provider.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProvider {
    pub id: Located<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub compliance: RawCompliance,
    pub compliance_source: Option<String>,
    pub tenancy: Option<Located<OneOf<Tenancy>>>,
    pub tenancy_source: Option<String>,
    pub checked: Option<Located<String>>,
}

/// Compliance offers; absent means unknown.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCompliance {
    pub soc2: Option<bool>,
    pub hipaa_baa: Option<bool>,
    pub iso27001: Option<bool>,
    pub zero_retention: Option<bool>,
    pub regional_endpoints: Option<bool>,
}

/// An API model.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawApi {
    pub id: Located<String>,
    pub provider: Located<String>,
    pub name: Option<String>,
    pub input_usd_per_mtok: Option<Q>,
    pub output_usd_per_mtok: Option<Q>,
    pub cached_input_usd_per_mtok: Option<Q>,
    pub batch_discount: Option<Q>,
    pub tier: Option<Located<OneOf<Tier>>>,
    pub context_tokens: Option<Q>,
    pub long_context: Option<RawLongContext>,
    pub latency: Option<Located<RawApiLatency>>,
    pub litellm_key: Option<Located<String>>,
    pub index: Option<Located<RawIndex>>,
    pub reasoning: Option<Located<RawReasoning>>,
    pub serves: Option<Located<RawServes>>,
    pub checked: Option<Located<String>>,
    pub source: Option<Located<String>>,
    pub note: Option<String>,
}

/// A score on a public capability index.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndex {
    pub score: Q,
    pub source: String,
    pub checked: Located<String>,
}

/// Hidden reasoning tokens of a reasoning model.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReasoning {
    pub tokens_per_request: Q,
    pub source: String,
}

/// The open model a serverless API serves.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServes {
    pub model: Located<String>,
    pub precision: Option<Located<String>>,
}

/// The thresholds that turn an index score into a tier.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCapabilityIndex {
    pub source: String,
    pub frontier: Q,
    pub strong: Q,
    pub standard: Q,
}

/// Prices above an input-length threshold.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLongContext {
    pub above_input_tokens: Q,
    pub input_usd_per_mtok: Q,
    pub output_usd_per_mtok: Q,
    pub cached_input_usd_per_mtok: Option<Q>,
}

/// Measured API latency.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawApiLatency {
    pub ttft_ms: Q,
    pub output_tokens_per_s: Q,
    pub checked: Located<String>,
    pub source: Located<String>,
}

/// A packaged self-host setup.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSetup {
    pub id: Located<String>,
    pub name: Option<String>,
    pub kind: Located<OneOf<SetupKind>>,
    pub gpu: Option<Located<String>>,
    pub gpus_per_unit: Option<Q>,
    #[serde(default)]
    pub costs: Vec<Located<RawCostLine>>,
    pub tokens_per_month_per_unit: Option<Q>,
    pub capacity_note: Option<String>,
    pub checked: Option<Located<String>>,
    pub source: Option<Located<String>>,
}

/// A cost line of a setup.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCostLine {
    pub name: Located<String>,
    pub usd_per_month: Option<Q>,
    pub note: Option<String>,
}

/// The staffing table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStaffing {
    #[serde(default)]
    pub scales: Vec<Located<RawScale>>,
    #[serde(default)]
    pub roles: Vec<Located<RawRole>>,
    pub checked: Option<Located<String>>,
    pub source: Option<Located<String>>,
}

/// A row of the team-size table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScale {
    pub id: Located<String>,
    pub label: String,
    pub up_to_units: Option<Q>,
    pub minimum: RawFte,
    pub recommended: RawFte,
    pub note: Option<String>,
}

/// FTE by role.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFte {
    pub ml_engineer: Option<Q>,
    pub devops: Option<Q>,
    pub sre: Option<Q>,
}

/// A role's loaded monthly cost.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRole {
    pub role: Located<String>,
    pub usd_per_month: Q,
    pub source: String,
}

/// Policy values; every field optional so a user file can change one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    pub tie_band: Option<Q>,
    pub default_input_share: Option<Q>,
    pub default_api: Option<Located<String>>,
    pub default_setup: Option<Located<String>>,
    pub default_frontier_api: Option<Located<String>>,
    pub volumes: Option<Vec<Q>>,
    pub volume_api_below_tokens: Option<Q>,
    pub volume_self_host_above_tokens: Option<Q>,
    pub start_planning_usd_per_month: Option<Q>,
    pub price_warning_days: Option<Q>,
    pub ready_to_switch_usd_per_month: Option<Q>,
    pub latency: Option<RawLatencyPolicy>,
    pub spiky_peak_to_average: Option<Q>,
    pub default_spike_hours_per_month: Option<Q>,
    pub business_hours_per_month: Option<Q>,
    pub weights: Option<RawWeights>,
    pub self_host: Option<RawSelfHostPolicy>,
    pub projection: Option<RawProjection>,
    pub sensitivity: Option<Vec<Located<RawRangeEntry>>>,
    pub monte_carlo: Option<RawMonteCarlo>,
    pub capability_index: Option<Located<RawCapabilityIndex>>,
}

/// Projection settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProjection {
    pub horizon_months: Option<Q>,
    pub api_price_decline_yearly: Option<Q>,
    pub build_engineer_months: Option<Q>,
    pub months_to_production: Option<Q>,
}

/// A tornado range in the policy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRangeEntry {
    pub lever: Located<OneOf<Lever>>,
    pub low: Q,
    pub likely: Option<Q>,
    pub high: Q,
}

/// Monte Carlo settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMonteCarlo {
    pub draws: Option<Q>,
    pub seed: Option<Q>,
}

/// Latency policy.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLatencyPolicy {
    pub api_network_rtt_ms: Option<RawRange>,
    pub api_queue_ms: Option<RawRange>,
    pub self_host_network_rtt_ms: Option<RawRange>,
    pub self_host_below_ms: Option<Q>,
}

/// A min/max pair.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRange {
    pub min: Q,
    pub max: Q,
}

/// Soft-criterion points.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeights {
    pub cost: Option<Q>,
    pub team_hire: Option<Q>,
    pub team_ready: Option<Q>,
    pub experimenting: Option<Q>,
    pub time_to_market: Option<Q>,
    pub fine_tuning: Option<Q>,
    pub always_on: Option<Q>,
    pub latency: Option<Q>,
}
