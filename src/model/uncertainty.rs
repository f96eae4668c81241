//! Assumptions the analysis can move (levers) and their ranges, for the tornado and the
//! Monte Carlo draws.

use serde::Serialize;

/// An assumption the analysis can move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lever {
    /// API list prices (multiplier).
    ApiPrice,
    /// GPU price (multiplier on a unit's hardware cost).
    GpuPrice,
    /// Planned utilization (multiplier on the tokens a unit serves).
    Utilization,
    /// Serving throughput (multiplier on the tokens a unit serves).
    Throughput,
    /// Personnel cost (multiplier).
    Personnel,
    /// Input share of tokens (absolute, 0 to 1).
    InputShare,
    /// Monthly volume (multiplier).
    Volume,
}

crate::named!(Lever {
    ApiPrice => "api_price",
    GpuPrice => "gpu_price",
    Utilization => "utilization",
    Throughput => "throughput",
    Personnel => "personnel",
    InputShare => "input_share",
    Volume => "volume",
});

impl Lever {
    /// Whether the lever is an absolute share rather than a multiplier.
    pub fn is_share(self) -> bool {
        self == Lever::InputShare
    }
}

/// A stated range for a lever.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct Range {
    /// The lever.
    pub lever: Lever,
    /// Low end.
    pub low: f64,
    /// Most likely value.
    pub likely: f64,
    /// High end.
    pub high: f64,
}
