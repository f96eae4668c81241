//! The reference article's numbers, reproduced through the library: the seed crossover
//! table to the dollar, the crossover in closed form, and the verdicts of its four
//! scenarios and of the README's first command.

use llm_decide::engine;
use llm_decide::engine::decision::constraints::Blocker;
use llm_decide::input::catalog;
use llm_decide::input::scenario;
use llm_decide::model::catalog::Catalog;
use llm_decide::model::decision::{Choice, Winner};
use llm_decide::model::workload::spec::{Sourced, WorkloadSpec};

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
    let w = scenario::resolve(&tokens(10e9), &catalog, "article").unwrap();
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
    let w = scenario::resolve(&tokens(800e6), &catalog, "article").unwrap();
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
    let w = scenario::resolve(&spec, &catalog, "fixed").unwrap();
    let a = engine::analyze(&catalog, &w).unwrap();
    assert_eq!(a.crossover.units, Some(3));
    assert_eq!(a.crossover.tokens_per_month, Some(6_933_333_334.0));
}

fn verdict(catalog: &Catalog, spec: &WorkloadSpec) -> (Choice, Option<&'static str>) {
    let w = scenario::resolve(spec, catalog, "t").unwrap();
    let a = engine::analyze(catalog, &w).unwrap();
    (
        a.recommendation.choice,
        a.recommendation.pattern.map(llm_decide::model::Named::id),
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
            let spec = scenario::parse_scenario(&path, &text).unwrap();
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
    let spec = scenario::parse_scenario("trading.yaml", &text).unwrap();
    let w = scenario::resolve(&spec, &catalog, "trading").unwrap();
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
    let w = scenario::resolve(&first, &catalog, "first").unwrap();
    let a = engine::analyze(&catalog, &w).unwrap();
    let api = &a.api.latency;
    // 150 ms network + 500 ms queueing + (450 - 100 - 115.7) ms of GPT-4o's own, at p95.
    let own = 450.0 - 100.0 - 500.0 / 20f64.ln() * 2f64.ln();
    assert!((api.ttft_p95_ms - (650.0 + own)).abs() < 1e-6);
    assert_eq!(api.meets_target, Some(false));
    // The API is ruled out by its 884 ms p95 TTFT against the 150 ms target.
    assert!(
        a.api.blockers.iter().any(|b| matches!(
            b,
            Blocker::Latency(m) if m.side == Choice::Api && (m.figure_ms - 884.311).abs() < 0.001
        )),
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
    let w = scenario::resolve(&tokens(1e9), &catalog, "t").unwrap();
    let a = engine::analyze(&catalog, &w).unwrap();
    assert!((a.api.latency.ttft_p50_ms - 450.0).abs() < 1e-9);
    assert!((a.api.latency.tpot_ms.unwrap() - 1000.0 / 131.0).abs() < 1e-9);
}

fn scenario(catalog: &Catalog, name: &str) -> engine::Analysis {
    let path = format!("scenarios/{name}.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let spec = scenario::parse_scenario(&path, &text).unwrap();
    let w = scenario::resolve(&spec, catalog, name).unwrap();
    engine::analyze(catalog, &w).unwrap()
}

#[test]
fn the_articles_hybrid_example_saves_near_sixty_percent() {
    use llm_decide::model::decision::Pattern;
    // 80% of 2.5B on one cloud A100 ($4,000) + 500M on GPT-4o ($3,750) = $7,750 against
    // $18,750 on the API alone: 58.7% less.
    let a = scenario(&seed(), "hybrid-80-20");
    assert_eq!(
        (a.recommendation.choice, a.recommendation.pattern),
        (Choice::Hybrid, Some(Pattern::Complexity))
    );
    let h = a
        .hybrids
        .iter()
        .find(|h| h.pattern == Pattern::Complexity)
        .unwrap();
    assert!((h.monthly_cost_usd - 7750.0).abs() < 1e-6);
    assert!((h.saving_vs_api - (1.0 - 7750.0 / 18_750.0)).abs() < 1e-9);
    assert!(
        (h.saving_vs_api - 0.6).abs() < 0.02,
        "near the article's 60%: {}",
        h.saving_vs_api
    );
}

#[test]
fn the_ecommerce_plan() {
    use llm_decide::engine::decision::hybrid::{RouteTarget, Side};
    use llm_decide::model::decision::Pattern;
    for catalog in [default_catalog(), seed()] {
        let a = scenario(&catalog, "ecommerce");
        assert_eq!(
            a.recommendation.pattern,
            Some(Pattern::Complexity),
            "{}",
            catalog.profile
        );
        let h = a
            .hybrids
            .iter()
            .find(|h| h.pattern == Pattern::Complexity)
            .unwrap();
        // Product content (70%) self-hosted, customer service (30%) on GPT-4o.
        let self_route = h.routes.iter().find(|r| r.side == Side::SelfHost).unwrap();
        let api_route = h.routes.iter().find(|r| r.side == Side::Api).unwrap();
        assert!((self_route.tokens_per_month - 1.4e9).abs() < 1.0);
        assert_eq!(api_route.target, RouteTarget::Api("gpt-4o".into()));
        assert!((api_route.monthly_cost_usd - 4500.0).abs() < 1e-6);
        let sum: f64 =
            h.routes.iter().map(|r| r.monthly_cost_usd).sum::<f64>() + h.fixed_usd_per_month;
        assert!(
            (sum - h.monthly_cost_usd).abs() < 1e-6,
            "routes and fixed add up to the total"
        );
    }
}

#[test]
fn three_tier_complexity_by_hand() {
    use llm_decide::model::decision::Pattern;
    // Seed, 5B tokens: simple 30% (1.5B) on 1 unit, medium 50% (2.5B) on 1 unit, frontier 20%
    // (1B) on GPT-4o: $4,000 + $4,000 + $7,500 = $15,500.
    let catalog = seed();
    let mut spec = tokens(5e9);
    spec.frontier_share = Some(Sourced::flag("--frontier-share", 0.2));
    spec.simple_share = Some(Sourced::flag("--simple-share", 0.3));
    let w = scenario::resolve(&spec, &catalog, "t").unwrap();
    let a = engine::analyze(&catalog, &w).unwrap();
    let h = a
        .hybrids
        .iter()
        .find(|h| h.pattern == Pattern::Complexity)
        .unwrap();
    let routes: Vec<(f64, Option<u32>, f64)> = h
        .routes
        .iter()
        .map(|r| (r.tokens_per_month, r.units, r.monthly_cost_usd))
        .collect();
    assert_eq!(routes[0], (1.5e9, Some(1), 4000.0));
    assert_eq!(routes[1], (2.5e9, Some(1), 4000.0));
    assert!((routes[2].0 - 1e9).abs() < 1.0 && (routes[2].2 - 7500.0).abs() < 1e-6);
    assert!((h.monthly_cost_usd - 15_500.0).abs() < 1e-6);
}

#[test]
fn growth_sensitivity_and_uncertainty_agree_with_the_headline() {
    let catalog = seed();
    let mut spec = tokens(400e6);
    spec.growth_monthly = Some(Sourced::flag("--growth", 0.1));
    let w = scenario::resolve(&spec, &catalog, "t").unwrap();
    let a = engine::analyze(&catalog, &w).unwrap();
    // Month 1 of the projection is today's costs; the tornado's base is today's saving.
    let m1 = &a.projection.months[0];
    assert!((m1.api_usd - a.api.cost.monthly_cost_usd).abs() < 1e-6);
    assert!((m1.self_host_usd - a.self_host.cost.monthly_cost_usd).abs() < 1e-6);
    let saving = a.api.cost.monthly_cost_usd - a.self_host.cost.monthly_cost_usd;
    assert!((a.sensitivity.base_saving_usd - saving).abs() < 1e-6);
    // $3,000 growing 10% a month passes $4,000 in month 5, $5,000 in 7, $10,000 in 14.
    assert_eq!(
        (
            a.projection.crossover_month,
            a.projection.start_planning_month,
            a.projection.ready_to_switch_month
        ),
        (Some(5), Some(7), Some(14))
    );
    assert_eq!(
        a.projection
            .tco
            .iter()
            .map(|t| t.months)
            .collect::<Vec<_>>(),
        vec![12, 24, 36]
    );
    // Monte Carlo: probabilities add up to 1 over the feasible options; the same seed, the same result.
    let total: f64 = a
        .uncertainty
        .options
        .iter()
        .map(|o| o.probability_cheapest)
        .sum();
    assert!((total - 1.0).abs() < 1e-9);
    let again = engine::analyze(&catalog, &w).unwrap();
    assert_eq!(a.uncertainty, again.uncertainty);
}

#[test]
fn an_explicit_profile_sets_the_peak() {
    // 24 hourly weights: 12 hours at 3, 12 at 1 -> mean 2, peak-to-average 1.5.
    let catalog = seed();
    let mut spec = tokens(2e9);
    let mut weights = vec![3.0; 12];
    weights.extend(vec![1.0; 12]);
    spec.profile = Some(Sourced::flag("--traffic", weights));
    let w = scenario::resolve(&spec, &catalog, "t").unwrap();
    assert!((w.traffic.peak_to_average() - 1.5).abs() < 1e-12);
    let hours: f64 = w.traffic.levels.iter().map(|l| l.hours).sum();
    assert!((hours - 730.0).abs() < 1e-9);
    // 2B x 1.5 = 3B at the peak: two units of 2.5B.
    let a = engine::analyze(&catalog, &w).unwrap();
    assert_eq!(a.self_host.cost.units, 2);
}

/// An analysis to the decision's depth (what `check` and `diff` read) decides exactly as the
/// full one: the same options, hybrids, recommendation, break-even and projection, for every
/// ready-made scenario and the first command; only the outlook it skips is empty.
#[test]
fn the_decision_depth_decides_as_the_full_analysis() {
    use llm_decide::engine::Depth;
    let catalog = default_catalog();
    let mut specs: Vec<(String, WorkloadSpec)> = [
        "saas-startup",
        "healthcare",
        "ecommerce",
        "trading",
        "hybrid-80-20",
    ]
    .iter()
    .map(|name| {
        let path = format!("scenarios/{name}.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        (
            (*name).to_string(),
            scenario::parse_scenario(&path, &text).unwrap(),
        )
    })
    .collect();
    let mut first = tokens(800e6);
    first.latency_target_ms = Some(Sourced::flag("--latency", 150.0));
    specs.push(("first command".into(), first));
    for (name, spec) in &specs {
        let w = scenario::resolve(spec, &catalog, name).unwrap();
        let full = engine::analyze_to(&catalog, &w, Depth::Full).unwrap();
        let decision = engine::analyze_to(&catalog, &w, Depth::Decision).unwrap();
        assert_eq!(decision.recommendation, full.recommendation, "{name}");
        assert_eq!(decision.api, full.api, "{name}");
        assert_eq!(decision.serverless, full.serverless, "{name}");
        assert_eq!(decision.self_host, full.self_host, "{name}");
        assert_eq!(decision.hybrids, full.hybrids, "{name}");
        assert_eq!(decision.crossover, full.crossover, "{name}");
        assert_eq!(decision.projection, full.projection, "{name}");
        assert_eq!(decision.sources, full.sources, "{name}");
        // What the full analysis has and the decision's depth leaves out.
        assert!(!full.volume_table.is_empty(), "{name}");
        assert!(!full.sensitivity.tornado.is_empty(), "{name}");
        assert!(full.uncertainty.draws > 0, "{name}");
        assert!(decision.volume_table.is_empty(), "{name}");
        assert!(decision.sensitivity.tornado.is_empty(), "{name}");
        assert!(decision.sensitivity.thresholds.is_empty(), "{name}");
        assert_eq!(decision.uncertainty.draws, 0, "{name}");
    }
}
