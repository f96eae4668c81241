//! Ranges of uncertain assumptions, from the policy, a scenario or `--range` flags, checked
//! (low <= likely <= high; multipliers positive; shares within 0..1).

use super::raw::{Q, RawRangeEntry, RawUncertainty};
use super::validate::{Checker, NUMBER, SHARE, TOKENS};
use super::yaml::{Located, Pos};
use crate::model::Named;
use crate::model::uncertainty::{Lever, Range};
use crate::model::units::{self, UnitError, UnitKind};

/// A range as given: a lever (or `None` for the monthly volume in tokens) and three values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RangeSpec {
    /// The lever; `None`: the monthly volume, in tokens.
    pub lever: Option<Lever>,
    /// Min, likely, max.
    pub values: [f64; 3],
}

fn ordered(values: [f64; 3]) -> Result<[f64; 3], String> {
    let [lo, likely, hi] = values;
    if lo <= likely && likely <= hi {
        Ok(values)
    } else {
        Err(format!(
            "{lo}, {likely}, {hi} are not in order; give min, likely, max with min <= likely <= max"
        ))
    }
}

/// Parses `--range LEVER=MIN:LIKELY:MAX`, e.g. `api_price=0.8:1:1.2` or `tokens=500M:800M:1.2B`.
pub fn parse_flag(text: &str) -> Result<RangeSpec, String> {
    let usage = "write NAME=MIN:LIKELY:MAX, e.g. api_price=0.8:1:1.2 or tokens=500M:800M:1.2B";
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
    let values = match v {
        [Ok(a), Ok(b), Ok(c)] => [a, b, c],
        _ => {
            let e = v
                .into_iter()
                .find_map(Result::err)
                .map(|e| e.to_string())
                .unwrap_or_default();
            return Err(e);
        }
    };
    if lever != Some(Lever::InputShare) && values[0] <= 0.0 {
        return Err(format!("{} must be greater than zero", values[0]));
    }
    Ok(RangeSpec {
        lever,
        values: ordered(values)?,
    })
}

fn three(
    ck: &mut Checker,
    field: &str,
    list: &Located<Vec<Q>>,
    kind: UnitKind,
) -> Option<[f64; 3]> {
    if list.value.len() != 3 {
        ck.report(
            list.pos,
            field,
            format!("has {} values", list.value.len()),
            Some("give three: [min, likely, max]"),
        );
        return None;
    }
    let parse = match kind {
        UnitKind::Tokens => TOKENS,
        UnitKind::Share => SHARE,
        _ => NUMBER,
    };
    let values: Vec<f64> = list
        .value
        .iter()
        .filter_map(|q| ck.opt(field, Some(q), parse))
        .collect();
    let values: [f64; 3] = values.try_into().ok()?;
    if kind != UnitKind::Share && values[0] <= 0.0 {
        ck.report(
            list.pos,
            field,
            format!("{} must be greater than zero", values[0]),
            Some("multipliers and volumes are positive"),
        );
        return None;
    }
    match ordered(values) {
        Ok(v) => Some(v),
        Err(e) => {
            ck.report(list.pos, field, e, None);
            None
        }
    }
}

/// The ranges of a scenario's `uncertainty` block.
pub fn scenario_ranges(ck: &mut Checker, raw: &RawUncertainty) -> Vec<RangeSpec> {
    type Entry<'a> = (Option<Lever>, &'a Option<Located<Vec<Q>>>, UnitKind);
    let entries: [Entry; 7] = [
        (None, &raw.tokens_per_month, UnitKind::Tokens),
        (Some(Lever::ApiPrice), &raw.api_price, UnitKind::Number),
        (Some(Lever::GpuPrice), &raw.gpu_price, UnitKind::Number),
        (Some(Lever::Utilization), &raw.utilization, UnitKind::Number),
        (Some(Lever::Throughput), &raw.throughput, UnitKind::Number),
        (Some(Lever::Personnel), &raw.personnel, UnitKind::Number),
        (Some(Lever::InputShare), &raw.input_share, UnitKind::Share),
    ];
    entries
        .into_iter()
        .filter_map(|(lever, list, kind)| {
            let list = list.as_ref()?;
            let name = lever.map_or("tokens_per_month", Named::id);
            three(ck, &format!("uncertainty.{name}"), list, kind)
                .map(|values| RangeSpec { lever, values })
        })
        .collect()
}

/// A tornado range of the policy; `likely` defaults to 1 (a share's to the midpoint; the
/// workload's share replaces it at run time).
pub fn policy_range(ck: &mut Checker, raw: &RawRangeEntry, pos: Pos) -> Option<Range> {
    let lever = ck.one_of("policy.sensitivity[].lever", &raw.lever)?;
    let field = format!("policy.sensitivity[{}]", lever.id());
    let kind = if lever.is_share() {
        UnitKind::Share
    } else {
        UnitKind::Number
    };
    let default_likely = Q {
        value: super::yaml::Scalar("1".into()),
        pos,
    };
    let list = Located {
        value: vec![
            raw.low.clone(),
            raw.likely.clone().unwrap_or(default_likely),
            raw.high.clone(),
        ],
        pos,
    };
    let [low, likely, high] = if lever.is_share() && raw.likely.is_none() {
        let lo = ck.opt(&field, Some(&raw.low), SHARE)?;
        let hi = ck.opt(&field, Some(&raw.high), SHARE)?;
        ordered([lo, (lo + hi) / 2.0, hi]).ok()?
    } else {
        three(ck, &field, &list, kind)?
    };
    Some(Range {
        lever,
        low,
        likely,
        high,
    })
}

/// A spec's ranges as model ranges: the volume range becomes a multiplier of `volume`.
pub fn to_ranges(specs: &[RangeSpec], volume: f64) -> Vec<Range> {
    specs
        .iter()
        .map(|r| match r.lever {
            Some(lever) => Range {
                lever,
                low: r.values[0],
                likely: r.values[1],
                high: r.values[2],
            },
            None => Range {
                lever: Lever::Volume,
                low: r.values[0] / volume,
                likely: r.values[1] / volume,
                high: r.values[2] / volume,
            },
        })
        .collect()
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
                values: [0.8, 1.0, 1.2]
            })
        );
        assert_eq!(
            parse_flag("tokens=500M:800M:1.2B"),
            Ok(RangeSpec {
                lever: None,
                values: [500e6, 800e6, 1.2e9]
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
