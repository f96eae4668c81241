//! The commands: one file per subcommand, each tying `input` (files into model values), the
//! `engine` (pure computation) and the `report` (documents) together. [`run`] loads the
//! catalog, hands the resolved options to the command they name, and renders the document the
//! command returns in the format asked for. Files are read here, through `input`; the clock is
//! not (the caller passes the date price ages are measured against in [`Options::today`]).

mod capacity;
mod catalog;
mod check;
mod compare;
mod crossover;
mod decide;
mod diff;
pub mod output;
mod scenario;
mod shell;
pub mod spool;

use crate::engine::decision::check::CheckResult;
use crate::exit::ExitStatus;
use crate::model::catalog::Catalog;
use crate::model::output::Format;
use crate::model::problem::Problem;
use crate::options::{Action, Options};
use crate::report::{self, Document, Report};
use crate::{Message, MessageKind, Outcome, RunError};

/// What a command produced, before rendering.
struct Done {
    /// The document to render.
    doc: Document,
    /// Passed, or a check failed.
    status: ExitStatus,
    /// Lines for stderr: failed checks, warnings, notes.
    messages: Vec<Message>,
    /// The items of the document's list, spooled as they were made (the list in `doc` is then
    /// empty): `compare` and `check` in a format that [`report::streams`].
    items: Option<spool::Items>,
}

impl Done {
    /// A document with nothing to say on stderr.
    fn doc(doc: Document) -> Done {
        Done {
            doc,
            status: ExitStatus::Passed,
            messages: Vec::new(),
            items: None,
        }
    }
}

/// Whether `compare` and `check` spool their items: in a format that streams, unless `--quiet`
/// (which prints one line a file).
fn spools(options: &Options) -> bool {
    !options.quiet && report::streams(options.format)
}

/// The catalog with the models of `--model-config` files. A decision needs their tier
/// (`--model-tier`); sizing alone (`capacity`) does not show it.
fn with_model_configs(
    mut catalog: crate::model::catalog::Catalog,
    options: &Options,
) -> Result<crate::model::catalog::Catalog, RunError> {
    use crate::model::problem::{InputError, Problem};
    for path in &options.model_configs {
        let tier = match (options.model_tier, &options.action) {
            (Some(t), _) => t,
            // Not shown by `capacity`, which sizes without comparing with an API.
            (None, Action::Capacity(_)) => crate::model::catalog::Tier::Small,
            (None, _) => {
                return Err(InputError::one(
                    Problem::new(
                        "--model-config",
                        "a decision compares the model with an API, and a config.json does not say how capable it is",
                    )
                    .fix("give its tier with --model-tier frontier|strong|standard|small"),
                )
                .into());
            }
        };
        let model = crate::input::model_config(path, tier, &catalog).map_err(InputError::one)?;
        catalog.models.push(model);
    }
    Ok(catalog)
}

/// Runs resolved options.
pub fn run(options: &Options) -> Result<Outcome, RunError> {
    let catalog = with_model_configs(crate::input::catalog::load(&options.pricing)?, options)?;
    let old_rate = stale_rate(options, catalog.policy.price_warning_days);
    let mut done = match &options.action {
        Action::Decide {
            scenario,
            usage,
            usage_map,
            flags,
            prices,
            budget,
            warn_only,
        } => decide::run(
            options,
            catalog,
            &decide::Request {
                scenario: scenario.as_deref(),
                usage: scenario::UsageInput {
                    files: usage,
                    map: usage_map.as_deref(),
                },
                flags,
                prices,
                budget,
                warn_only: *warn_only,
            },
        )?,
        Action::Compare {
            files,
            metrics,
            sort,
        } => compare::run(options, &catalog, files, metrics, sort.as_deref())?,
        Action::Check {
            paths,
            usage,
            usage_map,
            budget,
            warn_only,
        } => {
            let usage = scenario::UsageInput {
                files: usage,
                map: usage_map.as_deref(),
            };
            check::run(options, &catalog, paths, &usage, budget, *warn_only)?
        }
        Action::Diff {
            base,
            head,
            fail_on_flip,
            max_increase,
        } => diff::run(options, &catalog, base, head, *fail_on_flip, *max_increase)?,
        Action::Crossover {
            scenario,
            flags,
            prices,
            from,
            to,
            steps,
            linear,
        } => crossover::run(
            options,
            catalog,
            &crossover::Request {
                scenario: scenario.as_deref(),
                flags,
                prices,
                from: *from,
                to: *to,
                steps: *steps,
                linear: *linear,
            },
        )?,
        Action::Completions(shell) => {
            Done::doc(Document::Text(shell::completions(*shell, &catalog)))
        }
        Action::Man => Done::doc(Document::Text(shell::man_page())),
        Action::Schema(document) => Done::doc(Document::Text(shell::schema(document.as_deref()))),
        Action::Init { file, force } => shell::init(file.as_deref(), *force)?,
        Action::Validate { paths } => Done::doc(Document::Validation(catalog::validate(
            &catalog,
            &options.pricing,
            paths,
        )?)),
        Action::ImportLitellm(request) => {
            catalog::import_litellm(request, options.today, &catalog)?
        }
        Action::PricingDiff { old, new } => catalog::pricing_diff(&options.pricing, old, new)?,
        Action::Capacity(spec) => capacity::run(&catalog, spec)?,
        Action::Calibrate(request) => catalog::calibrate(request, &catalog)?,
        Action::Usage(request) => catalog::usage(request, &catalog)?,
        Action::List {
            what,
            provider,
            tier,
        } => Done::doc(Document::List(catalog::list(
            &catalog,
            *what,
            provider.as_deref(),
            *tier,
        )?)),
    };
    done.messages.extend(warnings(&old_rate));
    Ok(render(options, done))
}

/// A warning when the rate amounts are shown at is older than the price-age warning allows
/// (`--price-warning-days`, else the policy's), or dated after today.
fn stale_rate(options: &Options, policy_days: f64) -> Option<String> {
    let c = shown_currency(options)?;
    let (today, as_of) = (options.today?, c.as_of?);
    let rate = format!("the {} rate ({} per USD, {})", c.code, c.per_usd, c.source);
    if as_of > today {
        return Some(format!(
            "{rate} is dated {as_of}, after today ({today}); check the clock, or the rate's date"
        ));
    }
    let days = options.price_warning_days.unwrap_or(policy_days);
    let age = as_of.days_until(today);
    (days > 0.0 && age as f64 > days).then(|| {
        format!("{rate} is of {as_of}, {age} days ago (more than {days}); give a newer one with --fx and --fx-date")
    })
}

/// Renders a command's document: only the recommendation with `--quiet`, colour on the
/// terminal when asked; a document with spooled items as its frame around them.
fn render(options: &Options, done: Done) -> Outcome {
    let Done {
        doc,
        status,
        mut messages,
        items,
    } = done;
    if let Some(items) = items {
        let frame = report::frame(&doc, options.format, &options.settings);
        return Outcome {
            body: spool::Body::Spooled(frame, items),
            status,
            messages,
        };
    }
    let text = if options.quiet {
        messages.retain(|m| matches!(m.kind, MessageKind::CheckFailed { .. }));
        report::quiet(&doc)
    } else {
        None
    };
    let color = options.color == Some(true) && options.format == Format::Table;
    let width = options.width.unwrap_or(report::text::WIDTH);
    let text = text.unwrap_or_else(|| {
        report::render(
            &doc,
            options.format,
            (color, width),
            options.sections.as_deref(),
            &options.settings,
        )
    });
    Outcome {
        body: spool::Body::Text(text),
        status,
        messages,
    }
}

/// A scenario's budget checks: its own over the project's defaults, the flags over both.
fn budget_checks(
    options: &Options,
    own: &crate::model::workload::Budget,
    flags: &crate::model::workload::Budget,
) -> crate::model::workload::Budget {
    options.default_budget.overlay(own).overlay(flags)
}

/// Lists failed checks as messages, their amounts in the report's currency; the exit status
/// they call for.
fn gate(
    options: &Options,
    checks: &[CheckResult],
    (warn_only, file): (bool, Option<&str>),
    messages: &mut Vec<Message>,
) -> ExitStatus {
    let _shown = crate::model::units::Shown::scope(shown_currency(options));
    let failed: Vec<&CheckResult> = checks.iter().filter(|c| !c.passed).collect();
    for c in &failed {
        let place = file.map_or(String::new(), |f| format!("{f}: "));
        messages.push(Message {
            kind: MessageKind::CheckFailed { warn_only },
            text: format!(
                "{place}{}: {}",
                crate::model::Named::id(c.name),
                report::words::check::message(c)
            ),
        });
    }
    if failed.is_empty() || warn_only {
        ExitStatus::Passed
    } else {
        ExitStatus::CheckFailed
    }
}

/// The currency a run's human-readable text shows amounts in: the settings', except in the
/// JSON and CSV reports, which stay in USD.
fn shown_currency(options: &Options) -> Option<&crate::model::units::Currency> {
    matches!(
        options.format,
        Format::Table | Format::Markdown | Format::Html
    )
    .then_some(options.settings.currency.as_ref())
    .flatten()
}

/// The warnings of a run, as stderr lines.
fn warnings<'a>(list: impl IntoIterator<Item = &'a String>) -> Vec<Message> {
    list.into_iter().map(Message::warning).collect()
}

/// The results of every file when each was good; else every problem found, at once (exit 2),
/// or the first error that is not bad input.
fn all_good<T>(results: Vec<Result<T, RunError>>) -> Result<Vec<T>, RunError> {
    let mut problems = crate::model::problem::Problems::default();
    let mut good = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(v) => good.push(v),
            Err(RunError::Input(e)) => problems.0.extend(e.problems),
            Err(e) => return Err(e),
        }
    }
    Ok(problems.finish(good)?)
}

/// [`stale_prices`] of a report, each also added to the run's `seen` warnings (shared by the
/// threads deciding files).
fn stale_seen(
    r: &Report,
    options: &Options,
    catalog: &Catalog,
    seen: &std::sync::Mutex<std::collections::BTreeSet<String>>,
) -> Result<Vec<String>, RunError> {
    let warned = stale_prices(r, options, catalog)?;
    let mut seen = seen
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    seen.extend(warned.iter().cloned());
    Ok(warned)
}

/// A warning for each price the report relies on that was checked more than the warning
/// age ago (the flag's, else the policy's; 0 turns warnings off).
fn stale_prices(r: &Report, options: &Options, catalog: &Catalog) -> Result<Vec<String>, RunError> {
    let Some(today) = options.today else {
        return Ok(Vec::new());
    };
    let prices = || {
        r.pricing
            .entries
            .iter()
            .filter(|e| e.kind == crate::engine::SourceKind::Price)
            .filter_map(|e| Some((e, e.checked?)))
    };
    // A price cannot have been checked after today: a typed date is wrong, the clock suspect.
    let mut out = Vec::new();
    if let Some((e, checked)) = prices().find(|(_, c)| *c > today) {
        if options.today_typed {
            return Err(Problem::new(
                "--today",
                format!(
                    "{today} is before {checked}, when the price of {} was checked",
                    e.id
                ),
            )
            .fix("give a date on or after the newest checked date, or leave --today out")
            .into());
        }
        out.push(format!(
            "the price of {} was checked {checked}, after today ({today}); check the clock, or the checked dates of your pricing files",
            e.id
        ));
    }
    let days = options
        .price_warning_days
        .unwrap_or(catalog.policy.price_warning_days);
    if days > 0.0 {
        out.extend(prices().filter_map(|(e, checked)| {
            let age = checked.days_until(today);
            // API prices have a community source to refresh from; GPU prices do not.
            let how = if catalog.api(&e.id).is_some() {
                "refresh it with a --pricing file (llm-decide pricing import-litellm converts LiteLLM's price list)"
            } else {
                "refresh it with a --pricing file that gives a newer, dated price"
            };
            (age as f64 > days).then(|| {
                format!(
                    "the price of {} was checked {checked}, {age} days ago (more than {days}); {how}",
                    e.id
                )
            })
        }));
    }
    Ok(out)
}

/// `work` done on every file, in parallel (one thread a core, at most 8), the results in the
/// files' order. Each thread keeps the volume-free work of its searches for the next file: the
/// files share the catalog's models and GPUs.
fn each_file<T: Send>(
    catalog: &Catalog,
    files: &[String],
    work: impl Fn(&str) -> T + Sync,
) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8)
        .min(files.len().max(1));
    let chunk = files.len().div_ceil(threads).max(1);
    let work = &work;
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    let _memo = crate::engine::selfhost::memo::Scope::new(catalog);
                    part.iter().map(|f| work(f)).collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}
