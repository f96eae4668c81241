//! Folders are read the same way by every command that reads them (`--pricing FOLDER`,
//! `validate`, `check`, `compare`): hidden files left out, links followed but never round a
//! loop, each file once, and a FIFO, socket or device refused rather than read.

#![cfg(unix)]

mod common;

use common::scratch;
use std::fs;
use std::os::unix::fs::symlink;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const SCENARIO: &str = "version: 1\ntokens_per_month: 800M\n";

/// Runs the binary in `dir`; a run that does not end within a minute is killed and fails the
/// test (a FIFO read would block for ever).
fn run(dir: &std::path::Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_llm-decide"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("{args:?} did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_link_loop_is_not_followed_and_each_file_is_read_once() {
    let dir = scratch("folders-loop");
    fs::create_dir_all(dir.join("team/sub")).unwrap();
    fs::write(dir.join("team/a.yaml"), SCENARIO).unwrap();
    symlink("..", dir.join("team/sub/up")).unwrap();
    symlink("../a.yaml", dir.join("team/sub/again.yaml")).unwrap();
    let out = run(&dir, &["validate", "team"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "ok: team/a.yaml (scenario: a, 800M tokens a month)\n"
    );
}

#[test]
fn a_fifo_in_a_folder_is_refused_not_read() {
    let dir = scratch("folders-fifo");
    fs::create_dir(dir.join("team")).unwrap();
    fs::write(dir.join("team/a.yaml"), SCENARIO).unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(dir.join("team/b.yaml"))
            .status()
            .unwrap()
            .success()
    );
    let expected = "error: team/b.yaml: is a FIFO, not a regular file; a folder is read for its regular .yaml files; remove it, or name it on its own\n";
    for args in [
        &["validate", "team"][..],
        &["check", "team"],
        &["compare", "team"],
        &["--tokens", "1B", "--pricing", "team"],
    ] {
        let out = run(&dir, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), expected, "{args:?}");
    }
}

#[test]
fn hidden_files_are_left_out_everywhere() {
    let dir = scratch("folders-hidden");
    fs::create_dir(dir.join("prices")).unwrap();
    fs::write(dir.join("prices/.draft.yaml"), "this is not: [valid yaml").unwrap();
    fs::write(
        dir.join("prices/apis.yaml"),
        "version: 1\napis:\n  - id: my-gateway\n    provider: openai\n    name: My gateway\n    input_usd_per_mtok: 2\n    output_usd_per_mtok: 6\n    tier: standard\n    checked: 2026-11-01\n    source: our contract\n",
    )
    .unwrap();
    let out = run(
        &dir,
        &[
            "--tokens",
            "1B",
            "--pricing",
            "prices",
            "--api",
            "my-gateway",
            "--quiet",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&dir, &["validate", "prices"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("draft"));
}
