//! Resolved options: the command-line arguments turned into one typed value, once. Nothing
//! after this module sees clap. `Options: PartialEq`, so the mapping is tested as data.

use crate::cli::{
    CheckArgs, Cli, ColorArg, Command, FormatArg, ListArg, PricingCommand, ShellArg, WorkloadArgs,
};
use crate::model::Named;
use crate::model::catalog::Tier;
use crate::model::date::Date;
use crate::model::output::{Format, Increase, Metric};
use crate::model::problem::{InputError, Problem};
use crate::model::suggest::unknown_among;
use crate::model::units;
use crate::model::workload::spec::{CapacitySpec, PriceOverrides, Sourced, WorkloadSpec};
use crate::model::workload::{AlertAt, Budget};

mod requests;
pub use requests::{CalibrateRequest, ImportRequest, UsageRequest};

/// What to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListWhat {
    /// API models.
    Apis,
    /// Self-host setups.
    Setups,
    /// GPUs.
    Gpus,
    /// GPU rental offers.
    Offers,
    /// Open models.
    Models,
    /// Scenarios.
    Scenarios,
}

/// Shells with completion scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
    /// Elvish.
    Elvish,
}

/// The command to run, with its resolved inputs.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Decide for one workload.
    Decide {
        /// Scenario file, if any.
        scenario: Option<String>,
        /// Usage exports to derive the workload from instead, if any.
        usage: Vec<String>,
        /// `--usage-map`, as typed.
        usage_map: Option<String>,
        /// Workload fields given as flags (they override the file).
        flags: Box<WorkloadSpec>,
        /// Prices given as flags.
        prices: PriceOverrides,
        /// Checks given as flags.
        budget: Budget,
        /// Report failed checks but exit 0.
        warn_only: bool,
    },
    /// Compare scenario files.
    Compare {
        /// The files or folders.
        files: Vec<String>,
        /// Rows to show (empty: all).
        metrics: Vec<Metric>,
        /// Sort key.
        sort: Option<String>,
    },
    /// Check scenario files against budgets.
    Check {
        /// Files or folders.
        paths: Vec<String>,
        /// Usage exports to check instead, if any.
        usage: Vec<String>,
        /// `--usage-map`, as typed.
        usage_map: Option<String>,
        /// Checks given as flags (they override each file's).
        budget: Budget,
        /// Report failures but exit 0.
        warn_only: bool,
    },
    /// Compare two runs.
    Diff {
        /// Base: scenario or JSON report.
        base: String,
        /// Head: scenario or JSON report.
        head: String,
        /// Exit 1 when the recommendation changes.
        fail_on_flip: bool,
        /// Exit 1 when the recommended cost grows by more than this.
        max_increase: Option<Increase>,
    },
    /// Sweep volumes for one workload.
    Crossover {
        /// Scenario file, if any.
        scenario: Option<String>,
        /// Workload fields given as flags.
        flags: Box<WorkloadSpec>,
        /// Prices given as flags.
        prices: PriceOverrides,
        /// Smallest volume.
        from: Option<f64>,
        /// Largest volume.
        to: Option<f64>,
        /// Volumes in the sweep.
        steps: u32,
        /// Even spacing instead of logarithmic.
        linear: bool,
    },
    /// Print a completion script.
    Completions(Shell),
    /// Print the manual page.
    Man,
    /// Print the JSON Schema of one document, or of all (`None`).
    Schema(Option<String>),
    /// Write the starter scenario.
    Init {
        /// The file (`None`: stdout).
        file: Option<String>,
        /// Replace an existing file.
        force: bool,
    },
    /// Validate files.
    Validate {
        /// Files or folders.
        paths: Vec<String>,
    },
    /// Convert a `LiteLLM` price file.
    ImportLitellm(ImportRequest),
    /// Compare two pricing catalogs.
    PricingDiff {
        /// The `--pricing` argument of the catalog before.
        old: String,
        /// The `--pricing` argument of the catalog after.
        new: String,
    },
    /// Size a deployment.
    Capacity(Box<CapacitySpec>),
    /// Fit the engine's constants to a benchmark.
    Calibrate(Box<CalibrateRequest>),
    /// Read usage exports.
    Usage(Box<UsageRequest>),
    /// List the catalog.
    List {
        /// What.
        what: ListWhat,
        /// Provider filter.
        provider: Option<String>,
        /// Tier filter.
        tier: Option<Tier>,
    },
}

/// `usage`'s request.
fn usage(a: crate::cli::UsageArgs) -> Action {
    use crate::model::workload::usage::UsageFormat;
    Action::Usage(Box::new(UsageRequest {
        files: a.files,
        format: a.usage_format.map(|f| match f {
            crate::cli::UsageFormatArg::Openai => UsageFormat::OpenAi,
            crate::cli::UsageFormatArg::Anthropic => UsageFormat::Anthropic,
            crate::cli::UsageFormatArg::Openrouter => UsageFormat::OpenRouter,
            crate::cli::UsageFormatArg::Ccusage => UsageFormat::Ccusage,
            crate::cli::UsageFormatArg::Litellm => UsageFormat::LiteLlm,
            crate::cli::UsageFormatArg::Helicone => UsageFormat::Helicone,
            crate::cli::UsageFormatArg::Langfuse => UsageFormat::Langfuse,
            crate::cli::UsageFormatArg::OpenrouterGeneration => UsageFormat::OpenRouterGeneration,
        }),
        map: a.map,
        window: (a.from, a.to),
        explain: a.explain,
        statement_timeout: a.statement_timeout,
        strict: a.strict,
        write_scenario: a.write_scenario,
    }))
}

/// Parses `10%` or `500` / `$500` / `1.5k`.
fn parse_increase(text: &str) -> Result<Increase, String> {
    let parsed = match text.trim().strip_suffix('%') {
        Some(p) => units::parse_number(p).map(|v| Increase::Share(v / 100.0)),
        None => units::parse_usd(text).map(Increase::Usd),
    };
    parsed.map_err(|_| format!("{text:?} is neither a share of the base cost nor an amount"))
}

/// Everything a run needs, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The command.
    pub action: Action,
    /// `--pricing` arguments, in order.
    pub pricing: Vec<String>,
    /// `--model-config` paths, in order.
    pub model_configs: Vec<String>,
    /// `--model-tier`.
    pub model_tier: Option<Tier>,
    /// Output format.
    pub format: Format,
    /// Write to this file instead of stdout.
    pub output: Option<String>,
    /// The date price ages are measured against (`None`: not given; the caller supplies
    /// today when a check needs it).
    pub today: Option<Date>,
    /// The currency flags as typed, resolved with the settings file's.
    pub currency: crate::model::units::CurrencyFlags,
    /// Whether `today` was typed (`--today`): a typed date before a price's `checked` date is
    /// refused; the clock's only warned about.
    pub today_typed: bool,
    /// Warn about prices older than this many days (`None`: the policy's).
    pub price_warning_days: Option<f64>,
    /// Colour the table output: `None` decide by the terminal (the caller resolves it).
    pub color: Option<bool>,
    /// Columns the table output fits: `None` the default 100 (the caller sets it from
    /// `COLUMNS` or the terminal).
    pub width: Option<usize>,
    /// Budget checks every run starts from (the project settings file's); a scenario's own
    /// and the flags override them.
    pub default_budget: Budget,
    /// Where defaults came from beyond the flags, for the report to name.
    pub settings: crate::model::output::Settings,
    /// Print only the recommendation.
    pub quiet: bool,
    /// A decision's table report sections beyond the brief ones; `None`: every section
    /// (`--full`).
    pub sections: Option<Vec<crate::model::output::Section>>,
}

fn budget(c: &CheckArgs) -> Budget {
    Budget {
        max_monthly_cost_usd: c.max_monthly_cost,
        max_cost_per_mtok_usd: c.max_cost_per_mtok,
        max_latency_ms: c.max_latency,
        expect: c.expect.clone(),
        max_price_age_days: c.max_price_age,
        alert_at: c.alert_at.map(|a| match a {
            crate::cli::AlertAtArg::StartPlanning => AlertAt::StartPlanning,
            crate::cli::AlertAtArg::ReadyToSwitch => AlertAt::ReadyToSwitch,
            crate::cli::AlertAtArg::Crossover => AlertAt::Crossover,
        }),
    }
}

impl Options {
    /// Resolves parsed arguments.
    pub fn from_cli(cli: Cli) -> Result<Options, InputError> {
        let format = match cli.common.format {
            FormatArg::Table => Format::Table,
            FormatArg::Json => Format::Json,
            FormatArg::Csv => Format::Csv,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Html => Format::Html,
        };
        let today = date("--today", cli.common.today.as_deref())?;
        let action = match cli.command {
            None => decide(&cli.workload, &cli.checks),
            Some(command) => action(command)?,
        };
        // `init FILE` writes FILE the way --output does: all or nothing.
        let output = match &action {
            Action::Init { file: Some(f), .. } => Some(f.clone()),
            _ => cli.common.output,
        };
        Ok(Options {
            action,
            pricing: cli.common.pricing,
            model_configs: cli.common.model_config,
            model_tier: cli.common.model_tier,
            format,
            output,
            today_typed: today.is_some(),
            today,
            currency: crate::model::units::CurrencyFlags {
                code: cli.common.currency,
                per_usd: cli.common.fx,
                as_of: date("--fx-date", cli.common.fx_date.as_deref())?,
            },
            price_warning_days: cli.common.price_warning_days,
            color: match cli.common.color {
                ColorArg::Auto => None,
                ColorArg::Always => Some(true),
                ColorArg::Never => Some(false),
            },
            width: None,
            default_budget: Budget::default(),
            settings: crate::model::output::Settings::default(),
            quiet: cli.common.quiet,
            sections: (!cli.common.full).then_some(cli.common.show),
        })
    }
}

/// A date flag, if given.
fn date(flag: &'static str, text: Option<&str>) -> Result<Option<Date>, InputError> {
    Ok(text
        .map(|t| Date::parse(t).map_err(|e| Problem::new(flag, e)))
        .transpose()?)
}

/// The main command: decide for the workload the flags (and a scenario) describe.
fn decide(workload: &WorkloadArgs, checks: &CheckArgs) -> Action {
    Action::Decide {
        scenario: workload.scenario.clone(),
        usage: workload.usage.clone(),
        usage_map: workload.usage_map.clone(),
        prices: prices(workload),
        flags: Box::new(flags_spec(workload)),
        budget: budget(checks),
        warn_only: checks.warn_only,
    }
}

/// A subcommand's action.
fn action(command: Command) -> Result<Action, InputError> {
    Ok(match command {
        Command::Compare {
            files,
            metrics,
            sort,
        } => Action::Compare {
            files,
            metrics: compare_metrics(&metrics)?,
            sort,
        },
        Command::Check {
            paths,
            usage,
            usage_map,
            checks,
        } => Action::Check {
            paths,
            usage,
            usage_map,
            budget: budget(&checks),
            warn_only: checks.warn_only,
        },
        Command::Diff {
            base,
            head,
            fail_on_flip,
            max_increase,
        } => Action::Diff {
            base,
            head,
            fail_on_flip,
            max_increase: max_increase
                .as_deref()
                .map(|t| {
                    parse_increase(t).map_err(|e| {
                        Problem::new("--max-increase", e)
                            .fix("write a share like 10% or an amount like $500")
                    })
                })
                .transpose()?,
        },
        Command::Init { file, force } => Action::Init { file, force },
        Command::Crossover {
            workload,
            from,
            to,
            steps,
            linear,
        } => crossover(&workload, from, to, steps, linear)?,
        Command::Completions { shell } => Action::Completions(match shell {
            ShellArg::Bash => Shell::Bash,
            ShellArg::Zsh => Shell::Zsh,
            ShellArg::Fish => Shell::Fish,
            ShellArg::Powershell => Shell::Powershell,
            ShellArg::Elvish => Shell::Elvish,
        }),
        Command::Man => Action::Man,
        Command::Schema { document } => Action::Schema(document),
        Command::Validate { paths } => Action::Validate { paths },
        Command::Pricing {
            command:
                PricingCommand::ImportLitellm {
                    source,
                    as_of,
                    provider,
                    include_deprecated,
                    tier,
                },
        } => Action::ImportLitellm(ImportRequest {
            source,
            as_of: date("--as-of", as_of.as_deref())?,
            providers: provider,
            include_deprecated,
            tier,
        }),
        Command::Pricing {
            command: PricingCommand::Diff { old, new },
        } => Action::PricingDiff { old, new },
        Command::Capacity(a) => Action::Capacity(Box::new(capacity(a))),
        Command::Usage(a) => usage(a),
        Command::Calibrate(a) => Action::Calibrate(Box::new(CalibrateRequest {
            as_of: date("--as-of", a.as_of.as_deref())?,
            files: a.files,
            model: a.model,
            gpu: a.gpu,
            gpus: a.gpus,
            ep: a.ep,
            attention_dp: a.attention_dp.is_some_and(crate::cli::YesNo::get),
            precision: a.precision,
            engine: a.engine,
            kv_precision: a.kv_precision,
        })),
        Command::List {
            what,
            provider,
            tier,
        } => Action::List {
            what: match what {
                ListArg::Apis => ListWhat::Apis,
                ListArg::Setups => ListWhat::Setups,
                ListArg::Gpus => ListWhat::Gpus,
                ListArg::Offers => ListWhat::Offers,
                ListArg::Models => ListWhat::Models,
                ListArg::Scenarios => ListWhat::Scenarios,
            },
            provider,
            tier,
        },
    })
}

/// The rows `compare --metrics` names, each checked.
fn compare_metrics(metrics: &[String]) -> Result<Vec<Metric>, InputError> {
    Ok(metrics
        .iter()
        .map(|m| {
            Metric::from_id(m.trim()).ok_or_else(|| {
                Problem::new(
                    "--metrics",
                    unknown_among("metric", m, Metric::ALL.iter().map(|x| x.id())),
                )
            })
        })
        .collect::<Result<_, _>>()?)
}

/// `crossover`: the workload, and a sweep whose ends are in order.
fn crossover(
    workload: &WorkloadArgs,
    from: Option<f64>,
    to: Option<f64>,
    steps: u32,
    linear: bool,
) -> Result<Action, InputError> {
    if let (Some(f), Some(t)) = (from, to)
        && f >= t
    {
        return Err(Problem::new(
            "--from",
            format!(
                "{} is not below --to {}",
                units::fmt_tokens(f),
                units::fmt_tokens(t)
            ),
        )
        .fix("give --from a smaller volume than --to")
        .into());
    }
    Ok(Action::Crossover {
        scenario: workload.scenario.clone(),
        prices: prices(workload),
        flags: Box::new(flags_spec(workload)),
        from,
        to,
        steps,
        linear,
    })
}

/// `capacity`: the request as given.
fn capacity(a: crate::cli::CapacityArgs) -> CapacitySpec {
    CapacitySpec {
        model: a.model,
        gpu: a.gpu,
        gpus: a.gpus,
        tp: a.tp,
        ep: a.ep,
        attention_dp: a.attention_dp.is_some_and(crate::cli::YesNo::get),
        speculative: a.speculative,
        acceptance: a.acceptance,
        draft_model: a.draft_model,
        concurrency: a.concurrency,
        sweep: a.sweep,
        precision: a.precision,
        input_tokens: a.input_tokens,
        output_tokens: a.output_tokens,
        tokens: a.tokens,
        peak_to_average: a.peak_to_average,
        engine: a.engine,
        kv_precision: a.kv_precision,
        hosting: a.hosting,
        price_kind: a.price_kind,
    }
}

/// The prices set by flags.
fn prices(a: &WorkloadArgs) -> PriceOverrides {
    PriceOverrides {
        api_price: a.api_price,
    }
}

/// Maps each flag of the field table to its spec field, with the flag as its origin.
macro_rules! flag_fields {
    (($a:ident) $($field:ident: $kind:ident $(($($arg:tt)*))? @ [$($path:ident).+] @ $($flag:ident $name:literal)? $(_)?;)*) => {
        WorkloadSpec {
            $($field: flag_fields!(@flag $a, $kind; $($flag $name)?),)*
            ranges: (!$a.range.is_empty()).then(|| $a.range.clone()),
            ..WorkloadSpec::default()
        }
    };
    (@flag $a:ident, $kind:ident;) => { None };
    (@flag $a:ident, Flag; $flag:ident $name:literal) => {
        $a.$flag.map(|v| Sourced::flag($name, v.get()))
    };
    (@flag $a:ident, Shares; $flag:ident $name:literal) => {
        $a.$flag.clone().map(|v| {
            Sourced::flag($name, v.into_iter().map(|s| Sourced::flag($name, s)).collect())
        })
    };
    (@flag $a:ident, $kind:ident; $flag:ident $name:literal) => {
        $a.$flag.clone().map(|v| Sourced::flag($name, v))
    };
}

/// The workload fields set by flags.
fn flags_spec(a: &WorkloadArgs) -> WorkloadSpec {
    crate::workload_fields!(flag_fields!(a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn parse(args: &[&str]) -> Options {
        let mut argv = vec!["llm-decide"];
        argv.extend_from_slice(args);
        Options::from_cli(Cli::try_parse_from(argv).unwrap()).unwrap()
    }

    #[test]
    fn main_command_maps_flags_to_a_spec() {
        let o = parse(&[
            "--tokens",
            "800M",
            "--latency",
            "150ms",
            "--api",
            "gpt-4o",
            "--can-hire",
            "no",
        ]);
        let Action::Decide {
            scenario,
            usage,
            usage_map,
            flags,
            prices,
            budget,
            warn_only,
        } = o.action
        else {
            panic!("not a decision");
        };
        assert_eq!(scenario, None);
        assert!(usage.is_empty());
        assert_eq!(usage_map, None);
        assert_eq!(prices, PriceOverrides::default());
        assert_eq!(budget, Budget::default());
        assert!(!warn_only);
        let want = WorkloadSpec {
            tokens_per_month: Some(Sourced::flag("--tokens", 800e6)),
            latency_target_ms: Some(Sourced::flag("--latency", 150.0)),
            api: Some(Sourced::flag("--api", "gpt-4o".to_string())),
            can_hire: Some(Sourced::flag("--can-hire", false)),
            ..WorkloadSpec::default()
        };
        assert_eq!(*flags, want);
        assert_eq!(o.format, Format::Table);
        assert!(o.pricing.is_empty());
    }

    #[test]
    fn prices_and_global_flags() {
        let o = parse(&[
            "--tokens",
            "1B",
            "--api-price",
            "3/15",
            "--self-host-cost",
            "5k",
            "--pricing",
            "seed",
            "--format",
            "json",
        ]);
        assert_eq!(o.pricing, vec!["seed".to_string()]);
        assert_eq!(o.format, Format::Json);
        let Action::Decide { prices, flags, .. } = o.action else {
            panic!("not a decision");
        };
        assert_eq!(
            prices,
            PriceOverrides {
                api_price: Some((3.0, 15.0)),
            }
        );
        assert_eq!(
            flags.unit_usd_per_month,
            Some(Sourced::flag("--self-host-cost", 5000.0))
        );
        assert_eq!(flags.unit_tokens_per_month, None);
    }

    #[test]
    fn subcommands() {
        assert_eq!(
            parse(&["list", "apis", "--tier", "frontier", "--pricing", "seed"]),
            Options {
                action: Action::List {
                    what: ListWhat::Apis,
                    provider: None,
                    tier: Some(Tier::Frontier),
                },
                pricing: vec!["seed".into()],
                model_configs: Vec::new(),
                model_tier: None,
                format: Format::Table,
                output: None,
                today: None,
                today_typed: false,
                currency: crate::model::units::CurrencyFlags::default(),
                price_warning_days: None,
                color: None,
                width: None,
                default_budget: Budget::default(),
                settings: crate::model::output::Settings::default(),
                quiet: false,
                sections: Some(Vec::new()),
            }
        );
        assert_eq!(
            parse(&["compare", "a.yaml", "b.yaml"]).action,
            Action::Compare {
                files: vec!["a.yaml".into(), "b.yaml".into()],
                metrics: Vec::new(),
                sort: None,
            }
        );
        assert_eq!(
            parse(&[
                "compare",
                "d/",
                "--metrics",
                "cost,crossover",
                "--sort",
                "cost"
            ])
            .action,
            Action::Compare {
                files: vec!["d/".into()],
                metrics: vec![Metric::Cost, Metric::Crossover],
                sort: Some("cost".into()),
            }
        );
    }

    #[test]
    fn checks_and_gates() {
        let o = parse(&[
            "check",
            "scenarios/",
            "--max-monthly-cost",
            "20k",
            "--max-latency",
            "0.2s",
            "--expect",
            "hybrid",
            "--max-price-age",
            "180",
            "--warn-only",
            "--today",
            "2026-11-27",
        ]);
        assert_eq!(o.today, Some(Date::parse("2026-11-27").unwrap()));
        assert_eq!(
            o.action,
            Action::Check {
                paths: vec!["scenarios/".into()],
                usage: vec![],
                usage_map: None,
                budget: Budget {
                    max_monthly_cost_usd: Some(20_000.0),
                    max_cost_per_mtok_usd: None,
                    max_latency_ms: Some(200.0),
                    expect: Some("hybrid".into()),
                    max_price_age_days: Some(180.0),
                    alert_at: None,
                },
                warn_only: true,
            }
        );
        for (text, want) in [
            ("10%", Increase::Share(0.1)),
            ("$500", Increase::Usd(500.0)),
            ("1.5k", Increase::Usd(1500.0)),
        ] {
            let o = parse(&["diff", "a.json", "b.yaml", "--max-increase", text]);
            let Action::Diff { max_increase, .. } = o.action else {
                panic!("not a diff");
            };
            assert_eq!(max_increase, Some(want), "{text}");
        }
    }

    #[test]
    fn bad_values_name_the_flag() {
        let e = Options::from_cli(
            Cli::try_parse_from(["llm-decide", "compare", "a.yaml", "--metrics", "cots"]).unwrap(),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "--metrics: unknown metric \"cots\"; did you mean \"cost\"? (one of tokens, recommendation, cost, api, api_cost, self_host, self_host_cost, hybrid, crossover, latency, privacy)"
        );
    }

    #[test]
    fn every_flag_of_the_field_table_is_a_flag_of_the_command() {
        use clap::CommandFactory;
        let cmd = Cli::command();
        let longs: Vec<String> = cmd
            .get_arguments()
            .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
            .collect();
        let flags: Vec<&str> = WorkloadSpec::FIELDS.iter().filter_map(|f| f.1).collect();
        assert!(flags.len() > 40, "{flags:?}");
        for flag in flags {
            assert!(longs.iter().any(|l| l == flag), "{flag} is not a flag");
        }
    }

    #[test]
    fn counts_are_whole_numbers() {
        let o = parse(&[
            "--tokens", "1B", "--gpus", "4", "--tp", "2", "--draws", "10k", "--seed", "7",
        ]);
        let Action::Decide { flags, .. } = o.action else {
            panic!("not a decision");
        };
        assert_eq!(flags.gpus, Some(Sourced::flag("--gpus", 4)));
        assert_eq!(flags.tp, Some(Sourced::flag("--tp", 2)));
        assert_eq!(flags.draws, Some(Sourced::flag("--draws", 10_000)));
        assert_eq!(flags.seed, Some(Sourced::flag("--seed", 7)));
        let e = Cli::try_parse_from(["llm-decide", "--tokens", "1B", "--gpus", "2.5"]).unwrap_err();
        assert!(
            e.to_string()
                .contains("\"2.5\" is not a valid count: it is not a whole number"),
            "{e}"
        );
    }

    #[test]
    fn contradictory_flags_are_rejected() {
        let e =
            Cli::try_parse_from(["llm-decide", "--tokens", "1B", "--requests", "1M"]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::ArgumentConflict);
    }
}
