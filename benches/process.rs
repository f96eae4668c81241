//! Whole-process benchmarks: `cargo bench --bench process`. Runs the release binary as a user
//! would and prints the median wall time of each case next to a process that does nothing
//! (`true`), measured in the same rounds (each round runs every case once, so a busy moment
//! slows all cases alike). Times are taken around `spawn`/`wait` in this process: no shell is
//! in the figure. Peak memory is measured by `scripts/bench.sh`. No figure is asserted.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{median_of, scenario_folder};

const BIN: &str = env!("CARGO_BIN_EXE_llm-decide");

fn run(program: &str, args: &[String]) -> Duration {
    let start = Instant::now();
    let status = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let elapsed = start.elapsed();
    assert!(
        status.code().is_some_and(|c| c <= 1),
        "{program} {args:?}: {status}"
    );
    elapsed
}

/// Runs every case `rounds` times, interleaved, and prints the medians.
fn table(cases: &[(&str, &str, Vec<String>)], rounds: usize) {
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    for _ in 0..rounds {
        for (i, (_, program, args)) in cases.iter().enumerate() {
            times[i].push(run(program, args));
        }
    }
    for ((name, _, _), t) in cases.iter().zip(times) {
        let min = t.iter().min().copied().unwrap_or_default();
        let median = median_of(t);
        println!(
            "{name:<58} {:>9.2} ms {:>9.2} ms",
            median.as_secs_f64() * 1000.0,
            min.as_secs_f64() * 1000.0
        );
    }
}

fn args(text: &str) -> Vec<String> {
    text.split_whitespace().map(String::from).collect()
}

fn main() {
    let rounds: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(101);
    println!("{:<58} {:>12} {:>12}", "process", "median", "min");
    table(
        &[
            ("true (process start, for reference)", "true", Vec::new()),
            (
                "llm-decide --tokens 800M --latency 150ms",
                BIN,
                args("--tokens 800M --latency 150ms"),
            ),
            (
                "llm-decide --tokens 800M --latency 150ms --format json",
                BIN,
                args("--tokens 800M --latency 150ms --format json"),
            ),
            (
                "llm-decide --version (start-up and argument parsing)",
                BIN,
                args("--version"),
            ),
        ],
        rounds,
    );
    table(
        &[
            (
                "llm-decide --tokens 800M --draws 100000",
                BIN,
                args("--tokens 800M --draws 100000"),
            ),
            (
                "llm-decide --tokens 800M --draws 200000",
                BIN,
                args("--tokens 800M --draws 200000"),
            ),
            (
                "llm-decide crossover --tokens 800M --steps 200",
                BIN,
                args("crossover --tokens 800M --steps 200"),
            ),
        ],
        (rounds / 5).max(3),
    );
    // Inputs that used to run for minutes (one Erlang C step per batch slot, one burst
    // baseline per unit for each draw): the largest volumes and peaks the tool accepts.
    table(
        &[
            (
                "llm-decide --tokens 1e17 (4.9M replicas)",
                BIN,
                args("--tokens 1e17"),
            ),
            (
                "llm-decide --tokens 1e17 --traffic spiky --peak-to-average 3",
                BIN,
                args("--tokens 1e17 --traffic spiky --peak-to-average 3"),
            ),
            (
                "llm-decide --tokens 1e15 --draws 1000000 --traffic spiky ...",
                BIN,
                args(
                    "--tokens 1e15 --draws 1000000 --traffic spiky --peak-to-average 3 --frontier-share 0.2 --sensitive-share 0.2 --dev-share 0.1",
                ),
            ),
        ],
        (rounds / 20).max(3),
    );
    let dir = scenario_folder(1000).display().to_string();
    table(
        &[
            (
                "llm-decide check (1,000 files)",
                BIN,
                vec!["check".into(), dir.clone()],
            ),
            (
                "llm-decide check (2,000 files: the folder twice)",
                BIN,
                vec!["check".into(), dir.clone(), dir],
            ),
        ],
        (rounds / 20).max(3),
    );
}
