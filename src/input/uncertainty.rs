//! Ranges of uncertain assumptions, from the policy, a scenario or `--range` flags, checked
//! (low <= likely <= high; multipliers positive; shares within 0..1).

use super::raw::{Q, RawRangeEntry, RawUncertainty};
use super::validate::{Checker, NUMBER, SHARE, TOKENS};
use super::yaml::{Located, Pos};
use crate::model::Named;
use crate::model::uncertainty::{Lever, Range, RangeSpec, ordered};
use crate::model::units::UnitKind;

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
