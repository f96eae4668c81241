//! Sensitivity: a tornado of how far the crossover and the monthly saving move when each
//! assumption moves across a stated range, sorted by impact; and break-even thresholds, how far
//! each assumption would have to move for the cheaper of API and self-hosting to change.

use crate::engine::cost::economics::{Economics, Levers};
pub use crate::model::workload::uncertainty::{Lever, Range};
use serde::Serialize;

/// Levers with `lever` set to `value`.
pub fn set(lever: Lever, mut l: Levers, value: f64) -> Levers {
    match lever {
        Lever::ApiPrice => l.api_price = value,
        Lever::GpuPrice => l.gpu_price = value,
        Lever::Utilization => l.utilization = value,
        Lever::Throughput => l.throughput = value,
        Lever::Personnel => l.personnel = value,
        Lever::InputShare => l.input_share = Some(value),
        Lever::Volume => l.volume = value,
    }
    l
}

/// One bar of the tornado.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Swing {
    /// The lever.
    pub lever: Lever,
    /// Its low and high values.
    pub low: f64,
    /// High value.
    pub high: f64,
    /// Monthly saving of self-hosting over the API (API minus self-host), USD, at the low end.
    pub saving_low_usd: f64,
    /// At the high end.
    pub saving_high_usd: f64,
    /// Crossover volume at the low end, tokens a month; `None`: never.
    pub crossover_low_tokens: Option<f64>,
    /// At the high end.
    pub crossover_high_tokens: Option<f64>,
    /// Spread of the saving across the range, USD: the bar's length.
    pub impact_usd: f64,
}

/// How far a lever would have to move for the cheaper of API and self-hosting to change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Threshold {
    /// The lever.
    pub lever: Lever,
    /// The value at which the two cost the same; `None`: no change within the search range.
    pub flips_at: Option<f64>,
}

/// The sensitivity analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// Saving of self-hosting over the API at the estimates, USD a month.
    pub base_saving_usd: f64,
    /// Crossover at the estimates.
    pub base_crossover_tokens: Option<f64>,
    /// The bars, largest impact first.
    pub tornado: Vec<Swing>,
    /// Break-even thresholds.
    pub thresholds: Vec<Threshold>,
}

fn saving(e: &Economics, l: &Levers) -> f64 {
    e.api_usd(l) - e.self_usd(l)
}

/// The tornado over `ranges` and the thresholds of every lever in them.
pub fn sensitivity(e: &Economics, ranges: &[Range]) -> Sensitivity {
    let base = Levers::default();
    let mut tornado: Vec<Swing> = ranges
        .iter()
        .map(|r| {
            let (lo, hi) = (set(r.lever, base, r.low), set(r.lever, base, r.high));
            let (s_lo, s_hi) = (saving(e, &lo), saving(e, &hi));
            Swing {
                lever: r.lever,
                low: r.low,
                high: r.high,
                saving_low_usd: s_lo,
                saving_high_usd: s_hi,
                crossover_low_tokens: e.crossover(&lo).tokens_per_month,
                crossover_high_tokens: e.crossover(&hi).tokens_per_month,
                impact_usd: (s_hi - s_lo).abs(),
            }
        })
        .collect();
    tornado.sort_by(|a, b| b.impact_usd.total_cmp(&a.impact_usd));
    Sensitivity {
        base_saving_usd: saving(e, &base),
        base_crossover_tokens: e.crossover(&base).tokens_per_month,
        thresholds: ranges.iter().map(|r| threshold(e, r.lever)).collect(),
        tornado,
    }
}

/// The value of `lever` at which API and self-hosting cost the same, by bisection on the sign
/// of the saving: multipliers from 1 down to 1/1000 and up to 1000, shares over 0 to 1.
pub fn threshold(e: &Economics, lever: Lever) -> Threshold {
    let at = |v: f64| saving(e, &set(lever, Levers::default(), v));
    let (start, ends): (f64, [f64; 2]) = if lever.is_share() {
        (e.input_share, [0.0, 1.0])
    } else {
        (1.0, [1e-3, 1e3])
    };
    let sign = at(start) > 0.0;
    // Walk outwards in steps, then bisect the first bracket where the sign changes.
    let mut flips_at = None;
    for end in ends {
        let steps = 60;
        let mut prev = start;
        for i in 1..=steps {
            let t = f64::from(i) / f64::from(steps);
            let x = if lever.is_share() {
                start + (end - start) * t
            } else {
                start * (end / start).powf(t)
            };
            if (at(x) > 0.0) != sign {
                let (mut a, mut b) = (prev, x);
                for _ in 0..60 {
                    let mid = f64::midpoint(a, b);
                    if (at(mid) > 0.0) == sign {
                        a = mid;
                    } else {
                        b = mid;
                    }
                }
                let candidate = b;
                let closer = flips_at
                    .is_none_or(|f: f64| (candidate / start).ln().abs() < (f / start).ln().abs());
                if closer {
                    flips_at = Some(candidate);
                }
                break;
            }
            prev = x;
        }
    }
    Threshold { lever, flips_at }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cost::Unit;
    use crate::model::workload::Traffic;

    fn econ<'a>(unit: &'a Unit, traffic: &'a Traffic) -> Economics<'a> {
        crate::engine::testing::economics(unit, traffic, 1e9, 0.0)
    }

    #[test]
    fn thresholds_by_hand() {
        // 1B tokens: API $7,500, self-host $4,000 (one unit of 2.5B).
        let unit = crate::engine::testing::article_unit();
        let t = Traffic::steady();
        let e = econ(&unit, &t);
        // API prices would have to fall to 4,000 / 7,500 = 0.5333x.
        let api = threshold(&e, Lever::ApiPrice).flips_at.unwrap();
        assert!((api - 4000.0 / 7500.0).abs() < 1e-6, "{api}");
        // GPU price would have to rise to 1.875x.
        let gpu = threshold(&e, Lever::GpuPrice).flips_at.unwrap();
        assert!((gpu - 1.875).abs() < 1e-6, "{gpu}");
        // Volume would have to fall to 533.3M: 0.5333x.
        let vol = threshold(&e, Lever::Volume).flips_at.unwrap();
        assert!((vol - 0.533_333_3).abs() < 1e-5, "{vol}");
        // Input share: the API bill 1B x (10 - 7.5 s) / 1e6 = $4,000 -> s = 0.8.
        let share = threshold(&e, Lever::InputShare).flips_at.unwrap();
        assert!((share - 0.8).abs() < 1e-6, "{share}");
        // No personnel in this unit: nothing to flip.
        assert_eq!(threshold(&e, Lever::Personnel).flips_at, None);
    }

    #[test]
    fn tornado_is_sorted_by_impact() {
        let unit = crate::engine::testing::article_unit();
        let t = Traffic::steady();
        let e = econ(&unit, &t);
        let ranges = [
            Range {
                lever: Lever::GpuPrice,
                low: 0.7,
                likely: 1.0,
                high: 1.3,
            },
            Range {
                lever: Lever::ApiPrice,
                low: 0.7,
                likely: 1.0,
                high: 1.3,
            },
        ];
        let s = sensitivity(&e, &ranges);
        assert!((s.base_saving_usd - 3500.0).abs() < 1e-9);
        // API +-30% moves the saving by 2 x 0.3 x $7,500 = $4,500; GPU by 2 x 0.3 x $4,000 = $2,400.
        assert_eq!(s.tornado[0].lever, Lever::ApiPrice);
        assert!((s.tornado[0].impact_usd - 4500.0).abs() < 1e-6);
        assert!((s.tornado[1].impact_usd - 2400.0).abs() < 1e-6);
    }
}
