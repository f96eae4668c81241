//! Writing reports: `--output` writes all or nothing, and identical inputs give identical
//! bytes in every format.

mod common;

use common::{llm_decide, scratch};
use std::path::Path;

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn output_file_holds_exactly_what_stdout_would() {
    let dir = scratch("output-same");
    for format in ["table", "json", "csv", "markdown", "html"] {
        let args = ["--tokens", "800M", "--latency", "150ms", "--format", format];
        let stdout = llm_decide(&dir, &args);
        assert_eq!(stdout.status.code(), Some(0));
        let file = format!("report.{format}");
        let mut with_file = args.to_vec();
        with_file.extend(["--output", &file]);
        let written = llm_decide(&dir, &with_file);
        assert_eq!(written.status.code(), Some(0), "{format}");
        assert!(written.stdout.is_empty(), "{format}: printed with --output");
        assert_eq!(
            std::fs::read(dir.join(&file)).unwrap(),
            stdout.stdout,
            "{format}"
        );
    }
    // Only the reports: no temporary files left behind.
    assert_eq!(
        files_in(&dir),
        [
            "report.csv",
            "report.html",
            "report.json",
            "report.markdown",
            "report.table"
        ]
    );
}

#[test]
fn failed_checks_still_write_the_report() {
    let dir = scratch("output-failed-check");
    let out = llm_decide(
        &dir,
        &[
            "--tokens",
            "800M",
            "--max-monthly-cost",
            "1k",
            "--format",
            "json",
            "--output",
            "r.json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("r.json")).unwrap()).unwrap();
    assert_eq!(report["checks"][0]["name"], "max_monthly_cost_usd");
    assert_eq!(report["checks"][0]["passed"], false);
}

#[test]
fn bad_input_writes_nothing_and_keeps_an_old_file() {
    let dir = scratch("output-bad-input");
    std::fs::write(dir.join("r.json"), "old").unwrap();
    let out = llm_decide(&dir, &["--tokens", "lots", "--output", "r.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(dir.join("r.json")).unwrap(), "old");
    let out = llm_decide(
        &dir,
        &["--scenario", "missing.yaml", "--output", "new.json"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(files_in(&dir), ["r.json"]);
}

#[test]
fn an_unwritable_output_is_an_error_and_leaves_nothing() {
    let dir = scratch("output-unwritable");
    let out = llm_decide(
        &dir,
        &["--tokens", "800M", "--output", "no/such/folder/r.txt"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: cannot write no/such/folder/r.txt: "),
        "{stderr}"
    );
    assert!(files_in(&dir).is_empty());
}

#[test]
fn identical_inputs_give_identical_bytes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let runs: &[&[&str]] = &[
        &["--scenario", "scenarios/ecommerce.yaml"],
        &["compare", "scenarios"],
        &[
            "check",
            "scenarios",
            "--max-monthly-cost",
            "10k",
            "--today",
            "2026-11-27",
        ],
        &[
            "diff",
            "scenarios/ecommerce.yaml",
            "scenarios/hybrid-80-20.yaml",
        ],
    ];
    for args in runs {
        for format in ["table", "json", "csv", "markdown", "html"] {
            let mut a = args.to_vec();
            a.extend(["--format", format]);
            let first = llm_decide(dir, &a);
            let second = llm_decide(dir, &a);
            assert!(!first.stdout.is_empty(), "{a:?}");
            assert_eq!(first.stdout, second.stdout, "{a:?}");
        }
    }
}
