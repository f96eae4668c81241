//! Uncertainty by Monte Carlo: each assumption given as a range (min, likely, max) is drawn
//! from a triangular distribution with an explicitly seeded generator, every feasible option is
//! costed per draw, and the report gives the probability that each option is the cheapest and
//! percentiles of each option's cost. The same seed gives the same numbers.

use crate::engine::cost::economics::{Economics, Levers};
use crate::engine::outlook::sensitivity::{Lever, Range};
use crate::model::Named;
use crate::model::decision::Pattern;
use serde::Serialize;

/// `SplitMix64`: a small, fast, well-distributed generator, seeded explicitly.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The triangular distribution on (min, likely, max), with the constants of its inverse CDF
/// worked out once, so a draw costs a comparison, a multiplication and a square root.
#[derive(Debug, Clone, Copy)]
struct Triangular {
    min: f64,
    max: f64,
    /// The CDF at the mode: draws below it fall left of the mode.
    cut: f64,
    /// (max - min) x (likely - min).
    left: f64,
    /// (max - min) x (max - likely).
    right: f64,
}

impl Triangular {
    fn new(min: f64, likely: f64, max: f64) -> Self {
        if max <= min {
            // A point: every draw is `min`.
            return Triangular {
                min,
                max: min,
                cut: 2.0,
                left: 0.0,
                right: 0.0,
            };
        }
        Triangular {
            min,
            max,
            cut: (likely - min) / (max - min),
            left: (max - min) * (likely - min),
            right: (max - min) * (max - likely),
        }
    }

    /// The inverse CDF at `u` in [0, 1).
    fn at(&self, u: f64) -> f64 {
        // Both sides as one expression whose operands are picked first: the side is random,
        // so a branch on it would be mispredicted half the time.
        let left = u < self.cut;
        let (end, area, sign) = if left {
            (self.min, u * self.left, 1.0)
        } else {
            (self.max, (1.0 - u) * self.right, -1.0)
        };
        end + sign * area.sqrt()
    }
}

/// A lever's slot in a draw's values.
fn slot(lever: Lever) -> usize {
    match lever {
        Lever::ApiPrice => 0,
        Lever::GpuPrice => 1,
        Lever::Utilization => 2,
        Lever::Throughput => 3,
        Lever::Personnel => 4,
        Lever::InputShare => 5,
        Lever::Volume => 6,
    }
}

/// An option of the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OptionId {
    /// The API.
    Api,
    /// Self-hosting.
    SelfHost,
    /// A hybrid plan.
    Hybrid(Pattern),
}

impl OptionId {
    /// A name for reports: `api`, `self-host`, `hybrid:burst`.
    pub fn name(self) -> String {
        match self {
            OptionId::Api => "api".into(),
            OptionId::SelfHost => "self-host".into(),
            OptionId::Hybrid(p) => format!("hybrid:{}", p.id()),
        }
    }

    fn cost(self, e: &Economics, l: &Levers) -> Option<f64> {
        match self {
            OptionId::Api => Some(e.api_usd(l)),
            OptionId::SelfHost => Some(e.self_usd(l)),
            OptionId::Hybrid(p) => e.hybrid_usd(p, l),
        }
    }
}

/// One option's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionOutcome {
    /// The option: `api`, `self-host`, `hybrid:PATTERN`.
    pub option: String,
    /// Share of draws in which it is the cheapest feasible option.
    pub probability_cheapest: f64,
    /// 5th percentile of its monthly cost, USD.
    pub p5_usd: f64,
    /// Median monthly cost, USD.
    pub p50_usd: f64,
    /// 95th percentile, USD.
    pub p95_usd: f64,
    /// Mean, USD.
    pub mean_usd: f64,
}

/// The Monte Carlo result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Uncertainty {
    /// Draws.
    pub draws: u32,
    /// Seed of the generator.
    pub seed: u64,
    /// The ranges drawn from.
    pub ranges: Vec<Range>,
    /// Every feasible option, most often cheapest first.
    pub options: Vec<OptionOutcome>,
    /// The options ruled out, which the draws leave out (their ids).
    pub excluded: Vec<String>,
}

/// The `q` quantile of `values` (nearest rank on the sorted order, as `sorted[round(q x (n -
/// 1))]`), found by selection rather than a full sort; reorders `values`.
fn percentile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let i = ((q * (values.len() - 1) as f64).round() as usize).min(values.len() - 1);
    *values.select_nth_unstable_by(i, f64::total_cmp).1
}

/// Draws `draws` samples over `ranges` and costs the `options` (the feasible ones).
pub fn simulate(
    e: &Economics,
    options: &[OptionId],
    ranges: &[Range],
    draws: u32,
    seed: u64,
) -> Uncertainty {
    let mut rng = SplitMix64::new(seed);
    let mut costs: Vec<Vec<f64>> = vec![Vec::with_capacity(draws as usize); options.len()];
    let mut wins = vec![0u32; options.len()];
    let shapes: Vec<Triangular> = ranges
        .iter()
        .map(|r| Triangular::new(r.low, r.likely, r.high))
        .collect();
    // Each range writes its lever's slot (a later range of the same lever wins, as with
    // `sensitivity::set`); the levers are built from the slots once per draw.
    let slots: Vec<usize> = ranges.iter().map(|r| slot(r.lever)).collect();
    let share_drawn = ranges.iter().any(|r| r.lever == Lever::InputShare);
    for _ in 0..draws {
        let mut v = [1.0; 7];
        for (&s, t) in slots.iter().zip(&shapes) {
            v[s] = t.at(rng.next_f64());
        }
        let levers = Levers {
            api_price: v[0],
            gpu_price: v[1],
            utilization: v[2],
            throughput: v[3],
            personnel: v[4],
            input_share: share_drawn.then_some(v[5]),
            volume: v[6],
        };
        let mut best: Option<(usize, f64)> = None;
        for (i, option) in options.iter().enumerate() {
            if let Some(c) = option.cost(e, &levers) {
                costs[i].push(c);
                if best.is_none_or(|(_, b)| c < b) {
                    best = Some((i, c));
                }
            }
        }
        if let Some((i, _)) = best {
            wins[i] += 1;
        }
    }
    let mut outcomes: Vec<OptionOutcome> = options
        .iter()
        .zip(costs.iter_mut())
        .zip(&wins)
        .filter(|((_, c), _)| !c.is_empty())
        .map(|((option, c), &w)| OptionOutcome {
            option: option.name(),
            probability_cheapest: f64::from(w) / f64::from(draws.max(1)),
            mean_usd: c.iter().sum::<f64>() / c.len() as f64,
            p5_usd: percentile(c, 0.05),
            p50_usd: percentile(c, 0.5),
            p95_usd: percentile(c, 0.95),
        })
        .collect();
    outcomes.sort_by(|a, b| b.probability_cheapest.total_cmp(&a.probability_cheapest));
    Uncertainty {
        draws,
        seed,
        ranges: ranges.to_vec(),
        options: outcomes,
        excluded: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::outlook::sensitivity::Lever;
    use crate::model::workload::Traffic;

    #[test]
    fn triangular_by_hand() {
        assert_eq!(Triangular::new(1.0, 2.0, 4.0).at(0.0), 1.0);
        assert!(
            (Triangular::new(1.0, 2.0, 4.0).at(1.0 / 3.0) - 2.0).abs() < 1e-12,
            "the mode at its CDF"
        );
        assert!((Triangular::new(1.0, 2.0, 4.0).at(0.999_999_999) - 4.0).abs() < 1e-3);
        assert_eq!(Triangular::new(3.0, 3.0, 3.0).at(0.5), 3.0);
    }

    #[test]
    fn generator_is_seeded_and_uniform() {
        let mut a = SplitMix64::new(7);
        let mut b = SplitMix64::new(7);
        assert_eq!(a.next_u64(), b.next_u64());
        let mut r = SplitMix64::new(1);
        let n = 100_000;
        let mean: f64 = (0..n).map(|_| r.next_f64()).sum::<f64>() / f64::from(n);
        assert!((mean - 0.5).abs() < 0.01);
    }

    #[test]
    fn probabilities_follow_the_break_even() {
        // 1B tokens: API $7,500 vs self-host $4,000. With API prices drawn over 0.2x-1.0x
        // (likely 0.6x) the API is cheaper when the multiplier is below 0.5333:
        // P = (0.5333 - 0.2)^2 / ((1.0 - 0.2) x (0.6 - 0.2)) = 0.3472.
        let unit = crate::engine::testing::article_unit();
        let traffic = Traffic::steady();
        let e = crate::engine::testing::economics(&unit, &traffic, 1e9, 0.0);
        let ranges = [Range {
            lever: Lever::ApiPrice,
            low: 0.2,
            likely: 0.6,
            high: 1.0,
        }];
        let u = simulate(
            &e,
            &[OptionId::Api, OptionId::SelfHost],
            &ranges,
            200_000,
            3,
        );
        let api = u.options.iter().find(|o| o.option == "api").unwrap();
        let want = (4000.0f64 / 7500.0 - 0.2).powi(2) / (0.8 * 0.4);
        assert!(
            (api.probability_cheapest - want).abs() < 0.005,
            "{} vs {want}",
            api.probability_cheapest
        );
        let sh = u.options.iter().find(|o| o.option == "self-host").unwrap();
        assert_eq!((sh.p5_usd, sh.p95_usd), (4000.0, 4000.0));
        let again = simulate(
            &e,
            &[OptionId::Api, OptionId::SelfHost],
            &ranges,
            200_000,
            3,
        );
        assert_eq!(u, again, "the same seed gives the same result");
    }
}
