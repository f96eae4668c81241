//! Engine benchmarks: `cargo bench`. Prints the median wall time of each case over repeated
//! runs (no timing assertions: the figures go into docs/performance.md).

use llm_decide::engine;
use llm_decide::input::catalog;
use llm_decide::input::workload::{self, Sourced, WorkloadSpec};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn median(mut f: impl FnMut(), runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn report(name: &str, d: Duration) {
    println!("{name:<52} {:>10.3} ms", d.as_secs_f64() * 1000.0);
}

fn main() {
    let cat = catalog::load(&[]).expect("catalog");
    report(
        "load and validate the embedded catalog",
        median(
            || {
                black_box(catalog::load(&[]).unwrap());
            },
            50,
        ),
    );
    let spec = WorkloadSpec {
        tokens_per_month: Some(Sourced::flag("--tokens", 800e6)),
        latency_target_ms: Some(Sourced::flag("--latency", 150.0)),
        ..WorkloadSpec::default()
    };
    let w = workload::resolve(&spec, &cat, "bench").unwrap();
    report(
        "analyze --tokens 800M --latency 150ms (10k draws)",
        median(
            || {
                black_box(engine::analyze(&cat, &w).unwrap());
            },
            30,
        ),
    );
    for draws in [10_000u32, 100_000, 200_000] {
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
}
