//! The CI example (examples/ci/budget-gate.sh) run as written, in a scratch git repository
//! with a base branch and a pull-request branch.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=ci",
            "-c",
            "user.email=ci@example.com",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const SCENARIO: &str = "version: 1
name: Support assistant
tokens_per_month: 300M
api: gpt-4o
budget:
  max_monthly_cost_usd: 5k
";

const PRICES: &str = "version: 1
apis:
  - id: gpt-4o
    provider: openai
    name: GPT-4o (negotiated)
    input_usd_per_mtok: 2.5
    output_usd_per_mtok: 10
    tier: frontier
    checked: 2026-11-01
    source: our contract
";

/// A repository whose `main` holds the scenario and prices above, on a `change` branch.
fn repo(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("scenarios")).unwrap();
    std::fs::create_dir_all(dir.join("pricing")).unwrap();
    std::fs::write(dir.join("scenarios/assistant.yaml"), SCENARIO).unwrap();
    std::fs::write(
        dir.join("scenarios/other.yaml"),
        "version: 1\nname: Other\ntokens_per_month: 10M\n",
    )
    .unwrap();
    std::fs::write(dir.join("pricing/apis.yaml"), PRICES).unwrap();
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-qm", "base"]);
    git(&dir, &["checkout", "-qb", "change"]);
    dir
}

fn gate(dir: &Path, pricing: Option<&str>) -> (i32, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci/budget-gate.sh");
    let mut cmd = Command::new("sh");
    cmd.arg(script)
        .args(["main", "scenarios", "comment.md"])
        .env("LLM_DECIDE", env!("CARGO_BIN_EXE_llm-decide"))
        .current_dir(dir);
    if let Some(p) = pricing {
        cmd.env("PRICING", p);
    }
    let out = cmd.output().unwrap();
    let comment = std::fs::read_to_string(dir.join("comment.md")).unwrap_or_default();
    assert!(
        !dir.join(".llm-decide-gate").exists(),
        "scratch folder left behind"
    );
    (out.status.code().unwrap_or(-1), comment)
}

#[test]
fn a_change_within_budget_passes_and_reports_its_delta() {
    let dir = repo("gate-pass");
    std::fs::write(
        dir.join("scenarios/assistant.yaml"),
        SCENARIO.replace("300M", "320M"),
    )
    .unwrap();
    let (status, comment) = gate(&dir, None);
    assert_eq!(status, 0, "{comment}");
    assert!(comment.starts_with("# LLM cost and deployment report\n"));
    assert!(
        comment.contains("## llm-decide check: 2 scenarios, 0 failed"),
        "{comment}"
    );
    assert!(
        comment.contains("## llm-decide diff: Support assistant"),
        "{comment}"
    );
    // 20M more tokens at $7.50 per 1M: +$150 on $2,250, 6.7%, under the 10% gate.
    assert!(
        comment.contains("| Recommended | $2,250 | $2,400 | +$150 | +6.7% |"),
        "{comment}"
    );
    assert!(comment.contains("| max\\_increase | pass |"), "{comment}");
    assert!(
        !comment.contains("Other"),
        "an unchanged scenario was diffed:\n{comment}"
    );
    assert!(comment.ends_with("**Every budget and gate holds.**\n"));
}

#[test]
fn a_change_over_budget_fails_with_the_reasons_in_the_comment() {
    let dir = repo("gate-fail");
    std::fs::write(
        dir.join("scenarios/assistant.yaml"),
        SCENARIO.replace("300M", "3B"),
    )
    .unwrap();
    let (status, comment) = gate(&dir, None);
    assert_eq!(status, 1, "{comment}");
    assert!(
        comment.contains("Recommendation changed: api -> self-host"),
        "{comment}"
    );
    assert!(comment.contains("| fail\\_on\\_flip | FAIL |"), "{comment}");
    assert!(
        comment.contains("| max\\_monthly\\_cost\\_usd | $5,000 | $10,419 | FAIL |"),
        "{comment}"
    );
    assert!(comment.ends_with("**A budget or gate failed: see the FAIL rows above.**\n"));
}

#[test]
fn a_pricing_change_diffs_every_scenario_against_the_base_prices() {
    let dir = repo("gate-pricing");
    std::fs::write(
        dir.join("pricing/apis.yaml"),
        PRICES.replace("output_usd_per_mtok: 10", "output_usd_per_mtok: 12"),
    )
    .unwrap();
    let (status, comment) = gate(&dir, Some("pricing"));
    // 300M tokens, two thirds output: $2 more per 1M output tokens is +$400 (17.8%).
    assert_eq!(status, 1, "{comment}");
    assert!(
        comment.contains("| Recommended | $2,250 | $2,650 | +$400 | +17.8% |"),
        "{comment}"
    );
    assert!(comment.contains("## llm-decide diff: Other"), "{comment}");
}

#[test]
fn the_workflow_is_valid_yaml_and_runs_the_script() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci/llm-budget.yml"),
    )
    .unwrap();
    let v: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let steps = v["jobs"]["budget"]["steps"].as_array().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(
        runs.iter()
            .any(|r| r.contains("sh examples/ci/budget-gate.sh"))
    );
    assert!(
        runs.iter()
            .any(|r| r.contains("--body-file llm-decide-comment.md"))
    );
    assert_eq!(v["permissions"]["pull-requests"], "write");
    assert_eq!(steps[0]["with"]["fetch-depth"], 0);
}

/// The usage watch: the workflow runs weekly and checks the fetched usage against the
/// start-planning trigger; the fetching script, run as written against a local server standing
/// in for `OpenAI`'s API, follows `next_page` and writes pages `llm-decide usage` reads.
#[test]
fn the_usage_watch_fetches_every_page_and_checks_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("examples/ci/llm-usage-watch.yml")).unwrap();
    let v: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(v["on"]["schedule"][0]["cron"], "0 6 * * 1");
    let runs: Vec<&str> = v["jobs"]["watch"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect();
    assert!(runs.contains(&"sh examples/ci/fetch-openai-usage.sh 35 usage.jsonl"));
    assert!(
        runs.iter()
            .any(|r| r.contains("llm-decide check --usage usage.jsonl --alert-at start-planning"))
    );
    // Two pages of the OpenAI fixture, the first pointing at the second.
    let fixture =
        std::fs::read_to_string(root.join("tests/data/usage/openai-completions-hourly.jsonl"))
            .unwrap();
    let mut pages: Vec<serde_json::Value> = fixture
        .lines()
        .take(2)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    pages[1]["has_more"] = false.into();
    pages[1]["next_page"] = serde_json::Value::Null;
    let bodies = pages
        .iter()
        .map(|p| serde_json::to_vec_pretty(p).unwrap())
        .collect();
    let (base, server) = common::serve(bodies, None);
    let dir = common::scratch("usage-watch");
    let out = dir.join("usage.jsonl");
    let run = Command::new("sh")
        .arg(root.join("examples/ci/fetch-openai-usage.sh"))
        .args(["35", out.to_str().unwrap()])
        .env("OPENAI_ADMIN_KEY", "sk-admin-test")
        .env("OPENAI_API_BASE", &base)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let requests = server.join().unwrap();
    assert_eq!(requests.len(), 2);
    for (r, page) in requests.iter().zip(["", "&page=page_1"]) {
        let first = r.lines().next().unwrap();
        assert!(
            first.starts_with("GET /v1/organization/usage/completions?start_time="),
            "{first}"
        );
        assert!(
            first.ends_with(&format!(
                "&bucket_width=1h&group_by=model&limit=168{page} HTTP/1.1"
            )),
            "{first}"
        );
        assert!(r.contains("Authorization: Bearer sk-admin-test"), "{r}");
    }
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 2);
    let (code, stdout, stderr) = common::run(&["usage", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("Usage: 1 file(s) (openai), 14.0 days\n"),
        "{stdout}"
    );
}
