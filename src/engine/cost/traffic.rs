//! Traffic against capacity: how much of a month's traffic a given capacity serves and how
//! much overflows, from the workload's load-duration curve.

use crate::model::workload::{HOURS_PER_MONTH, Traffic};

/// Tokens per month that exceed a capacity of `capacity_tokens_per_month` (spread evenly over
/// the month's hours) when `tokens_per_month` follow the traffic's load-duration curve:
/// `sum over levels of max(0, rate x multiplier - capacity rate) x hours`.
pub fn overflow_tokens(
    traffic: &Traffic,
    tokens_per_month: f64,
    capacity_tokens_per_month: f64,
) -> f64 {
    let average_rate = tokens_per_month / HOURS_PER_MONTH;
    let capacity_rate = capacity_tokens_per_month / HOURS_PER_MONTH;
    traffic
        .levels
        .iter()
        .map(|l| (average_rate * l.multiplier - capacity_rate).max(0.0) * l.hours)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::workload::{LoadLevel, TrafficShape};

    fn two_level(peak_hours: f64, peak: f64, base: f64) -> Traffic {
        Traffic {
            shape: TrafficShape::Spiky,
            levels: vec![
                LoadLevel {
                    hours: peak_hours,
                    multiplier: peak,
                },
                LoadLevel {
                    hours: HOURS_PER_MONTH - peak_hours,
                    multiplier: base,
                },
            ],
        }
    }

    #[test]
    fn overflow_by_level() {
        // 730 h: 73 h at 4x, 657 h at 2/3x (mean 0.4 + 0.6 = 1). 730M tokens: 1M/h average.
        let t = two_level(73.0, 4.0, 2.0 / 3.0);
        let cases: &[(f64, f64)] = &[
            (0.0, 730e6),
            (730e6, 73.0 * 3e6),
            (4.0 * 730e6, 0.0),
            (2.0 * 730e6, 73.0 * 2e6),
        ];
        for &(cap, want) in cases {
            let got = overflow_tokens(&t, 730e6, cap);
            assert!((got - want).abs() < 1.0, "cap {cap}: {got} != {want}");
        }
    }

    #[test]
    fn steady_traffic_overflows_only_above_capacity() {
        let t = Traffic::steady();
        assert_eq!(overflow_tokens(&t, 1e9, 2e9), 0.0);
        assert!((overflow_tokens(&t, 3e9, 2e9) - 1e9).abs() < 1.0);
    }
}
