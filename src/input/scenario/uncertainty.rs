//! Ranges of uncertain assumptions, from the policy, a scenario or `--range` flags, checked
//! (low <= likely <= high; multipliers positive; shares within 0..1).

use super::raw::RawUncertainty;
use crate::input::validate::{Checker, three};
use crate::input::yaml::Located;
use crate::input::yaml::Q;
use crate::model::Named;
use crate::model::problem::Problems;
use crate::model::units::UnitKind;
use crate::model::units::fmt_tokens;
use crate::model::workload::spec::Origin;
use crate::model::workload::uncertainty::{Lever, Range, RangeSpec};

/// The ranges of a scenario's `uncertainty` block.
pub fn scenario_ranges(ck: &mut Checker, raw: &RawUncertainty) -> Vec<RangeSpec> {
    type Entry<'a> = (Option<Lever>, &'a Option<Located<Vec<Q>>>, UnitKind);
    let entries: [Entry; 8] = [
        (None, &raw.tokens_per_month, UnitKind::Tokens),
        (Some(Lever::Volume), &raw.volume, UnitKind::Number),
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
            let field = format!(
                "uncertainty.{}",
                lever.map_or("tokens_per_month", Named::id)
            );
            three(ck, &field, list, kind).map(|values| RangeSpec {
                lever,
                values,
                origin: Origin::File {
                    file: ck.file.to_string(),
                    pos: list.pos,
                    field,
                },
            })
        })
        .collect()
}

/// A spec's ranges as model ranges: the volume range (monthly tokens) becomes a multiplier of
/// `volume`. A range that cannot be is a problem: a volume range of fractions of a token or one
/// that leaves out the workload's own volume (`tokens` is absolute; `volume` is the
/// multiplier), or a utilization that would pass 100% of a GPU at the planned `utilization`.
pub fn to_ranges(
    specs: &[RangeSpec],
    volume: Option<f64>,
    utilization: f64,
    problems: &mut Problems,
) -> Vec<Range> {
    specs
        .iter()
        .filter_map(|r| {
            let [low, likely, high] = r.values;
            match r.lever {
                Some(Lever::Utilization) if high * utilization > 1.0 => {
                    problems.push(
                        r.origin
                            .problem(format!(
                                "utilization x{high} would plan GPUs at {:.0}% of their capacity (the planned utilization is {:.0}%)",
                                high * utilization * 100.0,
                                utilization * 100.0
                            ))
                            .fix(format!(
                                "keep the high end at x{} or less",
                                (1.0 / utilization * 1000.0).floor() / 1000.0
                            )),
                    );
                    None
                }
                Some(lever) => Some(Range {
                    lever,
                    low,
                    likely,
                    high,
                }),
                None => volume_range(r, volume?, problems),
            }
        })
        .collect()
}

fn volume_range(r: &RangeSpec, volume: f64, problems: &mut Problems) -> Option<Range> {
    let [low, likely, high] = r.values;
    let shown = || r.values.map(fmt_tokens).join(" .. ");
    if low < 1.0 {
        problems.push(
            r.origin
                .problem(format!(
                    "the tokens range {} is in monthly tokens, and {low} is less than one token",
                    shown()
                ))
                .fix(format!(
                    "give volumes (tokens=500M:800M:1.2B), or multipliers of the volume as volume={low}:{likely}:{high}"
                )),
        );
        return None;
    }
    if volume < low || volume > high {
        problems.push(
            r.origin
                .problem(format!(
                    "the tokens range {} leaves out the workload's own volume, {}",
                    shown(),
                    fmt_tokens(volume)
                ))
                .fix("give a range of monthly volumes around it, or multipliers of it as volume=MIN:LIKELY:MAX"),
        );
        return None;
    }
    Some(Range {
        lever: Lever::Volume,
        low: low / volume,
        likely: likely / volume,
        high: high / volume,
    })
}
