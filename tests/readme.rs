//! The README's YAML examples are real: the scenario resolves and the pricing file layers over
//! the embedded catalog, with the values it shows.

mod common;

use llm_decide::engine;
use llm_decide::input::catalog::{self, Source};
use llm_decide::input::scenario;

fn yaml_blocks() -> Vec<String> {
    let readme = std::fs::read_to_string("README.md").unwrap();
    readme
        .split("```yaml\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap().to_string())
        .collect()
}

#[test]
fn readme_scenario_example_is_valid() {
    let blocks = yaml_blocks();
    let catalog = catalog::load(&[]).unwrap();
    let spec = scenario::parse_scenario("README.md", &blocks[0]).unwrap();
    let w = scenario::resolve(&spec, &catalog, "readme").unwrap();
    assert_eq!(w.tokens_per_month, 1.2e9);
    assert_eq!(w.input_share, 0.6);
    assert_eq!(w.latency.unwrap().target_ms, 800.0);
    assert!(engine::analyze(&catalog, &w).is_ok());
}

#[test]
fn readme_settings_example_is_valid() {
    let blocks = yaml_blocks();
    let dir = common::scratch("readme-settings");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    let file = dir.join(".llm-decide.yaml");
    std::fs::write(&file, &blocks[1]).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let p = llm_decide::input::project::load(&dir, None)
        .unwrap()
        .unwrap();
    assert_eq!(p.pricing, [dir.join("pricing/").to_string_lossy()]);
    assert_eq!(p.price_warning_days, Some(180.0));
    assert_eq!(p.budget.max_monthly_cost_usd, Some(20_000.0));
    assert_eq!(p.budget.max_price_age_days, Some(365.0));
}

#[test]
fn readme_pricing_example_layers_over_the_catalog() {
    let blocks = yaml_blocks();
    let mut sources = catalog::profile_sources("default").unwrap();
    sources.push(Source {
        name: "README.md".into(),
        text: blocks[2].clone(),
    });
    let catalog = catalog::build("default", &sources).unwrap();
    assert_eq!(catalog.api("my-gateway").unwrap().input_usd_per_mtok, 2.0);
    assert_eq!(
        catalog.setup("colo-h100").unwrap().unit_usd_per_month(),
        3280.0
    );
    assert_eq!(catalog.policy.tie_band, 0.05);
    assert!(catalog.api("gpt-4o").is_some(), "built-in entries remain");
}

/// The `llm-decide` command lines of the README's shell blocks, in order, with their comments.
fn commands() -> Vec<(String, String)> {
    let readme = std::fs::read_to_string("README.md").unwrap();
    readme
        .split("```sh\n")
        .skip(1)
        .flat_map(|rest| {
            rest.split("```")
                .next()
                .unwrap()
                .lines()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .filter(|l| l.starts_with("llm-decide "))
        .map(|l| match l.split_once(" # ") {
            Some((cmd, comment)) => (cmd.trim().to_string(), comment.trim().to_string()),
            None => (l.trim().to_string(), String::new()),
        })
        .collect()
}

/// What a README example must print or write for its comment to hold: a piece of stdout, or
/// a file it writes (and a piece of it). `code` is the exit status.
struct Does {
    code: i32,
    stdout: &'static [&'static str],
    writes: Option<(&'static str, &'static str)>,
}

const fn prints(stdout: &'static [&'static str]) -> Does {
    Does {
        code: 0,
        stdout,
        writes: None,
    }
}

fn expected(command: &str) -> Does {
    match command {
        "llm-decide --scenario healthcare" => {
            prints(&["llm-decide: Healthcare company", "200M tokens a month"])
        }
        "llm-decide --scenario my-team.yaml --format json" => {
            prints(&["\"schema_version\": 1", "\"name\": \"My team\""])
        }
        "llm-decide compare saas-startup healthcare ecommerce trading" => prints(&[
            "SaaS startup",
            "Healthcare company",
            "E-commerce platform",
            "Financial trading firm",
        ]),
        // The article's GPT-4o at $7.50 per 1M: 500M tokens cost $3,750.
        "llm-decide --pricing seed --tokens 500M" => {
            prints(&["Recommendation: API, $3,750 a month"])
        }
        // $3/$15 at a third input is $11 per 1M; one unit of 3B tokens at $5,000.
        "llm-decide --tokens 1B --api-price 3/15 --self-host-cost 5k --self-host-capacity 3B" => {
            prints(&[
                "Recommendation: SELF-HOST, $5,000 a month",
                "1 unit as given ($5,000 a month, 3B tokens a month each)",
            ])
        }
        "llm-decide list apis --tier frontier" => prints(&["frontier"]),
        "llm-decide capacity --model llama-3.1-8b --gpu h100-sxm --precision fp8 --sweep" => {
            // Throughput against speed per user, from one sequence to the largest batch.
            prints(&[
                "Throughput against speed per user, one replica",
                "Tokens/s per user",
                "Output tokens/s per GPU",
            ])
        }
        "llm-decide capacity --model llama-3.3-70b --gpu h100-sxm --gpus 2 --precision fp8 --tokens 800M" => {
            prints(&[
                "llm-decide capacity: llama-3.3-70b in fp8 on 2 x h100-sxm",
                "800M tokens a month",
            ])
        }
        "llm-decide --tokens 2B --model llama-3.1-8b --gpu l4 --hosting cloud --price-kind spot" => {
            prints(&["llama-3.1-8b (fp8) on", "x l4"])
        }
        "llm-decide init my-workload.yaml" => Does {
            code: 0,
            stdout: &[],
            writes: Some(("my-workload.yaml", "tokens_per_month: 800M")),
        },
        "llm-decide validate my-workload.yaml" => {
            prints(&["ok: my-workload.yaml (scenario: My workload"])
        }
        "llm-decide --scenario my-workload.yaml --format html --output report.html" => Does {
            code: 0,
            stdout: &[],
            writes: Some(("report.html", "<!DOCTYPE html>")),
        },
        "llm-decide crossover --scenario my-workload.yaml" => prints(&["┤", "break-even", "Sweep"]),
        "llm-decide pricing import-litellm litellm/model_prices_and_context_window_backup.json --as-of 2026-11-30 --output pricing/litellm.yaml"
        | "llm-decide pricing import-litellm https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json --output pricing/litellm.yaml" => {
            Does {
                code: 0,
                stdout: &[],
                writes: Some(("pricing/litellm.yaml", "gpt-4.1")),
            }
        }
        // The excerpt's prices of the built-in models are the embedded ones (both LiteLLM
        // 1.110.2); it adds four models the catalog lacks.
        "llm-decide pricing diff default pricing/litellm.yaml" => prints(&[
            "llm-decide pricing diff: default -> pricing/litellm.yaml",
            "APIs: 0 changed, 4 added, 0 removed, 27 unchanged.",
        ]),
        "llm-decide --pricing pricing/litellm.yaml --tokens 800M --api gpt-4.1" => {
            // $2/$8 at a third input is $6 per 1M.
            prints(&["GPT-4.1 ($6.00 per 1M)", "$4,800"])
        }
        // Every built-in scenario is within $20k, but four rely on a GPU price observed more than
        // 180 days before the tests' date (2026-11-27), a rental or a purchase price: exit 1.
        "llm-decide check scenarios/ --max-monthly-cost 20k --max-price-age 180" => Does {
            code: 1,
            stdout: &["5 scenarios, 4 failed", "scenarios/ecommerce.yaml"],
            writes: None,
        },
        "llm-decide --scenario scenarios/ecommerce.yaml --format json --output base.json" => Does {
            code: 0,
            stdout: &[],
            writes: Some(("base.json", "\"schema_version\": 1")),
        },
        "llm-decide diff base.json scenarios/ecommerce.yaml --fail-on-flip --max-increase 10%" => {
            prints(&["base.json", "scenarios/ecommerce.yaml"])
        }
        "llm-decide compare scenarios/ --metrics recommendation,cost,crossover --sort cost" => {
            // Cheapest first.
            prints(&[
                "SaaS startup ┆ Financial trading firm ┆ E-commerce platform",
                "Recommendation",
                "Break-even",
            ])
        }
        // The fixture's five runs: the step and per-sequence overheads are fitted.
        "llm-decide calibrate runs/ --model gpt-oss-20b --gpu h200 --gpus 1 --precision mxfp4 --engine vllm --output pricing/our-h200.yaml" => {
            Does {
                code: 0,
                stdout: &[],
                writes: Some(("pricing/our-h200.yaml", "    step_overhead_ms: 2.8241\n")),
            }
        }
        "llm-decide --pricing pricing/our-h200.yaml --engine vllm --model gpt-oss-20b --gpu h200 --tokens 800M --show self-host" => {
            prints(&["at the engine constants of your benchmark of 2025-08-14"])
        }
        // The fixtures: 35 days of OpenAI hourly pages, 7 days of Anthropic daily pages.
        "llm-decide usage openai-usage.jsonl" => {
            prints(&["Usage: 1 file(s) (openai), 35.0 days", "gpt-4o-2024-08-06"])
        }
        "llm-decide --usage openai-usage.jsonl --latency 150ms" => prints(&[
            "llm-decide: Observed usage",
            "profile traffic",
            "Recommendation:",
        ]),
        "llm-decide usage anthropic-usage.json --format json" => {
            prints(&["\"catalog_id\": \"claude-sonnet-4.5\""])
        }
        "llm-decide usage postgres://reader@db/litellm --from 2026-08-01 --explain" => prints(&[
            "BEGIN TRANSACTION READ ONLY;",
            "-- $1 = '2026-08-01' (from, inclusive)",
        ]),
        // 28 days of LiteLLM requests; two requests of a gateway log in the hour from 09:00.
        "llm-decide usage spend-logs.csv.gz" => prints(&[
            "Usage: 1 file(s) (litellm), 28.0 days",
            "a hit on LiteLLM's response cache (no model ran): 1",
        ]),
        "llm-decide usage requests.jsonl --map timestamp=ts,model=model,input=usage.in,output=usage.out" =>
        {
            // Two requests in one hour: 2 x 24 x 30.44 = 1,461 a month.
            prints(&[
                "Usage: 1 file(s) (map), 1 hour(s)",
                "Requests a month",
                "1,461",
            ])
        }
        // $270 + $1,800 + $45, by hand in the README.
        "llm-decide --tokens 1B --apis gpt-4o-mini=60%,gpt-4.1=30%,mistral-small=10% --model llama-3.3-70b" => {
            prints(&[
                "Recommendation: API, $2,115 a month",
                "stays on the API: llama-3.3-70b is below frontier",
            ])
        }
        other => panic!(
            "the README example {other:?} has no test; add what it must do to tests/readme.rs"
        ),
    }
}

/// Every README example runs, in order, in a folder holding what they read (a copy of the
/// scenarios, a team scenario, and the offline `LiteLLM` excerpt where the README downloads the
/// real file), and does what its comment says.
#[test]
fn readme_commands_do_what_their_comments_say() {
    const LITELLM_HOST: &str = "https://raw.githubusercontent.com/BerriAI/litellm/main";
    let dir = std::env::temp_dir().join(format!("llm-decide-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("scenarios")).unwrap();
    std::fs::create_dir_all(dir.join("litellm")).unwrap();
    std::fs::create_dir_all(dir.join("pricing")).unwrap();
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join("scenarios").join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        dir.join("my-team.yaml"),
        "version: 1\nname: My team\ntokens_per_month: 300M\n",
    )
    .unwrap();
    std::fs::copy(
        "tests/data/litellm/model_prices_excerpt.json",
        dir.join("litellm/model_prices_and_context_window_backup.json"),
    )
    .unwrap();
    std::fs::copy(
        "tests/data/usage/openai-completions-hourly.jsonl",
        dir.join("openai-usage.jsonl"),
    )
    .unwrap();
    std::fs::copy(
        "tests/data/usage/anthropic-messages-daily.json",
        dir.join("anthropic-usage.json"),
    )
    .unwrap();
    std::fs::copy(
        "tests/data/usage/litellm-spend-logs.csv.gz",
        dir.join("spend-logs.csv.gz"),
    )
    .unwrap();
    std::fs::write(
        dir.join("requests.jsonl"),
        "{\"ts\": \"2026-08-03T09:10:00Z\", \"model\": \"gpt-4o\", \"usage\": {\"in\": 900, \"out\": 100}}\n\
         {\"ts\": \"2026-08-03T09:40:00Z\", \"model\": \"gpt-4o\", \"usage\": {\"in\": 500, \"out\": 80}}\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("runs")).unwrap();
    for entry in std::fs::read_dir("tests/data/bench/vllm-h200-gpt-oss-20b").unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join("runs").join(path.file_name().unwrap())).unwrap();
    }
    let commands = commands();
    assert!(commands.len() >= 15, "{commands:?}");
    for (command, comment) in &commands {
        let does = expected(command);
        // The published price list comes from a server on this machine serving the excerpt.
        let mut server = None;
        let mut args: Vec<String> = command
            .split_whitespace()
            .skip(1)
            .map(str::to_string)
            .collect();
        for arg in &mut args {
            if let Some(path) = arg.strip_prefix(LITELLM_HOST) {
                let (base, thread) = common::serve_once(
                    std::fs::read("tests/data/litellm/model_prices_excerpt.json").unwrap(),
                    None,
                );
                *arg = format!("{base}{path}");
                server = Some(thread);
            }
        }
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_llm-decide"))
            .args(&args)
            .env("SOURCE_DATE_EPOCH", "1795780800")
            // As a wide terminal shows the tables: the expectations read whole rows.
            .env("COLUMNS", "250")
            .current_dir(&dir)
            .output()
            .unwrap();
        if let Some(thread) = server {
            thread.join().unwrap();
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        let why = format!(
            "{command}  # {comment}\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(does.code), "{why}");
        for piece in does.stdout {
            assert!(stdout.contains(piece), "{piece:?} not printed by {why}");
        }
        if let Some((file, piece)) = does.writes {
            let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
            assert!(
                text.contains(piece),
                "{command} did not write {piece:?} to {file}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
