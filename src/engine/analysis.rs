//! What the engine works out for one workload: the options (API, self-host, hybrids) with
//! their costs, latency and what rules them out; the break-even volume and the volume table;
//! the recommendation; the outlook; and what the result relied on. Facts with their numbers:
//! the report writes the words.

use crate::engine::cost::crossover::Crossover;
use crate::engine::cost::team::TeamCheck;
use crate::engine::cost::{ApiCost, Line, SelfHostCost, UnitName};
use crate::engine::decision::Recommendation;
use crate::engine::decision::constraints::{Blocker, PrivacyGap};
use crate::engine::decision::hybrid::HybridPlan;
use crate::engine::outlook::montecarlo::Uncertainty;
use crate::engine::outlook::projection::Projection;
use crate::engine::outlook::sensitivity::Sensitivity;
use crate::engine::selfhost::matching::TierMatch;
use crate::engine::selfhost::remedies::Remedy;
use crate::engine::selfhost::search::Deployment;
use crate::engine::selfhost::{self, Note, SearchSummary};
use crate::engine::serving::latency::LatencyEstimate;
use crate::model::catalog::policy::Policy;
use crate::model::catalog::{Provenance, Tier};
use crate::model::decision::Winner;
use crate::model::workload::{TrafficShape, Workload};
use serde::Serialize;

/// The API option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiOption {
    /// Catalog id of the main model.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Its capability tier.
    pub tier: Tier,
    /// Catalog id of the model serving the frontier share, when there is one.
    pub frontier_id: Option<String>,
    /// Cost at the workload's volume.
    #[serde(flatten)]
    pub cost: ApiCost,
    /// Latency before inference.
    #[serde(skip)]
    pub latency: LatencyEstimate,
    /// What rules it out; empty when feasible.
    #[serde(skip)]
    pub blockers: Vec<Blocker>,
    /// Why sensitive traffic may not reach it, if it may not.
    #[serde(skip)]
    pub privacy_issue: Option<PrivacyGap>,
}

/// The self-host option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SelfHostOption {
    /// Sized from first principles, or a packaged setup.
    pub kind: selfhost::Kind,
    /// Setup id, for a packaged setup.
    pub setup: Option<String>,
    /// What a unit is.
    #[serde(skip)]
    pub name: UnitName,
    /// GPU of a unit, if known.
    pub gpu: Option<String>,
    /// Cost at the workload's volume.
    #[serde(flatten)]
    pub cost: SelfHostCost,
    /// Cost lines of one unit.
    #[serde(skip)]
    pub unit_costs: Vec<Line>,
    /// Cost lines independent of units (personnel, other fixed).
    #[serde(skip)]
    pub fixed_costs: Vec<Line>,
    /// Tokens per month one unit serves.
    pub tokens_per_month_per_unit: f64,
    /// The sized deployment: replicas, memory, throughput, latency, GPU cost.
    #[serde(skip)]
    pub deployment: Option<Deployment>,
    /// What the deployment search looked at.
    #[serde(skip)]
    pub search: Option<SearchSummary>,
    /// Latency estimate.
    #[serde(skip)]
    pub latency: LatencyEstimate,
    /// Team check.
    pub team: TeamCheck,
    /// What rules it out; empty when feasible.
    #[serde(skip)]
    pub blockers: Vec<Blocker>,
    /// Things to know about this option.
    #[serde(skip)]
    pub notes: Vec<Note>,
    /// Ways to meet a latency target the deployment misses, cheapest first.
    #[serde(skip)]
    pub remedies: Vec<Remedy>,
    /// The capability tiers of the API and the self-hosted model.
    #[serde(skip)]
    pub tiers: Option<TierMatch>,
}

/// A row of the volume table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VolumeRow {
    /// Tokens per month.
    pub tokens_per_month: f64,
    /// API cost, USD per month.
    pub api_monthly_cost_usd: f64,
    /// Self-host cost, USD per month.
    pub self_host_monthly_cost_usd: f64,
    /// Units of the setup.
    pub self_host_units: u32,
    /// What a unit is: the cheapest deployment at this volume.
    #[serde(skip)]
    pub self_host_unit: UnitName,
    /// Who wins.
    pub winner: Winner,
    /// The workload's own volume.
    pub is_workload: bool,
}

/// A value the result depends on.
#[derive(Debug, Clone, PartialEq)]
pub enum Assumed {
    /// Input share of tokens.
    InputShare,
    /// Costs this close are "roughly equal".
    TieBand,
    /// Tokens a month one self-hosted unit serves.
    TokensPerUnit,
    /// Cost of one self-hosted unit, USD a month.
    UnitCost,
    /// Peak over average rate.
    PeakToAverage,
    /// API round trip at p95, ms.
    ApiRtt,
    /// API queueing at p95, ms.
    ApiQueue,
    /// Loaded monthly cost of a staffing role, USD.
    RoleCost(String),
    /// Months over which owned hardware is amortized.
    AmortizationMonths,
    /// Power usage effectiveness of the facility housing owned GPUs.
    Pue,
    /// Electricity, USD per kWh.
    ElectricityUsdPerKwh,
    /// Colocation, USD per kW of board power a month.
    ColocationUsdPerKwMonth,
    /// Engineer-months to stand up self-hosted serving.
    BuildEngineerMonths,
    /// Calendar months from the decision to self-hosted production.
    MonthsToProduction,
}

/// Where an assumed value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Basis {
    /// The policy's default input share.
    DefaultInputShare,
    /// The workload gives it.
    Workload,
    /// The policy's tie band.
    PolicyTieBand,
    /// A packaged setup's own note or source.
    Setup(String),
    /// The sizing engine at the policy's planned utilization (a share).
    Sizing {
        /// Planned utilization.
        utilization: f64,
    },
    /// The sized deployment's GPU cost.
    GpuCost,
    /// The workload's traffic shape.
    Traffic(TrafficShape),
    /// The policy's API round-trip range.
    PolicyApiRtt,
    /// The policy's API queueing range.
    PolicyApiQueue,
    /// The staffing table's source for a role.
    Staffing(String),
    /// The policy's owned-hardware figures (`policy.self_host`).
    PolicyOwned,
    /// The policy's switching assumptions (`policy.projection`).
    PolicySwitch,
}

/// What a value is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Unit {
    /// A share, 0 to 1.
    #[serde(rename = "share")]
    Share,
    /// USD a month.
    #[serde(rename = "USD/month")]
    UsdPerMonth,
    /// Tokens a month.
    #[serde(rename = "tokens/month")]
    TokensPerMonth,
    /// A ratio.
    #[serde(rename = "ratio")]
    Ratio,
    /// Milliseconds.
    #[serde(rename = "ms")]
    Ms,
    /// Months.
    #[serde(rename = "months")]
    Months,
    /// USD per kWh.
    #[serde(rename = "USD/kWh")]
    UsdPerKwh,
    /// USD per kW a month.
    #[serde(rename = "USD/kW/month")]
    UsdPerKwMonth,
}

/// A value the result depends on, with its source.
#[derive(Debug, Clone, PartialEq)]
pub struct Assumption {
    /// What it is.
    pub name: Assumed,
    /// Its value.
    pub value: f64,
    /// Its unit.
    pub unit: Unit,
    /// Where it comes from.
    pub basis: Basis,
}

/// What a catalog entry behind a result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A market price (an API's list price, a GPU rental, a packaged setup's cost): it goes
    /// stale, so its age is checked.
    Price,
    /// A specification (a GPU's memory, a model's architecture).
    Spec,
    /// A stated assumption (loaded salaries).
    Assumption,
}

/// Which catalog entry.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// An entry by its id.
    Id(String),
    /// A GPU's purchase price (owned hardware).
    GpuPurchase {
        /// GPU id.
        gpu: String,
    },
    /// A GPU's cloud offer.
    GpuOffer {
        /// GPU id.
        gpu: String,
        /// Provider.
        provider: String,
        /// Price kind id.
        kind: String,
    },
}

/// A catalog entry a result relied on.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The entry.
    pub entry: Entry,
    /// What it is.
    pub kind: SourceKind,
    /// When it was checked and against what.
    pub provenance: Provenance,
}

/// Everything the engine works out for one workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The workload.
    pub workload: Workload,
    /// The policy in force.
    pub policy: Policy,
    /// The API option.
    pub api: ApiOption,
    /// The self-hosted model as serverless APIs sell it, cheapest first: the baseline beside
    /// the API and the self-hosted side.
    pub serverless: Vec<ApiOption>,
    /// The self-host option.
    pub self_host: SelfHostOption,
    /// Hybrid plans.
    pub hybrids: Vec<HybridPlan>,
    /// The crossover.
    pub crossover: Crossover,
    /// The volume table.
    pub volume_table: Vec<VolumeRow>,
    /// The recommendation.
    pub recommendation: Recommendation,
    /// Values the result depends on.
    pub assumptions: Vec<Assumption>,
    /// Provenance of the catalog entries used.
    pub sources: Vec<Source>,
    /// Month-by-month costs as the volume grows, and the total cost of ownership.
    pub projection: Projection,
    /// Tornado and break-even thresholds.
    pub sensitivity: Sensitivity,
    /// Monte Carlo over the uncertain assumptions.
    pub uncertainty: Uncertainty,
}
