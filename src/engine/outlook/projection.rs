//! Growth and timing: month-by-month costs of each option as the volume grows (and API prices
//! fall), the month each mark is reached, and the total cost of ownership over 12, 24 and 36
//! months.

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
            }
        })
        .collect();
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
    }
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
}
