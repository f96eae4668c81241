//! The decision's economics as plain numbers: what each option costs a month at a volume,
//! with every assumption behind it exposed as a lever (a multiplier on API prices, GPU price,
//! throughput, utilization, personnel, volume; an input share). Growth projections, the
//! tornado, break-even thresholds and Monte Carlo all work on this one model, so they agree
//! with the headline numbers by construction.

use crate::engine::cost::crossover::{Crossover, crossover};
use crate::engine::cost::traffic::overflow_tokens;
use crate::engine::cost::{Rates, Unit, units_needed};
use crate::model::decision::Pattern;
use crate::model::workload::Traffic;
use serde::Serialize;

/// Multipliers (1 = as estimated) and overrides applied to the economics.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Levers {
    /// Monthly volume.
    pub volume: f64,
    /// API list prices.
    pub api_price: f64,
    /// GPU price (the per-unit cost of a self-hosted unit).
    pub gpu_price: f64,
    /// Serving throughput (tokens a unit serves).
    pub throughput: f64,
    /// Planned utilization (scales the tokens a unit serves like throughput).
    pub utilization: f64,
    /// Personnel cost.
    pub personnel: f64,
    /// Input share of tokens; `None`: as in the workload.
    pub input_share: Option<f64>,
}

impl Default for Levers {
    fn default() -> Self {
        Levers {
            volume: 1.0,
            api_price: 1.0,
            gpu_price: 1.0,
            throughput: 1.0,
            utilization: 1.0,
            personnel: 1.0,
            input_share: None,
        }
    }
}

/// The small-model tier of a three-tier complexity plan.
#[derive(Debug, Clone, PartialEq)]
pub struct SmallTier {
    /// Share of traffic simple enough for the small model.
    pub share: f64,
    /// One unit of the small model's deployment.
    pub unit: Unit,
    /// Personnel of running two models (the staffing table's multi-model row), USD a month.
    pub multi_model_personnel_usd: f64,
}

/// The numbers every option's cost is made of.
#[derive(Debug, Clone)]
pub struct Economics<'a> {
    /// Tokens per month.
    pub volume: f64,
    /// Input share of tokens.
    pub input_share: f64,
    /// Rates of the API plan (main model with its frontier share).
    pub plan: Rates,
    /// Rates of the frontier model alone.
    pub frontier: Rates,
    /// Share of traffic that needs frontier reasoning.
    pub frontier_share: f64,
    /// One self-hosted unit.
    pub unit: &'a Unit,
    /// Personnel part of the unit's fixed cost, USD a month.
    pub personnel_usd: f64,
    /// Personnel part of one unit's own cost (the article's setups carry a personnel line),
    /// USD a month.
    pub unit_personnel_usd: f64,
    /// The traffic shape.
    pub traffic: &'a Traffic,
    /// Share of traffic that can wait (batch), run off-peak at the throughput-optimal batch.
    pub batch_share: f64,
    /// Share of traffic that is sensitive.
    pub sensitive_share: f64,
    /// Share of traffic that is development and testing.
    pub dev_share: f64,
    /// The small-model tier, for three-tier complexity plans.
    pub small: Option<SmallTier>,
}

/// The best burst baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Burst {
    /// Serving units of the baseline.
    pub units: u32,
    /// Tokens a month above the baseline, sent to the API.
    pub overflow_tokens: f64,
    /// Total, USD a month.
    pub monthly_cost_usd: f64,
}

impl Economics<'_> {
    fn share(&self, l: &Levers) -> f64 {
        l.input_share.unwrap_or(self.input_share)
    }

    /// API plan price, USD per 1M tokens.
    pub fn api_usd_per_mtok(&self, l: &Levers) -> f64 {
        self.plan.at(self.share(l)) * l.api_price
    }

    /// USD a month of `tokens` on the API plan.
    pub fn api_usd_at(&self, tokens: f64, l: &Levers) -> f64 {
        tokens / 1e6 * self.api_usd_per_mtok(l)
    }

    /// USD a month of `tokens` on the frontier model alone.
    pub fn frontier_usd_at(&self, tokens: f64, l: &Levers) -> f64 {
        tokens / 1e6 * self.frontier.at(self.share(l)) * l.api_price
    }

    /// The API option at the workload's volume.
    pub fn api_usd(&self, l: &Levers) -> f64 {
        self.api_usd_at(self.volume * l.volume, l)
    }

    /// Cost and capacity of one unit under the levers: its hardware part scaled by the GPU
    /// price, its personnel part by the personnel lever.
    fn unit_of(&self, unit: &Unit, l: &Levers) -> (f64, f64) {
        let people = if std::ptr::eq(unit, self.unit) {
            self.unit_personnel_usd
        } else {
            0.0
        };
        (
            (unit.usd_per_month - people) * l.gpu_price + people * l.personnel,
            unit.tokens_per_month * l.throughput * l.utilization,
        )
    }

    /// How many times the average demand `unit`'s units are sized for (batch work off-peak);
    /// the levers scale both of its capacities alike, so it holds under them.
    fn factor(&self, unit: &Unit) -> f64 {
        unit.sizing_factor(self.traffic.peak_to_average(), self.batch_share)
    }

    /// Fixed costs under the levers (personnel scaled, the rest as is).
    pub fn fixed_usd(&self, l: &Levers) -> f64 {
        self.personnel_usd * l.personnel + (self.unit.fixed_usd_per_month - self.personnel_usd)
    }

    /// Units of `unit` for `tokens` a month, spares included.
    fn units(&self, unit: &Unit, tokens: f64, l: &Levers) -> f64 {
        let (_, cap) = self.unit_of(unit, l);
        let serving = units_needed(tokens, self.factor(unit), cap);
        if serving == 0 {
            0.0
        } else {
            f64::from(serving + unit.spare_units)
        }
    }

    /// Units (spares included) for `tokens` a month on the self-hosted unit.
    pub fn self_units_at(&self, tokens: f64, l: &Levers) -> f64 {
        self.units(self.unit, tokens, l)
    }

    /// USD a month of `tokens` self-hosted, fixed costs included.
    pub fn self_usd_at(&self, tokens: f64, l: &Levers) -> f64 {
        self.units(self.unit, tokens, l) * self.unit_of(self.unit, l).0 + self.fixed_usd(l)
    }

    /// The self-host option at the workload's volume.
    pub fn self_usd(&self, l: &Levers) -> f64 {
        self.self_usd_at(self.volume * l.volume, l)
    }

    /// The crossover under the levers.
    pub fn crossover(&self, l: &Levers) -> Crossover {
        let (usd, cap) = self.unit_of(self.unit, l);
        let mut c = crossover(
            self.api_usd_per_mtok(l),
            usd,
            cap / self.factor(self.unit),
            self.fixed_usd(l) + f64::from(self.unit.spare_units) * usd,
        );
        c.units = c.units.map(|u| u + self.unit.spare_units);
        c
    }

    /// The best burst baseline: whole serving units from 1 to the peak's need, minimising
    /// `units x unit cost + fixed + API cost of the overflow`; `None` when the best sends
    /// nothing to the API (it is then self-hosting alone). Costing every baseline up to the
    /// peak's need (rather than stopping one short) keeps the cost from falling as the volume
    /// rises past a unit's capacity.
    ///
    /// The cost is convex in the capacity (a line plus the API cost of the overflow, a sum of
    /// `max(0, rate - capacity)` terms), so its minimum over a continuous capacity sits where
    /// the capacity meets one traffic level, and over whole units next to such a point: only
    /// those units (two per traffic level) and the ends are costed, whatever the unit count.
    pub fn burst(&self, l: &Levers) -> Option<Burst> {
        let v = self.volume * l.volume;
        let (usd, cap) = self.unit_of(self.unit, l);
        let peak_units = units_needed(v, self.factor(self.unit), cap);
        if peak_units < 2 {
            return None;
        }
        let fixed = self.fixed_usd(l);
        let spares = self.unit.spare_units;
        // Interactive traffic follows the profile; batch work fills the hours it leaves idle,
        // at the throughput-optimal batch, and what does not fit overflows too. A unit with no
        // batch capacity of its own (a packaged setup) serves batch work like the rest, as
        // `factor` sizes it.
        let b = if self.unit.batch_tokens_per_month.is_some() {
            self.batch_share
        } else {
            0.0
        };
        let speedup = self
            .unit
            .batch_tokens_per_month
            .map_or(1.0, |cb| cb / self.unit.tokens_per_month);
        let interactive = v * (1.0 - b);
        let best = self
            .burst_candidates(interactive, cap, peak_units)
            .into_iter()
            .map(|k| {
                let capacity = f64::from(k) * cap;
                let spill = overflow_tokens(self.traffic, interactive, capacity);
                let idle = (capacity - (interactive - spill)).max(0.0);
                let overflow = spill + (v * b - idle * speedup).max(0.0);
                Burst {
                    units: k,
                    overflow_tokens: overflow,
                    monthly_cost_usd: f64::from(k.saturating_add(spares)) * usd
                        + fixed
                        + self.api_usd_at(overflow, l),
                }
            })
            .min_by(|a, b| a.monthly_cost_usd.total_cmp(&b.monthly_cost_usd))?;
        (best.overflow_tokens > 0.0).then_some(best)
    }

    /// The baselines worth costing: 1 and `last` units, and the whole units either side of
    /// each traffic level's rate (at most two per level).
    fn burst_candidates(&self, v: f64, cap: f64, last: u32) -> Vec<u32> {
        let mut candidates: Vec<u32> = vec![1, last];
        for level in &self.traffic.levels {
            let at = v * level.multiplier / cap;
            if at.is_finite() {
                let below = at.floor().clamp(1.0, f64::from(last)) as u32;
                candidates.extend([below, below.saturating_add(1).min(last)]);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
    }

    /// USD a month of a hybrid pattern; `None` when the workload gives it nothing to split.
    pub fn hybrid_usd(&self, pattern: Pattern, l: &Levers) -> Option<f64> {
        let v = self.volume * l.volume;
        let split = |self_share: f64, api: f64| self.self_usd_at(v * self_share, l) + api;
        match pattern {
            Pattern::Complexity => {
                let f = self.frontier_share;
                (f > 0.0 && f < 1.0).then(|| match &self.small {
                    Some(small) => {
                        let medium = 1.0 - f - small.share;
                        let (usd, _) = self.unit_of(&small.unit, l);
                        self.units(self.unit, v * medium, l) * self.unit_of(self.unit, l).0
                            + self.units(&small.unit, v * small.share, l) * usd
                            + small.multi_model_personnel_usd * l.personnel
                            + (self.unit.fixed_usd_per_month - self.personnel_usd)
                            + self.frontier_usd_at(v * f, l)
                    }
                    None => split(1.0 - f, self.frontier_usd_at(v * f, l)),
                })
            }
            Pattern::Sensitivity => {
                let s = self.sensitive_share;
                (s > 0.0 && s < 1.0).then(|| split(s, self.api_usd_at(v * (1.0 - s), l)))
            }
            Pattern::DevProd => {
                let d = self.dev_share;
                (d > 0.0 && d < 1.0).then(|| split(1.0 - d, self.api_usd_at(v * d, l)))
            }
            Pattern::Burst => self.burst(l).map(|b| b.monthly_cost_usd),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit() -> Unit {
        crate::engine::testing::article_unit()
    }

    fn econ<'a>(unit: &'a Unit, traffic: &'a Traffic, volume: f64) -> Economics<'a> {
        crate::engine::testing::economics(unit, traffic, volume, 0.2)
    }

    /// The burst baseline found from the traffic levels alone is the one a search over every
    /// unit count finds, and the units costed stay a handful however many the peak needs.
    #[test]
    fn burst_costs_only_a_handful_of_baselines_and_finds_the_best() {
        use crate::model::workload::{LoadLevel, TrafficShape};
        let levels = |l: &[(f64, f64)]| Traffic {
            shape: TrafficShape::Profile,
            levels: l
                .iter()
                .map(|&(hours, multiplier)| LoadLevel { hours, multiplier })
                .collect(),
        };
        let shapes = [
            levels(&[(40.0, 3.0), (690.0, 63.0 / 69.0)]),
            levels(&[(220.0, 2.5), (510.0, (730.0 - 550.0) / 510.0)]),
            levels(&[(100.0, 4.0), (200.0, 1.5), (430.0, (730.0 - 700.0) / 430.0)]),
        ];
        let u = unit();
        for t in &shapes {
            for volume in [5e9, 12e9, 40e9, 123e9] {
                let e = econ(&u, t, volume);
                let l = Levers::default();
                let (usd, cap) = e.unit_of(e.unit, &l);
                let peak = units_needed(volume, t.peak_to_average(), cap);
                let brute = (1..=peak)
                    .map(|k| {
                        f64::from(k) * usd
                            + e.fixed_usd(&l)
                            + e.api_usd_at(overflow_tokens(t, volume, f64::from(k) * cap), &l)
                    })
                    .fold(f64::INFINITY, f64::min);
                // No burst plan when the best baseline is the whole peak (no overflow).
                let got = e.burst(&l).map_or(e.self_usd(&l), |b| b.monthly_cost_usd);
                assert!((got - brute).abs() < 1e-6, "{volume}: {got} vs {brute}");
                let n = e.burst_candidates(volume, cap, peak).len();
                assert!(n <= 2 + 2 * t.levels.len(), "{n} baselines costed");
            }
        }
        // A peak of a billion units: still a handful of baselines.
        let t = &shapes[0];
        let e = econ(&u, t, 1e18);
        let (_, cap) = e.unit_of(e.unit, &Levers::default());
        let peak = units_needed(1e18, t.peak_to_average(), cap);
        assert!(peak > 1_000_000_000);
        assert!(e.burst_candidates(1e18, cap, peak).len() <= 6);
    }

    #[test]
    fn headline_numbers_by_hand() {
        let (u, t) = (unit(), Traffic::steady());
        let e = econ(&u, &t, 5e9);
        let l = Levers::default();
        assert!((e.api_usd(&l) - 37_500.0).abs() < 1e-6);
        assert_eq!(e.self_usd(&l), 8000.0);
        // 80% on 2 units ($8,000) + 20% = 1B on GPT-4o ($7,500).
        assert!((e.hybrid_usd(Pattern::Complexity, &l).unwrap() - 15_500.0).abs() < 1e-6);
        assert_eq!(e.crossover(&l).tokens_per_month, Some(533_333_334.0));
    }

    #[test]
    fn levers_move_what_they_name() {
        let (u, t) = (unit(), Traffic::steady());
        let e = econ(&u, &t, 5e9);
        let base = Levers::default();
        let l = |f: fn(&mut Levers)| {
            let mut x = base;
            f(&mut x);
            x
        };
        assert!((e.api_usd(&l(|x| x.api_price = 2.0)) - 75_000.0).abs() < 1e-6);
        assert_eq!(e.self_usd(&l(|x| x.gpu_price = 1.5)), 12_000.0);
        // Half the throughput: 5B needs 4 units.
        assert_eq!(e.self_usd(&l(|x| x.throughput = 0.5)), 16_000.0);
        assert_eq!(e.self_usd(&l(|x| x.utilization = 0.5)), 16_000.0);
        // All input: $2.50 per 1M.
        assert!((e.api_usd(&l(|x| x.input_share = Some(1.0))) - 12_500.0).abs() < 1e-6);
        assert!((e.api_usd(&l(|x| x.volume = 2.0)) - 75_000.0).abs() < 1e-6);
    }
}
