//! A workload as given, before it is resolved: every field optional, each with where it came
//! from (a flag, or a file's line, column and field), so that a problem found later names its
//! origin. Flags and scenario files both produce a [`WorkloadSpec`]; flags win. Also the
//! other requests a command line makes: prices given as flags and a `capacity` request.

use super::hardware::{Hosting, PriceKind};
use super::problem::{Pos, Problem};
use super::uncertainty::RangeSpec;
use super::workload::{
    ApiRegion, Budget, LatencyMetric, Percentile, Phase, PrivacyLevel, TimeToMarket, TrafficShape,
};

/// Where a value came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// A command-line flag, e.g. `--tokens`.
    Flag(&'static str),
    /// A field of a file.
    File {
        /// The file.
        file: String,
        /// Position of the value.
        pos: Pos,
        /// The field path.
        field: String,
    },
}

impl Origin {
    /// A problem about the value from this origin.
    pub fn problem(&self, message: impl Into<String>) -> Problem {
        match self {
            Origin::Flag(flag) => Problem::new(*flag, message),
            Origin::File { file, pos, field } => Problem::new(file, message).at(*pos).field(field),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub origin: Origin,
}

impl<T> Sourced<T> {
    /// A value given by a flag.
    pub fn flag(flag: &'static str, value: T) -> Self {
        Sourced {
            value,
            origin: Origin::Flag(flag),
        }
    }
}

/// A workload as given: every field optional, each with its origin.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkloadSpec {
    pub name: Option<String>,
    pub description: Option<String>,
    pub tokens_per_month: Option<Sourced<f64>>,
    pub requests_per_month: Option<Sourced<f64>>,
    pub input_tokens_per_request: Option<Sourced<f64>>,
    pub output_tokens_per_request: Option<Sourced<f64>>,
    pub input_share: Option<Sourced<f64>>,
    pub cached_input_share: Option<Sourced<f64>>,
    pub batch_share: Option<Sourced<f64>>,
    pub latency_target_ms: Option<Sourced<f64>>,
    pub latency_metric: Option<LatencyMetric>,
    pub latency_percentile: Option<Percentile>,
    pub api_region: Option<ApiRegion>,
    pub api_rtt_ms: Option<Sourced<f64>>,
    pub privacy_level: Option<PrivacyLevel>,
    pub sensitive_share: Option<Sourced<f64>>,
    pub third_party_allowed: Option<bool>,
    pub requires: Option<Sourced<Vec<String>>>,
    pub frontier_share: Option<Sourced<f64>>,
    pub frontier_api: Option<Sourced<String>>,
    pub simple_share: Option<Sourced<f64>>,
    pub small_model: Option<Sourced<String>>,
    pub ml_engineers: Option<Sourced<f64>>,
    pub devops: Option<Sourced<f64>>,
    pub can_hire: Option<bool>,
    pub traffic_shape: Option<Sourced<TrafficShape>>,
    pub peak_to_average: Option<Sourced<f64>>,
    pub spike_multiplier: Option<Sourced<f64>>,
    pub spike_hours_per_month: Option<Sourced<f64>>,
    pub business_hours_per_month: Option<Sourced<f64>>,
    pub off_hours_share: Option<Sourced<f64>>,
    pub profile: Option<Sourced<Vec<f64>>>,
    pub phase: Option<Phase>,
    pub always_on: Option<bool>,
    pub dev_share: Option<Sourced<f64>>,
    pub fine_tuning: Option<bool>,
    pub time_to_market: Option<TimeToMarket>,
    pub growth_monthly: Option<Sourced<f64>>,
    pub api: Option<Sourced<String>>,
    pub setup: Option<Sourced<String>>,
    pub self_host_fixed_usd_per_month: Option<Sourced<f64>>,
    pub model: Option<Sourced<String>>,
    pub gpu: Option<Sourced<String>>,
    pub gpus: Option<Sourced<f64>>,
    pub precision: Option<Sourced<String>>,
    pub tp: Option<Sourced<f64>>,
    pub hosting: Option<Hosting>,
    pub price_kind: Option<PriceKind>,
    pub engine: Option<Sourced<String>>,
    pub horizon_months: Option<Sourced<f64>>,
    pub api_price_decline_yearly: Option<Sourced<f64>>,
    pub ranges: Option<Vec<RangeSpec>>,
    pub draws: Option<Sourced<f64>>,
    pub seed: Option<Sourced<f64>>,
    /// Budget checks from the file.
    pub budget: Option<Budget>,
    /// Fields the file gave but that failed validation (so their absence is not reported
    /// again as missing).
    pub invalid_fields: Vec<String>,
}

macro_rules! overlay {
    ($base:ident, $over:ident; $($f:ident),* $(,)?) => {
        WorkloadSpec {
            $($f: $over.$f.or($base.$f),)*
            invalid_fields: $base.invalid_fields,
        }
    };
}

impl WorkloadSpec {
    /// This spec with every field `over` sets replaced by `over`'s value.
    pub fn overlay(self, over: WorkloadSpec) -> WorkloadSpec {
        let base = self;
        overlay!(base, over;
            name, description, tokens_per_month, requests_per_month, input_tokens_per_request,
            output_tokens_per_request, input_share, cached_input_share, batch_share,
            latency_target_ms, latency_metric, latency_percentile, api_region, api_rtt_ms,
            privacy_level, sensitive_share,
            third_party_allowed, requires, frontier_share, frontier_api, simple_share, small_model,
            ml_engineers, devops,
            can_hire, traffic_shape, peak_to_average, spike_multiplier, spike_hours_per_month,
            business_hours_per_month, off_hours_share, profile, phase, always_on, dev_share, fine_tuning,
            time_to_market, growth_monthly, api, setup, self_host_fixed_usd_per_month,
            model, gpu, gpus, precision, tp, hosting, price_kind, engine,
            horizon_months, api_price_decline_yearly, ranges, draws, seed, budget,
        )
    }
}

/// Prices given on the command line instead of in a file.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PriceOverrides {
    /// `--api-price IN/OUT`: USD per 1M input and output tokens of the chosen API.
    pub api_price: Option<(f64, f64)>,
    /// `--self-host-cost USD`: monthly cost of one unit of the chosen setup.
    pub self_host_cost: Option<f64>,
    /// `--self-host-capacity TOKENS`: tokens per month one unit serves.
    pub self_host_capacity: Option<f64>,
}

/// What the user asked `capacity` for, as given.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacitySpec {
    /// `--model`.
    pub model: String,
    /// `--gpu`.
    pub gpu: String,
    /// `--gpus`.
    pub gpus: Option<f64>,
    /// `--tp`.
    pub tp: Option<f64>,
    /// `--precision`.
    pub precision: String,
    /// `--input-tokens`.
    pub input_tokens: f64,
    /// `--output-tokens`.
    pub output_tokens: f64,
    /// `--tokens`.
    pub tokens: Option<f64>,
    /// `--peak-to-average`.
    pub peak_to_average: f64,
    /// `--engine`.
    pub engine: Option<String>,
    /// `--hosting`.
    pub hosting: Hosting,
    /// `--price-kind`.
    pub price_kind: Option<PriceKind>,
}

/// What to size.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityRequest {
    /// Model id.
    pub model: String,
    /// GPU id.
    pub gpu: String,
    /// Precision id.
    pub precision: String,
    /// Engine id.
    pub engine: String,
    /// Total GPUs; `None`: one replica at the smallest degree that fits.
    pub gpus: Option<u32>,
    /// Tensor-parallel degree; `None`: chosen.
    pub tp: Option<u32>,
    /// Request shape.
    pub shape: super::workload::RequestShape,
    /// Monthly volume (input plus output tokens) to size for.
    pub tokens_per_month: Option<f64>,
    /// Peak over average rate of that volume.
    pub peak_to_average: f64,
    /// Cloud or owned.
    pub hosting: Hosting,
    /// Cloud price kind.
    pub price_kind: PriceKind,
}
