//! Engine benchmarks: `cargo bench`. Prints the median wall time of each case over repeated
//! runs (no timing assertions: the figures go into docs/performance.md).

use llm_decide::engine;
use llm_decide::input::catalog;
use llm_decide::input::scenario;
use llm_decide::model::output::Format;
use llm_decide::model::workload::spec::{Sourced, WorkloadSpec};
use llm_decide::options::{Action, Options};
use std::hint::black_box;
use std::time::{Duration, Instant};

mod common;
use common::{median_of, scenario_folder};

fn median(mut f: impl FnMut(), runs: usize) -> Duration {
    median_of(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

fn report(name: &str, d: Duration) {
    println!("{name:<52} {:>10.3} ms", d.as_secs_f64() * 1000.0);
}

fn main() {
    let cat = catalog::load(&[]).expect("catalog");
    report(
        "load the embedded catalog (validated at build time)",
        median(
            || {
                black_box(catalog::load(&[]).unwrap());
            },
            50,
        ),
    );
    let sources = catalog::profile_sources("default").expect("built-in profile");
    report(
        "parse and validate the embedded YAML (47 KB)",
        median(
            || {
                black_box(catalog::build("default", &sources).unwrap());
            },
            50,
        ),
    );
    let spec = WorkloadSpec {
        tokens_per_month: Some(Sourced::flag("--tokens", 800e6)),
        latency_target_ms: Some(Sourced::flag("--latency", 150.0)),
        ..WorkloadSpec::default()
    };
    let w = scenario::resolve(&spec, &cat, "bench").unwrap();
    report(
        "analyze --tokens 800M --latency 150ms (10k draws)",
        median(
            || {
                black_box(engine::analyze(&cat, &w).unwrap());
            },
            30,
        ),
    );
    for draws in [0u32, 10_000, 100_000, 200_000] {
        let mut w = w.clone();
        w.draws = Some(draws);
        report(
            &format!("analyze with a {draws}-draw Monte Carlo"),
            median(
                || {
                    black_box(engine::analyze(&cat, &w).unwrap());
                },
                10,
            ),
        );
    }
    for points in [100_000u32, 200_000] {
        // Log-spaced from 10M to 10B, unrounded, so every point is distinct.
        let volumes: Vec<f64> = (0..points)
            .map(|i| 10e6 * 1000f64.powf(f64::from(i) / f64::from(points - 1)))
            .collect();
        report(
            &format!("crossover sweep of {points} volumes"),
            median(
                || {
                    black_box(engine::sweep(&cat, &w, &volumes).unwrap());
                },
                5,
            ),
        );
    }
    let dir = scenario_folder(1000);
    let options = Options {
        action: Action::Check {
            paths: vec![dir.to_string_lossy().into_owned()],
            usage: Vec::new(),
            usage_map: None,
            budget: llm_decide::model::workload::Budget {
                max_monthly_cost_usd: Some(20_000.0),
                ..Default::default()
            },
            warn_only: false,
        },
        pricing: Vec::new(),
        model_configs: Vec::new(),
        model_tier: None,
        format: Format::Json,
        output: None,
        today: None,
        today_typed: false,
        currency: llm_decide::model::units::CurrencyFlags::default(),
        price_warning_days: None,
        color: Some(false),
        width: None,
        sections: None,
        default_budget: llm_decide::model::workload::Budget::default(),
        settings: llm_decide::model::output::Settings::default(),
        quiet: false,
    };
    report(
        "check a folder of 1,000 scenario files (JSON out)",
        median(
            || {
                black_box(llm_decide::run(&options).unwrap());
            },
            10,
        ),
    );
}
