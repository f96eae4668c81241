//! Monthly cost of each side: the API side at a token mix (`api`), and a packaged self-host
//! setup or sized deployment as whole units (a step function) plus fixed costs.

pub mod api;
pub mod crossover;
pub mod curve;
pub mod economics;
pub mod gpu;
pub mod team;
pub mod traffic;

use crate::model::catalog::Setup;
use crate::model::catalog::hardware::GpuPrice;
pub use api::{ApiCost, ApiPlan, Mix, PartCost, Rates, api_plan, rates, usd_per_mtok};
use serde::Serialize;

/// What a cost line pays for.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Renting GPUs from a cloud.
    GpuRental,
    /// Owned hardware, amortized.
    Hardware,
    /// Electricity for owned hardware.
    Power,
    /// Rack space for owned hardware.
    Colocation,
    /// People who run the deployment.
    Personnel(Role),
    /// The workload's own fixed cost.
    OtherFixed,
    /// A line of a packaged setup or a price flag, named as given.
    Named(String),
}

/// A role of the staffing table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// ML engineering.
    MlEngineer,
    /// DevOps.
    Devops,
    /// Site reliability engineering.
    Sre,
}

crate::named!(Role { MlEngineer => "ml_engineer", Devops => "devops", Sre => "sre" });

/// How a cost line's amount was worked out.
#[derive(Debug, Clone, PartialEq)]
pub enum Basis {
    /// A cloud offer's hourly price over the pricing month.
    Rental(GpuPrice),
    /// An amortized monthly figure from the catalog.
    Amortized {
        /// Where it comes from.
        source: String,
    },
    /// A purchase price spread over the amortization period.
    Purchase {
        /// Price, USD.
        usd: f64,
        /// Months.
        months: f64,
        /// Where it comes from.
        source: String,
    },
    /// Power draw over the month at the facility's PUE and price.
    Power {
        /// Watts per GPU.
        watts: f64,
        /// Power usage effectiveness.
        pue: f64,
        /// USD per kWh.
        usd_per_kwh: f64,
    },
    /// Colocation priced per kW.
    Colocation {
        /// kW per GPU.
        kw: f64,
        /// USD per kW-month.
        usd_per_kw_month: f64,
    },
    /// The staffing table's minimum for the deployment's scale.
    Staff(Staff),
    /// A per-GPU line times the GPUs of a unit.
    PerGpu {
        /// GPUs per unit.
        gpus: u32,
        /// The per-GPU basis.
        each: Box<Basis>,
    },
    /// The workload's `self_host_fixed_usd_per_month`.
    FixedField,
    /// The workload's own unit cost (`--self-host-cost`).
    GivenUnitCost,
    /// A note written in the catalog or by a flag, if any.
    Note(Option<String>),
}

/// Personnel of one role: the minimum the staffing row asks for, what the team covers and what
/// is hired.
#[derive(Debug, Clone, PartialEq)]
pub struct Staff {
    /// The role.
    pub role: Role,
    /// FTE the row asks for.
    pub need: f64,
    /// FTE to hire (the rest comes from the team).
    pub hire: f64,
    /// Loaded cost of one FTE, USD a month.
    pub usd_per_fte: f64,
    /// The staffing row's label.
    pub scale: String,
    /// Whether the workload described its team (the incremental basis counts only hires).
    pub team_counted: bool,
}

/// One line of a cost build-up.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// What it pays for.
    pub item: Item,
    /// USD per month.
    pub usd_per_month: f64,
    /// How the amount was worked out.
    pub basis: Basis,
}

impl Line {
    /// Whether the line pays for people: a staffing role, or a packaged setup's line whose id
    /// starts with `personnel`.
    pub fn is_personnel(&self) -> bool {
        match &self.item {
            Item::Personnel(_) => true,
            Item::Named(id) => id.starts_with("personnel"),
            _ => false,
        }
    }
}

/// The USD a month of the personnel lines among `lines`.
pub fn personnel_usd(lines: &[Line]) -> f64 {
    lines
        .iter()
        .filter(|l| l.is_personnel())
        .map(|l| l.usd_per_month)
        .sum()
}

/// What one unit of self-hosted capacity is.
#[derive(Debug, Clone, PartialEq)]
pub enum UnitName {
    /// A unit the workload describes by its cost and capacity alone.
    Given,
    /// A packaged setup, by its display name.
    Setup(String),
    /// One replica of a sized deployment.
    Replica {
        /// GPUs per replica.
        tp: u32,
        /// GPU id.
        gpu: String,
        /// Model id.
        model: String,
        /// Precision id.
        precision: String,
    },
}

/// One unit of self-hosted capacity: a packaged setup, or one replica of a sized deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// What a unit is.
    pub name: UnitName,
    /// Cost of one unit, USD per month.
    pub usd_per_month: f64,
    /// Tokens per month one unit serves at steady load (for sized deployments, at the
    /// target utilization).
    pub tokens_per_month: f64,
    /// Cost lines of one unit.
    pub lines: Vec<Line>,
    /// Costs independent of the number of units (personnel of a sized deployment, the
    /// workload's fixed costs), USD per month.
    pub fixed_usd_per_month: f64,
    /// The lines of the fixed costs.
    pub fixed_lines: Vec<Line>,
    /// Spare units added to any deployment (N+1 redundancy).
    pub spare_units: u32,
    /// Tokens per month one unit serves when it runs batch work at its throughput-optimal
    /// batch (the largest that fits), at the same utilization; `None` for a unit that is not
    /// sized (a packaged setup, given figures), which serves batch work like any other.
    pub batch_tokens_per_month: Option<f64>,
}

impl Unit {
    /// The hardware a unit buys, when it is owned at a purchase price: the price of one unit's
    /// GPUs and the amortized share of it in the unit's monthly cost. `None` for rented GPUs,
    /// packaged setups and an amortized figure given without a purchase price.
    pub fn purchase(&self) -> Option<Purchase> {
        self.lines.iter().find_map(|l| match &l.basis {
            Basis::PerGpu { gpus, each } => match each.as_ref() {
                Basis::Purchase { usd, .. } => Some(Purchase {
                    usd: usd * f64::from(*gpus),
                    amortized_usd_per_month: l.usd_per_month,
                }),
                _ => None,
            },
            _ => None,
        })
    }

    /// How many times the average monthly demand its units are sized for: see
    /// [`sizing_factor`].
    pub fn sizing_factor(&self, peak_to_average: f64, batch_share: f64) -> f64 {
        sizing_factor(
            peak_to_average,
            batch_share,
            self.tokens_per_month,
            self.batch_tokens_per_month,
        )
    }

    /// The same for a workload's traffic and batch share.
    pub fn workload_factor(&self, w: &crate::model::workload::Workload) -> f64 {
        self.sizing_factor(w.traffic.peak_to_average(), w.batch_share)
    }

    /// A packaged setup as a unit, with the workload's fixed costs.
    pub fn from_setup(setup: &Setup, fixed_usd: f64) -> Unit {
        Unit {
            name: UnitName::Setup(setup.name.clone()),
            usd_per_month: setup.unit_usd_per_month(),
            tokens_per_month: setup.tokens_per_month_per_unit,
            lines: setup
                .costs
                .iter()
                .map(|c| Line {
                    item: Item::Named(c.name.clone()),
                    usd_per_month: c.usd_per_month,
                    basis: Basis::Note(c.note.clone()),
                })
                .collect(),
            fixed_usd_per_month: fixed_usd,
            fixed_lines: fixed_line(fixed_usd),
            spare_units: 0,
            batch_tokens_per_month: None,
        }
    }

    /// Fixed costs including the spare units, USD per month (what the crossover treats as
    /// independent of volume).
    pub fn fixed_with_spares(&self) -> f64 {
        self.fixed_usd_per_month + f64::from(self.spare_units) * self.usd_per_month
    }
}

/// The workload's own fixed cost as a cost line (none when zero).
pub fn fixed_line(fixed_usd: f64) -> Vec<Line> {
    if fixed_usd > 0.0 {
        vec![Line {
            item: Item::OtherFixed,
            usd_per_month: fixed_usd,
            basis: Basis::FixedField,
        }]
    } else {
        Vec::new()
    }
}

/// A self-host deployment of whole units, sized for the peak.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SelfHostCost {
    /// Tokens per month served.
    pub tokens_per_month: f64,
    /// Units deployed, spares included.
    pub units: u32,
    /// Spare units among them.
    pub spare_units: u32,
    /// Cost of one unit, USD per month.
    pub unit_usd_per_month: f64,
    /// Costs independent of units, USD per month.
    pub fixed_usd_per_month: f64,
    /// Total, USD per month.
    pub monthly_cost_usd: f64,
    /// Tokens per month the serving units handle at the workload's peak-to-average ratio.
    pub capacity_tokens_per_month: f64,
    /// Average load over the serving units' planned capacity (0 to 1; 1 is the planned
    /// utilization, not a full GPU: the deployment's `utilization_at_peak` is that).
    pub utilization: f64,
}

/// Whole units of `capacity_per_unit` tokens a month needed for `tokens` a month whose peak
/// is `peak_to_average` times the average: `ceil(tokens x peak_to_average / capacity)`.
pub fn units_needed(tokens: f64, peak_to_average: f64, capacity_per_unit: f64) -> u32 {
    if tokens <= 0.0 {
        return 0;
    }
    let exact = tokens * peak_to_average / capacity_per_unit;
    // Guard against 2.0000000000000004 from floating-point division of round numbers.
    let units = (exact * (1.0 - 1e-12)).ceil().max(1.0);
    if units >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        units as u32
    }
}

/// The hardware one owned unit buys.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Purchase {
    /// Its purchase price, USD.
    pub usd: f64,
    /// The share of it amortized into each month's cost, USD.
    pub amortized_usd_per_month: f64,
}

/// How many times the average monthly demand a deployment's units are sized for, so that
/// `units = ceil(tokens x factor / interactive capacity)`. Interactive traffic needs enough
/// units for its peak: `(1 - b) x peak-to-average`. Batch traffic (share `b`) has no
/// per-token latency to meet and can wait for off-peak hours, so it runs at the throughput-
/// optimal batch (`batch` tokens a month per unit, against `interactive`) in the hours the
/// interactive traffic leaves idle: over the month the units need time for all the work,
/// `(1 - b) + b x interactive / batch`. The factor is the larger. Without batch traffic, or for
/// a unit without a batch capacity, it is the peak-to-average ratio.
pub fn sizing_factor(
    peak_to_average: f64,
    batch_share: f64,
    interactive: f64,
    batch: Option<f64>,
) -> f64 {
    match batch {
        Some(batch) if batch_share > 0.0 && batch > 0.0 => {
            let b = batch_share;
            ((1.0 - b) * peak_to_average).max((1.0 - b) + b * interactive / batch)
        }
        _ => peak_to_average,
    }
}

/// Monthly cost of `tokens` a month on `unit`s: `(units + spares) x unit cost + fixed`.
/// With no traffic no unit is needed, but fixed costs remain.
pub fn unit_cost(unit: &Unit, tokens: f64, peak_to_average: f64) -> SelfHostCost {
    let serving = units_needed(tokens, peak_to_average, unit.tokens_per_month);
    let spares = if serving > 0 { unit.spare_units } else { 0 };
    let units = serving.saturating_add(spares);
    SelfHostCost {
        tokens_per_month: tokens,
        units,
        spare_units: spares,
        unit_usd_per_month: unit.usd_per_month,
        fixed_usd_per_month: unit.fixed_usd_per_month,
        monthly_cost_usd: f64::from(units) * unit.usd_per_month + unit.fixed_usd_per_month,
        capacity_tokens_per_month: f64::from(serving) * unit.tokens_per_month / peak_to_average,
        utilization: if serving == 0 {
            0.0
        } else {
            tokens / (f64::from(serving) * unit.tokens_per_month)
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::setup;

    #[test]
    fn units_are_whole_and_sized_for_the_peak() {
        let cases: &[(f64, f64, f64, u32)] = &[
            (0.0, 1.0, 2.5e9, 0),
            (1.0, 1.0, 2.5e9, 1),
            (2.5e9, 1.0, 2.5e9, 1),
            (2.5e9 + 1.0, 1.0, 2.5e9, 2),
            (5e9, 1.0, 2.5e9, 2),
            (10e9, 1.0, 2.5e9, 4),
            (2e9, 3.0, 2.5e9, 3),
        ];
        for &(tokens, par, cap, want) in cases {
            assert_eq!(units_needed(tokens, par, cap), want, "{tokens} {par}");
        }
    }

    #[test]
    fn setup_cost_is_units_times_unit_plus_fixed() {
        let s = setup("cloud-a100", &[3500.0, 0.0, 500.0], 2.5e9);
        let unit = Unit::from_setup(&s, 1000.0);
        let c = unit_cost(&unit, 5e9, 1.0);
        assert_eq!(c.units, 2);
        assert_eq!(c.monthly_cost_usd, 9000.0);
        assert_eq!(c.utilization, 1.0);
        let none = unit_cost(&unit, 0.0, 1.0);
        assert_eq!((none.units, none.monthly_cost_usd), (0, 1000.0));
    }

    #[test]
    fn spares_are_added_to_any_deployment() {
        let s = setup("cloud-a100", &[4000.0], 2.5e9);
        let mut unit = Unit::from_setup(&s, 0.0);
        unit.spare_units = 1;
        let c = unit_cost(&unit, 1e9, 1.0);
        assert_eq!((c.units, c.spare_units, c.monthly_cost_usd), (2, 1, 8000.0));
        assert_eq!(c.utilization, 0.4, "spares carry no load");
        assert_eq!(unit.fixed_with_spares(), 4000.0);
    }
}
