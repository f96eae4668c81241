//! Ranges of uncertain assumptions, from the policy, a scenario or `--range` flags, checked
//! (low <= likely <= high; multipliers positive; shares within 0..1).

use super::raw::RawUncertainty;
use crate::input::validate::{Checker, three};
use crate::input::yaml::Located;
use crate::input::yaml::Q;
use crate::model::Named;
use crate::model::units::UnitKind;
use crate::model::workload::uncertainty::{Lever, Range, RangeSpec};

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
