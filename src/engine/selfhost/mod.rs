//! The self-host side of a decision: a deployment sized from first principles (the default),
//! or one of the article's packaged setups, as a [`Unit`] the rest of the engine costs at any
//! volume; and, for packaged setups, a check of the article's assumption against physics.

pub mod physical;
pub mod remedies;
pub mod search;

use crate::engine::EngineError;
use crate::engine::cost::Unit;
use crate::model::pricing::{Catalog, Setup};
use crate::model::workload::Workload;
use search::{Deployment, Search};
use serde::Serialize;

/// How the self-host option was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Sized from the model, GPU and precision.
    Sized,
    /// A packaged setup from the catalog.
    Setup,
}

/// What the search looked at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchSummary {
    /// Configurations evaluated.
    pub evaluated: u32,
    /// Reasons configurations were rejected.
    pub rejected: Vec<String>,
}

/// The self-hosted side, before costing at the workload's volume.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    /// Sized or setup.
    pub kind: Kind,
    /// The unit.
    pub unit: Unit,
    /// The setup id, for a packaged setup.
    pub setup: Option<String>,
    /// The GPU of a unit, if known.
    pub gpu: Option<String>,
    /// The sized deployment.
    pub deployment: Option<Deployment>,
    /// What the search looked at.
    pub search: Option<SearchSummary>,
    /// What rules the side out (no deployment meets the requirements).
    pub blockers: Vec<String>,
    /// Things the user should know (the article's assumption fails physically, a fallback).
    pub notes: Vec<String>,
    /// Ways to meet a latency target the deployment misses, cheapest first.
    pub remedies: Vec<remedies::Remedy>,
    /// The small-model tier for three-tier complexity plans.
    pub small: Option<Small>,
}

/// The small-model tier: its unit (fixed costs excluded: two models share one team, costed
/// at the staffing table's multi-model row), its deployment and its name in routes.
#[derive(Debug, Clone, PartialEq)]
pub struct Small {
    /// One unit.
    pub unit: Unit,
    /// The sized deployment, for sized sides.
    pub deployment: Option<Deployment>,
    /// Its name in routes.
    pub target: String,
    /// Personnel of running two models, USD a month.
    pub multi_model_personnel_usd: f64,
}

/// Builds the small-model tier when the workload has simple traffic and frontier traffic.
pub fn small(catalog: &Catalog, workload: &Workload, main: &Side) -> Option<Small> {
    let c = &workload.capability;
    if c.simple_share <= 0.0 || c.frontier_share <= 0.0 {
        return None;
    }
    if main.kind == Kind::Setup {
        let mut unit = main.unit.clone();
        unit.fixed_usd_per_month = 0.0;
        unit.fixed_lines.clear();
        return Some(Small {
            target: format!(
                "{} (simple traffic shares the packaged setup)",
                main.setup.as_deref().unwrap_or("setup")
            ),
            unit,
            deployment: None,
            multi_model_personnel_usd: 0.0,
        });
    }
    let mut w = workload.clone();
    w.deployment.model = Some(c.small_model.clone());
    w.deployment.gpu = None;
    w.deployment.tp = None;
    w.deployment.gpus = None;
    w.tokens_per_month = workload.tokens_per_month * c.simple_share;
    let space = search::space(catalog, &w).ok()?;
    let found = search::search(catalog, &w, &space);
    let d = found.best.or(found.closest)?;
    let mut unit = d.unit(0.0);
    unit.fixed_usd_per_month = 0.0;
    unit.fixed_lines.clear();
    let units = main.unit.spare_units + 2;
    let people: f64 = crate::engine::cost::gpu::personnel(catalog, workload, units, true)
        .iter()
        .map(|l| l.usd_per_month)
        .sum();
    Some(Small {
        target: format!(
            "{} ({}) on {}",
            d.sizing.model, d.sizing.precision, d.sizing.gpu
        ),
        unit,
        deployment: Some(d),
        multi_model_personnel_usd: people,
    })
}

/// Builds the self-host side: a sized deployment unless a setup is named or the policy says
/// otherwise (the seed profile keeps the article's setups).
pub fn side(catalog: &Catalog, workload: &Workload) -> Result<Side, EngineError> {
    let mut side = main_side(catalog, workload)?;
    side.small = small(catalog, workload, &side);
    Ok(side)
}

fn main_side(catalog: &Catalog, workload: &Workload) -> Result<Side, EngineError> {
    let sized = !workload.setup_named
        && (workload.deployment.is_set() || catalog.policy.self_host.sized_by_default)
        && !catalog.gpus.is_empty();
    let setup = catalog
        .setup(&workload.setup)
        .ok_or_else(|| EngineError::UnknownId {
            what: "setup id",
            id: workload.setup.clone(),
        })?;
    if !sized {
        return Ok(from_setup(catalog, workload, setup));
    }
    let space = search::space(catalog, workload)?;
    let search: Search = search::search(catalog, workload, &space);
    let summary = SearchSummary {
        evaluated: search.evaluated,
        rejected: search.rejected.clone(),
    };
    let fixed = workload.self_host_fixed_usd_per_month;
    match (search.best, search.closest) {
        (Some(d), _) => Ok(Side {
            kind: Kind::Sized,
            unit: d.unit(fixed),
            setup: None,
            gpu: Some(d.sizing.gpu.clone()),
            deployment: Some(d),
            search: Some(summary),
            blockers: Vec::new(),
            notes: Vec::new(),
            remedies: Vec::new(),
            small: None,
        }),
        (None, Some(d)) => {
            let remedies = if workload.latency.is_some() {
                remedies::remedies(catalog, workload, &space)
            } else {
                Vec::new()
            };
            let fix = match remedies.first() {
                Some(r) => format!(
                    "; the cheapest way to meet the target{} is {}: {} at {} a month",
                    if r.changes_model { "" } else { " with the same model" },
                    r.change,
                    search::describe(&r.deployment),
                    crate::model::units::fmt_usd(r.deployment.monthly_cost_usd)
                ),
                None if workload.latency.is_some() => {
                    "; no GPU, tensor-parallel degree, smaller model or lower utilization in the catalog meets the target".into()
                }
                None => String::new(),
            };
            Ok(Side {
                kind: Kind::Sized,
                unit: d.unit(fixed),
                setup: None,
                gpu: Some(d.sizing.gpu.clone()),
                blockers: vec![format!(
                    "no deployment of {} meets every requirement ({}); the closest is {}{fix}",
                    space.model.id,
                    summary.rejected.join("; "),
                    search::describe(&d)
                )],
                deployment: Some(d),
                search: Some(summary),
                notes: Vec::new(),
                remedies,
                small: None,
            })
        }
        (None, None) => {
            // Nothing asked for can serve: take the cheapest single change that can.
            let mut remedies = remedies::remedies(catalog, workload, &space);
            if !remedies.is_empty() {
                let r = remedies.remove(0);
                return Ok(Side {
                    kind: Kind::Sized,
                    unit: r.deployment.unit(fixed),
                    setup: None,
                    gpu: Some(r.deployment.sizing.gpu.clone()),
                    notes: vec![format!(
                        "No deployment as asked can serve this workload ({}); the cheapest single change that can is {}: {}.",
                        summary.rejected.join("; "),
                        r.change,
                        search::describe(&r.deployment)
                    )],
                    deployment: Some(r.deployment),
                    search: Some(summary),
                    blockers: Vec::new(),
                    remedies,
                    small: None,
                });
            }
            let mut side = from_setup(catalog, workload, setup);
            side.notes.insert(
                0,
                format!(
                    "No deployment of {} could be sized and priced ({}); the packaged setup {} stands in.",
                    space.model.id,
                    summary.rejected.join("; "),
                    setup.id
                ),
            );
            side.search = Some(summary);
            Ok(side)
        }
    }
}

fn from_setup(catalog: &Catalog, workload: &Workload, setup: &Setup) -> Side {
    Side {
        kind: Kind::Setup,
        unit: Unit::from_setup(setup, workload.self_host_fixed_usd_per_month),
        setup: Some(setup.id.clone()),
        gpu: setup.gpu.clone(),
        deployment: None,
        search: None,
        blockers: Vec::new(),
        notes: physical::physical_check(catalog, workload, setup)
            .into_iter()
            .collect(),
        remedies: Vec::new(),
        small: None,
    }
}
