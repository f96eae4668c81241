//! The outlook beyond one month at one volume: costs month by month as the volume grows and API
//! prices fall, with the total cost of ownership (`projection`); which assumptions move the
//! answer and where it flips (`sensitivity`); and a seeded Monte Carlo over the uncertain
//! assumptions (`montecarlo`). All three cost the options through `cost::economics`.

pub mod montecarlo;
pub mod projection;
pub mod sensitivity;

use crate::engine::cost::economics::Economics;
use crate::engine::decision::{Recommendation, best_hybrid};
use crate::engine::sides::Priced;
use crate::model::catalog::policy::Policy;
use crate::model::workload::Workload;
use montecarlo::{OptionId, Uncertainty};
use projection::Projection;
use sensitivity::{Range, Sensitivity};

/// The outlook of a decision.
pub struct Outlook {
    /// Month by month as the volume grows.
    pub projection: Projection,
    /// Tornado and break-even thresholds.
    pub sensitivity: Sensitivity,
    /// Monte Carlo over the uncertain assumptions.
    pub uncertainty: Uncertainty,
}

impl Outlook {
    /// Projects, tests the sensitivity of, and simulates the options of a decision; the
    /// projection follows the recommended hybrid, or the cheapest feasible one. To
    /// [`Depth::Decision`](crate::engine::Depth), only the projection: no tornado, threshold or
    /// draw.
    pub fn new(
        economics: &Economics,
        workload: &Workload,
        policy: &Policy,
        priced: &Priced,
        recommendation: &Recommendation,
        (one_time, depth): (projection::OneTime, crate::engine::Depth),
    ) -> Outlook {
        let full = depth == crate::engine::Depth::Full;
        let hybrid = recommendation
            .pattern
            .or_else(|| best_hybrid(&priced.hybrids).map(|h| h.pattern));
        let projection = projection::project(
            economics,
            &projection::Settings {
                growth_monthly: workload.growth_monthly,
                api_price_decline_yearly: workload
                    .api_price_decline_yearly
                    .unwrap_or(policy.api_price_decline_yearly),
                horizon_months: workload.horizon_months.unwrap_or(policy.horizon_months),
                start_planning_usd: policy.start_planning_usd_per_month,
                ready_to_switch_usd: policy.ready_to_switch_usd_per_month,
                one_time,
            },
            hybrid,
        );
        let tornado = tornado_ranges(policy, workload);
        let ranges = if workload.ranges.is_empty() {
            tornado.clone()
        } else {
            workload.ranges.clone()
        };
        Outlook {
            projection,
            sensitivity: sensitivity::sensitivity(economics, if full { &tornado } else { &[] }),
            uncertainty: montecarlo::Uncertainty {
                excluded: ruled_out(priced).into_iter().map(OptionId::name).collect(),
                ..montecarlo::simulate(
                    economics,
                    &feasible(priced),
                    &ranges,
                    if full {
                        workload.draws.unwrap_or(policy.monte_carlo_draws)
                    } else {
                        0
                    },
                    workload.seed.unwrap_or(policy.monte_carlo_seed),
                )
            },
        }
    }
}

/// The tornado's ranges: the policy's, with the workload's input share as the likely mix and
/// any range the workload gives for a lever instead of the policy's.
fn tornado_ranges(policy: &Policy, w: &Workload) -> Vec<Range> {
    policy
        .sensitivity
        .iter()
        .map(|r| match w.ranges.iter().find(|x| x.lever == r.lever) {
            Some(own) => *own,
            None if r.lever.is_share() => Range {
                likely: w.input_share.clamp(r.low, r.high),
                ..*r
            },
            None => *r,
        })
        .collect()
}

/// The options nothing rules out, for the Monte Carlo.
fn feasible(p: &Priced) -> Vec<OptionId> {
    options(p, true)
}

/// The options something rules out, which the Monte Carlo leaves out.
fn ruled_out(p: &Priced) -> Vec<OptionId> {
    options(p, false)
}

/// The options that are feasible (`true`) or ruled out (`false`).
fn options(p: &Priced, feasible: bool) -> Vec<OptionId> {
    let mut out = Vec::new();
    if p.api.blockers.is_empty() == feasible {
        out.push(OptionId::Api);
    }
    if p.self_host.blockers.is_empty() == feasible {
        out.push(OptionId::SelfHost);
    }
    out.extend(
        p.hybrids
            .iter()
            .filter(|h| h.blockers.is_empty() == feasible)
            .map(|h| OptionId::Hybrid(h.pattern)),
    );
    out
}
