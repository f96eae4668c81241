//! Assumptions the analysis can move (levers) and their ranges, for the tornado and the
//! Monte Carlo draws.

use super::spec::Origin;
use crate::model::Named;
use crate::model::units::{self, UnitError};
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

/// A range as given: a lever (or `None` for the monthly volume in tokens) and three values,
/// with where they came from.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeSpec {
    /// The lever; `None`: the monthly volume, in tokens.
    pub lever: Option<Lever>,
    /// Min, likely, max.
    pub values: [f64; 3],
    /// The flag or the file, line and field.
    pub origin: Origin,
}

/// The three values if they are in order (low <= likely <= high).
pub fn ordered(values: [f64; 3]) -> Result<[f64; 3], String> {
    let [lo, likely, hi] = values;
    if lo <= likely && likely <= hi {
        Ok(values)
    } else {
        Err(format!(
            "{lo}, {likely}, {hi} are not in order; give min, likely, max with min <= likely <= max"
        ))
    }
}

/// Parses `--range NAME=MIN:LIKELY:MAX`: `tokens=500M:800M:1.2B` (monthly volumes in tokens),
/// `volume=0.5:1:3` or `api_price=0.8:1:1.2` (multipliers), `input_share=20%:1/3:60%` (shares).
pub fn parse_flag(text: &str) -> Result<RangeSpec, String> {
    let usage = "write NAME=MIN:LIKELY:MAX, e.g. tokens=500M:800M:1.2B (monthly volumes), volume=0.5:1:3 or api_price=0.8:1:1.2 (multipliers)";
    let (name, values) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?} has no '='; {usage}"))?;
    let lever = match name.trim() {
        "tokens" | "tokens_per_month" => None,
        other => Some(Lever::from_id(other).ok_or_else(|| {
            format!(
                "{other:?} is not an assumption; use tokens, {}",
                Lever::ids()
            )
        })?),
    };
    let parts: Vec<&str> = values.split(':').collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(format!("{values:?} is not three values; {usage}"));
    };
    let parse = |t: &str| -> Result<f64, UnitError> {
        match lever {
            None => units::parse_tokens(t),
            Some(Lever::InputShare) => units::parse_share(t),
            Some(_) => units::parse_number(t),
        }
    };
    let v = [parse(a), parse(b), parse(c)];
    let values = if let [Ok(a), Ok(b), Ok(c)] = v {
        [a, b, c]
    } else {
        let e = v
            .into_iter()
            .find_map(Result::err)
            .map(|e| e.to_string())
            .unwrap_or_default();
        return Err(e);
    };
    if lever != Some(Lever::InputShare) && values[0] <= 0.0 {
        return Err(format!("{} must be greater than zero", values[0]));
    }
    Ok(RangeSpec {
        lever,
        values: ordered(values)?,
        origin: Origin::Flag("--range"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_flags() {
        assert_eq!(
            parse_flag("api_price=0.8:1:1.2"),
            Ok(RangeSpec {
                lever: Some(Lever::ApiPrice),
                values: [0.8, 1.0, 1.2],
                origin: Origin::Flag("--range"),
            })
        );
        assert_eq!(
            parse_flag("tokens=500M:800M:1.2B"),
            Ok(RangeSpec {
                lever: None,
                values: [500e6, 800e6, 1.2e9],
                origin: Origin::Flag("--range"),
            })
        );
        assert_eq!(
            parse_flag("input_share=20%:1/3:60%").map(|r| r.values[2]),
            Ok(0.6)
        );
        assert_eq!(
            parse_flag("api_price=1.2:1:0.8").unwrap_err(),
            "1.2, 1, 0.8 are not in order; give min, likely, max with min <= likely <= max"
        );
        assert!(
            parse_flag("price=1:1:1")
                .unwrap_err()
                .starts_with("\"price\" is not an assumption")
        );
        assert!(parse_flag("api_price=1:1").is_err());
        assert!(parse_flag("api_price=0:1:2").is_err());
    }
}
