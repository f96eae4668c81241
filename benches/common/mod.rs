//! What the benchmarks share.

use std::time::Duration;

/// The median of timings.
pub fn median_of(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// A folder of `n` scenario files: the five ready-made ones at varied volumes, with budgets,
/// in ten subfolders.
pub fn scenario_folder(n: usize) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("llm-decide-bench-{n}"));
    let _ = std::fs::remove_dir_all(&dir);
    for i in 0..n {
        let (name, text) = llm_decide::SCENARIOS[i % llm_decide::SCENARIOS.len()];
        let sub = dir.join(format!("team-{}", i % 10));
        std::fs::create_dir_all(&sub).unwrap();
        // Vary the volume so each file is decided afresh.
        let text: String = text
            .lines()
            .map(|l| {
                if l.starts_with("tokens_per_month:") {
                    format!("tokens_per_month: {}M", 50 + 7 * i)
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let body = format!("{text}\nbudget:\n  max_monthly_cost_usd: 15k\n");
        std::fs::write(sub.join(format!("{name}-{i:04}.yaml")), body).unwrap();
    }
    dir
}
