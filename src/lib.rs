//! llm-decide: should a team pay for an LLM API, self-host an open model, or run a hybrid?
//!
//! The pipeline runs one way: `cli` (clap) -> `options` (resolved) -> `input` (YAML files
//! and the embedded catalog, validated) -> `model` (domain values) -> `engine` (pure
//! computation) -> `report` (one renderer per format) -> `main` (writes, maps errors to exit
//! statuses).

pub mod cli;
pub mod engine;
pub mod input;
pub mod model;
pub mod options;
pub mod report;

use engine::EngineError;
use input::problem::InputError;
use input::workload::WorkloadSpec;
use input::{catalog, workload};
use model::pricing::Catalog;
use options::{Action, ListWhat, Options};
use report::{Document, InputFile, Listing, Report, ScenarioEntry};

/// Why a run could not produce a report (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Bad input: a flag, a file, a value.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The engine could not compute with the input.
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// What a run produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The rendered output.
    pub text: String,
    /// Exit status: 0 when every requested check passed, 1 when one failed.
    pub status: u8,
}

/// The ready-made scenarios, embedded so `--scenario NAME` works from any directory.
pub const SCENARIOS: &[(&str, &str)] = &[
    (
        "saas-startup",
        include_str!("../scenarios/saas-startup.yaml"),
    ),
    ("healthcare", include_str!("../scenarios/healthcare.yaml")),
    ("ecommerce", include_str!("../scenarios/ecommerce.yaml")),
    ("trading", include_str!("../scenarios/trading.yaml")),
    (
        "hybrid-80-20",
        include_str!("../scenarios/hybrid-80-20.yaml"),
    ),
];

/// Runs resolved options.
pub fn run(options: &Options) -> Result<Outcome, RunError> {
    let catalog = catalog::load(&options.pricing)?;
    let doc = match &options.action {
        Action::Decide {
            scenario,
            flags,
            prices,
        } => {
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
            let spec = base.overlay((**flags).clone());
            let workload = resolve(&spec, prior, &catalog, &name)?;
            let mut catalog = catalog;
            input::apply_overrides(&mut catalog, &workload, prices);
            Document::Decision(Box::new(decide(&catalog, &workload, inputs)?))
        }
        Action::Compare { files } => {
            let mut reports = Vec::new();
            let mut problems = Vec::new();
            for file in files {
                match compare_one(&catalog, file) {
                    Ok(r) => reports.push(r),
                    Err(RunError::Input(e)) => problems.extend(e.problems),
                    Err(e) => return Err(e),
                }
            }
            if !problems.is_empty() {
                return Err(InputError { problems }.into());
            }
            Document::Compare(reports)
        }
        Action::Capacity(spec) => {
            let request = input::capacity::resolve(spec, &catalog)?;
            Document::Capacity(Box::new(engine::capacity::capacity(&catalog, &request)?))
        }
        Action::List {
            what,
            provider,
            tier,
        } => Document::List(list(&catalog, *what, provider.as_deref(), *tier)?),
    };
    Ok(Outcome {
        text: report::render(&doc, options.format),
        status: 0,
    })
}

fn decide(
    catalog: &Catalog,
    workload: &model::workload::Workload,
    inputs: Vec<InputFile>,
) -> Result<Report, RunError> {
    let analysis = engine::analyze(catalog, workload)?;
    Ok(Report::new(analysis, catalog, inputs))
}

fn compare_one(catalog: &Catalog, file: &str) -> Result<Report, RunError> {
    let (spec, input, prior) = load_scenario(file)?;
    let workload = resolve(&spec, prior, catalog, &scenario_name(file))?;
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
    prior: Vec<input::problem::Problem>,
    catalog: &Catalog,
    name: &str,
) -> Result<model::workload::Workload, InputError> {
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

type LoadedScenario = (WorkloadSpec, InputFile, Vec<input::problem::Problem>);

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

fn list(
    catalog: &Catalog,
    what: ListWhat,
    provider: Option<&str>,
    tier: Option<model::pricing::Tier>,
) -> Result<Listing, RunError> {
    Ok(match what {
        ListWhat::Apis => Listing::Apis(
            catalog
                .apis
                .iter()
                .filter(|a| provider.is_none_or(|p| a.provider == p))
                .filter(|a| tier.is_none_or(|t| a.tier == t))
                .cloned()
                .collect(),
        ),
        ListWhat::Setups => Listing::Setups(catalog.setups.clone()),
        ListWhat::Gpus => Listing::Gpus(
            catalog
                .gpus
                .iter()
                .filter(|g| provider.is_none_or(|p| g.prices.iter().any(|x| x.provider == p)))
                .map(|g| report::GpuEntry {
                    cheapest: engine::deploy::cheapest_price(
                        g,
                        &catalog.policy.self_host,
                        catalog.policy.self_host.price_kind,
                    )
                    .cloned(),
                    gpu: g.clone(),
                })
                .collect(),
        ),
        ListWhat::Models => Listing::Models(
            catalog
                .models
                .iter()
                .filter(|m| tier.is_none_or(|t| m.tier == t))
                .cloned()
                .collect(),
        ),
        ListWhat::Scenarios => {
            let mut items = Vec::new();
            for (name, text) in SCENARIOS {
                let file = format!("embedded:scenarios/{name}.yaml");
                let spec = workload::parse_scenario(&file, text)?;
                let w = workload::resolve(&spec, catalog, name)?;
                items.push(ScenarioEntry {
                    file: (*name).to_string(),
                    name: w.name,
                    tokens_per_month: w.tokens_per_month,
                    description: w.description.unwrap_or_default(),
                });
            }
            Listing::Scenarios(items)
        }
    })
}
