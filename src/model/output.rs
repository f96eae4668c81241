//! What a run can be asked to print: the output formats, the rows `compare` shows, and the
//! limit a `diff` gate puts on a cost increase. Flags name them; the report renders them.

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable text with tables.
    Table,
    /// The JSON contract.
    Json,
    /// Flat rows, comma-separated.
    Csv,
    /// Markdown, for pull-request comments.
    Markdown,
    /// One self-contained HTML page.
    Html,
}

/// A row `compare` can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Tokens a month.
    Tokens,
    /// The recommendation.
    Recommendation,
    /// Monthly cost of the recommendation.
    Cost,
    /// The API model.
    Api,
    /// The API option's monthly cost.
    ApiCost,
    /// The self-host setup.
    SelfHost,
    /// The self-host option's monthly cost.
    SelfHostCost,
    /// The cheapest feasible hybrid plan.
    Hybrid,
    /// The break-even volume.
    Crossover,
    /// The latency target.
    Latency,
    /// The privacy level.
    Privacy,
}

crate::named!(Metric {
    Tokens => "tokens",
    Recommendation => "recommendation",
    Cost => "cost",
    Api => "api",
    ApiCost => "api_cost",
    SelfHost => "self_host",
    SelfHostCost => "self_host_cost",
    Hybrid => "hybrid",
    Crossover => "crossover",
    Latency => "latency",
    Privacy => "privacy",
});

/// A limit on how much the recommended cost may grow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Increase {
    /// A share of the base (0.1 = 10%).
    Share(f64),
    /// USD a month.
    Usd(f64),
}

/// A section of a decision's table report beyond what it always shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Each side's latency and its parts, and the remedies for a missed target.
    Latency,
    /// The options not chosen, and why.
    Alternatives,
    /// Both sides' cost over a range of volumes, with the chart.
    Volumes,
    /// The projection, sensitivity and uncertainty.
    Outlook,
    /// The self-hosted side's cost build-up and deployment.
    SelfHost,
    /// The assumptions the figures rest on.
    Assumptions,
    /// The pricing data's sources and dates.
    Pricing,
}

crate::named!(Section {
    Latency => "latency",
    Alternatives => "alternatives",
    Volumes => "volumes",
    Outlook => "outlook",
    SelfHost => "self-host",
    Assumptions => "assumptions",
    Pricing => "pricing",
});

/// The project's settings file (`.llm-decide.yaml`), read.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// The file, as found.
    pub file: String,
    /// The SHA-256 of its bytes.
    pub sha256: String,
    /// Pricing files, folders or profiles, each path taken from the file's folder.
    pub pricing: Vec<String>,
    /// Days after which a price's check date draws a warning.
    pub price_warning_days: Option<f64>,
    /// Budget checks every run starts from (a scenario's own and the flags override them).
    pub budget: crate::model::workload::Budget,
    /// The currency reports show amounts in, when not USD.
    pub currency: Option<crate::model::units::Currency>,
}

/// Where a run's defaults came from beyond its flags and files, named in its report.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Settings {
    /// The project settings file used (`.llm-decide.yaml`), if any.
    pub config: Option<SettingsFile>,
    /// The pricing path taken from `LLM_DECIDE_PRICING`, when it was.
    pub pricing_env: Option<String>,
    /// The currency the table, Markdown and HTML reports show amounts in, when not USD (the
    /// JSON and CSV reports stay in USD).
    pub currency: Option<crate::model::units::Currency>,
}

/// A settings file and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SettingsFile {
    /// The file, as found.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
}

impl Settings {
    /// Whether anything came from a settings file or the environment.
    pub fn any(&self) -> bool {
        self.config.is_some() || self.pricing_env.is_some() || self.currency.is_some()
    }
}
