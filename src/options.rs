//! Resolved options: the command-line arguments turned into one typed value, once. Nothing
//! after this module sees clap. `Options: PartialEq`, so the mapping is tested as data.

use crate::cli::{Cli, Command, FormatArg, ListArg, WorkloadArgs};
use crate::input::PriceOverrides;
use crate::input::workload::{Sourced, WorkloadSpec};
use crate::model::pricing::Tier;
use crate::report::Format;

/// What to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListWhat {
    /// API models.
    Apis,
    /// Self-host setups.
    Setups,
    /// GPUs.
    Gpus,
    /// Open models.
    Models,
    /// Scenarios.
    Scenarios,
}

/// The command to run, with its resolved inputs.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Decide for one workload.
    Decide {
        /// Scenario file, if any.
        scenario: Option<String>,
        /// Workload fields given as flags (they override the file).
        flags: Box<WorkloadSpec>,
        /// Prices given as flags.
        prices: PriceOverrides,
    },
    /// Compare scenario files.
    Compare {
        /// The files.
        files: Vec<String>,
    },
    /// Size a deployment.
    Capacity(Box<crate::input::capacity::CapacitySpec>),
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

/// Everything a run needs, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The command.
    pub action: Action,
    /// `--pricing` arguments, in order.
    pub pricing: Vec<String>,
    /// Output format.
    pub format: Format,
}

impl Options {
    /// Resolves parsed arguments.
    pub fn from_cli(cli: Cli) -> Options {
        let format = match cli.common.format {
            FormatArg::Table => Format::Table,
            FormatArg::Json => Format::Json,
        };
        let action = match cli.command {
            None => Action::Decide {
                scenario: cli.workload.scenario.clone(),
                prices: PriceOverrides {
                    api_price: cli.workload.api_price,
                    self_host_cost: cli.workload.self_host_cost,
                    self_host_capacity: cli.workload.self_host_capacity,
                },
                flags: Box::new(flags_spec(&cli.workload)),
            },
            Some(Command::Compare { files }) => Action::Compare { files },
            Some(Command::Capacity(a)) => {
                Action::Capacity(Box::new(crate::input::capacity::CapacitySpec {
                    model: a.model,
                    gpu: a.gpu,
                    gpus: a.gpus,
                    tp: a.tp,
                    precision: a.precision,
                    input_tokens: a.input_tokens,
                    output_tokens: a.output_tokens,
                    tokens: a.tokens,
                    peak_to_average: a.peak_to_average,
                    engine: a.engine,
                    hosting: a.hosting,
                    price_kind: a.price_kind,
                }))
            }
            Some(Command::List {
                what,
                provider,
                tier,
            }) => Action::List {
                what: match what {
                    ListArg::Apis => ListWhat::Apis,
                    ListArg::Setups => ListWhat::Setups,
                    ListArg::Gpus => ListWhat::Gpus,
                    ListArg::Models => ListWhat::Models,
                    ListArg::Scenarios => ListWhat::Scenarios,
                },
                provider,
                tier,
            },
        };
        Options {
            action,
            pricing: cli.common.pricing,
            format,
        }
    }
}

/// The workload fields set by flags.
fn flags_spec(a: &WorkloadArgs) -> WorkloadSpec {
    fn f<T: Clone>(flag: &'static str, v: &Option<T>) -> Option<Sourced<T>> {
        v.as_ref().map(|v| Sourced::flag(flag, v.clone()))
    }
    WorkloadSpec {
        tokens_per_month: f("--tokens", &a.tokens),
        requests_per_month: f("--requests", &a.requests),
        input_tokens_per_request: f("--input-tokens", &a.input_tokens),
        output_tokens_per_request: f("--output-tokens", &a.output_tokens),
        input_share: f("--input-share", &a.input_share),
        cached_input_share: f("--cached-share", &a.cached_share),
        batch_share: f("--batch-share", &a.batch_share),
        latency_target_ms: f("--latency", &a.latency),
        latency_metric: a.latency_metric,
        latency_percentile: a.latency_percentile,
        api_region: a.api_region,
        api_rtt_ms: f("--api-rtt", &a.api_rtt),
        privacy_level: a.privacy,
        sensitive_share: f("--sensitive-share", &a.sensitive_share),
        third_party_allowed: a.third_party.map(|y| y.get()),
        frontier_share: f("--frontier-share", &a.frontier_share),
        frontier_api: f("--frontier-api", &a.frontier_api),
        simple_share: f("--simple-share", &a.simple_share),
        small_model: f("--small-model", &a.small_model),
        ml_engineers: f("--ml-engineers", &a.ml_engineers),
        devops: f("--devops", &a.devops),
        can_hire: a.can_hire.map(|y| y.get()),
        traffic_shape: f("--traffic", &a.traffic),
        peak_to_average: f("--peak-to-average", &a.peak_to_average),
        phase: a.phase,
        always_on: a.always_on.map(|y| y.get()),
        fine_tuning: a.fine_tuning.map(|y| y.get()),
        time_to_market: a.time_to_market,
        dev_share: f("--dev-share", &a.dev_share),
        growth_monthly: f("--growth", &a.growth),
        horizon_months: f("--horizon", &a.horizon),
        api_price_decline_yearly: f("--api-price-decline", &a.api_price_decline),
        ranges: (!a.range.is_empty()).then(|| a.range.clone()),
        draws: f("--draws", &a.draws),
        seed: f("--seed", &a.seed),
        api: f("--api", &a.api),
        setup: f("--setup", &a.setup),
        self_host_fixed_usd_per_month: f("--self-host-fixed", &a.self_host_fixed),
        model: f("--model", &a.model),
        gpu: f("--gpu", &a.gpu),
        gpus: f("--gpus", &a.gpus),
        precision: f("--precision", &a.precision),
        tp: f("--tp", &a.tp),
        hosting: a.hosting,
        price_kind: a.price_kind,
        engine: f("--engine", &a.engine),
        ..WorkloadSpec::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn parse(args: &[&str]) -> Options {
        let mut argv = vec!["llm-decide"];
        argv.extend_from_slice(args);
        Options::from_cli(Cli::try_parse_from(argv).unwrap())
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
            flags,
            prices,
        } = o.action
        else {
            panic!("not a decision");
        };
        assert_eq!(scenario, None);
        assert_eq!(prices, PriceOverrides::default());
        let want = WorkloadSpec {
            tokens_per_month: Some(Sourced::flag("--tokens", 800e6)),
            latency_target_ms: Some(Sourced::flag("--latency", 150.0)),
            api: Some(Sourced::flag("--api", "gpt-4o".to_string())),
            can_hire: Some(false),
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
        let Action::Decide { prices, .. } = o.action else {
            panic!("not a decision");
        };
        assert_eq!(
            prices,
            PriceOverrides {
                api_price: Some((3.0, 15.0)),
                self_host_cost: Some(5000.0),
                self_host_capacity: None,
            }
        );
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
                format: Format::Table,
            }
        );
        assert_eq!(
            parse(&["compare", "a.yaml", "b.yaml"]).action,
            Action::Compare {
                files: vec!["a.yaml".into(), "b.yaml".into()]
            }
        );
    }

    #[test]
    fn contradictory_flags_are_rejected() {
        let e =
            Cli::try_parse_from(["llm-decide", "--tokens", "1B", "--requests", "1M"]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::ArgumentConflict);
    }
}
