//! The pricing catalog: API models, self-host setups and staffing, each entry dated and
//! sourced. These are validated values; the raw YAML shapes live in `input/`.

pub mod hardware;
pub mod policy;
pub mod serving;

use crate::model::date::Date;
use policy::Policy;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How capable a model is, in the article's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    /// GPT-4 class reasoning; no open equivalent at the same level.
    Frontier,
    /// Close to frontier on most tasks (Llama 3.1 70B/405B class).
    Strong,
    /// Good general models (GPT-4o-mini class).
    Standard,
    /// Small, cheap models for simple traffic.
    Small,
}

crate::named!(Tier { Frontier => "frontier", Strong => "strong", Standard => "standard", Small => "small" });

impl Tier {
    /// Whether this tier is at least as capable as `other` (tiers are declared strongest first).
    pub fn at_least(self, other: Tier) -> bool {
        self <= other
    }
}
crate::named!(SetupKind { Owned => "owned", Cloud => "cloud" });

/// Where a number came from and when it was last checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// The date the value was last checked against its source; `None` for values given
    /// on the command line.
    pub checked: Option<Date>,
    /// The source: a document, a package version, a URL.
    pub source: String,
}

/// Prices for requests with a long input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LongContext {
    /// Requests with more input tokens than this pay these prices.
    pub above_input_tokens: f64,
    /// USD per 1M input tokens.
    pub input_usd_per_mtok: f64,
    /// USD per 1M output tokens.
    pub output_usd_per_mtok: f64,
    /// USD per 1M cached input tokens.
    pub cached_input_usd_per_mtok: Option<f64>,
}

/// Typical latency of an API model, as measured by a third party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiLatency {
    /// Median time to first token, in milliseconds, as measured from the client.
    pub ttft_ms: f64,
    /// Median output speed, in tokens per second.
    pub output_tokens_per_s: f64,
    /// Where the figures come from.
    pub provenance: Provenance,
}

/// Compliance offers of an API provider; `None` means unknown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Compliance {
    /// SOC 2 Type II report available.
    pub soc2: Option<bool>,
    /// HIPAA Business Associate Agreement available.
    pub hipaa_baa: Option<bool>,
    /// ISO/IEC 27001 certification.
    #[serde(default)]
    pub iso27001: Option<bool>,
    /// Zero data retention option available.
    pub zero_retention: Option<bool>,
    /// Regional (data-residency) endpoints available.
    pub regional_endpoints: Option<bool>,
}

/// One compliance offer, as named in workload files (`privacy.requires`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplianceOffer {
    /// SOC 2 Type II.
    Soc2,
    /// HIPAA BAA.
    HipaaBaa,
    /// ISO/IEC 27001.
    Iso27001,
    /// Zero data retention.
    ZeroRetention,
    /// Regional endpoints.
    RegionalEndpoints,
}

crate::named!(ComplianceOffer {
    Soc2 => "soc2",
    HipaaBaa => "hipaa_baa",
    Iso27001 => "iso27001",
    ZeroRetention => "zero_retention",
    RegionalEndpoints => "regional_endpoints",
});

impl Compliance {
    /// Whether the provider offers `offer` (`None`: unknown).
    pub fn offers(&self, offer: ComplianceOffer) -> Option<bool> {
        match offer {
            ComplianceOffer::Soc2 => self.soc2,
            ComplianceOffer::HipaaBaa => self.hipaa_baa,
            ComplianceOffer::Iso27001 => self.iso27001,
            ComplianceOffer::ZeroRetention => self.zero_retention,
            ComplianceOffer::RegionalEndpoints => self.regional_endpoints,
        }
    }
}

/// A score on a public capability index (the same index for APIs and open models, so that
/// tiers compare like with like).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexScore {
    /// The score.
    pub score: f64,
    /// The index and snapshot it comes from.
    pub source: String,
    /// When the snapshot was taken.
    pub checked: Date,
}

/// Hidden reasoning tokens of a reasoning model: billed as output, and spent before the first
/// visible token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reasoning {
    /// Tokens a request spends on reasoning, on average.
    pub tokens_per_request: f64,
    /// Where the figure comes from (measured, derived, or an assumption).
    pub source: String,
}

/// The open model a serverless API serves, and at what precision where the provider says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Serves {
    /// Open model id.
    pub model: String,
    /// Precision id; `None` when the provider does not say.
    pub precision: Option<String>,
}

/// An API model with its list prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiModel {
    /// Catalog id, e.g. `gpt-4o`.
    pub id: String,
    /// Provider id, e.g. `openai`.
    pub provider: String,
    /// Display name, e.g. `GPT-4o`.
    pub name: String,
    /// USD per 1M input tokens.
    pub input_usd_per_mtok: f64,
    /// USD per 1M output tokens.
    pub output_usd_per_mtok: f64,
    /// USD per 1M cached input tokens (prompt-cache reads); `None` when not offered.
    pub cached_input_usd_per_mtok: Option<f64>,
    /// Discount for batch (asynchronous) requests, as a share (0.5 = half price).
    pub batch_discount: Option<f64>,
    /// Capability tier.
    pub tier: Tier,
    /// Largest input (context window), in tokens.
    pub context_tokens: Option<f64>,
    /// Higher prices for requests whose input exceeds a threshold, where the provider
    /// charges them for the whole request (applied when the workload's request shape has a
    /// longer prompt).
    pub long_context: Option<LongContext>,
    /// Typical latency, where a measurement exists.
    pub latency: Option<ApiLatency>,
    /// The model's key in `LiteLLM`'s price file, by which an import refreshes its prices.
    pub litellm_key: Option<String>,
    /// Its score on the public capability index its tier is read from.
    pub index: Option<IndexScore>,
    /// Hidden reasoning tokens a request spends, for reasoning models.
    pub reasoning: Option<Reasoning>,
    /// The open model it serves, for serverless open-model APIs.
    pub serves: Option<Serves>,
    /// The provider's compliance offers.
    pub compliance: Compliance,
    /// Where the compliance offers come from.
    pub compliance_source: Option<String>,
    /// Where the prices come from.
    pub provenance: Provenance,
}

impl ApiModel {
    /// USD per 1M tokens at a given input share, with no caching or batching.
    pub fn blended_usd_per_mtok(&self, input_share: f64) -> f64 {
        input_share * self.input_usd_per_mtok + (1.0 - input_share) * self.output_usd_per_mtok
    }
}

/// Whether a setup's hardware is owned or rented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SetupKind {
    /// Bought and run in your own data center or colocation.
    Owned,
    /// Rented from a cloud provider.
    Cloud,
}

/// One line of a setup's monthly cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostLine {
    /// What it pays for: `hardware`, `power_cooling`, `personnel`, ...
    pub name: String,
    /// USD per month, per unit.
    pub usd_per_month: f64,
    /// How the figure was arrived at.
    pub note: Option<String>,
}

/// A packaged self-host setup (the article's four): a unit with a monthly cost and the
/// tokens per month one unit serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Setup {
    /// Catalog id, e.g. `cloud-a100`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Owned or cloud.
    pub kind: SetupKind,
    /// The GPU in the unit (a hardware catalog id), if known.
    pub gpu: Option<String>,
    /// GPUs in one unit.
    pub gpus_per_unit: u32,
    /// Monthly cost lines of one unit.
    pub costs: Vec<CostLine>,
    /// Tokens per month one unit serves at steady load.
    pub tokens_per_month_per_unit: f64,
    /// How the capacity figure was arrived at.
    pub capacity_note: Option<String>,
    /// Where the figures come from.
    pub provenance: Provenance,
}

impl Setup {
    /// USD per month of one unit: the sum of its cost lines.
    pub fn unit_usd_per_month(&self) -> f64 {
        self.costs.iter().map(|c| c.usd_per_month).sum()
    }
}

/// Full-time equivalents by role.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Fte {
    /// ML engineers.
    pub ml_engineer: f64,
    /// DevOps engineers.
    pub devops: f64,
    /// Site reliability engineers.
    pub sre: f64,
}

/// A row of the article's team-size table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffScale {
    /// Id: `low`, `moderate`, `high`.
    pub id: String,
    /// The article's label, e.g. "Single model, low traffic".
    pub label: String,
    /// The largest deployment (in units) this row applies to; `None` for no limit.
    pub up_to_units: Option<u32>,
    /// Minimum team.
    pub minimum: Fte,
    /// Recommended team.
    pub recommended: Fte,
    /// Remarks (what the article leaves unquantified).
    pub note: Option<String>,
}

/// A role's loaded monthly cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleCost {
    /// `ml_engineer`, `devops` or `sre`.
    pub role: String,
    /// Loaded cost per FTE-month (salary, taxes, benefits, overhead), USD.
    pub usd_per_month: f64,
    /// Where the figure comes from, or why it is an assumption.
    pub source: String,
}

/// The staffing table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Staffing {
    /// Rows, smallest scale first.
    pub scales: Vec<StaffScale>,
    /// Loaded monthly cost per role.
    pub roles: Vec<RoleCost>,
    /// Where the table comes from.
    pub provenance: Provenance,
}

impl Staffing {
    /// The loaded monthly cost of a role, 0 when the role is not listed.
    pub fn role_usd_per_month(&self, role: &str) -> f64 {
        self.roles
            .iter()
            .find(|r| r.role == role)
            .map_or(0.0, |r| r.usd_per_month)
    }

    /// The row for a deployment of `units` units; `multi_model` forces the largest row.
    pub fn scale_for(&self, units: u32, multi_model: bool) -> Option<&StaffScale> {
        if multi_model {
            return self.scales.last();
        }
        self.scales
            .iter()
            .find(|s| s.up_to_units.is_none_or(|max| units <= max))
            .or(self.scales.last())
    }
}

/// One file the catalog was built from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogFile {
    /// `embedded:pricing/apis.yaml` or the path the user gave.
    pub name: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

/// The whole catalog in force for a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// The built-in profile the catalog starts from: `default` or `seed`.
    pub profile: String,
    /// API models, by id.
    pub apis: Vec<ApiModel>,
    /// API provider ids.
    pub providers: Vec<String>,
    /// Self-host setups, by id.
    pub setups: Vec<Setup>,
    /// The team-size table.
    pub staffing: Staffing,
    /// GPUs, by id.
    pub gpus: Vec<hardware::Gpu>,
    /// Open models, by id.
    pub models: Vec<hardware::OpenModel>,
    /// Numeric precisions, by id.
    pub precisions: Vec<hardware::Precision>,
    /// Serving engines and their efficiency constants, by id.
    pub engines: Vec<hardware::Serving>,
    /// Thresholds and defaults.
    pub policy: Policy,
    /// The files it was built from, in merge order.
    pub files: Vec<CatalogFile>,
    /// SHA-256 over the files' hashes, hex: one fingerprint of the pricing data.
    pub sha256: String,
}

impl Catalog {
    /// The API model with this id.
    pub fn api(&self, id: &str) -> Option<&ApiModel> {
        self.apis.iter().find(|a| a.id == id)
    }

    /// The setup with this id.
    pub fn setup(&self, id: &str) -> Option<&Setup> {
        self.setups.iter().find(|s| s.id == id)
    }

    /// The GPU with this id.
    pub fn gpu(&self, id: &str) -> Option<&hardware::Gpu> {
        self.gpus.iter().find(|g| g.id == id)
    }

    /// The open model with this id.
    pub fn model(&self, id: &str) -> Option<&hardware::OpenModel> {
        self.models.iter().find(|m| m.id == id)
    }

    /// The serving engine with this id.
    pub fn engine(&self, id: &str) -> Option<&hardware::Serving> {
        self.engines.iter().find(|e| e.id == id)
    }

    /// The precision with this id.
    pub fn precision(&self, id: &str) -> Option<&hardware::Precision> {
        self.precisions.iter().find(|p| p.id == id)
    }

    /// The oldest `checked` date among the entries a report relies on.
    pub fn oldest_checked<'a>(dates: impl IntoIterator<Item = &'a Provenance>) -> Option<Date> {
        dates.into_iter().filter_map(|p| p.checked).min()
    }
}

/// One converted API model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedApi {
    /// Catalog id: `LiteLLM`'s key.
    pub id: String,
    /// This tool's provider id.
    pub provider: String,
    /// `LiteLLM`'s provider id.
    pub litellm_provider: String,
    /// USD per 1M input tokens.
    pub input_usd_per_mtok: f64,
    /// USD per 1M output tokens.
    pub output_usd_per_mtok: f64,
    /// USD per 1M cache-read input tokens.
    pub cached_input_usd_per_mtok: Option<f64>,
    /// Batch discount as a share.
    pub batch_discount: Option<f64>,
    /// Capability tier (from the catalog for known ids).
    pub tier: Tier,
    /// Whether the tier came from the catalog (false: the default).
    pub tier_known: bool,
    /// Largest input, tokens.
    pub context_tokens: Option<f64>,
    /// Long-context prices.
    pub long_context: Option<LongContext>,
    /// `LiteLLM`'s deprecation date, if any.
    pub deprecation_date: Option<String>,
    /// Where the prices come from.
    pub source: String,
    /// `LiteLLM`'s key.
    pub litellm_key: String,
    /// The built-in entry this refreshes (its `litellm_key` is this key), whose figures
    /// `LiteLLM` lacks (name, latency, index, reasoning, served model) are carried over; in
    /// JSON, its id.
    #[serde(serialize_with = "refreshed_id")]
    pub refreshes: Option<Box<ApiModel>>,
}

/// The result of a conversion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Import {
    /// The file converted.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// The `checked` date written.
    pub checked: Date,
    /// Where that date came from.
    pub dated_by: DatedBy,
    /// When the server says the list last changed (`Last-Modified`), if it says.
    pub last_modified: Option<Date>,
    /// Providers the catalog does not know, to be declared in the output.
    pub new_providers: Vec<String>,
    /// The converted models, by id.
    pub apis: Vec<ImportedApi>,
    /// Entries skipped, by reason.
    pub skipped: BTreeMap<String, usize>,
}

/// An imported entry's refreshed built-in, in JSON: its id.
fn refreshed_id<S: serde::Serializer>(
    api: &Option<Box<ApiModel>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match api {
        Some(api) => serializer.serialize_some(&api.id),
        None => serializer.serialize_none(),
    }
}

/// Where an import's `checked` date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DatedBy {
    /// The user's `--as-of`.
    AsOf,
    /// The server's `Last-Modified`: the day the list itself last changed.
    LastModified,
    /// The day the list was fetched from its URL, when the server gives no `Last-Modified`:
    /// the prices current that day.
    Fetched,
}

impl Import {
    /// Entries skipped in all.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }
}
