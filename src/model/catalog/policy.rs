//! The decision policy: the article's thresholds and the tool's defaults, as editable data.

use super::hardware::SelfHostPolicy;
use serde::{Deserialize, Serialize};

/// A range of milliseconds (the article gives latency components as ranges).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct RangeMs {
    /// Low end, ms.
    pub min_ms: f64,
    /// High end, ms.
    pub max_ms: f64,
}

/// Latency components and thresholds from the article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LatencyPolicy {
    /// API network round trip (article: 50-150 ms, varies by region).
    pub api_network_rtt: RangeMs,
    /// API queueing before inference (article: 0-500 ms, varies by load).
    pub api_queue: RangeMs,
    /// Self-hosted network round trip on an internal network (article: 1-10 ms).
    pub self_host_network_rtt: RangeMs,
    /// Below this target, latency argues for self-hosting (article: 200 ms).
    pub self_host_below_ms: f64,
}

/// Points each soft criterion adds for or against self-hosting when both sides are
/// feasible and neither hard constraints nor a hybrid decide.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    /// Cost winner outside the roughly-equal band.
    pub cost: f64,
    /// Team below the minimum but able to hire.
    pub team_hire: f64,
    /// Team meets the minimum.
    pub team_ready: f64,
    /// Still experimenting and iterating on prompts.
    pub experimenting: f64,
    /// Time-to-market is critical.
    pub time_to_market: f64,
    /// Fine-tuned models needed.
    pub fine_tuning: f64,
    /// 24/7 production workload.
    pub always_on: f64,
    /// Latency target below the policy threshold.
    pub latency: f64,
}

/// Thresholds and defaults of the decision.
/// Index scores at or above which a model is frontier, strong or standard (below: small);
/// the thresholds are this tool's assumption, the index a public one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapabilityIndex {
    /// The index and snapshot.
    pub source: String,
    /// Frontier from this score.
    pub frontier: f64,
    /// Strong from this score.
    pub strong: f64,
    /// Standard from this score.
    pub standard: f64,
}

impl CapabilityIndex {
    /// The tier a score falls in.
    pub fn tier(&self, score: f64) -> super::Tier {
        use super::Tier;
        if score >= self.frontier {
            Tier::Frontier
        } else if score >= self.strong {
            Tier::Strong
        } else if score >= self.standard {
            Tier::Standard
        } else {
            Tier::Small
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// The thresholds that turn a capability index score into a tier, with the index named.
    #[serde(default)]
    pub capability_index: Option<CapabilityIndex>,
    /// Two costs within this share of the larger one are "roughly equal".
    pub tie_band: f64,
    /// Input share of tokens when the workload does not say (article: one third).
    pub default_input_share: f64,
    /// API used when the workload does not name one.
    pub default_api: String,
    /// Setup used when the workload does not name one.
    pub default_setup: String,
    /// API for the frontier share of traffic when the chosen API is not frontier tier.
    pub default_frontier_api: String,
    /// The article's volume-table rows, tokens per month.
    pub volumes: Vec<f64>,
    /// Below this volume, choose APIs (article: 500M).
    pub volume_api_below_tokens: f64,
    /// Above this volume, self-hosting starts to pay (article: 1B).
    pub volume_self_host_above_tokens: f64,
    /// Warn when a price a report relies on was checked more than this many days ago
    /// (0: never warn).
    pub price_warning_days: f64,
    /// API bill at which to start planning self-hosting (article: $5,000).
    pub start_planning_usd_per_month: f64,
    /// API bill at which to be ready to switch (article: $10,000).
    pub ready_to_switch_usd_per_month: f64,
    /// Latency components and threshold.
    pub latency: LatencyPolicy,
    /// Traffic with at least this peak-to-average ratio is called spiky.
    pub spiky_peak_to_average: f64,
    /// Hours a month of peak traffic when only a peak-to-average ratio is given.
    pub default_spike_hours_per_month: f64,
    /// Hours a month of business-hours traffic (22 weekdays x 10 h).
    pub business_hours_per_month: f64,
    /// Soft-criterion points.
    pub weights: Weights,
    /// Self-hosting: owned-hardware costs and capacity planning.
    pub self_host: SelfHostPolicy,
    /// Months projected by default.
    pub horizon_months: u32,
    /// Yearly API price decline assumed by default.
    pub api_price_decline_yearly: f64,
    /// Engineer-months to stand up self-hosted serving (build and migration), one-time.
    pub build_engineer_months: f64,
    /// Calendar months from the decision to self-hosted production; the API is paid meanwhile.
    pub months_to_production: f64,
    /// Ranges of the tornado (and of the Monte Carlo draws when a workload gives none); the
    /// input share's likely value is the workload's.
    pub sensitivity: Vec<crate::model::workload::uncertainty::Range>,
    /// Monte Carlo draws by default.
    pub monte_carlo_draws: u32,
    /// Monte Carlo seed by default.
    pub monte_carlo_seed: u64,
}
