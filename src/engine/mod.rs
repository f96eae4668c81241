//! The engine: pure functions from a catalog and a workload to an [`Analysis`]. No files,
//! printing, clock or environment here, and no words: the engine returns facts (enums with
//! their numbers and ids), and the report turns them into sentences.
//!
//! [`analyze`] runs the stages in order, each returning a new value:
//!
//! 1. the API plan and the self-hosted side (`cost`, `selfhost`: a deployment searched for
//!    from first principles with `serving` physics, or a packaged setup);
//! 2. the options priced at the workload's volume and checked against the constraints
//!    (`sides`, with `decision::constraints` and `decision::hybrid`);
//! 3. the recommendation (`decision`);
//! 4. the outlook: projection, sensitivity and Monte Carlo (`outlook`);
//! 5. what the result relied on (`provenance`).

pub mod analysis;
pub mod calibrate;
pub mod cost;
pub mod decision;
pub mod outlook;
pub mod pricing_diff;
pub mod provenance;
pub mod selfhost;
pub mod serving;
pub mod sides;
pub mod usage;

#[cfg(test)]
pub(crate) mod testing;

pub use analysis::{
    Analysis, ApiOption, Assumption, SelfHostOption, Source, SourceKind, VolumeRow,
};
pub use decision::volumes::sweep;

use crate::model::Named;
use crate::model::catalog::Catalog;
use crate::model::catalog::policy::Policy;
use crate::model::units::{fmt_count, fmt_tokens};
use crate::model::workload::Workload;
use crate::model::workload::uncertainty::Lever;
use cost::economics::{Economics, SmallTier};
use cost::{ApiPlan, Mix, api_plan, personnel_usd};

/// Why the engine could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    /// A price the workload needs is missing from the catalog.
    #[error("API {entry:?} has no {price}, but {} is {}; {fix}", because.0, because.1)]
    MissingPrice {
        /// The catalog entry.
        entry: String,
        /// The missing field.
        price: &'static str,
        /// Why it is needed: the workload field that asks for it, and its value.
        because: (&'static str, f64),
        /// How to fix it.
        fix: &'static str,
    },
    /// The workload names an id the catalog does not hold.
    #[error("unknown {what} {id:?}")]
    UnknownId {
        /// What kind of id.
        what: &'static str,
        /// The id.
        id: String,
    },
    /// A concurrency asked of a replica that holds fewer sequences.
    #[error(
        "--concurrency {concurrency}: one replica of {model} in {precision} on {tp} x {gpu} holds at most {max_batch} sequences of this request shape ({}); give at most {max_batch}{}",
        if *engine_cap { "the engine's cap on sequences or on tokens a step" } else { "the memory left for the KV cache" },
        if *engine_cap { "" } else { ", or more GPUs a replica" }
    )]
    ConcurrencyAboveBatch {
        /// The concurrency asked.
        concurrency: u32,
        /// The largest batch.
        max_batch: u32,
        /// The replica's model.
        model: String,
        /// Its precision.
        precision: String,
        /// Its GPUs.
        tp: u32,
        /// Its GPU.
        gpu: String,
        /// Whether the engine's cap, not memory, limits the batch.
        engine_cap: bool,
    },
    /// A benchmark of a deployment the sizing says cannot hold its model.
    #[error(
        "{model} in {precision} does not fit in the memory of {gpus} x {gpu}, so the runs were not made there; check --gpus (the benchmarked server's GPUs), --gpu and --precision"
    )]
    CalibrationDoesNotFit {
        /// Model id.
        model: String,
        /// Precision id.
        precision: String,
        /// GPUs given.
        gpus: u32,
        /// GPU id.
        gpu: String,
    },
    /// A benchmark that determines none of the engine's constants.
    #[error(
        "the benchmark's {runs} run(s) at {loads} distinct load(s) determine none of the engine's constants: each step constant moves their time per token too little, needs runs at more loads, or is traded against the others to the end of its range, and their times to first token give no launch time (no run at one stream, prompts short enough for CUDA graphs, or launches too small a share of it) and no wait at load (no run above one stream, a step of it too small a share, or more than 20 steps); benchmark several concurrencies, from 1 to the server's batch (e.g. 1, 8, 64, 256), with prompts of 1,000 tokens or more"
    )]
    NothingToCalibrate {
        /// Runs given.
        runs: usize,
        /// Distinct loads among them.
        loads: usize,
    },
    /// Some figure of the report would count more self-hosted units than the tool does.
    #[error(
        "at {}, the largest volume the report prices (its volume table, sweep, ranges, growth and projection), the self-hosted side would need {} units of {} tokens a month each (at the bottom of the throughput and utilization ranges), more than the {} the tool counts{}; check the volume, the growth and the unit's capacity",
        fmt_tokens(*tokens),
        fmt_count(*units),
        fmt_tokens(*capacity),
        fmt_count(MAX_UNITS),
        growth.map_or_else(String::new, |(rate, months, factor)| format!(
            "; that volume is the growth of {} a month over {months} months (x{}) on {}",
            crate::model::units::fmt_share(rate),
            fmt_count(factor),
            fmt_tokens(*tokens / factor)
        ))
    )]
    TooManyUnits {
        /// The volume, tokens a month.
        tokens: f64,
        /// The units it would need.
        units: f64,
        /// Tokens a month one unit serves.
        capacity: f64,
        /// The growth a month, the months and the factor, when growth makes the volume.
        growth: Option<(f64, u32, f64)>,
    },
}

/// The most self-hosted units (or replicas) any figure of a report may count, a hundred
/// million; a workload whose figures would need more is refused rather than counted wrong
/// (its GPUs, up to eight a replica, then still fit a 32-bit count).
pub const MAX_UNITS: f64 = 1e8;

/// Refuses a workload whose largest priced volume would need more than [`MAX_UNITS`] units:
/// the volume table's top row, the workload's volume at the top of its volume ranges and at
/// its last projected month, at the lowest capacity the ranges allow.
pub(crate) fn within_limits(
    policy: &Policy,
    workload: &Workload,
    unit: &cost::Unit,
    sweep_top: f64,
) -> Result<(), EngineError> {
    let ranges = || workload.ranges.iter().chain(&policy.sensitivity);
    let top = |lever: Lever| {
        ranges()
            .filter(|r| r.lever == lever)
            .map(|r| r.high)
            .fold(1.0, f64::max)
    };
    let low = |lever: Lever| {
        ranges()
            .filter(|r| r.lever == lever)
            .map(|r| r.low)
            .fold(1.0, f64::min)
    };
    let months = workload
        .horizon_months
        .unwrap_or(policy.horizon_months)
        .max(outlook::projection::TCO_MONTHS[2]);
    let growth = (1.0 + workload.growth_monthly).powf(f64::from(months.saturating_sub(1)));
    let grown = workload.tokens_per_month * top(Lever::Volume).max(growth);
    let tokens = policy
        .volumes
        .iter()
        .copied()
        .chain([sweep_top])
        .fold(grown, f64::max);
    let capacity = unit.tokens_per_month * low(Lever::Throughput) * low(Lever::Utilization);
    let units = tokens * unit.workload_factor(workload) / capacity;
    if units.is_finite() && units <= MAX_UNITS {
        return Ok(());
    }
    let by_growth = growth > top(Lever::Volume) && tokens == grown;
    Err(EngineError::TooManyUnits {
        tokens,
        units,
        capacity,
        growth: by_growth.then(|| (workload.growth_monthly, months.saturating_sub(1), growth)),
    })
}

/// How much of an analysis to work out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// All of it.
    Full,
    /// What the decision and its budget checks read: the volume table, the tornado, the
    /// break-even thresholds and the Monte Carlo are left empty.
    Decision,
}

/// Analyzes a workload against the catalog.
pub fn analyze(catalog: &Catalog, workload: &Workload) -> Result<Analysis, EngineError> {
    analyze_to(catalog, workload, Depth::Full)
}

/// Analyzes a workload against the catalog, to `depth`.
pub fn analyze_to(
    catalog: &Catalog,
    workload: &Workload,
    depth: Depth,
) -> Result<Analysis, EngineError> {
    let _memo = selfhost::memo::Scope::new(catalog);
    let policy = &catalog.policy;
    let workload = &cost::api::with_mix_split(catalog, workload)?;
    let (plan, mix) = api_plan(catalog, workload)?;
    let side = selfhost::side(catalog, workload)?;
    within_limits(policy, workload, &side.unit, 0.0)?;
    let economics = economics(workload, &plan, &mix, &side)?;
    let priced = sides::price(catalog, workload, (&plan, &mix), &side, (&economics, depth))?;
    let recommendation = decision::decide(&decision::Options {
        workload,
        policy,
        api: &priced.api,
        serverless: &priced.serverless,
        self_host: &priced.self_host,
        hybrids: &priced.hybrids,
        crossover: &priced.crossover,
    });
    let one_time = outlook::projection::OneTime {
        build_engineer_months: workload
            .build_engineer_months
            .unwrap_or(policy.build_engineer_months),
        engineer_usd_per_month: catalog
            .staffing
            .role_usd_per_month(cost::Role::MlEngineer.id()),
        months_to_production: workload
            .months_to_production
            .unwrap_or(policy.months_to_production),
    };
    let outlook = outlook::Outlook::new(
        &economics,
        workload,
        policy,
        &priced,
        &recommendation,
        (one_time, depth),
    );
    Ok(Analysis {
        workload: workload.clone(),
        policy: policy.clone(),
        assumptions: provenance::assumptions(catalog, workload, &side),
        sources: provenance::sources(catalog, &plan, &side),
        api: priced.api,
        serverless: priced.serverless,
        self_host: priced.self_host,
        hybrids: priced.hybrids,
        crossover: priced.crossover,
        volume_table: priced.volume_table,
        recommendation,
        projection: outlook.projection,
        sensitivity: outlook.sensitivity,
        uncertainty: outlook.uncertainty,
    })
}

/// The economics of a workload: rates, unit, fixed costs and the personnel in them.
fn economics<'a>(
    workload: &'a Workload,
    plan: &ApiPlan,
    mix: &Mix,
    side: &'a selfhost::Side,
) -> Result<Economics<'a>, EngineError> {
    Ok(Economics {
        volume: workload.tokens_per_month,
        input_share: workload.input_share,
        plan: plan.rates(mix)?,
        frontier: plan.frontier_only().rates(mix)?,
        frontier_share: workload.capability.frontier_share,
        unit: &side.unit,
        personnel_usd: personnel_usd(&side.unit.fixed_lines),
        unit_personnel_usd: personnel_usd(&side.unit.lines),
        traffic: &workload.traffic,
        batch_share: workload.batch_share,
        sensitive_share: workload.privacy.sensitive_share,
        dev_share: workload.dev_share,
        small: side.small.as_ref().map(|s| SmallTier {
            share: workload.capability.simple_share,
            unit: s.unit.clone(),
            multi_model_personnel_usd: s.multi_model_personnel_usd,
        }),
    })
}
