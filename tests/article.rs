//! The reference article's numbers, reproduced through the library: the seed crossover
//! table to the dollar, the crossover in closed form, and the verdicts of its four
//! scenarios and of the README's first command.

use llm_decide::engine::{self, Choice, Winner};
use llm_decide::input::catalog;
use llm_decide::input::workload::{self, Sourced, WorkloadSpec};
use llm_decide::model::pricing::Catalog;

fn seed() -> Catalog {
    catalog::load(&["seed".to_string()]).expect("the seed profile is valid")
}

fn default_catalog() -> Catalog {
    catalog::load(&[]).expect("the default profile is valid")
}

fn tokens(v: f64) -> WorkloadSpec {
    WorkloadSpec {
        tokens_per_month: Some(Sourced::flag("--tokens", v)),
        ..WorkloadSpec::default()
    }
}

#[test]
fn seed_reproduces_the_crossover_table_to_the_dollar() {
    let catalog = seed();
    let w = workload::resolve(&tokens(10e9), &catalog, "article").unwrap();
    let a = engine::analyze(&catalog, &w).unwrap();
    assert_eq!(a.api.id, "gpt-4o");
    assert_eq!(a.self_host.setup.as_deref(), Some("cloud-a100"));
    assert!((a.api.cost.usd_per_mtok - 7.5).abs() < 1e-12);
    // (tokens, API $, self-host $, units, winner) from the article's table.
    let want: &[(f64, f64, f64, u32, Winner)] = &[
        (10e6, 75.0, 4000.0, 1, Winner::Api),
        (100e6, 750.0, 4000.0, 1, Winner::Api),
        (500e6, 3750.0, 4000.0, 1, Winner::Tie),
        (1e9, 7500.0, 4000.0, 1, Winner::SelfHost),
        (5e9, 37_500.0, 8000.0, 2, Winner::SelfHost),
        (10e9, 75_000.0, 16_000.0, 4, Winner::SelfHost),
    ];
    let got: Vec<(f64, f64, f64, u32, Winner)> = a
        .volume_table
        .iter()
        .map(|r| {
            (
                r.tokens_per_month,
                r.api_monthly_cost_usd,
                r.self_host_monthly_cost_usd,
                r.self_host_units,
                r.winner,
            )
        })
        .collect();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g.0, w.0);
        assert!(
            (g.1 - w.1).abs() < 0.005,
            "API at {}: {} != {}",
            w.0,
            g.1,
            w.1
        );
        assert_eq!((g.2, g.3, g.4), (w.2, w.3, w.4), "self-host at {}", w.0);
    }
}

#[test]
fn seed_crossover_is_exact() {
    let catalog = seed();
    let w = workload::resolve(&tokens(800e6), &catalog, "article").unwrap();
    let a = engine::analyze(&catalog, &w).unwrap();
    // $4,000 / $7.50 per 1M = 533,333,333.3 tokens, rounded up to a whole token.
    assert_eq!(a.crossover.tokens_per_month, Some(533_333_334.0));
    assert_eq!(a.crossover.units, Some(1));
    // $5,000 and $10,000 API bills at $7.50 per 1M.
    assert_eq!(
        a.recommendation.revisit.start_planning_tokens_per_month,
        Some(666_666_667.0)
    );
    assert_eq!(
        a.recommendation.revisit.ready_to_switch_tokens_per_month,
        Some(1_333_333_334.0)
    );
}

#[test]
fn fixed_costs_move_the_crossover_beyond_the_first_unit() {
    // GPT-4o ($7.50 per 1M) against a $4,000 unit of 2.5B tokens with $40,000 a month of
    // fixed cost: a unit earns 2.5B x $7.50/1M - $4,000 = $14,750 over its cost, so it takes
    // k* = ceil(40,000 / 14,750) = 3 units; V* = (3 x 4,000 + 40,000) / 7.5e-6 = 6.933B.
    let catalog = seed();
    let mut spec = tokens(1e9);
    spec.self_host_fixed_usd_per_month = Some(Sourced::flag("--self-host-fixed", 40_000.0));
    let w = workload::resolve(&spec, &catalog, "fixed").unwrap();
    let a = engine::analyze(&catalog, &w).unwrap();
    assert_eq!(a.crossover.units, Some(3));
    assert_eq!(a.crossover.tokens_per_month, Some(6_933_333_334.0));
}

fn verdict(catalog: &Catalog, spec: &WorkloadSpec) -> (Choice, Option<&'static str>) {
    use llm_decide::model::Named;
    let w = workload::resolve(spec, catalog, "t").unwrap();
    let a = engine::analyze(catalog, &w).unwrap();
    (
        a.recommendation.choice,
        a.recommendation.pattern.map(|p| p.id()),
    )
}

#[test]
fn the_four_scenarios_and_the_first_command() {
    for catalog in [default_catalog(), seed()] {
        let cases: &[(&str, (Choice, Option<&str>))] = &[
            ("saas-startup", (Choice::Api, None)),
            ("healthcare", (Choice::SelfHost, None)),
            ("ecommerce", (Choice::Hybrid, Some("complexity"))),
            ("trading", (Choice::SelfHost, None)),
        ];
        for (name, want) in cases {
            let path = format!("scenarios/{name}.yaml");
            let text = std::fs::read_to_string(&path).unwrap();
            let spec = workload::parse_scenario(&path, &text).unwrap();
            assert_eq!(
                verdict(&catalog, &spec),
                *want,
                "{name} ({})",
                catalog.profile
            );
        }
        let mut first = tokens(800e6);
        first.latency_target_ms = Some(Sourced::flag("--latency", 150.0));
        assert_eq!(
            verdict(&catalog, &first),
            (Choice::SelfHost, None),
            "{}",
            catalog.profile
        );
    }
}

#[test]
fn latency_decides_the_trading_firm_and_the_first_command() {
    use llm_decide::engine::selfhost::Kind;
    let catalog = default_catalog();
    // Trading: sub-100 ms p95 TTFT, self-hosted on H100s, the target met, with its cost.
    let text = std::fs::read_to_string("scenarios/trading.yaml").unwrap();
    let spec = workload::parse_scenario("trading.yaml", &text).unwrap();
    let w = workload::resolve(&spec, &catalog, "trading").unwrap();
    let a = engine::analyze(&catalog, &w).unwrap();
    assert_eq!(a.recommendation.choice, Choice::SelfHost);
    assert_eq!(a.self_host.kind, Kind::Sized);
    let d = a.self_host.deployment.as_ref().unwrap();
    assert_eq!(d.sizing.gpu, "h100-sxm");
    assert!(a.self_host.latency.ttft_p95_ms <= 100.0);
    assert_eq!(a.self_host.latency.meets_target, Some(true));
    assert_eq!(a.api.latency.meets_target, Some(false));
    assert!(d.spare_replicas >= 1, "24/7 production keeps a spare");
    assert!((a.recommendation.monthly_cost_usd - a.self_host.cost.monthly_cost_usd).abs() < 1e-9);

    // The README's first command: the API misses 150 ms at p95 with its numbers.
    let mut first = tokens(800e6);
    first.latency_target_ms = Some(Sourced::flag("--latency", 150.0));
    let w = workload::resolve(&first, &catalog, "first").unwrap();
    let a = engine::analyze(&catalog, &w).unwrap();
    let api = &a.api.latency;
    // 150 ms network + 500 ms queueing + (450 - 100 - 115.7) ms of GPT-4o's own, at p95.
    let own = 450.0 - 100.0 - 500.0 / 20f64.ln() * 2f64.ln();
    assert!((api.ttft_p95_ms - (650.0 + own)).abs() < 1e-6);
    assert_eq!(api.meets_target, Some(false));
    assert!(
        a.api.blockers.iter().any(|b| b.contains("884 ms")),
        "{:?}",
        a.api.blockers
    );
    assert_eq!(a.recommendation.choice, Choice::SelfHost);
}

#[test]
fn the_target_changes_the_recommendation() {
    let catalog = default_catalog();
    let with = |target: Option<f64>| {
        let mut spec = tokens(800e6);
        spec.latency_target_ms = target.map(|t| Sourced::flag("--latency", t));
        verdict(&catalog, &spec).0
    };
    assert_eq!(
        with(None),
        Choice::Api,
        "on cost alone 800M tokens stay on the API"
    );
    assert_eq!(
        with(Some(150.0)),
        Choice::SelfHost,
        "a 150 ms target rules the API out"
    );
    assert_eq!(
        with(Some(2000.0)),
        Choice::Api,
        "a loose target leaves cost to decide"
    );
}

#[test]
fn api_latency_reproduces_its_calibration_median() {
    // Artificial Analysis medians for GPT-4o (0.45 s TTFT, 131 tokens/s): the median comes
    // back exactly, since the model's own time is what remains after the median network and
    // queueing. The other two rows of the calibration set (Claude Sonnet 4.6, Gemini 3 Flash)
    // have no price in the catalog.
    let catalog = default_catalog();
    let w = workload::resolve(&tokens(1e9), &catalog, "t").unwrap();
    let a = engine::analyze(&catalog, &w).unwrap();
    assert!((a.api.latency.ttft_p50_ms - 450.0).abs() < 1e-9);
    assert!((a.api.latency.tpot_ms.unwrap() - 1000.0 / 131.0).abs() < 1e-9);
}
