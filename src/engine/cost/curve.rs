//! The self-hosted side's cost at any volume: the cheapest of every deployment that serves the
//! workload as asked, each staffed by the row its size falls in. The volume table, the sweeps
//! and the break-even all read this one curve, so the break-even quoted at one volume is the one
//! a run at any other volume finds, and no figure falls as the volume rises.

use super::crossover::{Crossover, crossover};
use super::gpu::personnel;
use super::{Unit, UnitName, personnel_usd, sizing_factor, units_needed};
use crate::model::catalog::Catalog;
use crate::model::workload::Workload;

/// One way to self-host, for costing at any volume.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Cost of one unit, USD a month.
    pub usd_per_month: f64,
    /// Tokens a month one unit serves at an even load.
    pub tokens_per_month: f64,
    /// Spare units on top of those serving.
    pub spare_units: u32,
    /// Tokens a month one unit serves running batch work at its throughput-optimal batch.
    pub batch_tokens_per_month: Option<f64>,
    /// Whether its team is the staffing row of its size (a sized deployment), rather than in
    /// its own figures (a packaged setup, the workload's own unit).
    pub staffed: bool,
    /// Fixed costs besides that team, USD a month.
    pub other_fixed_usd: f64,
    /// What a unit is.
    pub name: UnitName,
}

impl Candidate {
    /// A unit whose fixed costs are all in its own figures.
    pub fn fixed(unit: &Unit) -> Candidate {
        Candidate {
            usd_per_month: unit.usd_per_month,
            tokens_per_month: unit.tokens_per_month,
            spare_units: unit.spare_units,
            batch_tokens_per_month: unit.batch_tokens_per_month,
            staffed: false,
            other_fixed_usd: unit.fixed_usd_per_month,
            name: unit.name.clone(),
        }
    }

    /// How many times the workload's average demand its units are sized for (see
    /// [`sizing_factor`]).
    pub fn sizing_factor(&self, workload: &Workload) -> f64 {
        sizing_factor(
            workload.traffic.peak_to_average(),
            workload.batch_share,
            self.tokens_per_month,
            self.batch_tokens_per_month,
        )
    }

    /// A sized replica's unit: its team grows with its size; `other_fixed_usd` is the rest.
    pub fn staffed(unit: &Unit, other_fixed_usd: f64) -> Candidate {
        Candidate {
            staffed: true,
            other_fixed_usd,
            ..Candidate::fixed(unit)
        }
    }
}

/// The candidates no other one is at least as cheap as at every volume: one is dropped when
/// another costs no more a unit, serves at least as much a unit (at the sizing factor of each:
/// the peak and batch work), has no more spares and no more fixed costs, and is staffed the same
/// way (fewer units then mean no larger a staffing row). Ties keep the first. The curve's cost
/// at any volume is unchanged; its work shrinks from every passing configuration of every model
/// to the few that can be the cheapest.
pub fn undominated(candidates: Vec<Candidate>, workload: &Workload) -> Vec<Candidate> {
    let mut kept = Vec::new();
    for c in candidates {
        offer(&mut kept, c, workload, || ());
    }
    kept.into_iter().map(|(c, ())| c).collect()
}

/// Offers one candidate to `kept`, the undominated candidates so far, as [`undominated`] does
/// each in turn: it is dropped when a kept one dominates it; else those it dominates are
/// dropped and it is kept with `payload()` (what a search needs to name it once the search is
/// over: naming every candidate kept for a while cost more than the rest of the offer).
pub fn offer<T>(
    kept: &mut Vec<(Candidate, T)>,
    c: Candidate,
    workload: &Workload,
    payload: impl FnOnce() -> T,
) {
    let effective = |c: &Candidate| c.tokens_per_month / c.sizing_factor(workload);
    let dominates = |a: &Candidate, b: &Candidate| {
        a.staffed == b.staffed
            && a.usd_per_month <= b.usd_per_month
            && effective(a) >= effective(b)
            && a.spare_units <= b.spare_units
            && a.other_fixed_usd <= b.other_fixed_usd
    };
    if kept.iter().any(|(k, _)| dominates(k, &c)) {
        return;
    }
    kept.retain(|(k, _)| !dominates(&c, k));
    kept.push((c, payload()));
}

/// A point of the curve.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// USD a month.
    pub monthly_cost_usd: f64,
    /// Units deployed, spares included.
    pub units: u32,
    /// What a unit is (the cheapest candidate here).
    pub name: UnitName,
}

/// The curve: its candidates, and what it takes to staff them.
pub struct Curve<'a> {
    /// Every deployment that serves the workload as asked (at least one).
    pub candidates: &'a [Candidate],
    /// The catalog, for the staffing table.
    pub catalog: &'a Catalog,
    /// The workload, for its team and stage.
    pub workload: &'a Workload,
}

impl Curve<'_> {
    /// Fixed costs of `c` at `units` units.
    fn fixed(&self, c: &Candidate, units: u32) -> f64 {
        if c.staffed {
            personnel_usd(&personnel(self.catalog, self.workload, units, false)) + c.other_fixed_usd
        } else {
            c.other_fixed_usd
        }
    }

    /// `c` at `tokens` a month.
    fn point(&self, c: &Candidate, tokens: f64) -> Point {
        let serving = units_needed(tokens, c.sizing_factor(self.workload), c.tokens_per_month);
        let units = if serving == 0 {
            0
        } else {
            serving.saturating_add(c.spare_units)
        };
        Point {
            monthly_cost_usd: f64::from(units) * c.usd_per_month + self.fixed(c, units),
            units,
            name: c.name.clone(),
        }
    }

    /// The cheapest candidate at `tokens` a month.
    pub fn at(&self, tokens: f64) -> Point {
        self.candidates
            .iter()
            .map(|c| self.point(c, tokens))
            .min_by(|a, b| a.monthly_cost_usd.total_cmp(&b.monthly_cost_usd))
            .unwrap_or(Point {
                monthly_cost_usd: f64::INFINITY,
                units: 0,
                name: UnitName::Given,
            })
    }

    /// The smallest volume at which the cheapest candidate costs no more than the API at
    /// `api_usd_per_mtok`: the earliest of the candidates' own break-evens. A staffed
    /// candidate's fixed cost steps with its staffing row, so its break-even is solved again
    /// at the row of the units it lands on until it settles (rows only grow with units).
    pub fn crossover(&self, api_usd_per_mtok: f64) -> Crossover {
        self.candidates
            .iter()
            .map(|c| {
                let par = c.sizing_factor(self.workload);
                let mut units = 1;
                let mut x = Crossover::NEVER;
                for _ in 0..8 {
                    x = crossover(
                        api_usd_per_mtok,
                        c.usd_per_month,
                        c.tokens_per_month / par,
                        self.fixed(c, units) + f64::from(c.spare_units) * c.usd_per_month,
                    );
                    let Some(k) = x.units else { break };
                    let at = k.saturating_add(c.spare_units);
                    if !c.staffed || self.fixed(c, at) == self.fixed(c, units) {
                        break;
                    }
                    units = at;
                }
                x.units = x.units.map(|u| u.saturating_add(c.spare_units));
                x
            })
            .min_by(|a, b| {
                let key = |x: &Crossover| x.tokens_per_month.unwrap_or(f64::INFINITY);
                key(a).total_cmp(&key(b))
            })
            .unwrap_or(Crossover::NEVER)
    }
}
