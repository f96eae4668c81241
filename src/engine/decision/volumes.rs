//! Both sides' monthly cost at other volumes: the volume table (the policy's volumes and the
//! workload's own) and the sweeps behind the crossover chart, with the same API plan, token
//! mix and self-hosted unit as the workload (the unit count steps with the volume).

use super::winner;
use crate::engine::EngineError;
use crate::engine::analysis::VolumeRow;
use crate::engine::cost::{ApiPlan, Mix, Unit, api_plan, unit_cost};
use crate::engine::selfhost;
use crate::model::decision::{Choice, Winner};
use crate::model::policy::Policy;
use crate::model::pricing::Catalog;
use crate::model::workload::Workload;

/// The volume table: the policy's volumes and the workload's own.
pub fn volume_table(
    policy: &Policy,
    workload: &Workload,
    plan: &ApiPlan,
    mix: &Mix,
    unit: &Unit,
) -> Result<Vec<VolumeRow>, EngineError> {
    let mut volumes: Vec<f64> = policy.volumes.clone();
    if !volumes.contains(&workload.tokens_per_month) {
        volumes.push(workload.tokens_per_month);
    }
    volumes.sort_by(f64::total_cmp);
    volume_rows(policy, workload, plan, mix, unit, &volumes)
}

/// Both sides' monthly cost at each volume.
pub fn sweep(
    catalog: &Catalog,
    workload: &Workload,
    volumes: &[f64],
) -> Result<Vec<VolumeRow>, EngineError> {
    let (plan, mix) = api_plan(catalog, workload)?;
    let side = selfhost::side(catalog, workload)?;
    volume_rows(&catalog.policy, workload, &plan, &mix, &side.unit, volumes)
}

fn volume_rows(
    policy: &Policy,
    workload: &Workload,
    plan: &ApiPlan,
    mix: &Mix,
    unit: &Unit,
    volumes: &[f64],
) -> Result<Vec<VolumeRow>, EngineError> {
    let v = workload.tokens_per_month;
    let par = workload.traffic.peak_to_average();
    volumes
        .iter()
        .map(|&tokens| {
            let api = plan.cost(mix, tokens)?.monthly_cost_usd;
            let sh = unit_cost(unit, tokens, par);
            Ok(VolumeRow {
                tokens_per_month: tokens,
                api_monthly_cost_usd: api,
                self_host_monthly_cost_usd: sh.monthly_cost_usd,
                self_host_units: sh.units,
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
