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
