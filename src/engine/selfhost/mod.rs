//! The self-host side of a decision: a deployment sized from first principles (the default),
//! or one of the article's packaged setups, as a [`Unit`] the rest of the engine costs at any
//! volume; and, for packaged setups, a check of the article's assumption against physics.

pub mod deployment;
pub mod matching;
pub mod memo;
pub mod physical;
mod plan;
pub mod remedies;
pub mod search;

use crate::engine::EngineError;
use crate::engine::cost::curve::Candidate;
use crate::engine::cost::{
    Basis, Item, Line, Unit, UnitName, fixed_line, personnel_usd, unit_cost,
};
use crate::engine::serving::latency;
use crate::model::catalog::hardware::PriceKind;
use crate::model::catalog::{Catalog, Setup};
use crate::model::workload::{Phase, Workload};
use matching::TierMatch;
use physical::PhysicalCheck;
use remedies::{Change, Remedy};
use search::{Deployment, Rejected, Summary};
use serde::Serialize;

/// How the self-host option was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Sized from the model, GPU and precision.
    Sized,
    /// A packaged setup from the catalog.
    Setup,
    /// A unit's cost or capacity given by the workload (`--self-host-cost`,
    /// `--self-host-capacity`): `units x cost + fixed`, nothing else added.
    Given,
}

/// What the search looked at.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchSummary {
    /// Configurations evaluated.
    pub evaluated: u32,
    /// Why configurations were rejected, by kind.
    pub rejected: Vec<Rejected>,
    /// Cloud offers the workload's privacy excludes, by provider.
    pub excluded: Vec<crate::engine::cost::gpu::Excluded>,
}

/// What a self-hosted route serves on: a packaged setup, the small tier sharing it, or a sized
/// deployment.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A packaged setup, by id.
    Setup(String),
    /// Simple traffic on the same packaged setup, by id.
    SharedSetup(String),
    /// A sized deployment of a model in a precision on a GPU.
    Deployment {
        /// Model id.
        model: String,
        /// Precision id.
        precision: String,
        /// GPU id.
        gpu: String,
    },
}

impl Target {
    fn of(d: &Deployment) -> Target {
        Target::Deployment {
            model: d.sizing.model.clone(),
            precision: d.sizing.precision.clone(),
            gpu: d.sizing.gpu.clone(),
        }
    }
}

/// Why no deployment is offered as asked: nothing meets every requirement.
#[derive(Debug, Clone, PartialEq)]
pub struct NoDeployment {
    /// The model searched for.
    pub model: String,
    /// Why configurations were rejected.
    pub rejected: Vec<Rejected>,
    /// The fastest deployment that fits as asked but misses the latency target, shown instead;
    /// `None` when nothing as asked fits and can be priced.
    pub closest: Option<Summary>,
    /// What would make it work.
    pub fix: Fix,
}

/// The way out, if any.
#[derive(Debug, Clone, PartialEq)]
pub enum Fix {
    /// The cheapest single change that works.
    Change {
        /// The change.
        change: Change,
        /// Whether it keeps the model.
        same_model: bool,
        /// The deployment it gives.
        deployment: Summary,
    },
    /// No single change in the catalog meets the target.
    Nothing,
    /// The workload has no latency target to meet.
    NoTarget,
}

/// Where one figure of a given unit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureFrom {
    /// The workload gives it.
    Given,
    /// The replica sized for the workload.
    Sized,
    /// The packaged setup.
    Setup,
}

/// Something the user should know about the self-hosted side.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    /// The workload's own figures define the side.
    Given {
        /// Cost of a unit, USD a month.
        unit_usd: f64,
        /// Where it came from.
        unit_usd_from: FigureFrom,
        /// Tokens a month a unit serves.
        capacity: f64,
        /// Where it came from.
        capacity_from: FigureFrom,
        /// The workload's fixed cost, USD a month.
        fixed_usd: f64,
        /// What the sized side would have added and the given side leaves out (personnel,
        /// spare units), USD a month at the workload's volume.
        left_out_usd: f64,
    },
    /// The article's packaged setup checked against physics.
    Physical(PhysicalCheck),
    /// Nothing as asked can serve; the cheapest single change that can is used.
    Changed {
        /// Why configurations were rejected.
        rejected: Vec<Rejected>,
        /// The change.
        change: Change,
        /// The deployment it gives.
        deployment: Summary,
    },
    /// The deployment rents spot GPUs for production or always-on traffic: the provider may
    /// take them back at any time.
    SpotPreemption {
        /// The GPU.
        gpu: String,
        /// The provider.
        provider: String,
    },
    /// The deployment's reserved price commits to longer than the horizon the report looks at.
    Commitment {
        /// The commitment, months.
        months: u32,
        /// The horizon, months.
        horizon: u32,
    },
    /// Nothing could be sized and priced; the packaged setup stands in.
    SetupStandsIn {
        /// The model searched for.
        model: String,
        /// Why configurations were rejected.
        rejected: Vec<Rejected>,
        /// The setup id.
        setup: String,
    },
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
    /// Why no deployment meets every requirement, when none does.
    pub no_deployment: Option<NoDeployment>,
    /// Things the user should know (the article's assumption fails physically, a fallback).
    pub notes: Vec<Note>,
    /// Ways to meet a latency target the deployment misses, cheapest first.
    pub remedies: Vec<Remedy>,
    /// The small-model tier for three-tier complexity plans.
    pub small: Option<Small>,
    /// Every way to self-host that serves the workload as asked, for its cost at other
    /// volumes (the volume table, the sweeps, the break-even): the unit above among them.
    pub candidates: Vec<Candidate>,
    /// The capability tiers of the API and of the sized deployment's model.
    pub tiers: Option<TierMatch>,
}

impl Side {
    /// What the side's self-hosted routes serve on.
    pub fn target(&self) -> Target {
        match (&self.setup, &self.deployment) {
            (Some(id), _) => Target::Setup(id.clone()),
            (None, Some(d)) => Target::of(d),
            (None, None) => Target::Setup(String::new()),
        }
    }

    /// A side of `kind` costed at `unit`, with nothing else known yet.
    fn new(kind: Kind, unit: Unit) -> Side {
        Side {
            kind,
            candidates: vec![Candidate::fixed(&unit)],
            unit,
            setup: None,
            gpu: None,
            deployment: None,
            search: None,
            no_deployment: None,
            notes: Vec::new(),
            remedies: Vec::new(),
            small: None,
            tiers: None,
        }
    }

    fn sized(d: Deployment, fixed: f64, search: SearchSummary) -> Side {
        let unit = d.unit(fixed);
        Side {
            candidates: vec![Candidate::staffed(&unit, fixed)],
            gpu: Some(d.sizing.gpu.clone()),
            deployment: Some(d),
            search: Some(search),
            ..Side::new(Kind::Sized, unit)
        }
    }
}

/// The small-model tier: its unit (fixed costs excluded: two models share one team, costed
/// at the staffing table's multi-model row), its deployment and its name in routes.
#[derive(Debug, Clone, PartialEq)]
pub struct Small {
    /// One unit.
    pub unit: Unit,
    /// The sized deployment, for sized sides.
    pub deployment: Option<Deployment>,
    /// What its routes serve on.
    pub target: Target,
    /// Personnel of running two models, USD a month.
    pub multi_model_personnel_usd: f64,
}

/// Builds the small-model tier when the workload has simple traffic and frontier traffic.
pub fn small(catalog: &Catalog, workload: &Workload, main: &Side) -> Option<Small> {
    let c = &workload.capability;
    if c.simple_share <= 0.0 || c.frontier_share <= 0.0 {
        return None;
    }
    if main.kind != Kind::Sized {
        let mut unit = main.unit.clone();
        unit.fixed_usd_per_month = 0.0;
        unit.fixed_lines.clear();
        return Some(Small {
            target: Target::SharedSetup(main.setup.clone().unwrap_or_default()),
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
    let people = personnel_usd(&crate::engine::cost::gpu::personnel(
        catalog, workload, units, true,
    ));
    Some(Small {
        target: Target::of(&d),
        unit,
        deployment: Some(d),
        multi_model_personnel_usd: people,
    })
}

/// Builds the self-host side: the workload's own unit when it gives one, else a sized
/// deployment unless a setup is named or the policy says otherwise (the seed profile keeps
/// the article's setups).
pub fn side(catalog: &Catalog, workload: &Workload) -> Result<Side, EngineError> {
    let given = workload.given_unit;
    let mut side = if given.complete() {
        given_side(workload, None)
    } else if given.any() {
        let base = main_side(catalog, workload)?;
        given_side(workload, Some(base))
    } else {
        main_side(catalog, workload)?
    };
    side.small = small(catalog, workload, &side);
    side.tiers = side
        .deployment
        .as_ref()
        .and_then(|d| catalog.model(&d.sizing.model))
        .and_then(|m| matching::tiers(catalog, workload, m));
    side.notes.extend(price_kind_note(catalog, workload, &side));
    Ok(side)
}

/// What the rented price's kind means for this workload: spot GPUs can be taken back, which
/// production and always-on traffic cannot absorb; a reservation binds for its whole term,
/// even past the horizon the report looks at.
fn price_kind_note(catalog: &Catalog, workload: &Workload, side: &Side) -> Option<Note> {
    let d = side.deployment.as_ref()?;
    let price = d.gpu_cost.price.as_ref()?;
    let horizon = workload
        .horizon_months
        .unwrap_or(catalog.policy.horizon_months);
    let term = |months: u32| (months > horizon).then_some(Note::Commitment { months, horizon });
    match price.kind {
        PriceKind::Spot if workload.phase == Phase::Production || workload.always_on => {
            Some(Note::SpotPreemption {
                gpu: d.sizing.gpu.clone(),
                provider: price.provider.clone(),
            })
        }
        PriceKind::Reserved1y => term(12),
        PriceKind::Reserved3y => term(36),
        _ => None,
    }
}

/// The side the workload's figures define: `units x cost + fixed`, no personnel, no spares. A
/// figure it does not give comes from `base` (the sized replica or the packaged setup), whose
/// deployment stays for the latency estimate.
fn given_side(workload: &Workload, base: Option<Side>) -> Side {
    let g = workload.given_unit;
    let fixed = workload.self_host_fixed_usd_per_month;
    let base_from = match base.as_ref().map(|b| b.kind) {
        Some(Kind::Setup) => FigureFrom::Setup,
        _ => FigureFrom::Sized,
    };
    let pick = |given: Option<f64>, base: f64| match given {
        Some(v) => (v, FigureFrom::Given),
        None => (base, base_from),
    };
    let (unit_usd, unit_usd_from) = pick(
        g.usd_per_month,
        base.as_ref().map_or(0.0, |b| b.unit.usd_per_month),
    );
    let (capacity, capacity_from) = pick(
        g.tokens_per_month,
        base.as_ref().map_or(0.0, |b| b.unit.tokens_per_month),
    );
    let lines = match (&base, unit_usd_from) {
        (Some(b), FigureFrom::Sized | FigureFrom::Setup) => b.unit.lines.clone(),
        _ => vec![Line {
            item: Item::Named("unit".into()),
            usd_per_month: unit_usd,
            basis: Basis::GivenUnitCost,
        }],
    };
    let left_out_usd = base.as_ref().map_or(0.0, |b| {
        let full = unit_cost(
            &b.unit,
            workload.tokens_per_month,
            b.unit.workload_factor(workload),
        );
        let bare = f64::from(full.units - full.spare_units) * b.unit.usd_per_month;
        (full.monthly_cost_usd - bare - fixed).max(0.0)
    });
    let name = match &base {
        Some(b) if capacity_from != FigureFrom::Given || unit_usd_from != FigureFrom::Given => {
            b.unit.name.clone()
        }
        _ => UnitName::Given,
    };
    let unit = Unit {
        name,
        usd_per_month: unit_usd,
        tokens_per_month: capacity,
        lines,
        fixed_usd_per_month: fixed,
        fixed_lines: fixed_line(fixed),
        spare_units: 0,
        // The sized replica's batch capacity goes with its capacity; a capacity given is
        // what a unit serves, batch work included.
        batch_tokens_per_month: match (&base, capacity_from) {
            (Some(b), FigureFrom::Sized | FigureFrom::Setup) => b.unit.batch_tokens_per_month,
            _ => None,
        },
    };
    let note = Note::Given {
        unit_usd,
        unit_usd_from,
        capacity,
        capacity_from,
        fixed_usd: fixed,
        left_out_usd,
    };
    let mut side = base.unwrap_or_else(|| Side::new(Kind::Given, unit.clone()));
    side.kind = Kind::Given;
    side.candidates = vec![Candidate::fixed(&unit)];
    side.unit = unit;
    // The article's capacity claim is moot once the capacity is the workload's.
    if capacity_from == FigureFrom::Given {
        side.notes.retain(|n| !matches!(n, Note::Physical(_)));
    }
    side.notes.insert(0, note);
    side
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
    let groups = matching::spaces(catalog, workload)?;
    // A target the network round trip alone misses cannot be met by any deployment: the
    // cheapest one is sized and costed, and the latency blocker says why.
    let floor = latency::self_host(
        &catalog.policy,
        None,
        search::shape(workload, &catalog.policy).output_tokens,
        workload.latency.as_ref(),
    );
    let mut relaxed = workload.clone();
    if floor.meets_target == Some(false) {
        relaxed.latency = None;
    }
    let Some((search, space)) = matching::first_serving(catalog, &relaxed, &groups) else {
        return Ok(from_setup(catalog, workload, setup));
    };
    let summary = SearchSummary {
        evaluated: search.evaluated,
        rejected: search.rejected.clone(),
        excluded: space.excluded_offers(&catalog.policy.self_host),
    };
    let fixed = workload.self_host_fixed_usd_per_month;
    Ok(match (search.best, search.closest) {
        (Some(d), _) => {
            let mut side = Side::sized(d, fixed, summary);
            side.candidates = crate::engine::cost::curve::undominated(search.passing, workload);
            side
        }
        (None, Some(d)) => closest_miss(catalog, workload, space, d, summary),
        (None, None) => nothing_as_asked(catalog, workload, setup, space, summary),
    })
}

/// Nothing as asked can serve. The cheapest single change that can is taken when it replaces
/// nothing the workload asked for (a lower planned utilization; a smaller model only when
/// nothing was asked of the deployment), with a note; otherwise self-hosting is ruled out, costed at the nearest deployment that works, and the
/// changes are listed as advice. With no change in the catalog that works, the packaged setup
/// stands in for the costs.
fn nothing_as_asked(
    catalog: &Catalog,
    workload: &Workload,
    setup: &Setup,
    space: &search::Space,
    summary: SearchSummary,
) -> Side {
    let fixed = workload.self_host_fixed_usd_per_month;
    let mut remedies = remedies::remedies(catalog, workload, space);
    let asked = &workload.deployment;
    // Asked for a deployment, the model stays too: a smaller model is a different answer.
    let applies = |r: &remedies::Remedy| {
        let keeps_model = !(asked.is_set() && r.changes_model);
        keeps_model && !r.change.overrides(asked)
    };
    if let Some(i) = remedies.iter().position(applies) {
        let r = remedies.remove(i);
        let note = Note::Changed {
            rejected: summary.rejected.clone(),
            change: r.change,
            deployment: r.deployment.summary(),
        };
        let mut side = Side::sized(r.deployment, fixed, summary);
        side.notes.push(note);
        side.remedies = remedies;
        return side;
    }
    let too_long = summary
        .rejected
        .iter()
        .any(|r| matches!(r.kind, search::RejectionKind::ExceedsContext { .. }));
    let no_deployment = NoDeployment {
        model: space.model.id.clone(),
        rejected: summary.rejected.clone(),
        closest: None,
        fix: remedies.first().map_or(Fix::Nothing, |r| Fix::Change {
            change: r.change.clone(),
            same_model: !r.changes_model,
            deployment: r.deployment.summary(),
        }),
    };
    let mut side = if remedies.is_empty() {
        let mut side = from_setup(catalog, workload, setup);
        side.notes.insert(
            0,
            Note::SetupStandsIn {
                model: space.model.id.clone(),
                rejected: summary.rejected.clone(),
                setup: setup.id.clone(),
            },
        );
        side.search = Some(summary);
        side
    } else {
        let nearest = remedies[0].deployment.clone();
        Side::sized(nearest, fixed, summary)
    };
    // (Asked for nothing, a remedy would have been taken above; the setup standing in is
    // then only a fallback.) Asked for something, self-hosting as asked is ruled out; so it is
    // when the request is longer than the model's context window: no setup can serve it.
    if asked.is_set() || too_long {
        side.no_deployment = Some(no_deployment);
    }
    side.remedies = remedies;
    side
}

/// Nothing meets every requirement: the fastest fit, ruled out, with the ways to meet the
/// latency target.
fn closest_miss(
    catalog: &Catalog,
    workload: &Workload,
    space: &search::Space,
    d: Deployment,
    summary: SearchSummary,
) -> Side {
    let remedies = if workload.latency.is_some() {
        remedies::remedies(catalog, workload, space)
    } else {
        Vec::new()
    };
    let fix = match remedies.first() {
        Some(r) => Fix::Change {
            change: r.change.clone(),
            same_model: !r.changes_model,
            deployment: r.deployment.summary(),
        },
        None if workload.latency.is_some() => Fix::Nothing,
        None => Fix::NoTarget,
    };
    let no_deployment = NoDeployment {
        model: space.model.id.clone(),
        rejected: summary.rejected.clone(),
        closest: Some(d.summary()),
        fix,
    };
    let mut side = Side::sized(d, workload.self_host_fixed_usd_per_month, summary);
    side.no_deployment = Some(no_deployment);
    side.remedies = remedies;
    side
}

fn from_setup(catalog: &Catalog, workload: &Workload, setup: &Setup) -> Side {
    let unit = Unit::from_setup(setup, workload.self_host_fixed_usd_per_month);
    Side {
        setup: Some(setup.id.clone()),
        gpu: setup.gpu.clone(),
        notes: physical::physical_check(catalog, workload, setup)
            .into_iter()
            .map(Note::Physical)
            .collect(),
        ..Side::new(Kind::Setup, unit)
    }
}
