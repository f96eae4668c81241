//! A workload as given, before it is resolved: every field optional, each with where it came
//! from (a flag, or a file's line, column and field), so that a problem found later names its
//! origin. Flags and scenario files both produce a [`WorkloadSpec`]; flags win. Also the
//! other requests a command line makes: prices given as flags and a `capacity` request.

use super::Budget;
use super::uncertainty::RangeSpec;
use crate::model::catalog::hardware::{Hosting, PriceKind};
use crate::model::problem::{Pos, Problem};

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
    /// How a message names a value from this origin: `--gpu h200`, or
    /// `self_host.gpu: h200 (team.yaml:12)`.
    pub fn named(&self, value: &str) -> String {
        match self {
            Origin::Flag(flag) => format!("{flag} {value}"),
            Origin::File { file, pos, field } => {
                format!("{field}: {value} ({file}:{})", pos.line)
            }
        }
    }

    /// The flag or field alone: `--gpu`, `self_host.gpu`.
    pub fn key(&self) -> &str {
        match self {
            Origin::Flag(flag) => flag,
            Origin::File { field, .. } => field,
        }
    }

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

/// Every workload field a scenario file or a flag can set, declared once: its name in the
/// spec, its kind (which fixes its type and how its text is read), its path in a scenario file
/// and its flag, if any. The table drives the [`WorkloadSpec`] and its overlay (here), the
/// reading of a scenario file with each value's file, line and field path (`input::scenario`)
/// and the mapping of the flags (`options`): each layer expands it with a generator of its
/// own. A field's meaning (defaults, cross-checks) is in `input::scenario::resolve`.
///
/// Kinds: `Text`; `Number(P)`, a quantity read by the unit parser `P`; `Count(MAX)`, a whole
/// number from 1 to MAX; `Seed`, a whole number from 0; `Choice(T)`, one of `T`'s ids;
/// `Flag`, true or false (`yes`/`no` on the command line); `Texts`, a list of strings;
/// `Numbers(P)`, a list of quantities; `Shares`, a list of APIs each with its share (and
/// where each was written).
#[macro_export]
macro_rules! workload_fields {
    ($generator:ident!($($pass:tt)*)) => {
        $generator! { ($($pass)*)
            name: Text @ [name] @ _;
            description: Text @ [description] @ _;
            tokens_per_month: Number(TOKENS) @ [tokens_per_month] @ tokens "--tokens";
            requests_per_month: Number(COUNT) @ [requests_per_month] @ requests "--requests";
            input_tokens_per_request: Number(TOKENS) @ [input_tokens_per_request] @ input_tokens "--input-tokens";
            output_tokens_per_request: Number(TOKENS) @ [output_tokens_per_request] @ output_tokens "--output-tokens";
            input_share: Number(SHARE) @ [input_share] @ input_share "--input-share";
            cached_input_share: Number(SHARE) @ [cached_input_share] @ cached_share "--cached-share";
            batch_share: Number(SHARE) @ [batch_share] @ batch_share "--batch-share";
            latency_target_ms: Number(MS) @ [latency . target_ms] @ latency "--latency";
            latency_metric: Choice($crate::model::workload::LatencyMetric) @ [latency . metric] @ latency_metric "--latency-metric";
            latency_percentile: Choice($crate::model::workload::Percentile) @ [latency . percentile] @ latency_percentile "--latency-percentile";
            api_region: Choice($crate::model::workload::ApiRegion) @ [latency . api_region] @ api_region "--api-region";
            api_rtt_ms: Number(MS) @ [latency . api_rtt_ms] @ api_rtt "--api-rtt";
            privacy_level: Choice($crate::model::workload::PrivacyLevel) @ [privacy . level] @ privacy "--privacy";
            sensitive_share: Number(SHARE) @ [privacy . sensitive_share] @ sensitive_share "--sensitive-share";
            third_party_allowed: Flag @ [privacy . third_party_allowed] @ third_party "--third-party";
            requires: Texts @ [privacy . requires] @ requires "--requires";
            frontier_share: Number(SHARE) @ [capability . frontier_share] @ frontier_share "--frontier-share";
            frontier_api: Text @ [capability . frontier_api] @ frontier_api "--frontier-api";
            simple_share: Number(SHARE) @ [capability . simple_share] @ simple_share "--simple-share";
            small_model: Text @ [capability . small_model] @ small_model "--small-model";
            ml_engineers: Number(NUMBER) @ [team . ml_engineers] @ ml_engineers "--ml-engineers";
            devops: Number(NUMBER) @ [team . devops] @ devops "--devops";
            can_hire: Flag @ [team . can_hire] @ can_hire "--can-hire";
            traffic_shape: Choice($crate::model::workload::TrafficShape) @ [traffic . shape] @ traffic "--traffic";
            peak_to_average: Number(NUMBER) @ [traffic . peak_to_average] @ peak_to_average "--peak-to-average";
            spike_multiplier: Number(NUMBER) @ [traffic . spike_multiplier] @ _;
            spike_hours_per_month: Number(NUMBER) @ [traffic . spike_hours_per_month] @ _;
            business_hours_per_month: Number(NUMBER) @ [traffic . business_hours_per_month] @ _;
            off_hours_share: Number(SHARE) @ [traffic . off_hours_share] @ _;
            profile: Numbers(NUMBER) @ [traffic . profile] @ _;
            phase: Choice($crate::model::workload::Phase) @ [stage . phase] @ phase "--phase";
            always_on: Flag @ [stage . always_on] @ always_on "--always-on";
            dev_share: Number(SHARE) @ [dev_share] @ dev_share "--dev-share";
            fine_tuning: Flag @ [fine_tuning] @ fine_tuning "--fine-tuning";
            time_to_market: Choice($crate::model::workload::TimeToMarket) @ [time_to_market] @ time_to_market "--time-to-market";
            growth_monthly: Number(SHARE) @ [growth_monthly] @ growth "--growth";
            api: Text @ [api] @ api "--api";
            apis: Shares @ [apis] @ apis "--apis";
            setup: Text @ [setup] @ setup "--setup";
            self_host_fixed_usd_per_month: Number(USD) @ [self_host_fixed_usd_per_month] @ self_host_fixed "--self-host-fixed";
            unit_usd_per_month: Number(USD) @ [self_host . unit_usd_per_month] @ self_host_cost "--self-host-cost";
            unit_tokens_per_month: Number(TOKENS) @ [self_host . unit_tokens_per_month] @ self_host_capacity "--self-host-capacity";
            model: Text @ [self_host . model] @ model "--model";
            gpu: Text @ [self_host . gpu] @ gpu "--gpu";
            gpus: Count(4096) @ [self_host . gpus] @ gpus "--gpus";
            precision: Text @ [self_host . precision] @ precision "--precision";
            tp: Count(4096) @ [self_host . tp] @ tp "--tp";
            ep: Count(4096) @ [self_host . ep] @ ep "--ep";
            attention_dp: Flag @ [self_host . attention_dp] @ attention_dp "--attention-dp";
            speculative: Count(8) @ [self_host . speculative] @ speculative "--speculative";
            acceptance: Number(SHARE) @ [self_host . acceptance] @ acceptance "--acceptance";
            draft_model: Text @ [self_host . draft_model] @ draft_model "--draft-model";
            hosting: Choice($crate::model::catalog::hardware::Hosting) @ [self_host . hosting] @ hosting "--hosting";
            price_kind: Choice($crate::model::catalog::hardware::PriceKind) @ [self_host . price_kind] @ price_kind "--price-kind";
            engine: Text @ [self_host . engine] @ engine "--engine";
            kv_precision: Text @ [self_host . kv_precision] @ kv_precision "--kv-precision";
            horizon_months: Count(600) @ [projection . horizon_months] @ horizon "--horizon";
            build_engineer_months: Number(NUMBER) @ [projection . build_engineer_months] @ build_effort "--build-effort";
            months_to_production: Number(NUMBER) @ [projection . months_to_production] @ time_to_production "--time-to-production";
            api_price_decline_yearly: Number(SHARE) @ [projection . api_price_decline_yearly] @ api_price_decline "--api-price-decline";
            draws: Count(1_000_000) @ [uncertainty . draws] @ draws "--draws";
            seed: Seed @ [uncertainty . seed] @ seed "--seed";
        }
    };
}

/// A field's flag, if it has one.
#[macro_export]
macro_rules! workload_field_flag {
    () => {
        None
    };
    ($name:literal) => {
        Some($name)
    };
}

/// The Rust type of a field kind.
#[macro_export]
macro_rules! workload_field_type {
    (Text) => { String };
    (Number($p:ident)) => { f64 };
    (Count($max:literal)) => { u32 };
    (Seed) => { u64 };
    (Choice($t:path)) => { $t };
    (Flag) => { bool };
    (Texts) => { Vec<String> };
    (Numbers($p:ident)) => { Vec<f64> };
    (Shares) => { Vec<$crate::model::workload::spec::Sourced<$crate::model::workload::ApiShare>> };
}

macro_rules! spec_struct {
    (() $($field:ident: $kind:ident $(($($arg:tt)*))? @ [$($path:ident).+] @ $($flag:ident $name:literal)? $(_)?;)*) => {
        /// A workload as given: every field optional, each with where it came from.
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct WorkloadSpec {
            $(
                #[doc = concat!("`", $(stringify!($path), ".",)+ "`", $(" or `", $name, "`")?)]
                pub $field: Option<Sourced<$crate::workload_field_type!($kind $(($($arg)*))?)>>,
            )*
            /// Ranges of the uncertain assumptions (`uncertainty` or `--range`).
            pub ranges: Option<Vec<RangeSpec>>,
            /// Budget checks from the file.
            pub budget: Option<Budget>,
            /// Fields the file gave but that failed validation (so their absence is not
            /// reported again as missing).
            pub invalid_fields: Vec<String>,
        }

        impl WorkloadSpec {
            /// This spec with every field `over` sets replaced by `over`'s value.
            /// One API named over a mix replaces the mix, and a mix over one API replaces
            /// the API: both say where all the traffic goes.
            pub fn overlay(self, over: WorkloadSpec) -> WorkloadSpec {
                let (api_over, mix_over) = (over.api.is_some(), over.apis.is_some());
                let mut out = WorkloadSpec {
                    $($field: over.$field.or(self.$field),)*
                    ranges: over.ranges.or(self.ranges),
                    budget: over.budget.or(self.budget),
                    invalid_fields: self.invalid_fields,
                };
                if api_over && !mix_over {
                    out.apis = None;
                } else if mix_over && !api_over {
                    out.api = None;
                }
                out
            }

            /// The field paths of a scenario file, in declaration order, and the flag of each.
            pub const FIELDS: &'static [(&'static str, Option<&'static str>)] = &[
                $((concat!($(stringify!($path), ".",)+), $crate::workload_field_flag!($($name)?)),)*
            ];
        }
    };
}

workload_fields!(spec_struct!());

/// Prices given on the command line instead of in a file.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PriceOverrides {
    /// `--api-price IN/OUT`: USD per 1M input and output tokens of the chosen API.
    pub api_price: Option<(f64, f64)>,
}

/// What the user asked `capacity` for, as given.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacitySpec {
    /// `--model`.
    pub model: String,
    /// `--gpu`.
    pub gpu: String,
    /// `--gpus`.
    pub gpus: Option<u32>,
    /// `--tp`.
    pub tp: Option<u32>,
    /// `--ep`.
    pub ep: Option<u32>,
    /// `--attention-dp`.
    pub attention_dp: bool,
    /// `--speculative`.
    pub speculative: Option<u32>,
    /// `--acceptance`.
    pub acceptance: Option<f64>,
    /// `--draft-model`.
    pub draft_model: Option<String>,
    /// `--concurrency`.
    pub concurrency: Option<u32>,
    /// `--sweep`.
    pub sweep: bool,
    /// `--precision`; `None`: the model's released checkpoint precision, else bf16.
    pub precision: Option<String>,
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
    /// `--kv-precision`.
    pub kv_precision: Option<String>,
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
    /// KV-cache precision id; `None`: the engine's default.
    pub kv_precision: Option<String>,
    /// Total GPUs; `None`: one replica at the smallest degree that fits.
    pub gpus: Option<u32>,
    /// Tensor-parallel degree; `None`: chosen.
    pub tp: Option<u32>,
    /// Expert-parallel degree; `None`: none.
    pub ep: Option<u32>,
    /// Whether attention runs data-parallel over a replica's GPUs.
    pub attention_dp: bool,
    /// Sequences one replica runs at once, to report the latency at; `None`: none.
    pub concurrency: Option<u32>,
    /// Speculative decoding; `None`: none.
    pub speculative: Option<super::Speculative>,
    /// Whether to report the throughput-latency curve over concurrencies.
    pub sweep: bool,
    /// Request shape.
    pub shape: super::RequestShape,
    /// Monthly volume (input plus output tokens) to size for.
    pub tokens_per_month: Option<f64>,
    /// Peak over average rate of that volume.
    pub peak_to_average: f64,
    /// Cloud or owned.
    pub hosting: Hosting,
    /// Cloud price kind.
    pub price_kind: PriceKind,
}
