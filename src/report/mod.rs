//! Reports: the one value every format renders from, and the renderers. Each renderer
//! returns text; one place (`lib::run`) writes it.

pub mod json;
pub mod table;
pub mod text;

use crate::engine::hybrid::HybridPlan;
use crate::engine::{Analysis, ApiOption, SelfHostOption};
use crate::model::date::Date;
use crate::model::pricing::{ApiModel, Catalog, CatalogFile, Setup};
use serde::Serialize;

/// Version of the JSON report layout. Bumped only on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable text with tables.
    Table,
    /// The JSON contract.
    Json,
}

/// The tool that made a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tool {
    /// `llm-decide`.
    pub name: &'static str,
    /// The crate version.
    pub version: &'static str,
}

impl Tool {
    /// This build.
    pub fn this() -> Tool {
        Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// A catalog entry a report relied on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryUsed {
    /// Entry id.
    pub id: String,
    /// When it was checked; `None` for values given as flags.
    pub checked: Option<Date>,
    /// Where it comes from.
    pub source: String,
}

/// The pricing data behind a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PricingStamp {
    /// Built-in profile the catalog started from.
    pub profile: String,
    /// SHA-256 over the pricing files.
    pub sha256: String,
    /// The files, in merge order.
    pub files: Vec<CatalogFile>,
    /// The entries used, with their dates and sources.
    pub entries: Vec<EntryUsed>,
    /// The oldest `checked` date among them.
    pub oldest_checked: Option<Date>,
}

/// An input file behind a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputFile {
    /// The path as given.
    pub name: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
}

/// One decision, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// What the engine worked out.
    pub analysis: Analysis,
    /// Pricing data used.
    pub pricing: PricingStamp,
    /// Input files used.
    pub inputs: Vec<InputFile>,
    /// Things the user should know.
    pub warnings: Vec<String>,
}

impl Report {
    /// A report for an analysis made with `catalog` from `inputs`.
    pub fn new(analysis: Analysis, catalog: &Catalog, inputs: Vec<InputFile>) -> Report {
        let entries: Vec<EntryUsed> = analysis
            .sources
            .iter()
            .map(|(id, p)| EntryUsed {
                id: id.clone(),
                checked: p.checked,
                source: p.source.clone(),
            })
            .collect();
        let oldest = entries.iter().filter_map(|e| e.checked).min();
        Report {
            pricing: PricingStamp {
                profile: catalog.profile.clone(),
                sha256: catalog.sha256.clone(),
                files: catalog.files.clone(),
                entries,
                oldest_checked: oldest,
            },
            inputs,
            warnings: Vec::new(),
            analysis,
        }
    }
}

/// What `list` shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Listing {
    /// API models.
    Apis(Vec<ApiModel>),
    /// Self-host setups.
    Setups(Vec<Setup>),
    /// GPUs with their cheapest cloud price of the policy's kind.
    Gpus(Vec<GpuEntry>),
    /// Open models.
    Models(Vec<crate::model::hardware::OpenModel>),
    /// Scenarios: name, file, description, tokens per month.
    Scenarios(Vec<ScenarioEntry>),
}

/// A GPU and its cheapest cloud price.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GpuEntry {
    /// The GPU.
    #[serde(flatten)]
    pub gpu: crate::model::hardware::Gpu,
    /// The cheapest price of the policy's kind among its provider classes.
    pub cheapest: Option<crate::model::hardware::GpuPrice>,
}

/// A ready-made scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioEntry {
    /// Path to pass to --scenario.
    pub file: String,
    /// Its name.
    pub name: String,
    /// Tokens per month.
    pub tokens_per_month: f64,
    /// What it is.
    pub description: String,
}

/// Anything the tool prints.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// One decision.
    Decision(Box<Report>),
    /// Several decisions side by side.
    Compare(Vec<Report>),
    /// A catalog listing.
    List(Listing),
    /// A deployment sized on its own.
    Capacity(Box<crate::engine::capacity::Capacity>),
}

/// Renders a document in a format.
pub fn render(doc: &Document, format: Format) -> String {
    match format {
        Format::Json => json::render(doc),
        Format::Table => table::render(doc),
    }
}

/// An option with its feasibility, for output.
#[derive(Debug, Serialize)]
pub struct WithFeasible<'a, T: Serialize> {
    /// The option.
    #[serde(flatten)]
    pub option: &'a T,
    /// True when nothing rules it out.
    pub feasible: bool,
}

/// The API option for output.
pub fn api_out(o: &ApiOption) -> WithFeasible<'_, ApiOption> {
    WithFeasible {
        option: o,
        feasible: o.blockers.is_empty(),
    }
}

/// The self-host option for output.
pub fn self_host_out(o: &SelfHostOption) -> WithFeasible<'_, SelfHostOption> {
    WithFeasible {
        option: o,
        feasible: o.blockers.is_empty(),
    }
}

/// A hybrid plan for output.
pub fn hybrid_out(o: &HybridPlan) -> WithFeasible<'_, HybridPlan> {
    WithFeasible {
        option: o,
        feasible: o.blockers.is_empty(),
    }
}
