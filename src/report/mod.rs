//! Reports: the one value every format renders from, and the renderers. Each renderer
//! returns text; one place (`lib::run`) writes it.

pub mod chart;
pub mod render;
pub mod view;
pub mod words;

pub use render::{csv, escape, html, json, markdown, pricing_yaml, text};

use crate::engine::Analysis;
use crate::engine::decision::check::CheckResult;
use crate::model::Named;
use crate::model::catalog::{ApiModel, Catalog, CatalogFile, Setup};
use crate::model::date::Date;
use crate::model::decision::Choice;
use crate::model::output::{Format, Metric};
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

/// Scenarios side by side.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// One report per scenario, in display order.
    pub reports: Vec<Report>,
    /// Rows to show; empty: all.
    pub metrics: Vec<Metric>,
}

impl Comparison {
    /// A title per scenario: its name, with its file when another scenario has the same name,
    /// and a number when the same file is there twice.
    pub fn titles(&self) -> Vec<String> {
        let name = |r: &Report| r.analysis.workload.name.clone();
        let file = |r: &Report| r.inputs.first().map(|f| f.name.clone());
        let with_file: Vec<String> = self
            .reports
            .iter()
            .map(|r| {
                let shared = self.reports.iter().filter(|o| name(o) == name(r)).count() > 1;
                match file(r) {
                    Some(f) if shared => format!("{} ({f})", name(r)),
                    _ => name(r),
                }
            })
            .collect();
        with_file
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let same = with_file.iter().filter(|o| *o == t).count();
                if same > 1 {
                    let nth = with_file[..=i].iter().filter(|o| *o == t).count();
                    format!("{t} #{nth}")
                } else {
                    t.clone()
                }
            })
            .collect()
    }

    /// The rows to show.
    pub fn rows(&self) -> Vec<Metric> {
        if self.metrics.is_empty() {
            Metric::ALL.to_vec()
        } else {
            self.metrics.clone()
        }
    }
}

/// Orders reports by `name`, `tokens`, `cost` (recommended monthly cost) or `crossover`
/// (never last); ties keep their order.
pub fn sort_reports(reports: &mut [Report], key: &str) {
    let num = |r: &Report| -> f64 {
        let a = &r.analysis;
        match key {
            "tokens" => a.workload.tokens_per_month,
            "cost" => a.recommendation.monthly_cost_usd,
            _ => a.crossover.tokens_per_month.unwrap_or(f64::INFINITY),
        }
    };
    if key == "name" {
        reports.sort_by(|a, b| a.analysis.workload.name.cmp(&b.analysis.workload.name));
    } else {
        reports.sort_by(|a, b| num(a).total_cmp(&num(b)));
    }
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

/// Scenario files checked against their budgets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    /// The pricing data used.
    pub pricing: CatalogStamp,
    /// One entry per file, in path order.
    pub scenarios: Vec<Checked>,
    /// Whether every check of every file passed.
    pub passed: bool,
    /// Things the user should know (stale prices).
    pub warnings: Vec<String>,
}

impl CheckReport {
    /// A report over checked scenarios.
    pub fn new(catalog: &Catalog, scenarios: Vec<Checked>) -> CheckReport {
        CheckReport {
            pricing: CatalogStamp::of(catalog),
            passed: scenarios.iter().all(|s| s.passed),
            scenarios,
            warnings: Vec::new(),
        }
    }
}

/// One scenario file checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Checked {
    /// The file.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// The scenario's name.
    pub name: String,
    /// Tokens a month.
    pub tokens_per_month: f64,
    /// The recommendation.
    pub choice: Choice,
    /// Its hybrid pattern, if any.
    pub pattern: Option<crate::model::decision::Pattern>,
    /// Its monthly cost, USD.
    pub monthly_cost_usd: f64,
    /// The oldest `checked` date among the prices used.
    pub oldest_price_checked: Option<Date>,
    /// The checks, in a fixed order.
    pub checks: Vec<CheckResult>,
    /// Whether every check passed (true when there are none).
    pub passed: bool,
}

impl Checked {
    /// A scenario file's report with the results of its checks.
    pub fn new(file: &str, report: &Report, checks: Vec<CheckResult>) -> Checked {
        let a = &report.analysis;
        Checked {
            file: file.to_string(),
            sha256: report
                .inputs
                .first()
                .map_or_else(String::new, |i| i.sha256.clone()),
            name: a.workload.name.clone(),
            tokens_per_month: a.workload.tokens_per_month,
            choice: a.recommendation.choice,
            pattern: a.recommendation.pattern,
            monthly_cost_usd: a.recommendation.monthly_cost_usd,
            oldest_price_checked: report.pricing.oldest_price_checked,
            passed: checks.iter().all(|c| c.passed),
            checks,
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
            c.reports
                .iter()
                .map(|r| format!("{}: {}\n", r.analysis.workload.name, line(r)))
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
