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
