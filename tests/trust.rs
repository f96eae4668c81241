//! Every value the user types is used exactly, or the run stops with exit 2 naming it: one test
//! per class of case, through the binary, with exact messages and figures that can be checked
//! by hand.

use serde_json::Value;
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_llm-decide"))
        .args(args)
        // Every section of a decision's table report.
        .arg("--full")
        .env("SOURCE_DATE_EPOCH", "1795780800")
        .env("COLUMNS", "250")
        .env_remove("NO_COLOR")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn json(args: &[&str]) -> Value {
    let r = run(&[args, &["--format", "json"]].concat());
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// The run stops with exit 2, nothing on stdout, and exactly this error.
fn refused(args: &[&str], error: &str) {
    let r = run(args);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (2, "", format!("error: {error}\n").as_str()),
        "{args:?}"
    );
}

#[test]
fn self_host_figures_define_the_side() {
    // (args, units, monthly cost, crossover) worked by hand:
    // 1B at $3/$15 and a third input is $11 per 1M = $11,000; ceil(1B / 3B) = 1 unit of $5,000;
    // the crossover is $5,000 / $11 per 1M = 454.5M.
    // 7B: ceil(7 / 3) = 3 units x $5,000 + $1,000 fixed = $16,000; crossover ($5,000 + $1,000) /
    // $11 per 1M = 545.5M on the first unit.
    type Case<'a> = (&'a [&'a str], u64, f64, f64);
    let cases: &[Case] = &[
        (
            &[
                "--tokens",
                "1B",
                "--api-price",
                "3/15",
                "--self-host-cost",
                "5k",
                "--self-host-capacity",
                "3B",
            ],
            1,
            5000.0,
            454_545_455.0,
        ),
        (
            &[
                "--tokens",
                "7B",
                "--api-price",
                "3/15",
                "--self-host-cost",
                "5k",
                "--self-host-capacity",
                "3B",
                "--self-host-fixed",
                "1000",
            ],
            3,
            16000.0,
            545_454_546.0,
        ),
    ];
    for (args, units, cost, crossover) in cases {
        let d = json(args);
        let sh = &d["options"]["self_host"];
        assert_eq!(sh["kind"], "given", "{args:?}");
        assert_eq!(sh["units"], *units, "{args:?}");
        assert_eq!(sh["monthly_cost_usd"], *cost, "{args:?}");
        assert_eq!(sh["personnel"], Value::Null, "{args:?}");
        assert_eq!(d["crossover"]["tokens_per_month"], *crossover, "{args:?}");
        assert_eq!(sh["deployment"], Value::Null, "{args:?}");
    }
    // Nothing else is added, and the output says so.
    let d = json(&[
        "--tokens",
        "1B",
        "--self-host-cost",
        "5k",
        "--self-host-capacity",
        "3B",
    ]);
    assert_eq!(
        d["options"]["self_host"]["notes"][0],
        "Your figures define the self-hosted side: units x $5,000 (as given) + $0 fixed, a unit serving 3B tokens a month (as given), units = ceil(tokens x peak-to-average / capacity). Nothing else is added: no personnel, power or spare units."
    );
    // One figure given: the other is the sized replica's, and the note says which.
    let d = json(&["--tokens", "8B", "--self-host-capacity", "3B"]);
    let sh = &d["options"]["self_host"];
    let unit = sh["unit_usd_per_month"].as_f64().unwrap();
    assert_eq!(sh["units"], 3, "ceil(8B / 3B)");
    let cost = sh["monthly_cost_usd"].as_f64().unwrap();
    // Both figures are rounded to the cent in the JSON: three units may differ by 1.5 cents.
    assert!((cost - 3.0 * unit).abs() < 0.016, "{cost} != 3 x {unit}");
    assert!(
        sh["notes"][0].as_str().unwrap().contains(
            "(the sized replica's) + $0 fixed, a unit serving 3B tokens a month (as given)"
        ),
        "{}",
        sh["notes"][0]
    );
    let d = json(&["--tokens", "1B", "--self-host-cost", "5k"]);
    let sh = &d["options"]["self_host"];
    assert_eq!(sh["units"], 1);
    assert_eq!(sh["monthly_cost_usd"], 5000.0);
    assert!(
        sh["notes"][0]
            .as_str()
            .unwrap()
            .contains("units x $5,000 (as given)")
    );
}

#[test]
fn typed_deployment_values_are_never_replaced() {
    // (args, remedy codes, the deployment the option is costed at: GPUs, GPU, per replica)
    type Case<'a> = (&'a [&'a str], &'a [&'a str], (u64, &'a str, u64));
    let cases: &[Case] = &[
        // A GB200 is not sold on its own, so it cannot be owned: ruled out, never turned into
        // another GPU silently.
        (
            &[
                "--tokens",
                "800M",
                "--hosting",
                "owned",
                "--gpu",
                "gb200",
                "--model",
                "llama-3.1-70b",
            ],
            &["other_gpu", "other_hosting"],
            // The deployment the other GPU would be: one owned MI300X holds 70B in FP8.
            (1, "mi300x", 1),
        ),
        // 3 GPUs do not split into replicas of 70B in fp8; never quietly 2.
        (
            &[
                "--tokens",
                "800M",
                "--gpu",
                "h100-sxm",
                "--gpus",
                "3",
                "--model",
                "llama-3.1-70b",
            ],
            &["gpu_count", "other_gpu"],
            (2, "h100-sxm", 2),
        ),
        // 1 GPU cannot carry 14B tokens a month: ruled out, with "more GPUs" among the ways.
        (
            &[
                "--tokens",
                "14B",
                "--gpu",
                "h200",
                "--gpus",
                "1",
                "--model",
                "llama-3.1-70b",
            ],
            &["other_gpu", "gpu_count"],
            // The other GPU: one owned MI355X (288 GB, 8 TB/s) carries it.
            (1, "mi355x", 1),
        ),
    ];
    for (args, remedies, (gpus, gpu, tp)) in cases {
        let d = json(args);
        let sh = &d["options"]["self_host"];
        assert_eq!(sh["feasible"], false, "{args:?}");
        assert_eq!(
            sh["blocker_codes"],
            serde_json::json!(["no_deployment"]),
            "{args:?}"
        );
        let codes: Vec<&str> = sh["remedies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap())
            .filter(|c| *c != "smaller_model")
            .collect();
        assert_eq!(codes, *remedies, "{args:?}");
        let dep = &sh["deployment"];
        assert_eq!(
            (
                dep["gpus"].clone(),
                dep["sizing"]["gpu"].clone(),
                dep["sizing"]["tensor_parallel"].clone()
            ),
            ((*gpus).into(), (*gpu).into(), (*tp).into()),
            "{args:?}"
        );
        assert_eq!(
            sh["notes"],
            serde_json::json!([]),
            "{args:?}: nothing applied"
        );
    }
    let d = json(&[
        "--tokens",
        "14B",
        "--gpu",
        "h200",
        "--gpus",
        "1",
        "--model",
        "llama-3.1-70b",
    ]);
    assert!(
        d["options"]["self_host"]["blockers"][0].as_str().unwrap().contains(
            "1 x h200 holds 1 replica of 1 GPU, each serving 10.68B tokens a month; the volume needs 2 (2 GPUs)"
        )
    );
    // `capacity` sizes the GPUs given, all of them, or says they cannot be split.
    let out = run(&[
        "capacity",
        "--model",
        "llama-3.1-70b",
        "--gpu",
        "h100-sxm",
        "--gpus",
        "3",
        "--precision",
        "fp8",
    ])
    .stdout;
    assert!(out.contains("Does not fit: llama-3.1-70b in fp8 needs 70.5 GB for its weights alone; it fits on 2 x h100-sxm in\n              fp8"), "{out}");
    // GPUs that split evenly are used exactly: 4 x H100 hold the model at tp 4 (or 2 x 2).
    let d = json(&["--tokens", "800M", "--gpu", "h100-sxm", "--gpus", "4"]);
    assert_eq!(d["options"]["self_host"]["feasible"], true);
    assert_eq!(d["options"]["self_host"]["deployment"]["gpus"], 4);
}

#[test]
fn values_that_cannot_all_be_used_are_refused() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--tokens", "1B", "--setup", "cloud-h100", "--gpu", "h200"],
            "--gpu: --setup cloud-h100 prices a packaged setup with its own GPUs and price, so --gpu h200 would not be used; drop --setup to size a deployment with --gpu h200, or drop --gpu to price the packaged setup",
        ),
        (
            &[
                "--tokens",
                "1B",
                "--self-host-cost",
                "5k",
                "--self-host-capacity",
                "3B",
                "--setup",
                "cloud-h100",
            ],
            "--setup: --setup cloud-h100 would not be used: --self-host-cost $5,000 and --self-host-capacity 3B define the self-hosted side on their own; drop --setup, or drop --self-host-cost or --self-host-capacity to take that figure from the setup",
        ),
        (
            &[
                "--requests",
                "1M",
                "--input-tokens",
                "300",
                "--output-tokens",
                "500",
                "--input-share",
                "0.5",
            ],
            "--input-share: --input-share 50% contradicts --input-tokens 300 and --output-tokens 500, which make 37.5% of tokens input; drop --input-share (the request shape gives the mix), or change the tokens per request",
        ),
        (
            &["--tokens", "1B", "--gpus", "3", "--tp", "2"],
            "--tp: 3 GPUs (--gpus) do not split into replicas of 2 (one would be left over); give a GPU count that is a multiple of 2, or a tensor parallelism that divides 3",
        ),
        (
            &[
                "capacity",
                "--model",
                "llama-3.1-70b",
                "--gpu",
                "h100-sxm",
                "--gpus",
                "3",
                "--tp",
                "2",
            ],
            "--tp: 3 GPUs (--gpus) do not split into replicas of 2 (one would be left over); give a GPU count that is a multiple of 2, or a tensor parallelism that divides 3",
        ),
        (
            &["--tokens", "1B", "--latency-metric", "e2e"],
            "--latency-metric: --latency-metric e2e would change nothing: there is no latency target; give the target (--latency, latency.target_ms), or drop --latency-metric",
        ),
        (
            &["--tokens", "1B", "--api-rtt", "80ms", "--api-region", "far"],
            "--api-region: --api-rtt 80 ms and --api-region far both give the API's round trip; give one: --api-rtt (measured) or --api-region (near or far)",
        ),
        (
            &[
                "--tokens",
                "1B",
                "--hosting",
                "owned",
                "--price-kind",
                "spot",
            ],
            "--price-kind: --price-kind spot would change nothing: owned GPUs have no cloud price; drop --price-kind, or use cloud hosting",
        ),
        (
            &["--tokens", "1B", "--small-model", "llama-3.1-8b"],
            "--small-model: --small-model llama-3.1-8b would change nothing: no traffic is simple traffic; give the simple share (--simple-share, capability.simple_share), or drop --small-model",
        ),
    ];
    for (args, error) in cases {
        refused(args, error);
    }
}

#[test]
fn a_volume_given_twice_uses_the_flag_or_is_refused() {
    let dir = std::env::temp_dir().join(format!("llm-decide-trust-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("both.yaml");
    std::fs::write(
        &file,
        "version: 1\ntokens_per_month: 2B\nrequests_per_month: 1M\ninput_tokens_per_request: 300\noutput_tokens_per_request: 500\n",
    )
    .unwrap();
    let path = file.to_string_lossy().into_owned();
    refused(
        &["--scenario", &path],
        &format!(
            "{path}:3:21: field `requests_per_month`: tokens_per_month: 2B ({path}:2) and requests_per_month: 1M ({path}:3) both give the volume; give one of them: tokens_per_month, or requests_per_month with the tokens per request"
        ),
    );
    // A flag wins over the file, whichever volume it gives: 1M requests x 800 tokens = 800M.
    let one = dir.join("tokens.yaml");
    std::fs::write(&one, "version: 1\ntokens_per_month: 2B\n").unwrap();
    let d = json(&[
        "--scenario",
        &one.to_string_lossy(),
        "--requests",
        "1M",
        "--input-tokens",
        "300",
        "--output-tokens",
        "500",
    ]);
    assert_eq!(d["workload"]["tokens_per_month"], 800_000_000.0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ranges_have_one_meaning_per_name() {
    // `volume` multiplies the volume; `tokens` gives volumes: the same range two ways.
    let by_volume = json(&[
        "--tokens",
        "800M",
        "--range",
        "volume=0.5:1:2",
        "--draws",
        "2000",
    ]);
    let by_tokens = json(&[
        "--tokens",
        "800M",
        "--range",
        "tokens=400M:800M:1.6B",
        "--draws",
        "2000",
    ]);
    assert_eq!(by_volume["uncertainty"], by_tokens["uncertainty"]);
    let range = &by_volume["uncertainty"]["ranges"][0];
    assert_eq!(range["lever"], "volume");
    let values: Vec<f64> = ["low", "likely", "high"]
        .iter()
        .map(|k| range[*k].as_f64().unwrap())
        .collect();
    assert_eq!(values, [0.5, 1.0, 2.0]);
    let cases: &[(&[&str], &str)] = &[
        (
            &["--tokens", "800M", "--range", "tokens=0.5:1:3"],
            "--range: the tokens range 0.5 .. 1 .. 3 is in monthly tokens, and 0.5 is less than one token; give volumes (tokens=500M:800M:1.2B), or multipliers of the volume as volume=0.5:1:3",
        ),
        (
            &["--tokens", "800M", "--range", "tokens=100M:200M:300M"],
            "--range: the tokens range 100M .. 200M .. 300M leaves out the workload's own volume, 800M; give a range of monthly volumes around it, or multipliers of it as volume=MIN:LIKELY:MAX",
        ),
        (
            &["--tokens", "800M", "--range", "utilization=0.5:1:2"],
            "--range: utilization x2 would plan GPUs at 140% of their capacity (the planned utilization is 70%); keep the high end at x1.428 or less",
        ),
    ];
    for (args, error) in cases {
        refused(args, error);
    }
    let help = run(&["--help"]).stdout;
    assert!(help.contains("(monthly volumes, e.g. tokens=500M:800M:1.2B); volume, api_price"));
}

#[test]
fn a_team_that_does_not_say_whether_it_can_hire_can() {
    let d = json(&["--tokens", "500M", "--ml-engineers", "0"]);
    let team = &d["options"]["self_host"]["team"];
    assert_eq!(team["team"]["can_hire"], true);
    assert_eq!(team["readiness"], "can-hire");
    let d = json(&[
        "--tokens",
        "500M",
        "--ml-engineers",
        "0",
        "--can-hire",
        "no",
    ]);
    assert_eq!(d["options"]["self_host"]["team"]["readiness"], "cannot-run");
}

#[test]
fn a_sweep_needs_no_volume() {
    let r = run(&["crossover", "--steps", "4"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(
        "  No volume given: the self-hosted side is sized at 1B tokens a month (the article's self-host\n  threshold); give --tokens to size it at yours.\n"
    ), "{}", r.stdout);
    assert!(
        !r.stdout.contains("(you)") && !r.stdout.contains(": you"),
        "{}",
        r.stdout
    );
    let d = json(&["crossover", "--steps", "4"]);
    assert_eq!(d["tokens_per_month"], Value::Null);
    assert_eq!(d["sized_at_tokens_per_month"], 1e9);
    let volumes: Vec<f64> = d["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tokens_per_month"].as_f64().unwrap())
        .collect();
    assert_eq!(volumes, [10e6, 100e6, 1e9, 10e9]);
    // With a volume, it is marked.
    let r = run(&["crossover", "--tokens", "800M", "--steps", "4"]);
    assert!(r.stdout.contains("800M (you)"), "{}", r.stdout);
}

#[test]
fn tables_show_the_percentile_the_target_uses() {
    let out = run(&[
        "--tokens",
        "800M",
        "--latency",
        "2s",
        "--latency-metric",
        "e2e",
        "--latency-percentile",
        "p99",
    ])
    .stdout;
    assert!(
        out.contains("│ Option ") && out.contains("┆ What "),
        "{out}"
    );
    assert!(out.contains("┆ E2E p99 "), "{out}");
    assert!(
        out.contains("│ Option    ┆ TTFT p50 ┆ TTFT p99 ┆    TPOT ┆ E2E p99 ┆ Target │"),
        "{out}"
    );
    assert!(
        out.contains("  API TTFT p99 = network rtt 150 ms + queue 769 ms + model ttft 234 ms"),
        "{out}"
    );
    assert!(
        !out.contains("TTFT p95") && !out.contains("E2E p95"),
        "{out}"
    );
}

#[test]
fn ways_out_are_worded_for_what_went_wrong() {
    // No target: the ways make self-hosting work, they do not "meet the target".
    let out = run(&["--tokens", "800M", "--hosting", "owned", "--gpu", "gb200"]).stdout;
    assert!(
        out.contains("  Ways to make self-hosting work, one change at a time:\n"),
        "{out}"
    );
    assert!(!out.contains("meet the target"), "{out}");
    // 120 ms to the first token for Llama 3.1 70B on L4s (218 ms there): another GPU or a
    // smaller model meets it.
    let out = run(&[
        "--tokens",
        "1B",
        "--latency",
        "120ms",
        "--gpu",
        "l4",
        "--model",
        "llama-3.1-70b",
    ])
    .stdout;
    assert!(
        out.contains("  Ways to meet the target with self-hosting, one change at a time:\n"),
        "{out}"
    );
}

/// 800M tokens a month of Llama 3.1 70B on L4s.
const L4_70B: [&str; 6] = [
    "--tokens",
    "800M",
    "--model",
    "llama-3.1-70b",
    "--gpu",
    "l4",
];

#[test]
fn one_gap_one_percentage() {
    // $6,000 against $10,713 (8 owned L4s): the API is 44% cheaper, said the same way in both
    // places.
    let out = run(&L4_70B).stdout;
    assert!(out.contains("the API is 44% cheaper"), "{out}");
    assert!(
        out.contains("costs $4,713 more a month (the choice is 44% cheaper)"),
        "{out}"
    );
}

#[test]
fn utilization_figures_are_named() {
    let d = json(&L4_70B);
    let sh = &d["options"]["self_host"];
    // 800M over one replica of 8 x L4 planned at 70%: 60.0% of the plan; the GPUs at the peak
    // are 42.0% busy (60.0% x 70%).
    assert_eq!(sh["utilization_of_plan"], sh["utilization"]);
    assert_eq!(sh["utilization_of_plan"], 0.600_167_921);
    assert_eq!(sh["deployment"]["utilization_at_peak"], 0.420_117_545);
    let out = run(&L4_70B).stdout;
    assert!(out.contains("at batch 24,\n  42% of capacity)"), "{out}");
}

#[test]
fn gpus_not_given_get_no_verdict() {
    let out = run(&[
        "capacity",
        "--model",
        "llama-3.1-8b",
        "--gpu",
        "l4",
        "--tokens",
        "800M",
    ])
    .stdout;
    assert!(!out.contains("given"), "{out}");
    let out = run(&[
        "capacity",
        "--model",
        "llama-3.1-8b",
        "--gpu",
        "l4",
        "--gpus",
        "1",
        "--tokens",
        "900M",
    ])
    .stdout;
    assert!(out.contains("The 1 GPU given is not enough."), "{out}");
}

#[test]
fn a_typed_date_before_a_checked_price_is_refused() {
    refused(
        &["--tokens", "800M", "--today", "2020-01-01"],
        "--today: 2020-01-01 is before 2026-11-27, when the price of gpt-4o was checked; give a date on or after the newest checked date, or leave --today out",
    );
    assert_eq!(run(&["--tokens", "800M", "--today", "2026-11-27"]).code, 0);
}

#[test]
fn a_checked_date_after_the_clock_is_warned() {
    // The clock (here SOURCE_DATE_EPOCH, 2026-11-27) before a price's checked date: not the
    // user's typing, so a warning rather than an error.
    let out = Command::new(env!("CARGO_BIN_EXE_llm-decide"))
        .args(["--tokens", "800M", "--format", "csv"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("was checked 2026-11-27, after today (2023-11-14); check the clock, or the checked dates of your pricing files"),
        "{stderr}"
    );
}

#[test]
fn a_target_below_the_network_floor_is_unreachable() {
    // The self-hosted round trip alone is 10 ms at p95: no deployment meets 5 ms, so the
    // cheapest is costed (not the fastest eight B200s) and the blocker says why.
    let d = json(&["--tokens", "800M", "--latency", "5ms"]);
    let sh = &d["options"]["self_host"];
    assert_eq!(
        sh["blockers"],
        serde_json::json!([
            "the self-hosted side's network round trip alone (10 ms) misses the 5 ms p95 ttft target, so no deployment can meet it"
        ])
    );
    assert_eq!(
        sh["monthly_cost_usd"],
        json(&["--tokens", "800M"])["options"]["self_host"]["monthly_cost_usd"]
    );
    // A near API region's round trip (50 ms) settles an API target of 40 ms too.
    let d = json(&[
        "--tokens",
        "800M",
        "--latency",
        "40ms",
        "--api-region",
        "near",
    ]);
    assert_eq!(
        d["options"]["api"]["blockers"][0],
        "the API's network round trip alone (50 ms) misses the 40 ms p95 ttft target, so no API reached over this network can meet it"
    );
}

#[test]
fn options_left_out_of_the_draws_are_named() {
    let d = json(&[
        "--tokens",
        "2B",
        "--sensitive-share",
        "1",
        "--third-party",
        "no",
        "--draws",
        "1000",
    ]);
    assert_eq!(d["uncertainty"]["excluded"], serde_json::json!(["api"]));
    let out = run(&[
        "--tokens",
        "2B",
        "--sensitive-share",
        "1",
        "--third-party",
        "no",
        "--draws",
        "1000",
    ])
    .stdout;
    assert!(out.contains("  Left out of the draws because they are ruled out: api; the shares are among the options that\n  remain.\n"), "{out}");
}

/// A latency no source gives (a serverless API's time per token) is shown as unknown, not as
/// "at least" nothing.
#[test]
fn an_unknown_latency_is_a_dash_not_a_bound() {
    let out = run(&[
        "--tokens",
        "20B",
        "--latency",
        "30ms",
        "--latency-metric",
        "tpot",
        "--model",
        "llama-3.1-70b",
    ])
    .stdout;
    let row = out
        .lines()
        .find(|l| l.contains("deepinfra/llama-3.1-70b"))
        .unwrap();
    assert!(row.contains("┆ -              ┆ feasible │"), "{row}");
    assert!(!out.contains("at least -"), "{out}");
}
