//! Runs resolved options: reads the catalog and the scenario files, calls the engine, runs
//! the checks and builds the document to render. Files are read here; the clock is not (the
//! caller passes the date price ages are measured against in [`Options::today`]).

mod check;
mod diff;
mod list;
mod validate;

use crate::engine::check::CheckResult;
use crate::input::problem::{InputError, Problem};
use crate::input::workload::WorkloadSpec;
use crate::input::{self, catalog, workload};
use crate::model::date::Date;
use crate::model::pricing::Catalog;
use crate::model::units::fmt_tokens;
use crate::model::workload::{Budget, Workload};
use crate::options::{Action, Options};
use crate::report::{self, Comparison, Document, InputFile, Report};
use crate::{Outcome, RunError, SCENARIOS, engine};

/// Points in a chart's curves: enough for the self-host cost's steps to show.
const CURVE_POINTS: u32 = 160;

/// The starter scenario `init` writes.
pub const STARTER: &str = include_str!("../../templates/scenario.yaml");

/// Runs resolved options.
pub fn run(options: &Options) -> Result<Outcome, RunError> {
    let catalog = catalog::load(&options.pricing)?;
    let mut status = 0;
    let mut messages = Vec::new();
    let doc = match &options.action {
        Action::Decide {
            scenario,
            flags,
            prices,
            budget,
            warn_only,
        } => {
            let (catalog, workload, inputs) =
                flag_workload(catalog, scenario.as_deref(), flags, prices)?;
            let budget = workload.budget.overlay(budget);
            let mut report = decide(&catalog, &workload, inputs)?;
            report.checks = run_checks(&report, &budget, options.today);
            status = gate(&report.checks, *warn_only, None, &mut messages);
            if options.format == report::Format::Html {
                // The page charts cost against volume around the workload and the crossover.
                let v = workload.tokens_per_month;
                let cross = report.analysis.crossover.tokens_per_month.unwrap_or(v);
                let lo = 10e6_f64.min(v / 10.0).min(cross / 10.0);
                let hi = 10e9_f64.max(v * 10.0).max(cross * 2.0);
                let fine = report::crossover::volumes(lo, hi, CURVE_POINTS, true, v);
                report.curve = engine::sweep(&catalog, &workload, &fine)?;
            }
            report.warnings = stale_prices(&report, options, &catalog);
            messages.extend(report.warnings.iter().map(|w| format!("warning: {w}")));
            Document::Decision(Box::new(report))
        }
        Action::Compare {
            files,
            metrics,
            sort,
        } => {
            let paths = input::scenario_files(files)?;
            let mut reports = Vec::new();
            let mut problems = Vec::new();
            for file in &paths {
                match scenario_report(&catalog, file, None) {
                    Ok(r) => reports.push(r),
                    Err(RunError::Input(e)) => problems.extend(e.problems),
                    Err(e) => return Err(e),
                }
            }
            if !problems.is_empty() {
                return Err(InputError { problems }.into());
            }
            if let Some(key) = sort {
                report::sort_reports(&mut reports, key);
            }
            let mut seen = std::collections::BTreeSet::new();
            for r in &mut reports {
                r.warnings = stale_prices(r, options, &catalog);
                seen.extend(r.warnings.iter().cloned());
            }
            messages.extend(seen.iter().map(|w| format!("warning: {w}")));
            Document::Compare(Comparison {
                reports,
                metrics: metrics.clone(),
            })
        }
        Action::Check {
            paths,
            budget,
            warn_only,
        } => {
            let (mut checked, reports) = check::check_all(&catalog, paths, budget, options.today)?;
            let seen: std::collections::BTreeSet<String> = reports
                .iter()
                .flat_map(|r| stale_prices(r, options, &catalog))
                .collect();
            checked.warnings = seen.into_iter().collect();
            messages.extend(checked.warnings.iter().map(|w| format!("warning: {w}")));
            for c in &checked.scenarios {
                let s = gate(&c.checks, *warn_only, Some(&c.file), &mut messages);
                status = status.max(s);
            }
            Document::Check(checked)
        }
        Action::Diff {
            base,
            head,
            fail_on_flip,
            max_increase,
        } => {
            let d = diff::diff(&catalog, base, head, *fail_on_flip, *max_increase)?;
            status = gate(&d.gates, false, None, &mut messages);
            Document::Diff(Box::new(d))
        }
        Action::Crossover {
            scenario,
            flags,
            prices,
            from,
            to,
            steps,
            linear,
        } => {
            let (catalog, mut workload, inputs) =
                flag_workload(catalog, scenario.as_deref(), flags, prices)?;
            // The chart needs the costs, not the Monte Carlo.
            workload.draws = Some(0);
            let mut report = decide(&catalog, &workload, inputs)?;
            report.warnings = stale_prices(&report, options, &catalog);
            messages.extend(report.warnings.iter().map(|w| format!("warning: {w}")));
            let v = workload.tokens_per_month;
            let cross = report.analysis.crossover.tokens_per_month;
            let lo = from.unwrap_or_else(|| 10e6_f64.min(v / 10.0));
            let hi =
                to.unwrap_or_else(|| 10e9_f64.max(v * 10.0).max(cross.map_or(0.0, |c| 2.0 * c)));
            if lo >= hi {
                return Err(Problem::new(
                    "--from",
                    format!(
                        "the sweep would run from {} down to {}",
                        fmt_tokens(lo),
                        fmt_tokens(hi)
                    ),
                )
                .fix("give --from below --to")
                .into());
            }
            let volumes = report::crossover::volumes(lo, hi, *steps, !linear, v);
            let rows = engine::sweep(&catalog, &workload, &volumes)?;
            let fine = report::crossover::volumes(lo, hi, CURVE_POINTS, !linear, v);
            let curve = engine::sweep(&catalog, &workload, &fine)?;
            Document::Crossover(Box::new(report::crossover::Sweep {
                report,
                rows,
                curve,
                log_scale: !linear,
            }))
        }
        Action::Completions(shell) => Document::Text(completions(*shell)),
        Action::Man => Document::Text(man_page()),
        Action::Init { file, force } => {
            if let Some(f) = file {
                if !force && std::path::Path::new(f).exists() {
                    return Err(Problem::new(f, "the file exists")
                        .fix("pick another name, or pass --force to replace it")
                        .into());
                }
                messages.push(format!(
                    "wrote {f}; next: llm-decide validate {f}, then llm-decide --scenario {f}"
                ));
            }
            Document::Text(STARTER.to_string())
        }
        Action::Validate { paths } => {
            Document::Validation(validate::validate(&catalog, &options.pricing, paths)?)
        }
        Action::ImportLitellm {
            file,
            checked,
            providers,
            include_deprecated,
            tier,
        } => {
            let text = input::read_text(std::path::Path::new(file), file)?;
            let import = input::litellm::convert(
                file,
                &text,
                &input::litellm::ImportOptions {
                    checked: checked.or(options.today).ok_or_else(|| {
                        Problem::new("--checked", "no date to record")
                            .fix("pass --checked YYYY-MM-DD")
                    })?,
                    providers: providers.clone(),
                    include_deprecated: *include_deprecated,
                    tier: *tier,
                },
                &catalog,
            )?;
            let skipped: Vec<String> = import
                .skipped
                .iter()
                .map(|(reason, n)| format!("{n} {reason}"))
                .collect();
            messages.push(format!(
                "converted {} chat models from {file}; skipped {} entries: {}",
                import.apis.len(),
                import.skipped_total(),
                skipped.join(", ")
            ));
            Document::Import(Box::new(import))
        }
        Action::Capacity(spec) => {
            let request = input::capacity::resolve(spec, &catalog)?;
            Document::Capacity(Box::new(engine::capacity::capacity(&catalog, &request)?))
        }
        Action::List {
            what,
            provider,
            tier,
        } => Document::List(list::list(&catalog, *what, provider.as_deref(), *tier)?),
    };
    let text = if options.quiet {
        messages
            .retain(|m| m.starts_with("check failed") || m.starts_with("warning: check failed"));
        report::quiet(&doc).unwrap_or_else(|| report::render(&doc, options.format))
    } else if options.color == Some(true) && options.format == report::Format::Table {
        report::style::highlight(&report::render(&doc, options.format))
    } else {
        report::render(&doc, options.format)
    };
    Ok(Outcome {
        text,
        status,
        messages,
    })
}

/// A completion script for `shell`.
fn completions(shell: crate::options::Shell) -> String {
    use crate::options::Shell;
    use clap::CommandFactory;
    use clap_complete::Shell as S;
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
        Shell::Elvish => S::Elvish,
    };
    let mut out = Vec::new();
    clap_complete::generate(
        shell,
        &mut crate::cli::Cli::command(),
        "llm-decide",
        &mut out,
    );
    String::from_utf8_lossy(&out).into_owned()
}

/// The manual page, roff: the command, its flags, and a section per subcommand.
fn man_page() -> String {
    use clap::CommandFactory;
    let mut cmd = crate::cli::Cli::command();
    cmd.build();
    let mut out = Vec::new();
    // Rendering into memory cannot fail.
    let _ = clap_mangen::Man::new(cmd.clone()).render(&mut out);
    for sub in cmd.get_subcommands() {
        let title = format!("llm-decide-{}", sub.get_name());
        let _ = clap_mangen::Man::new(sub.clone())
            .title(title)
            .render(&mut out);
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The workload of the main command: a scenario (or none) with the flags on top, and the
/// catalog with the price flags applied.
fn flag_workload(
    catalog: Catalog,
    scenario: Option<&str>,
    flags: &WorkloadSpec,
    prices: &input::PriceOverrides,
) -> Result<(Catalog, Workload, Vec<InputFile>), RunError> {
    let (base, inputs, name, prior) = match scenario {
        Some(s) => {
            let (spec, file, prior) = load_scenario(s)?;
            (spec, vec![file], scenario_name(s), prior)
        }
        None => (
            WorkloadSpec::default(),
            Vec::new(),
            "workload".to_string(),
            Vec::new(),
        ),
    };
    let spec = base.overlay(flags.clone());
    let workload = resolve(&spec, prior, &catalog, &name)?;
    let mut catalog = catalog;
    input::apply_overrides(&mut catalog, &workload, prices);
    Ok((catalog, workload, inputs))
}

/// Runs a budget's checks on a report (the price age against its oldest price).
fn run_checks(report: &Report, budget: &Budget, today: Option<Date>) -> Vec<CheckResult> {
    engine::check::check(
        &report.analysis,
        budget,
        today,
        report.pricing.oldest_price_checked,
    )
}

/// Lists failed checks as messages; the exit status they call for.
fn gate(
    checks: &[CheckResult],
    warn_only: bool,
    file: Option<&str>,
    messages: &mut Vec<String>,
) -> u8 {
    let failed: Vec<&CheckResult> = checks.iter().filter(|c| !c.passed).collect();
    for c in &failed {
        let lead = if warn_only { "warning: " } else { "" };
        let place = file.map_or(String::new(), |f| format!("{f}: "));
        messages.push(format!(
            "{lead}check failed: {place}{}: {}",
            c.name, c.message
        ));
    }
    u8::from(!failed.is_empty() && !warn_only)
}

fn decide(
    catalog: &Catalog,
    workload: &Workload,
    inputs: Vec<InputFile>,
) -> Result<Report, RunError> {
    let analysis = engine::analyze(catalog, workload)?;
    Ok(Report::new(analysis, catalog, inputs))
}

/// Decides for one scenario file; `draws` replaces its Monte Carlo draw count.
fn scenario_report(catalog: &Catalog, file: &str, draws: Option<u32>) -> Result<Report, RunError> {
    let (spec, input, prior) = load_scenario(file)?;
    let mut workload = resolve(&spec, prior, catalog, &scenario_name(file))?;
    if draws.is_some() {
        workload.draws = draws;
    }
    decide(catalog, &workload, vec![input])
}

/// A scenario's display name when the file gives none: its file stem.
fn scenario_name(arg: &str) -> String {
    std::path::Path::new(arg)
        .file_stem()
        .map_or_else(|| arg.to_string(), |s| s.to_string_lossy().into_owned())
}

/// Resolves a spec, reporting the problems found while reading it together with those found
/// while resolving it, in file order.
fn resolve(
    spec: &WorkloadSpec,
    prior: Vec<Problem>,
    catalog: &Catalog,
    name: &str,
) -> Result<Workload, InputError> {
    let resolved = workload::resolve(spec, catalog, name);
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

type LoadedScenario = (WorkloadSpec, InputFile, Vec<Problem>);

/// Reads a scenario: a file, or the name of a ready-made one (`healthcare`).
fn load_scenario(arg: &str) -> Result<LoadedScenario, InputError> {
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
                if p.message != "no such file" {
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
    let (spec, problems) = workload::read_scenario(&name, &text)?;
    Ok((
        spec,
        InputFile {
            sha256: input::sha256_hex(text.as_bytes()),
            name,
        },
        problems,
    ))
}

/// A warning for each price the report relies on that was checked more than the warning
/// age ago (the flag's, else the policy's; 0 turns warnings off).
fn stale_prices(r: &Report, options: &Options, catalog: &Catalog) -> Vec<String> {
    let days = options
        .price_warning_days
        .unwrap_or(catalog.policy.price_warning_days);
    let Some(today) = options.today.filter(|_| days > 0.0) else {
        return Vec::new();
    };
    r.pricing
        .entries
        .iter()
        .filter(|e| e.kind == engine::SourceKind::Price)
        .filter_map(|e| {
            let checked = e.checked?;
            let age = checked.days_until(today);
            (age as f64 > days).then(|| {
                format!(
                    "the price of {} was checked {checked}, {age} days ago (more than {days}); refresh it with a --pricing file (llm-decide pricing import-litellm converts LiteLLM's price list)",
                    e.id
                )
            })
        })
        .collect()
}
