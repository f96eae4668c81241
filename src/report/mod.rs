//! Reports: the one value every format renders from, and the renderers. Each renderer
//! returns text; one place (`lib::run`) writes it.

pub mod chart;
mod many;
pub mod render;
pub mod view;
pub mod words;

pub use many::{
    CheckReport, Checked, Compared, Comparison, Frame, Item, frame, item, order, streams,
};
pub use render::{csv, escape, html, json, markdown, pricing_yaml, text};

use crate::engine::Analysis;
use crate::engine::decision::check::CheckResult;
use crate::model::catalog::{ApiModel, Catalog, CatalogFile, Setup};
use crate::model::date::Date;
use crate::model::output::Format;
use serde::Serialize;

/// Version of the JSON report layout. Bumped only on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

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
    /// `price`, `spec` or `assumption`.
    pub kind: crate::engine::SourceKind,
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
    /// The oldest `checked` date among the prices (what price-age checks and warnings use).
    pub oldest_price_checked: Option<Date>,
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
    /// Budget checks run on the recommendation.
    pub checks: Vec<CheckResult>,
    /// Costs over a sweep of volumes, for a chart (empty: no chart).
    pub curve: Vec<crate::engine::VolumeRow>,
}

impl Report {
    /// A report for an analysis made with `catalog` from `inputs`.
    pub fn new(analysis: Analysis, catalog: &Catalog, inputs: Vec<InputFile>) -> Report {
        let entries: Vec<EntryUsed> = analysis
            .sources
            .iter()
            .map(|s| EntryUsed {
                id: words::cost::entry(&s.entry),
                kind: s.kind,
                checked: s.provenance.checked,
                source: s.provenance.source.clone(),
            })
            .collect();
        let oldest = entries.iter().filter_map(|e| e.checked).min();
        let oldest_price = entries
            .iter()
            .filter(|e| e.kind == crate::engine::SourceKind::Price)
            .filter_map(|e| e.checked)
            .min();
        Report {
            pricing: PricingStamp {
                profile: catalog.profile.clone(),
                sha256: catalog.sha256.clone(),
                files: catalog.files.clone(),
                entries,
                oldest_checked: oldest,
                oldest_price_checked: oldest_price,
            },
            inputs,
            warnings: Vec::new(),
            checks: Vec::new(),
            curve: Vec::new(),
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
    /// GPU rental offers.
    Offers(Vec<OfferEntry>),
    /// Open models.
    Models(Vec<crate::model::catalog::hardware::OpenModel>),
    /// Scenarios: name, file, description, tokens per month.
    Scenarios(Vec<ScenarioEntry>),
}

/// A GPU and its cheapest cloud price.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GpuEntry {
    /// The GPU.
    #[serde(flatten)]
    pub gpu: crate::model::catalog::hardware::Gpu,
    /// The cheapest price of the policy's kind among its provider classes.
    pub cheapest: Option<crate::model::catalog::hardware::GpuPrice>,
}

/// Two pricing catalogs compared, with the arguments that named them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PricingDiffReport {
    /// The `--pricing` argument of the catalog before.
    pub old: String,
    /// The `--pricing` argument of the catalog after.
    pub new: String,
    /// What changed.
    #[serde(flatten)]
    pub diff: crate::engine::pricing_diff::PricingDiff,
}

/// An engine calibrated on the user's benchmark: the fit and the pricing entry it makes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationReport {
    /// The fit.
    #[serde(flatten)]
    pub calibrated: crate::engine::calibrate::Calibrated,
    /// The calibration written to the pricing file.
    pub entry: crate::model::catalog::hardware::Calibration,
    /// The KV precision the server ran, when given.
    pub kv_precision: Option<String>,
}

/// Usage exports read and what they say about the workload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsageReport {
    /// The formats read.
    pub formats: Vec<String>,
    /// The files read.
    pub files: Vec<String>,
    /// What the usage says.
    #[serde(flatten)]
    pub summary: crate::engine::usage::UsageSummary,
    /// Rows not used because they cannot be read, by reason.
    pub skipped: Vec<crate::model::workload::usage::Skipped>,
    /// Rows read and left out by design (a failed request, a proxy cache hit), by reason.
    pub excluded: Vec<crate::model::workload::usage::Skipped>,
}

/// A GPU rental offer and the GPU it rents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfferEntry {
    /// The GPU's catalog id.
    pub gpu: String,
    /// The offer.
    #[serde(flatten)]
    pub offer: crate::model::catalog::hardware::GpuPrice,
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

/// A volume sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// The decision at the workload's volume (for the crossover and the names).
    pub report: Report,
    /// The sweep's rows, for the table.
    pub rows: Vec<crate::engine::VolumeRow>,
    /// A finer sweep over the same range, for the chart.
    pub curve: Vec<crate::engine::VolumeRow>,
    /// Whether the volumes are log-spaced.
    pub log_scale: bool,
    /// Whether the workload's volume is the user's; if not, the self-hosted side was sized at
    /// the policy's self-host threshold and no volume is marked as theirs.
    pub volume_given: bool,
}

/// Anything the tool prints.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// One decision.
    Decision(Box<Report>),
    /// Several decisions side by side.
    Compare(Comparison),
    /// Scenario files checked against their budgets.
    Check(CheckReport),
    /// Two runs compared.
    Diff(Box<crate::engine::decision::diff::Diff>),
    /// Costs over a sweep of volumes.
    Crossover(Box<Sweep>),
    /// Text printed as it is in every format (the starter scenario).
    Text(String),
    /// Files checked by `validate`.
    Validation(Vec<Validated>),
    /// `LiteLLM` prices converted to a pricing file.
    Import(Box<crate::model::catalog::Import>),
    /// A catalog listing.
    List(Listing),
    /// Two pricing catalogs compared.
    PricingDiff(Box<PricingDiffReport>),
    /// A deployment sized on its own.
    Capacity(Box<crate::engine::serving::capacity::Capacity>),
    /// An engine calibrated on a benchmark.
    Calibration(Box<CalibrationReport>),
    /// Usage exports summarized.
    Usage(Box<UsageReport>),
}

/// Renders a document in a format; `color` styles the terminal format, whose tables fit
/// `width` columns and whose decision shows the brief sections and `sections` (`None`: every
/// section); `settings` (the defaults beyond the flags) are named in every format but CSV's
/// flat rows.
pub fn render(
    doc: &Document,
    format: Format,
    (color, width): (bool, usize),
    sections: Option<&[crate::model::output::Section]>,
    settings: &crate::model::output::Settings,
) -> String {
    let sections = sections.filter(|_| format == Format::Table);
    match (doc, format) {
        (Document::Text(text), _) => text.clone(),
        (_, Format::Json) => json::render_with(doc, settings),
        (_, Format::Csv) => csv::render(doc),
        // On the terminal an import is the pricing file it made.
        (Document::Import(i), Format::Table) => pricing_yaml::render(i),
        (Document::Calibration(c), Format::Table) => pricing_yaml::calibration(c),
        (_, format) => {
            // Amounts in the currency asked for, from the view's first figure to the last.
            let _shown = crate::model::units::Shown::scope(settings.currency.as_ref());
            match view::view(doc, sections).map(|mut v| {
                v.blocks
                    .extend(settings_sentence(settings).map(view::Block::Para));
                v.blocks.extend(
                    settings
                        .currency
                        .as_ref()
                        .map(|c| view::Block::Para(currency_sentence(c))),
                );
                v
            }) {
                Some(v) if format == Format::Markdown => markdown::render(&v),
                Some(v) if format == Format::Html => html::render(&v),
                Some(v) => text::render(&v, color, width),
                None => String::new(),
            }
        }
    }
}

/// The sentence a report names the currency of its amounts in, and the rate.
fn currency_sentence(c: &crate::model::units::Currency) -> String {
    let when = c
        .as_of
        .map_or_else(|| "undated".to_string(), |d| format!("as of {d}"));
    format!(
        "Amounts in {code}, converted at {rate} {code} per USD ({source}, {when}); the catalog's prices and the JSON and CSV reports are in USD.",
        code = c.code,
        rate = c.per_usd,
        source = c.source,
    )
}

/// The sentence a report names its defaults in, when any came from beyond the flags.
fn settings_sentence(settings: &crate::model::output::Settings) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(c) = &settings.config {
        parts.push(format!(
            "the project settings {} (sha256 {})",
            c.file,
            &c.sha256[..12.min(c.sha256.len())]
        ));
    }
    if let Some(p) = &settings.pricing_env {
        parts.push(format!("pricing {p} from LLM_DECIDE_PRICING"));
    }
    (!parts.is_empty()).then(|| format!("Defaults from {}.", parts.join(" and ")))
}

/// The catalog behind a multi-scenario report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatalogStamp {
    /// Built-in profile the catalog started from.
    pub profile: String,
    /// SHA-256 over the pricing files.
    pub sha256: String,
    /// The files, in merge order.
    pub files: Vec<CatalogFile>,
}

impl CatalogStamp {
    /// The stamp of a catalog.
    pub fn of(catalog: &Catalog) -> CatalogStamp {
        CatalogStamp {
            profile: catalog.profile.clone(),
            sha256: catalog.sha256.clone(),
            files: catalog.files.clone(),
        }
    }
}

/// A file `validate` found valid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validated {
    /// The file.
    pub file: String,
    /// `scenario` or `pricing`.
    pub kind: &'static str,
    /// What it holds, in a few words.
    pub summary: String,
}

/// The `--quiet` output: only the recommendation, one line per scenario; `None` for
/// documents without one (they print in full).
pub fn quiet(doc: &Document) -> Option<String> {
    let line = |r: &Report| {
        let rec = &r.analysis.recommendation;
        words::choice(rec.choice, rec.pattern)
    };
    match doc {
        Document::Decision(r) => Some(format!("{}\n", line(r))),
        Document::Compare(c) => Some(
            c.scenarios
                .iter()
                .map(|s| format!("{}: {}\n", s.name, s.recommendation))
                .collect(),
        ),
        Document::Check(c) => Some(
            c.scenarios
                .iter()
                .map(|s| format!("{}: {}\n", s.file, words::choice(s.choice, s.pattern)))
                .collect(),
        ),
        Document::Diff(d) => Some(format!("{}\n", d.head.recommendation())),
        Document::Crossover(s) => Some(format!("{}\n", line(&s.report))),
        _ => None,
    }
}
