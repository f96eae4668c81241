//! The exact crossover: the smallest monthly volume at which self-hosting costs no more than
//! the API, solved in closed form over the unit steps.
//!
//! With API price `p` per token, unit cost `u`, capacity per unit `c` (already divided by the
//! peak-to-average ratio) and fixed cost `F`, self-hosting costs `k u + F` on step
//! `k` (volumes in `((k-1)c, kc]`) and the API `pV`. Self-hosting wins somewhere on step `k`
//! when `(k u + F)/p <= k c`, i.e. `k (pc - u) >= F`. If `pc <= u` a unit never earns its
//! cost and there is no crossover (unless `pc = u` and `F = 0`). Otherwise the first step is
//! `k* = max(1, ceil(F / (pc - u)))` and the crossover is `V* = (k* u + F) / p`.
//! Just after each later step the API can be cheaper again; from step
//! `k_s = ceil((u + F) / (pc - u))` on it never is, so self-hosting is cheaper for good from
//! `(max(k*, k_s) u + F) / p`.

use serde::Serialize;

/// The crossover between an API and a self-host setup.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Crossover {
    /// Smallest monthly volume (tokens) at which self-hosting costs no more than the API;
    /// `None`: never.
    pub tokens_per_month: Option<f64>,
    /// Volume from which self-hosting stays no more expensive at every larger volume.
    pub stable_from_tokens_per_month: Option<f64>,
    /// Units of the setup at the crossover.
    pub units: Option<u32>,
    /// Cost of either side at the crossover, USD per month.
    pub monthly_cost_usd: Option<f64>,
}

impl Crossover {
    /// No crossover.
    pub const NEVER: Crossover = Crossover {
        tokens_per_month: None,
        stable_from_tokens_per_month: None,
        units: None,
        monthly_cost_usd: None,
    };
}

/// Solves the crossover. `api_usd_per_mtok`: effective API price per 1M tokens;
/// `unit_usd`: monthly cost of one unit; `capacity_per_unit`: tokens a month one unit
/// serves at the workload's peak; `fixed_usd`: monthly costs independent of units.
pub fn crossover(
    api_usd_per_mtok: f64,
    unit_usd: f64,
    capacity_per_unit: f64,
    fixed_usd: f64,
) -> Crossover {
    let p = api_usd_per_mtok / 1e6;
    if p <= 0.0 || capacity_per_unit <= 0.0 {
        return Crossover::NEVER;
    }
    let mut margin = p * capacity_per_unit - unit_usd;
    // Treat rounding noise (4000.0000000000005 - 4000) as an exact break-even.
    if margin.abs() <= 1e-9 * unit_usd.max(1.0) {
        margin = 0.0;
    }
    let first_step = if margin > 0.0 {
        (fixed_usd / margin - 1e-9).ceil().max(1.0)
    } else if margin == 0.0 && fixed_usd == 0.0 {
        1.0
    } else {
        return Crossover::NEVER;
    };
    let stable_step = if margin > 0.0 {
        ((unit_usd + fixed_usd) / margin - 1e-9).ceil().max(1.0)
    } else {
        first_step
    };
    let at = |k: f64| (k * unit_usd + fixed_usd) / p;
    let volume = at(first_step);
    Crossover {
        tokens_per_month: Some(volume.ceil()),
        stable_from_tokens_per_month: Some(at(first_step.max(stable_step)).ceil()),
        units: Some(first_step as u32),
        monthly_cost_usd: Some(first_step * unit_usd + fixed_usd),
    }
}

/// Monthly volume at which an API bill reaches `usd` (the article's $5,000 and $10,000
/// marks); `None` when the API is free.
pub fn volume_for_bill(api_usd_per_mtok: f64, usd: f64) -> Option<f64> {
    (api_usd_per_mtok > 0.0).then(|| (usd / api_usd_per_mtok * 1e6).ceil())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Self-host cost at a volume, by brute force, to check the closed form against.
    fn self_cost(v: f64, unit: f64, cap: f64, fixed: f64) -> f64 {
        (v / cap).ceil() * unit + fixed
    }

    #[test]
    fn closed_form_cases() {
        // (USD per 1M, unit USD, capacity, fixed) -> (crossover, stable, units)
        type Case = ((f64, f64, f64, f64), Option<(f64, f64, u32)>);
        let cases: &[Case] = &[
            // The article: GPT-4o at $7.50 per 1M vs cloud A100 at $4,000 per 2.5B.
            (
                (7.5, 4000.0, 2.5e9, 0.0),
                Some((533_333_334.0, 533_333_334.0, 1)),
            ),
            // The first unit alone never pays; fixed costs push the crossover to step 3:
            // margin = 10 x 1 - 8 = 2 per unit, F = 5 -> k* = 3, V* = (24 + 5) / 10 = 2.9;
            // k_s = ceil(13 / 2) = 7 -> stable from (56 + 5) / 10 = 6.1.
            ((10e6, 8.0, 1.0, 5.0), Some((3.0, 7.0, 3))),
            // A unit costs more than the API bill of what it serves: never.
            ((1.0, 4000.0, 2.5e9, 0.0), None),
            // Free API: never.
            ((0.0, 4000.0, 2.5e9, 0.0), None),
            // Break-even exactly at capacity with no fixed cost: crossover at capacity.
            ((1.6, 4000.0, 2.5e9, 0.0), Some((2.5e9, 2.5e9, 1))),
            // Break-even exactly at capacity with a fixed cost: never.
            ((1.6, 4000.0, 2.5e9, 10.0), None),
        ];
        for ((price, unit, cap, fixed), want) in cases {
            let got = crossover(*price, *unit, *cap, *fixed);
            let got = got.tokens_per_month.map(|v| {
                (
                    v,
                    got.stable_from_tokens_per_month.unwrap(),
                    got.units.unwrap(),
                )
            });
            assert_eq!(got, *want, "{price} {unit} {cap} {fixed}");
        }
    }

    #[test]
    fn recrossing_after_a_step_is_reported_as_stable_later() {
        // p = 2 per token-unit: margin per unit = 2 x 10 - 15 = 5; F = 0.
        // Step 1: crossing at 15/2 = 7.5 (<= 10). Just after 10: self 30 vs api 20 -> API cheaper.
        // k_s = ceil(15 / 5) = 3 -> stable from (3 x 15) / 2 = 22.5 -> 23.
        let c = crossover(2e6, 15.0, 10.0, 0.0);
        assert_eq!(c.tokens_per_month, Some(8.0));
        assert_eq!(c.stable_from_tokens_per_month, Some(23.0));
        let p = 2.0;
        assert!(self_cost(10.5, 15.0, 10.0, 0.0) > p * 10.5);
        for v in [23.0, 25.0, 30.5, 100.0, 1000.5] {
            assert!(self_cost(v, 15.0, 10.0, 0.0) <= p * v, "{v}");
        }
    }

    #[test]
    fn closed_form_matches_a_scan() {
        let cases = [
            (7.5, 4000.0, 2.5e9, 0.0),
            (3.0, 4000.0, 2e9, 2500.0),
            (12.0, 10_800.0, 10e9, 7000.0),
        ];
        for (price, unit, cap, fixed) in cases {
            let c = crossover(price, unit, cap, fixed);
            let v = c.tokens_per_month.unwrap();
            let p = price / 1e6;
            assert!(self_cost(v, unit, cap, fixed) <= p * v + 1e-6, "at {v}");
            let below = v - 1.0;
            assert!(
                self_cost(below, unit, cap, fixed) > p * below,
                "just below {v}"
            );
        }
    }

    #[test]
    fn bill_marks() {
        assert_eq!(volume_for_bill(7.5, 5000.0), Some(666_666_667.0));
        assert_eq!(volume_for_bill(7.5, 10_000.0), Some(1_333_333_334.0));
        assert_eq!(volume_for_bill(0.0, 5000.0), None);
    }
}
