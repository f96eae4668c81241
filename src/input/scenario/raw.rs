//! Raw shape of a scenario file, exactly as written: every quantity is a [`Q`] with its
//! position, unknown fields are rejected. `scenario` turns it into a workload spec.

use crate::input::pricing::raw::RawProjection;
use crate::input::yaml::{Located, OneOf, Q};
use crate::model::catalog::hardware::{Hosting, PriceKind};
use crate::model::workload::{
    ApiRegion, LatencyMetric, Percentile, Phase, PrivacyLevel, TimeToMarket, TrafficShape,
};
use serde::Deserialize;

/// A scenario (workload profile) file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub version: Located<u32>,
    pub name: Option<Located<String>>,
    pub description: Option<Located<String>>,
    pub tokens_per_month: Option<Q>,
    pub requests_per_month: Option<Q>,
    pub input_tokens_per_request: Option<Q>,
    pub output_tokens_per_request: Option<Q>,
    pub input_share: Option<Q>,
    pub cached_input_share: Option<Q>,
    pub batch_share: Option<Q>,
    pub latency: Option<RawLatencyTarget>,
    pub privacy: Option<RawPrivacy>,
    pub capability: Option<RawCapability>,
    pub team: Option<RawTeam>,
    pub traffic: Option<RawTraffic>,
    pub stage: Option<RawStage>,
    pub dev_share: Option<Q>,
    pub fine_tuning: Option<Located<bool>>,
    pub time_to_market: Option<Located<OneOf<TimeToMarket>>>,
    pub growth_monthly: Option<Q>,
    pub api: Option<Located<String>>,
    pub apis: Option<Located<Vec<Located<RawApiShare>>>>,
    pub setup: Option<Located<String>>,
    pub self_host_fixed_usd_per_month: Option<Q>,
    pub self_host: Option<RawDeploymentRequest>,
    pub projection: Option<RawProjection>,
    pub uncertainty: Option<RawUncertainty>,
    pub budget: Option<RawBudget>,
}

/// One API of a scenario's mix.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawApiShare {
    pub api: Located<String>,
    pub share: Q,
}

/// Budget checks of a scenario.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBudget {
    pub max_monthly_cost_usd: Option<Q>,
    pub max_cost_per_mtok_usd: Option<Q>,
    pub max_latency_ms: Option<Q>,
    pub expect: Option<Located<String>>,
    pub max_price_age_days: Option<Q>,
    pub alert_at: Option<Located<String>>,
}

/// The deployment a scenario asks for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeploymentRequest {
    pub model: Option<Located<String>>,
    pub gpu: Option<Located<String>>,
    pub gpus: Option<Q>,
    pub precision: Option<Located<String>>,
    pub tp: Option<Q>,
    pub ep: Option<Q>,
    pub attention_dp: Option<Located<bool>>,
    pub speculative: Option<Q>,
    pub acceptance: Option<Q>,
    pub draft_model: Option<Located<String>>,
    pub hosting: Option<Located<OneOf<Hosting>>>,
    pub price_kind: Option<Located<OneOf<PriceKind>>>,
    pub engine: Option<Located<String>>,
    pub kv_precision: Option<Located<String>>,
    pub unit_usd_per_month: Option<Q>,
    pub unit_tokens_per_month: Option<Q>,
}

/// A latency target in a scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLatencyTarget {
    pub target_ms: Option<Q>,
    pub api_region: Option<Located<OneOf<ApiRegion>>>,
    pub api_rtt_ms: Option<Q>,
    pub metric: Option<Located<OneOf<LatencyMetric>>>,
    pub percentile: Option<Located<OneOf<Percentile>>>,
}

/// Privacy in a scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrivacy {
    pub level: Option<Located<OneOf<PrivacyLevel>>>,
    pub sensitive_share: Option<Q>,
    pub third_party_allowed: Option<Located<bool>>,
    pub requires: Option<Located<Vec<Located<String>>>>,
}

/// Capability in a scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCapability {
    pub frontier_share: Option<Q>,
    pub frontier_api: Option<Located<String>>,
    pub simple_share: Option<Q>,
    pub small_model: Option<Located<String>>,
}

/// Team in a scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTeam {
    pub ml_engineers: Option<Q>,
    pub devops: Option<Q>,
    pub can_hire: Option<Located<bool>>,
}

/// Traffic in a scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTraffic {
    pub shape: Option<Located<OneOf<TrafficShape>>>,
    pub peak_to_average: Option<Q>,
    pub spike_multiplier: Option<Q>,
    pub spike_hours_per_month: Option<Q>,
    pub business_hours_per_month: Option<Q>,
    pub off_hours_share: Option<Q>,
    pub profile: Option<Located<Vec<Q>>>,
}

/// Stage in a scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStage {
    pub phase: Option<Located<OneOf<Phase>>>,
    pub always_on: Option<Located<bool>>,
}

/// Uncertain assumptions of a scenario, each `[min, likely, max]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUncertainty {
    pub draws: Option<Q>,
    pub seed: Option<Q>,
    pub tokens_per_month: Option<Located<Vec<Q>>>,
    pub volume: Option<Located<Vec<Q>>>,
    pub api_price: Option<Located<Vec<Q>>>,
    pub gpu_price: Option<Located<Vec<Q>>>,
    pub utilization: Option<Located<Vec<Q>>>,
    pub throughput: Option<Located<Vec<Q>>>,
    pub personnel: Option<Located<Vec<Q>>>,
    pub input_share: Option<Located<Vec<Q>>>,
}
