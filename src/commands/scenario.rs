//! Scenario files for the commands that decide: a file, or the name of a ready-made one, read
//! and resolved against the catalog (flags on top), each problem reported with those found
//! while resolving, in file order.

use crate::input::{self, scenario};
use crate::model::catalog::Catalog;
use crate::model::problem::{InputError, Problem};
use crate::model::workload::spec::{PriceOverrides, Sourced, WorkloadSpec};
use crate::model::workload::{Budget, Workload};
use crate::report::{InputFile, Report};
use crate::{RunError, SCENARIOS, engine};

/// The workload of the main command: a scenario (or none) with the flags on top, and the
/// catalog with the price flags applied.
pub(super) fn flag_workload(
    catalog: Catalog,
    scenario: Option<&str>,
    flags: &WorkloadSpec,
    prices: &PriceOverrides,
) -> Result<(Catalog, Workload, Vec<InputFile>), RunError> {
    let (spec, inputs, name, prior) = flag_spec(scenario, flags)?;
    let workload = resolve(&spec, prior, &catalog, &name)?;
    let mut catalog = catalog;
    input::pricing::overrides::apply_overrides(&mut catalog, &workload, prices);
    Ok((catalog, workload, inputs))
}

/// Usage exports given to the main command or `check` (`--usage`), and the fields of a log of
/// one request a row (`--usage-map`).
pub(super) struct UsageInput<'a> {
    /// Files, folders or a postgres:// URL.
    pub files: &'a [String],
    /// `--usage-map`, as typed.
    pub map: Option<&'a str>,
}

/// The workload usage exports describe (the scenario `usage --write-scenario` writes, read as
/// one), with the flags on top, and the calendar months observed; the exports are the run's
/// inputs.
pub(super) fn usage_workload(
    catalog: Catalog,
    usage: &UsageInput,
    flags: &WorkloadSpec,
    prices: &PriceOverrides,
) -> Result<
    (
        Catalog,
        Workload,
        Vec<InputFile>,
        Vec<engine::usage::MonthUsage>,
    ),
    RunError,
> {
    let source = super::catalog::Source {
        map: super::catalog::field_map(usage.map, "--usage-map")?,
        ..super::catalog::Source::files(usage.files)
    };
    let (report, digests) = super::catalog::usage_report(&source, &catalog, true)?;
    let text = crate::report::view::usage_scenario(&report);
    let (spec, prior) = input::scenario::read_scenario("usage", &text)?;
    let inputs = digests
        .into_iter()
        .map(|(name, sha256)| InputFile { name, sha256 })
        .collect();
    let spec = spec.overlay(flags.clone());
    let workload = resolve(&spec, prior, &catalog, "Observed usage")?;
    let mut catalog = catalog;
    input::pricing::overrides::apply_overrides(&mut catalog, &workload, prices);
    Ok((catalog, workload, inputs, report.summary.months))
}

/// Like [`flag_workload`], for a sweep, which needs no volume: with none given the workload is
/// sized at the policy's self-host threshold (`volume_self_host_above_tokens`), and the last
/// value says the volume is not the user's.
pub(super) fn sweep_workload(
    catalog: Catalog,
    scenario: Option<&str>,
    flags: &WorkloadSpec,
    prices: &PriceOverrides,
) -> Result<(Catalog, Workload, Vec<InputFile>, bool), RunError> {
    let (mut spec, inputs, name, prior) = flag_spec(scenario, flags)?;
    let given = spec.tokens_per_month.is_some() || spec.requests_per_month.is_some();
    if !given {
        spec.tokens_per_month = Some(Sourced::flag(
            "--tokens",
            catalog.policy.volume_self_host_above_tokens,
        ));
    }
    let workload = resolve(&spec, prior, &catalog, &name)?;
    let mut catalog = catalog;
    input::pricing::overrides::apply_overrides(&mut catalog, &workload, prices);
    Ok((catalog, workload, inputs, given))
}

/// A scenario (or none) with the flags on top, the file read, the name, and the problems
/// found reading it.
fn flag_spec(
    scenario: Option<&str>,
    flags: &WorkloadSpec,
) -> Result<(WorkloadSpec, Vec<InputFile>, String, Vec<Problem>), RunError> {
    let (base, inputs, name, prior) = match scenario {
        Some(s) => {
            let (spec, file, prior) = load(s)?;
            (spec, vec![file], name_of(s), prior)
        }
        None => (
            WorkloadSpec::default(),
            Vec::new(),
            "workload".to_string(),
            Vec::new(),
        ),
    };
    Ok((base.overlay(flags.clone()), inputs, name, prior))
}

/// Runs a budget's checks on a report (the price age against its oldest price).
pub(super) fn run_checks(
    report: &Report,
    budget: &Budget,
    today: Option<crate::model::date::Date>,
    months: &[engine::usage::MonthUsage],
) -> Vec<engine::decision::check::CheckResult> {
    engine::decision::check::check(
        &report.analysis,
        budget,
        today,
        report.pricing.oldest_price_checked,
        months,
    )
}

/// Decides for a workload.
pub(super) fn decide(
    catalog: &Catalog,
    workload: &Workload,
    inputs: Vec<InputFile>,
) -> Result<Report, RunError> {
    decide_to(catalog, workload, inputs, engine::Depth::Full)
}

/// Decides for a workload, to `depth`.
pub(super) fn decide_to(
    catalog: &Catalog,
    workload: &Workload,
    inputs: Vec<InputFile>,
    depth: engine::Depth,
) -> Result<Report, RunError> {
    let analysis = engine::analyze_to(catalog, workload, depth)?;
    Ok(Report::new(analysis, catalog, inputs))
}

/// Decides for one scenario file, to `depth`.
pub(super) fn report(
    catalog: &Catalog,
    file: &str,
    depth: engine::Depth,
) -> Result<Report, RunError> {
    let (spec, input, prior) = load(file)?;
    let workload = resolve(&spec, prior, catalog, &name_of(file))?;
    decide_to(catalog, &workload, vec![input], depth)
}

/// A scenario's display name when the file gives none: its file stem.
pub(super) fn name_of(arg: &str) -> String {
    std::path::Path::new(arg)
        .file_stem()
        .map_or_else(|| arg.to_string(), |s| s.to_string_lossy().into_owned())
}

/// Resolves a spec, reporting the problems found while reading it together with those found
/// while resolving it, in file order.
pub(super) fn resolve(
    spec: &WorkloadSpec,
    prior: Vec<Problem>,
    catalog: &Catalog,
    name: &str,
) -> Result<Workload, InputError> {
    let resolved = scenario::resolve(spec, catalog, name);
    let mut problems = prior;
    if let Err(e) = &resolved {
        problems.extend(e.problems.iter().cloned());
    }
    if problems.is_empty() {
        return resolved;
    }
    problems.sort_by(|a, b| {
        (&a.file, a.pos.line, a.pos.column).cmp(&(&b.file, b.pos.line, b.pos.column))
    });
    Err(InputError { problems })
}

/// A scenario read: its spec, the file behind it, and the problems found reading it.
pub(super) type Loaded = (WorkloadSpec, InputFile, Vec<Problem>);

/// Reads a scenario: a file, or the name of a ready-made one (`healthcare`).
pub(super) fn load(arg: &str) -> Result<Loaded, InputError> {
    let embedded = SCENARIOS.iter().find(|(n, _)| *n == arg);
    let (name, text) = match embedded {
        Some((n, text)) if !std::path::Path::new(arg).exists() => {
            (format!("embedded:scenarios/{n}.yaml"), (*text).to_string())
        }
        _ => (
            arg.to_string(),
            input::read_text(std::path::Path::new(arg), arg).map_err(|p| {
                // A missing file may be a misspelt ready-made scenario; other problems keep
                // their own fix.
                let missing =
                    std::fs::metadata(arg).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
                if !missing {
                    return p;
                }
                p.fix(format!(
                    "check the path, or name a ready-made scenario: {}",
                    SCENARIOS
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?,
        ),
    };
    let (spec, problems) = scenario::read_scenario(&name, &text)?;
    Ok((
        spec,
        InputFile {
            sha256: input::sha256_hex(text.as_bytes()),
            name,
        },
        problems,
    ))
}
