//! Growth and timing: month-by-month costs of each option as the volume grows (and API prices
//! fall), the month each mark is reached, the total cost of ownership over 12, 24 and 36
//! months, and what switching to self-hosting costs as cash: the build effort and the months
//! to production (the API paid meanwhile), owned hardware bought when it is needed rather than
//! amortized, and the month each pays back.

use crate::engine::cost::economics::{Economics, Levers};
use crate::model::Named;
use crate::model::decision::Pattern;
use serde::Serialize;

/// Costs of one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Month {
    /// Month number, from 1.
    pub month: u32,
    /// Tokens that month.
    pub tokens_per_month: f64,
    /// API cost, USD.
    pub api_usd: f64,
    /// Self-host cost, USD.
    pub self_host_usd: f64,
    /// Hybrid cost, USD, when a hybrid plan is projected.
    pub hybrid_usd: Option<f64>,
    /// Cash spent that month by switching to self-hosting in month 1: the API until
    /// production, the build effort, hardware when it is bought, then the running costs.
    pub switch_usd: f64,
}

/// Total cost of ownership over a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tco {
    /// Months.
    pub months: u32,
    /// API, USD.
    pub api_usd: f64,
    /// Self-host, USD.
    pub self_host_usd: f64,
    /// Hybrid, USD, when projected.
    pub hybrid_usd: Option<f64>,
    /// Switching to self-hosting in month 1, one-time costs included, USD.
    pub switch_usd: f64,
}

/// The one-time side of switching to self-hosting.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OneTime {
    /// Engineer-months to stand up production serving.
    pub build_engineer_months: f64,
    /// Loaded cost of an ML engineer, USD a month.
    pub engineer_usd_per_month: f64,
    /// Calendar months until self-hosting serves production traffic.
    pub months_to_production: f64,
}

impl OneTime {
    /// The build effort, USD.
    pub fn build_usd(&self) -> f64 {
        self.build_engineer_months * self.engineer_usd_per_month
    }
}

/// What switching costs once, and when it pays back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Switch {
    /// The assumptions.
    #[serde(flatten)]
    pub one_time: OneTime,
    /// The build effort, USD.
    pub build_usd: f64,
    /// Owned hardware bought in month 1, USD (0 for rented GPUs).
    pub hardware_usd: f64,
    /// Owned hardware bought over the 36 months as the volume grows, USD.
    pub hardware_36_months_usd: f64,
    /// First month in which the switch has cost no more in all than staying on the API;
    /// `None`: not within 36 months.
    pub payback_month: Option<u32>,
    /// First month in which the savings of the owned hardware's production months over the
    /// API have paid for the hardware bought so far; `None`: rented GPUs, or not within 36
    /// months.
    pub hardware_payback_month: Option<u32>,
}

/// The projection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Projection {
    /// Monthly growth of volume.
    pub growth_monthly: f64,
    /// Yearly decline of API prices.
    pub api_price_decline_yearly: f64,
    /// The hybrid pattern projected, if any.
    pub hybrid_pattern: Option<String>,
    /// The months shown.
    pub months: Vec<Month>,
    /// First month in which self-hosting costs no more than the API; `None`: not within the
    /// horizon.
    pub crossover_month: Option<u32>,
    /// First month the API bill reaches the "start planning" mark.
    pub start_planning_month: Option<u32>,
    /// First month the API bill reaches the "be ready to switch" mark.
    pub ready_to_switch_month: Option<u32>,
    /// Total cost of ownership over 12, 24 and 36 months.
    pub tco: Vec<Tco>,
    /// Switching to self-hosting as cash.
    pub switch: Switch,
}

/// What the projection needs besides the economics.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Monthly growth of volume.
    pub growth_monthly: f64,
    /// Yearly decline of API prices.
    pub api_price_decline_yearly: f64,
    /// Months shown.
    pub horizon_months: u32,
    /// API bill at which to start planning, USD a month.
    pub start_planning_usd: f64,
    /// API bill at which to be ready to switch, USD a month.
    pub ready_to_switch_usd: f64,
    /// The one-time side of switching.
    pub one_time: OneTime,
}

/// Periods of the total cost of ownership.
pub const TCO_MONTHS: [u32; 3] = [12, 24, 36];

/// Projects month by month: volume `V (1 + g)^(m-1)`, API prices `(1 - d)^((m-1)/12)`.
pub fn project(e: &Economics, s: &Settings, hybrid: Option<Pattern>) -> Projection {
    let last = s.horizon_months.max(TCO_MONTHS[2]);
    let all: Vec<Month> = (1..=last)
        .map(|m| {
            let k = f64::from(m - 1);
            let l = Levers {
                volume: (1.0 + s.growth_monthly).powf(k),
                api_price: (1.0 - s.api_price_decline_yearly).powf(k / 12.0),
                ..Levers::default()
            };
            Month {
                month: m,
                tokens_per_month: e.volume * l.volume,
                api_usd: e.api_usd(&l),
                self_host_usd: e.self_usd(&l),
                hybrid_usd: hybrid.and_then(|p| e.hybrid_usd(p, &l)),
                switch_usd: 0.0,
            }
        })
        .collect();
    let (all, switch) = switch(e, s, all);
    let shown = &all[..s.horizon_months as usize];
    let first = |f: &dyn Fn(&Month) -> bool| shown.iter().find(|m| f(m)).map(|m| m.month);
    let tco = TCO_MONTHS
        .iter()
        .map(|&n| {
            let period = &all[..n as usize];
            Tco {
                months: n,
                api_usd: period.iter().map(|m| m.api_usd).sum(),
                self_host_usd: period.iter().map(|m| m.self_host_usd).sum(),
                hybrid_usd: hybrid.map(|_| period.iter().filter_map(|m| m.hybrid_usd).sum()),
                switch_usd: period.iter().map(|m| m.switch_usd).sum(),
            }
        })
        .collect();
    Projection {
        growth_monthly: s.growth_monthly,
        api_price_decline_yearly: s.api_price_decline_yearly,
        hybrid_pattern: hybrid.map(|p| p.id().to_string()),
        crossover_month: first(&|m| m.self_host_usd <= m.api_usd),
        start_planning_month: first(&|m| m.api_usd >= s.start_planning_usd),
        ready_to_switch_month: first(&|m| m.api_usd >= s.ready_to_switch_usd),
        months: shown.to_vec(),
        tco,
        switch,
    }
}

/// The cash of switching in month 1, month by month. Month `m` is a share `f` of the build
/// (`months to production - (m - 1)`, between 0 and 1): that share of its traffic stays on the
/// API; the build effort is spread over the build months (all in month 1 with none); owned
/// hardware is paid when bought, for the units the month needs beyond those already bought,
/// and its amortized share leaves the running cost.
fn switch(e: &Economics, s: &Settings, mut months: Vec<Month>) -> (Vec<Month>, Switch) {
    let t = s.one_time.months_to_production;
    let build = s.one_time.build_usd();
    let purchase = e.unit.purchase();
    let (mut bought_units, mut bought_usd) = (0.0_f64, Vec::with_capacity(months.len()));
    let (mut switch_total, mut api_total, mut saved) = (0.0, 0.0, 0.0);
    let (mut payback, mut hardware_payback) = (None, None);
    for month in &mut months {
        let k = f64::from(month.month - 1);
        let f = (t - k).clamp(0.0, 1.0);
        let effort = if t > 0.0 {
            build * f / t
        } else if k == 0.0 {
            build
        } else {
            0.0
        };
        let l = Levers {
            volume: (1.0 + s.growth_monthly).powf(k),
            ..Levers::default()
        };
        let (bought, running) = match purchase {
            Some(p) => {
                let units = e.self_units_at(month.tokens_per_month, &l);
                let new = (units - bought_units).max(0.0);
                bought_units = bought_units.max(units);
                (
                    new * p.usd,
                    month.self_host_usd - units * p.amortized_usd_per_month,
                )
            }
            None => (0.0, month.self_host_usd),
        };
        bought_usd.push(bought);
        month.switch_usd = f * month.api_usd + (1.0 - f) * running + effort + bought;
        switch_total += month.switch_usd;
        api_total += month.api_usd;
        // Not before production: a month still all build costs the API bill, which says
        // nothing about whether self-hosting pays.
        if payback.is_none() && f < 1.0 && switch_total <= api_total {
            payback = Some(month.month);
        }
        saved += (1.0 - f) * (month.api_usd - running);
        let hardware: f64 = bought_usd.iter().sum();
        if purchase.is_some() && hardware_payback.is_none() && f < 1.0 && saved >= hardware {
            hardware_payback = Some(month.month);
        }
    }
    let switch = Switch {
        one_time: s.one_time,
        build_usd: build,
        hardware_usd: bought_usd.first().copied().unwrap_or(0.0),
        hardware_36_months_usd: bought_usd.iter().take(TCO_MONTHS[2] as usize).sum(),
        payback_month: payback.filter(|&m| m <= TCO_MONTHS[2]),
        hardware_payback_month: hardware_payback.filter(|&m| m <= TCO_MONTHS[2]),
    };
    (months, switch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::workload::Traffic;

    #[test]
    fn growth_by_hand() {
        // 400M tokens growing 10% a month at $7.50 per 1M: $3,000 in month 1; the API bill
        // reaches $5,000 when 1.1^(m-1) >= 5/3, m - 1 = ceil(ln(5/3)/ln(1.1)) = 6 -> month 7;
        // $10,000 when 1.1^(m-1) >= 10/3 -> m - 1 = 13 -> month 14. Self-hosting ($4,000 for
        // up to 2.5B) wins once the API passes $4,000: 1.1^(m-1) >= 4/3 -> m - 1 = 4 -> month 5.
        let unit = crate::engine::testing::article_unit();
        let traffic = Traffic::steady();
        let e = crate::engine::testing::economics(&unit, &traffic, 400e6, 0.0);
        let s = Settings {
            growth_monthly: 0.1,
            api_price_decline_yearly: 0.0,
            horizon_months: 24,
            start_planning_usd: 5000.0,
            ready_to_switch_usd: 10_000.0,
            one_time: NONE,
        };
        let p = project(&e, &s, None);
        assert_eq!(p.months.len(), 24);
        assert!((p.months[0].api_usd - 3000.0).abs() < 1e-6);
        assert_eq!(p.crossover_month, Some(5));
        assert_eq!(p.start_planning_month, Some(7));
        assert_eq!(p.ready_to_switch_month, Some(14));
        let tco12: f64 = (0..12).map(|k| 3000.0 * 1.1f64.powi(k)).sum();
        assert!((p.tco[0].api_usd - tco12).abs() < 1e-6);
        // A 20% yearly price decline: month 13 costs 0.8 x the undiscounted bill.
        let falling = project(
            &e,
            &Settings {
                api_price_decline_yearly: 0.2,
                ..s
            },
            None,
        );
        assert!((falling.months[12].api_usd - 0.8 * p.months[12].api_usd).abs() < 1e-6);
    }

    const NONE: OneTime = OneTime {
        build_engineer_months: 0.0,
        engineer_usd_per_month: 20_000.0,
        months_to_production: 0.0,
    };

    fn steady(one_time: OneTime) -> Settings {
        Settings {
            growth_monthly: 0.0,
            api_price_decline_yearly: 0.0,
            horizon_months: 24,
            start_planning_usd: 5000.0,
            ready_to_switch_usd: 10_000.0,
            one_time,
        }
    }

    /// An owned unit bought for $36,000 (amortized $1,000 a month over 36 months) that costs
    /// $500 a month to power and house, serving 2.5B tokens a month.
    fn owned_unit() -> crate::engine::cost::Unit {
        use crate::engine::cost::{Basis, Item, Line, Unit, UnitName};
        let line = |item, usd, each| Line {
            item,
            usd_per_month: usd,
            basis: Basis::PerGpu {
                gpus: 1,
                each: Box::new(each),
            },
        };
        Unit {
            name: UnitName::Given,
            usd_per_month: 1500.0,
            tokens_per_month: 2.5e9,
            lines: vec![
                line(
                    Item::Hardware,
                    1000.0,
                    Basis::Purchase {
                        usd: 36_000.0,
                        months: 36.0,
                        source: "test".into(),
                    },
                ),
                line(Item::Power, 500.0, Basis::GivenUnitCost),
            ],
            fixed_usd_per_month: 0.0,
            fixed_lines: Vec::new(),
            spare_units: 0,
            batch_tokens_per_month: None,
        }
    }

    #[test]
    fn switching_costs_its_one_time_costs_and_pays_back_by_hand() {
        let traffic = Traffic::steady();
        // Rented (the article's $4,000 unit) at 5B: the API $37,500 a month, self-hosting
        // 2 units = $8,000. 6 engineer-months at $20,000 = $120,000 over 3 months to
        // production: months 1-3 cost 37,500 + 40,000 = $77,500, then $8,000. In all after m
        // months: 232,500 + 8,000 (m - 3) <= 37,500 m from m = 208,500 / 29,500 = 7.07 ->
        // month 8. No hardware is bought.
        let rented = crate::engine::testing::article_unit();
        let e = crate::engine::testing::economics(&rented, &traffic, 5e9, 0.0);
        let built = OneTime {
            build_engineer_months: 6.0,
            months_to_production: 3.0,
            ..NONE
        };
        let p = project(&e, &steady(built), None);
        let cash: Vec<f64> = p.months[..5].iter().map(|m| m.switch_usd).collect();
        assert_eq!(cash, [77_500.0, 77_500.0, 77_500.0, 8000.0, 8000.0]);
        assert_eq!(p.switch.build_usd, 120_000.0);
        assert_eq!(p.switch.payback_month, Some(8));
        assert_eq!(
            (p.switch.hardware_usd, p.switch.hardware_payback_month),
            (0.0, None)
        );
        assert_eq!(p.tco[0].switch_usd, 232_500.0 + 9.0 * 8000.0);
        // At 100M the API costs $750 and self-hosting $4,000: with no build effort the three
        // months before production cost the API bill, which is no payback; after them the
        // switch only costs more.
        let small = crate::engine::testing::economics(&rented, &traffic, 100e6, 0.0);
        let waiting = OneTime {
            months_to_production: 3.0,
            ..NONE
        };
        let p = project(&small, &steady(waiting), None);
        assert!((p.months[0].switch_usd - 750.0).abs() < 1e-9);
        assert_eq!(p.switch.payback_month, None);
        // Owned at 5B: 2 units bought in month 1 ($72,000); running costs $500 each. Straight
        // to production with no build: month 1 costs 1,000 + 72,000, then $1,000; the switch
        // and the hardware pay back when 36,500 m >= 72,000, month 2: the article's "would
        // have paid for dedicated hardware" in months.
        let owned = owned_unit();
        let e = crate::engine::testing::economics(&owned, &traffic, 5e9, 0.0);
        let p = project(&e, &steady(NONE), None);
        assert_eq!(p.months[0].switch_usd, 73_000.0);
        assert_eq!(p.months[1].switch_usd, 1000.0);
        assert_eq!(p.switch.hardware_usd, 72_000.0);
        assert_eq!(
            (p.switch.payback_month, p.switch.hardware_payback_month),
            (Some(2), Some(2))
        );
        // Three months to production: the API is paid meanwhile and the hardware earns nothing
        // until month 4; it has paid for itself when 36,500 (m - 3) >= 72,000, month 5; the
        // switch, 72,000 + 3 x 37,500 + 1,000 (m - 3) <= 37,500 m, also month 5.
        let late = OneTime {
            months_to_production: 3.0,
            ..NONE
        };
        let p = project(&e, &steady(late), None);
        assert_eq!(
            (p.switch.payback_month, p.switch.hardware_payback_month),
            (Some(5), Some(5))
        );
        // Growth buys hardware as it is needed: 5B growing 2% a month reaches
        // 5B x 1.02^35 = 9.9995B in month 36, 4 units: $144,000 bought in 36 months.
        let grows = Settings {
            growth_monthly: 0.02,
            ..steady(NONE)
        };
        let p = project(&e, &grows, None);
        assert_eq!(p.switch.hardware_usd, 72_000.0);
        assert_eq!(p.switch.hardware_36_months_usd, 144_000.0);
    }
}
