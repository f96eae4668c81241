//! Both sides' monthly cost at other volumes: the volume table (the policy's volumes and the
//! workload's own) and the sweeps behind the crossover chart, with the same API plan, token
//! mix and self-hosted unit as the workload (the unit count steps with the volume).

use super::winner;
use crate::engine::EngineError;
use crate::engine::analysis::VolumeRow;
use crate::engine::cost::curve::Curve;
use crate::engine::cost::{ApiPlan, Mix, api_plan};
use crate::engine::selfhost;
use crate::model::catalog::Catalog;
use crate::model::catalog::policy::Policy;
use crate::model::decision::{Choice, Winner};
use crate::model::workload::Workload;

/// The volume table: the policy's volumes and the workload's own.
pub fn volume_table(
    policy: &Policy,
    workload: &Workload,
    plan: &ApiPlan,
    mix: &Mix,
    curve: &Curve,
) -> Result<Vec<VolumeRow>, EngineError> {
    let mut volumes: Vec<f64> = policy.volumes.clone();
    if !volumes.contains(&workload.tokens_per_month) {
        volumes.push(workload.tokens_per_month);
    }
    volumes.sort_by(f64::total_cmp);
    volume_rows(policy, workload, plan, mix, curve, &volumes)
}

/// Both sides' monthly cost at each volume.
pub fn sweep(
    catalog: &Catalog,
    workload: &Workload,
    volumes: &[f64],
) -> Result<Vec<VolumeRow>, EngineError> {
    // Matched and priced as the decision is: a mix split by tier first.
    let workload = &crate::engine::cost::api::with_mix_split(catalog, workload)?;
    let (plan, mix) = api_plan(catalog, workload)?;
    let side = selfhost::side(catalog, workload)?;
    let top = volumes.iter().copied().fold(0.0, f64::max);
    crate::engine::within_limits(&catalog.policy, workload, &side.unit, top)?;
    let curve = Curve {
        candidates: &side.candidates,
        catalog,
        workload,
    };
    volume_rows(&catalog.policy, workload, &plan, &mix, &curve, volumes)
}

/// `steps` volumes from `lo` to `hi`, log-spaced or even, with `own` added in order.
pub fn sweep_volumes(lo: f64, hi: f64, steps: u32, log: bool, own: Option<f64>) -> Vec<f64> {
    let n = steps.max(2);
    let mut v: Vec<f64> = (0..n)
        .map(|i| {
            let f = f64::from(i) / f64::from(n - 1);
            let x = if log {
                (lo.ln() + f * (hi.ln() - lo.ln())).exp()
            } else {
                lo + f * (hi - lo)
            };
            // Round to 4 significant figures so the table reads cleanly.
            let mag = 10f64.powf(x.log10().floor() - 3.0);
            (x / mag).round() * mag
        })
        .collect();
    if let Some(own) = own
        && own >= lo
        && own <= hi
        && !v.contains(&own)
    {
        v.push(own);
    }
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

fn volume_rows(
    policy: &Policy,
    workload: &Workload,
    plan: &ApiPlan,
    mix: &Mix,
    curve: &Curve,
    volumes: &[f64],
) -> Result<Vec<VolumeRow>, EngineError> {
    let v = workload.tokens_per_month;
    volumes
        .iter()
        .map(|&tokens| {
            let api = plan.cost(mix, tokens)?.monthly_cost_usd;
            let sh = curve.at(tokens);
            Ok(VolumeRow {
                tokens_per_month: tokens,
                api_monthly_cost_usd: api,
                self_host_monthly_cost_usd: sh.monthly_cost_usd,
                self_host_units: sh.units,
                self_host_unit: sh.name,
                winner: match winner(api, sh.monthly_cost_usd, policy.tie_band) {
                    None => Winner::Tie,
                    Some(Choice::Api) => Winner::Api,
                    Some(_) => Winner::SelfHost,
                },
                is_workload: tokens == v,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::sweep_volumes as volumes;

    #[test]
    fn volumes_are_log_or_even_and_include_the_workload() {
        assert_eq!(
            volumes(10e6, 10e9, 4, true, Some(800e6)),
            [10e6, 100e6, 800e6, 1e9, 10e9]
        );
        assert_eq!(volumes(1e9, 3e9, 3, false, Some(2e9)), [1e9, 2e9, 3e9]);
        // 10M..1B in 3 log steps: 10M, 100M, 1B; 4 significant figures.
        assert_eq!(volumes(10e6, 1e9, 3, true, Some(5e12)), [10e6, 100e6, 1e9]);
        // No volume of the user's: the steps alone.
        assert_eq!(volumes(10e6, 10e9, 4, true, None), [10e6, 100e6, 1e9, 10e9]);
    }
}
