//! A workload profile: how much traffic, of what shape, under which constraints.
//! Every field is resolved (defaults applied, ids checked) before the engine sees it.

pub mod spec;
pub mod uncertainty;
pub mod usage;

use crate::model::catalog::ComplianceOffer;
use crate::model::catalog::hardware::{Hosting, PriceKind};
use serde::{Deserialize, Serialize};

/// Hours in the pricing month (365 x 24 / 12), the convention cloud providers bill by.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// Which latency figure a target applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LatencyMetric {
    /// Time to first token.
    Ttft,
    /// Time per output token.
    Tpot,
    /// End-to-end time of a whole response.
    E2e,
}

/// Which percentile a target applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Percentile {
    /// Median.
    P50,
    /// 95th percentile.
    P95,
    /// 99th percentile.
    P99,
}

/// A latency target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatencyTarget {
    /// The target, milliseconds.
    pub target_ms: f64,
    /// The figure it applies to.
    pub metric: LatencyMetric,
    /// The percentile it applies to.
    pub percentile: Percentile,
}

/// Where the API is, for its network round trip.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApiNetwork {
    /// Unknown: the median of the article's range, its top at p95.
    #[default]
    Unknown,
    /// Near the provider's region (the article's low end).
    Near,
    /// Far from it (the article's high end).
    Far,
    /// A measured round trip, ms.
    Measured(f64),
}

/// A region relative to the API provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApiRegion {
    /// Near the provider's region.
    Near,
    /// Far from it.
    Far,
}

/// How sensitive the data is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrivacyLevel {
    /// Public data.
    Public,
    /// Ordinary customer data with standard privacy requirements.
    Standard,
    /// Confidential business data.
    Confidential,
    /// Regulated data (HIPAA, financial, legal privilege, GDPR-sensitive).
    Regulated,
    /// Data that must never leave your infrastructure.
    Restricted,
}

/// Privacy constraints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Privacy {
    /// The level.
    pub level: PrivacyLevel,
    /// Share of traffic that is sensitive (0 to 1).
    pub sensitive_share: f64,
    /// Whether sensitive traffic may be processed by a third party at all.
    pub third_party_allowed: bool,
    /// Compliance offers an API must have to process the sensitive traffic.
    pub requires: Vec<ComplianceOffer>,
}

/// Capability needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Capability {
    /// Share of traffic that needs frontier reasoning (0 to 1).
    pub frontier_share: f64,
    /// API that serves the frontier share (a catalog id).
    pub frontier_api: String,
    /// Share of traffic simple enough for a small self-hosted model (three-tier plans).
    pub simple_share: f64,
    /// The small model for that share (a catalog id).
    pub small_model: String,
}

/// One API of a mix and its share of the traffic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiShare {
    /// The API (a catalog id).
    pub api: String,
    /// Its share of the tokens (0 to 1; the mix's shares add up to 1).
    pub share: f64,
}

/// The team that would run a self-hosted deployment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Team {
    /// ML engineers, FTE.
    pub ml_engineers: f64,
    /// DevOps / SRE engineers, FTE.
    pub devops: f64,
    /// Whether the missing roles can be hired.
    pub can_hire: bool,
}

/// The named traffic shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrafficShape {
    /// Flat load around the clock.
    Steady,
    /// Load concentrated in business hours.
    BusinessHours,
    /// Steady base load with spikes (sales, launches, events).
    Spiky,
    /// An explicit 24-hour or 168-hour (weekly) profile of relative load.
    Profile,
}

/// A level of the load-duration curve: for `hours` a month, the request rate is
/// `multiplier` times the monthly average.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LoadLevel {
    /// Hours a month at this level.
    pub hours: f64,
    /// Rate relative to the monthly average.
    pub multiplier: f64,
}

/// The traffic shape as a load-duration curve whose average multiplier is 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Traffic {
    /// The named shape.
    pub shape: TrafficShape,
    /// Levels, highest first; hours sum to [`HOURS_PER_MONTH`], hour-weighted mean is 1.
    pub levels: Vec<LoadLevel>,
}

impl Traffic {
    /// Flat traffic.
    pub fn steady() -> Self {
        Traffic {
            shape: TrafficShape::Steady,
            levels: vec![LoadLevel {
                hours: HOURS_PER_MONTH,
                multiplier: 1.0,
            }],
        }
    }

    /// The peak rate over the average rate.
    pub fn peak_to_average(&self) -> f64 {
        self.levels.iter().map(|l| l.multiplier).fold(0.0, f64::max)
    }
}

/// Where the workload is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Iterating on prompts and product fit.
    Experimenting,
    /// Serving real users.
    Production,
}

/// How urgent shipping is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeToMarket {
    /// No pressure.
    Relaxed,
    /// Ordinary pressure.
    Normal,
    /// Shipping fast matters more than cost.
    Critical,
}

/// Speculative decoding: each step drafts `tokens` tokens a sequence, with the model's own
/// multi-token-prediction heads (one small layer each) or with a separate draft model, and the
/// model verifies them in one pass, keeping each with probability `acceptance` until the first
/// it rejects.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Speculative {
    /// Draft tokens a step.
    pub tokens: u32,
    /// Probability a draft token is accepted (an assumption of the workload's).
    pub acceptance: f64,
    /// The separate draft model, when there is one (else multi-token-prediction heads).
    pub draft: Option<Draft>,
}

/// A separate draft model, as sized: held in memory beside the target at its precision with
/// its own KV cache, and run once a draft token over the batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    /// The catalog's model, its architecture sizing its weights, cache and passes.
    pub model: crate::model::catalog::hardware::OpenModel,
}

/// The acceptance a draft token is given when the workload states none: DeepSeek-V3's
/// multi-token-prediction head, "the acceptance rate of the second token prediction ranges between
/// 85% and 90%" (DeepSeek-V3 technical report), the low end; an assumption for other models.
pub const DEFAULT_ACCEPTANCE: f64 = 0.85;

impl Speculative {
    /// Tokens a sequence gains a step: `(1 - a^(k+1)) / (1 - a)`, the accepted drafts and the
    /// model's own token (Leviathan et al., 2023).
    pub fn tokens_per_step(&self) -> f64 {
        let (a, k) = (self.acceptance, f64::from(self.tokens));
        if (1.0 - a).abs() < 1e-12 {
            k + 1.0
        } else {
            (1.0 - a.powf(k + 1.0)) / (1.0 - a)
        }
    }
}

/// What the workload asks of the self-hosted deployment; unset fields are chosen by the
/// deployment search.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DeploymentRequest {
    /// Open model (catalog id).
    pub model: Option<String>,
    /// GPU (catalog id).
    pub gpu: Option<String>,
    /// Total GPUs.
    pub gpus: Option<u32>,
    /// Weight precision (catalog id).
    pub precision: Option<String>,
    /// Tensor-parallel degree.
    pub tp: Option<u32>,
    /// Expert-parallel degree of a mixture of experts' routed experts; `None`: none (the
    /// experts are split like the other weights).
    pub ep: Option<u32>,
    /// Whether attention runs data-parallel over a replica's GPUs.
    pub attention_dp: bool,
    /// Speculative decoding; `None`: none.
    pub speculative: Option<Speculative>,
    /// Cloud or owned.
    pub hosting: Option<Hosting>,
    /// Cloud price kind.
    pub price_kind: Option<PriceKind>,
    /// Serving engine (catalog id).
    pub engine: Option<String>,
    /// Precision of the KV cache (catalog id); `None`: the engine's default.
    pub kv_precision: Option<String>,
}

impl DeploymentRequest {
    /// Whether the request names anything (and so asks for a sized deployment).
    pub fn is_set(&self) -> bool {
        *self != DeploymentRequest::default()
    }
}

/// The self-hosted unit as the workload gives it (`--self-host-cost`, `--self-host-capacity`):
/// when either is set, these figures define the self-hosted side, the missing one coming from
/// the sized deployment or packaged setup, and nothing else (personnel, spares) is added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct GivenUnit {
    /// Monthly cost of one unit, USD.
    pub usd_per_month: Option<f64>,
    /// Tokens a month one unit serves at an even load.
    pub tokens_per_month: Option<f64>,
}

impl GivenUnit {
    /// Whether either figure is given.
    pub fn any(&self) -> bool {
        self.usd_per_month.is_some() || self.tokens_per_month.is_some()
    }

    /// Whether both are: the side needs nothing from the catalog.
    pub fn complete(&self) -> bool {
        self.usd_per_month.is_some() && self.tokens_per_month.is_some()
    }
}

/// Tokens of an average request.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RequestShape {
    /// Prompt tokens.
    pub input_tokens: f64,
    /// Generated tokens.
    pub output_tokens: f64,
}

/// The article's monitoring triggers: the API bill at which to start planning self-hosting,
/// the bill at which to be ready to switch (the catalog's policy, $5,000 and $10,000 a month
/// by default), and the break-even volume itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AlertAt {
    /// The API bill reaches the policy's `start_planning_usd_per_month`.
    StartPlanning,
    /// The API bill reaches the policy's `ready_to_switch_usd_per_month`.
    ReadyToSwitch,
    /// The volume reaches the crossover, where self-hosting costs no more than the API.
    Crossover,
}

crate::named!(AlertAt {
    StartPlanning => "start-planning",
    ReadyToSwitch => "ready-to-switch",
    Crossover => "crossover",
});

/// Budget checks on a workload's recommendation; each is off unless set.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Budget {
    /// Largest acceptable monthly cost of the recommended option, USD.
    pub max_monthly_cost_usd: Option<f64>,
    /// Largest acceptable cost per 1M tokens of the recommended option, USD.
    pub max_cost_per_mtok_usd: Option<f64>,
    /// Largest acceptable latency of the recommended option (at the workload's metric and
    /// percentile; p95 TTFT without a target), ms.
    pub max_latency_ms: Option<f64>,
    /// The recommendation expected: `api`, `self-host` or `hybrid`.
    pub expect: Option<String>,
    /// Oldest acceptable `checked` date of the prices used, in days.
    pub max_price_age_days: Option<f64>,
    /// Fail once the volume (each observed month's, with usage) reaches this trigger.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert_at: Option<AlertAt>,
}

impl Budget {
    /// This budget with every check `over` sets replaced.
    pub fn overlay(&self, over: &Budget) -> Budget {
        Budget {
            max_monthly_cost_usd: over.max_monthly_cost_usd.or(self.max_monthly_cost_usd),
            max_cost_per_mtok_usd: over.max_cost_per_mtok_usd.or(self.max_cost_per_mtok_usd),
            max_latency_ms: over.max_latency_ms.or(self.max_latency_ms),
            expect: over.expect.clone().or_else(|| self.expect.clone()),
            max_price_age_days: over.max_price_age_days.or(self.max_price_age_days),
            alert_at: over.alert_at.or(self.alert_at),
        }
    }

    /// Whether any check is set.
    pub fn any(&self) -> bool {
        *self != Budget::default()
    }
}

/// A resolved workload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workload {
    /// Name shown in reports.
    pub name: String,
    /// What the workload is.
    pub description: Option<String>,
    /// Tokens per month, input plus output.
    pub tokens_per_month: f64,
    /// Share of tokens that are input (prompt) tokens.
    pub input_share: f64,
    /// Share of input tokens served from the provider's prompt cache.
    pub cached_input_share: f64,
    /// Share of traffic that can use the batch (asynchronous) API.
    pub batch_share: f64,
    /// Latency target, if any.
    pub latency: Option<LatencyTarget>,
    /// Where the API is, for its network round trip.
    pub api_network: ApiNetwork,
    /// Privacy constraints.
    pub privacy: Privacy,
    /// Capability needs.
    pub capability: Capability,
    /// The team, if described.
    pub team: Option<Team>,
    /// Traffic shape.
    pub traffic: Traffic,
    /// Experimenting or production.
    pub phase: Phase,
    /// Runs around the clock.
    pub always_on: bool,
    /// Share of traffic that is development and testing.
    pub dev_share: f64,
    /// Needs fine-tuned models.
    pub fine_tuning: bool,
    /// Time-to-market pressure.
    pub time_to_market: TimeToMarket,
    /// Monthly growth of volume, as a share (0.05 = 5% a month).
    pub growth_monthly: f64,
    /// Months to project; `None`: the policy's.
    pub horizon_months: Option<u32>,
    /// Engineer-months to stand up self-hosting; `None`: the policy's.
    pub build_engineer_months: Option<f64>,
    /// Months from the decision to self-hosted production; `None`: the policy's.
    pub months_to_production: Option<f64>,
    /// Yearly decline of API prices; `None`: the policy's.
    pub api_price_decline_yearly: Option<f64>,
    /// Ranges of uncertain assumptions for the Monte Carlo (the volume as a multiplier).
    pub ranges: Vec<uncertainty::Range>,
    /// Monte Carlo draws; `None`: the policy's.
    pub draws: Option<u32>,
    /// Monte Carlo seed; `None`: the policy's.
    pub seed: Option<u64>,
    /// Budget checks.
    pub budget: Budget,
    /// API candidate (catalog id). With a mix: its largest part as read; in a report, the
    /// strongest API the self-hosted side may take (the one its model is matched against).
    pub api: String,
    /// The APIs the traffic is split between, each with its share (empty: all of it goes to
    /// `api`, and the frontier share to the frontier API).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub apis: Vec<ApiShare>,
    /// Self-host setup candidate (catalog id).
    pub setup: String,
    /// Whether the setup was named (which asks for the packaged setup, not a sized deployment).
    pub setup_named: bool,
    /// The deployment asked for.
    pub deployment: DeploymentRequest,
    /// The average request, when given.
    pub request: Option<RequestShape>,
    /// Monthly cost of the self-hosted side that does not depend on units, USD.
    pub self_host_fixed_usd_per_month: f64,
    /// The self-hosted unit's cost and capacity as given, if any.
    #[serde(rename = "self_host_unit")]
    pub given_unit: GivenUnit,
}

crate::named!(LatencyMetric { Ttft => "ttft", Tpot => "tpot", E2e => "e2e" });
crate::named!(Percentile { P50 => "p50", P95 => "p95", P99 => "p99" });
crate::named!(PrivacyLevel {
    Public => "public",
    Standard => "standard",
    Confidential => "confidential",
    Regulated => "regulated",
    Restricted => "restricted",
});
crate::named!(TrafficShape {
    Steady => "steady",
    BusinessHours => "business-hours",
    Spiky => "spiky",
    Profile => "profile",
});
crate::named!(ApiRegion { Near => "near", Far => "far" });
crate::named!(Phase { Experimenting => "experimenting", Production => "production" });
crate::named!(TimeToMarket { Relaxed => "relaxed", Normal => "normal", Critical => "critical" });
