//! The vocabulary of a decision: what can be recommended, the hybrid patterns, and who wins at
//! a volume. Flags, scenario files (`budget.expect`), the engine and the reports share it.

use serde::Serialize;

/// What the engine can recommend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Choice {
    /// Pay for an API.
    Api,
    /// Self-host an open model.
    SelfHost,
    /// Use both.
    Hybrid,
}

crate::named!(Choice { Api => "api", SelfHost => "self-host", Hybrid => "hybrid" });

impl Choice {
    /// The choice in words: "API", "Self-host", "Hybrid".
    pub fn label(self) -> &'static str {
        match self {
            Choice::Api => "API",
            Choice::SelfHost => "Self-host",
            Choice::Hybrid => "Hybrid",
        }
    }

    /// The choice as a noun in a sentence: "the API", "self-hosting", "the hybrid".
    pub fn noun(self) -> &'static str {
        match self {
            Choice::Api => "the API",
            Choice::SelfHost => "self-hosting",
            Choice::Hybrid => "the hybrid",
        }
    }
}

/// The article's hybrid patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pattern {
    /// Simple traffic to a small self-hosted model, medium to a large one, complex reasoning
    /// to a frontier API.
    Complexity,
    /// Sensitive traffic self-hosted, the rest to the API.
    Sensitivity,
    /// Development and testing on the API, production self-hosted.
    DevProd,
    /// A self-hosted baseline, traffic spikes overflow to the API.
    Burst,
}

crate::named!(Pattern {
    Complexity => "complexity",
    Sensitivity => "sensitivity",
    DevProd => "dev-prod",
    Burst => "burst",
});

/// Who wins at a volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Winner {
    /// The API is cheaper.
    Api,
    /// Self-hosting is cheaper.
    SelfHost,
    /// Within the roughly-equal band.
    Tie,
}

crate::named!(Winner { Api => "api", SelfHost => "self-host", Tie => "tie" });

/// What a diff needs from one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    /// Where it came from: the scenario or the JSON report file.
    pub file: String,
    /// The scenario's name.
    pub name: String,
    /// Tokens a month.
    pub tokens_per_month: f64,
    /// `api`, `self-host` or `hybrid`.
    pub choice: String,
    /// The hybrid pattern, when hybrid.
    pub pattern: Option<String>,
    /// Monthly cost of the recommendation, USD.
    pub monthly_cost_usd: f64,
    /// The break-even volume; `None`: never.
    pub crossover_tokens_per_month: Option<f64>,
    /// Every option with its cost.
    pub options: Vec<OptionCost>,
    /// The SHA-256 of the pricing data it was decided with (the embedded catalog and any
    /// `--pricing` files), when the run records it.
    pub pricing_sha256: Option<String>,
    /// The version of the tool that decided it, when the run records it.
    pub tool_version: Option<String>,
}

/// One option's cost in a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionCost {
    /// Matches the same option across runs: `api`, `self-host`, `hybrid:<pattern>`.
    pub key: String,
    /// What it is in this run: `API gpt-4o`, `Self-host 1 x cloud-a100`.
    pub label: String,
    /// Monthly cost, USD.
    pub monthly_cost_usd: f64,
    /// Whether nothing rules it out.
    pub feasible: bool,
}

impl Snapshot {
    /// The recommendation in a few words.
    pub fn recommendation(&self) -> String {
        match &self.pattern {
            Some(p) => format!("{} ({p})", self.choice),
            None => self.choice.clone(),
        }
    }
}
