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

/// What a run of the gate gives: its exit status, the comment, and its stdout (annotations).
struct Gate {
    status: i32,
    comment: String,
    stdout: String,
}

/// Runs the gate as written against `main`, with `env` set.
fn gate(dir: &Path, env: &[(&str, &str)]) -> Gate {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci/budget-gate.sh");
    let mut cmd = Command::new("sh");
    cmd.arg(script)
        .args(["main", "scenarios", "comment.md"])
        .env("LLM_DECIDE", env!("CARGO_BIN_EXE_llm-decide"))
        .env_remove("GITHUB_STEP_SUMMARY")
        .current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let comment = std::fs::read_to_string(dir.join("comment.md")).unwrap_or_default();
    assert!(
        !dir.join(".llm-decide-gate").exists(),
        "scratch folder left behind"
    );
    Gate {
        status: out.status.code().unwrap_or(-1),
        comment,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    }
}

/// The comment's head: the marker, the title, the headline and the table, before the fold.
fn head(comment: &str) -> &str {
    comment.split("\n<details>").next().unwrap()
}

/// Commits everything on the `change` branch.
fn commit(dir: &Path) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "change"]);
}

#[test]
fn a_change_within_budget_passes_with_a_short_comment() {
    let dir = repo("gate-pass");
    std::fs::write(
        dir.join("scenarios/assistant.yaml"),
        SCENARIO.replace("300M", "320M"),
    )
    .unwrap();
    let summary = dir.join("summary.md");
    let g = gate(&dir, &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())]);
    assert_eq!(g.status, 0, "{}", g.comment);
    // 20M more tokens at $7.50 per 1M: +$150 on $2,250, 6.7%: over the 5% and $100 warning,
    // under the 10% and $500 failure.
    assert_eq!(
        head(&g.comment),
        "<!-- llm-decide budget gate -->\n### LLM cost and deployment\n\n\
         **api, +$150 a month (+6.7%)**. Every budget and gate holds.\n\n\
         | Scenario | Recommendation | Monthly cost | Change | |\n\
         | --- | --- | ---: | ---: | --- |\n\
         | scenarios/assistant.yaml | api | $2,250 → $2,400 | +$150 (+6.7%) | :warning: over 5% and $100 |\n"
    );
    // The rest is folded: the budgets and the scenario's options.
    assert!(
        g.comment
            .contains("<details><summary>Budgets and each scenario's options</summary>")
    );
    assert!(
        g.comment
            .contains("## llm-decide check: 2 scenarios, 0 failed"),
        "{}",
        g.comment
    );
    assert!(
        g.comment
            .contains("| Recommended | $2,250 | $2,400 | +$150 | +6.7% |")
    );
    assert!(g.comment.trim_end().ends_with("</details>"));
    assert!(
        !g.comment.contains("Other"),
        "an unchanged scenario was compared"
    );
    // The step summary gets the same comment.
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), g.comment);
}

#[test]
fn no_change_says_so() {
    let dir = repo("gate-same");
    let g = gate(&dir, &[]);
    assert_eq!(g.status, 0, "{}", g.comment);
    assert!(
        head(&g.comment).ends_with(
            "**No change** to any scenario's recommendation or cost. Every budget and gate holds.\n"
        ),
        "{}",
        g.comment
    );
}

#[test]
fn a_change_over_budget_fails_with_the_reasons_in_the_comment() {
    let dir = repo("gate-fail");
    std::fs::write(
        dir.join("scenarios/assistant.yaml"),
        SCENARIO.replace("300M", "3B"),
    )
    .unwrap();
    let g = gate(&dir, &[]);
    assert_eq!(g.status, 1, "{}", g.comment);
    assert!(
        head(&g.comment)
            .contains("**api → self-host, +$8,137 a month (+361.7%)**. A budget or gate failed."),
        "{}",
        g.comment
    );
    assert!(
        g.comment.contains("| scenarios/assistant.yaml | api → self-host | $2,250 → $10,387 | +$8,137 (+361.7%) | :x: recommendation changed |"),
        "{}",
        g.comment
    );
    assert!(
        g.comment
            .contains("| max\\_monthly\\_cost\\_usd | $5,000 | $10,387 | FAIL |"),
        "{}",
        g.comment
    );
}

#[test]
fn a_pricing_change_compares_every_scenario_against_the_base_prices() {
    let dir = repo("gate-pricing");
    std::fs::write(
        dir.join("pricing/apis.yaml"),
        PRICES.replace("output_usd_per_mtok: 10", "output_usd_per_mtok: 12"),
    )
    .unwrap();
    // 300M tokens, two thirds output: $2 more per 1M output tokens is +$400 (17.8%): over
    // the 10% of the failure tier, but under its $500 floor, so a warning.
    let g = gate(&dir, &[("PRICING", "pricing")]);
    assert_eq!(g.status, 0, "{}", g.comment);
    assert!(
        g.comment.contains("| scenarios/assistant.yaml | api | $2,250 → $2,650 | +$400 (+17.8%) | :warning: over 5% and $100 (prices changed) |"),
        "{}",
        g.comment
    );
    // Every scenario is compared, the unchanged file too; and the diff says the prices moved.
    assert!(
        g.comment.contains("| scenarios/other.yaml |"),
        "{}",
        g.comment
    );
    assert!(
        g.comment.contains("- Prices changed: pricing data sha256 "),
        "{}",
        g.comment
    );
    // With a lower floor the same change fails.
    let g = gate(&dir, &[("PRICING", "pricing"), ("FAIL_USD", "300")]);
    assert_eq!(g.status, 1, "{}", g.comment);
    assert!(
        g.comment
            .contains(":x: over 10% and $300 (prices changed) |"),
        "{}",
        g.comment
    );
}

#[test]
fn renamed_new_and_removed_scenarios_are_each_reported() {
    let dir = repo("gate-moves");
    std::fs::create_dir_all(dir.join("scenarios/team")).unwrap();
    git(
        &dir,
        &[
            "mv",
            "scenarios/assistant.yaml",
            "scenarios/team/assistant.yaml",
        ],
    );
    std::fs::write(
        dir.join("scenarios/new.yaml"),
        "version: 1\nname: New\ntokens_per_month: 5M\n",
    )
    .unwrap();
    git(&dir, &["rm", "-q", "scenarios/other.yaml"]);
    commit(&dir);
    let g = gate(&dir, &[]);
    assert_eq!(g.status, 0, "{}", g.comment);
    assert!(
        head(&g.comment).ends_with(
            "| scenarios/new.yaml | api | $37.50 | new | new scenario |\n\
             | scenarios/other.yaml | removed | - | - | - |\n\
             | scenarios/team/assistant.yaml (was scenarios/assistant.yaml) | api | $2,250 → $2,250 | +$0.00 (+0%) | no change |\n"
        ),
        "{}",
        g.comment
    );
}

/// A file name that would open Markdown or close a table cell is escaped in the comment.
#[test]
fn names_are_escaped_in_the_comment() {
    let dir = repo("gate-escape");
    std::fs::write(
        dir.join("scenarios/a|b*_<x>.yaml"),
        "version: 1\nname: Odd\ntokens_per_month: 10M\n",
    )
    .unwrap();
    commit(&dir);
    let g = gate(&dir, &[]);
    assert_eq!(g.status, 0, "{}", g.comment);
    assert!(
        head(&g.comment)
            .contains("| scenarios/a\\|b\\*\\_\\<x\\>.yaml | api | $75.00 | new | new scenario |"),
        "{}",
        g.comment
    );
}

#[test]
fn bad_input_still_comments_and_annotates_the_line() {
    let dir = repo("gate-bad");
    std::fs::write(
        dir.join("scenarios/assistant.yaml"),
        SCENARIO.replace(
            "tokens_per_month: 300M",
            "tokens_per_month: 300M\nlatency: {target_ms: fast}",
        ),
    )
    .unwrap();
    commit(&dir);
    let g = gate(&dir, &[]);
    assert_eq!(g.status, 2, "{}", g.comment);
    assert!(
        head(&g.comment)
            .contains("**llm-decide could not read the input**: what is wrong is below."),
        "{}",
        g.comment
    );
    assert!(g.comment.contains("**What is wrong:**"), "{}", g.comment);
    assert!(
        g.comment.contains("scenarios/assistant.yaml:4:"),
        "{}",
        g.comment
    );
    // One annotation for the problem, though the check and the comparison both meet it.
    assert_eq!(
        g.stdout,
        "::error file=scenarios/assistant.yaml,line=4,title=llm-decide::field `latency.target_ms`: \"fast\" is not a valid duration: it is not a number; write a duration with its unit, e.g. 150ms, 0.2s or 1.5s\n"
    );
}

#[test]
fn a_long_comment_is_cut_with_a_note() {
    let dir = repo("gate-cut");
    std::fs::write(
        dir.join("scenarios/assistant.yaml"),
        SCENARIO.replace("300M", "320M"),
    )
    .unwrap();
    let g = gate(&dir, &[("MAX_COMMENT", "1500")]);
    assert_eq!(g.status, 0, "{}", g.comment);
    assert!(g.comment.len() <= 1500, "{} characters", g.comment.len());
    assert!(
        g.comment
            .contains("*Cut at 1500 characters: run the job's llm-decide commands for the rest.*")
    );
    assert!(
        g.comment.contains("| scenarios/assistant.yaml | api |"),
        "the table is never cut"
    );
}

#[test]
fn the_workflow_pins_the_tool_and_updates_one_comment() {
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
            .any(|r| r.contains("--tag \"v$LLM_DECIDE_VERSION\"")),
        "{runs:?}"
    );
    // The comment is found by its marker and edited in place, or created.
    let script = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci/budget-gate.sh"),
    )
    .unwrap();
    let marker = script
        .lines()
        .find_map(|l| l.strip_prefix("MARKER='"))
        .and_then(|l| l.strip_suffix('\''))
        .unwrap();
    assert!(
        runs.iter()
            .any(|r| r.contains(marker) && r.contains("PATCH")),
        "{runs:?}"
    );
    assert_eq!(v["env"]["PRICING"], "pricing");
    assert_eq!(v["permissions"]["pull-requests"], "write");
    assert_eq!(steps[0]["with"]["fetch-depth"], 0);
}

#[test]
fn the_gitlab_example_runs_the_same_gate() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci/gitlab-ci.yml"),
    )
    .unwrap();
    let v: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let job = &v["llm-budget"];
    let script = job["script"].as_array().unwrap();
    let lines: Vec<&str> = script.iter().filter_map(|l| l.as_str()).collect();
    assert!(
        lines.iter().any(|l| l.contains(
            "sh examples/ci/budget-gate.sh \"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\""
        )),
        "{lines:?}"
    );
    assert_eq!(
        job["rules"][0]["if"],
        "$CI_PIPELINE_SOURCE == \"merge_request_event\""
    );
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
