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

/// The kinds of path `--output` meets, each with what must happen.
#[cfg(unix)]
mod targets {
    use super::common::{llm_decide, scratch};
    use std::fs;
    use std::os::unix::fs::{FileTypeExt, PermissionsExt, symlink};
    use std::process::Command;

    fn report(dir: &std::path::Path, output: &str) -> std::process::Output {
        llm_decide(
            dir,
            &["--tokens", "800M", "--format", "csv", "--output", output],
        )
    }

    fn csv() -> Vec<u8> {
        let dir = scratch("output-csv-reference");
        llm_decide(&dir, &["--tokens", "800M", "--format", "csv"]).stdout
    }

    #[test]
    fn a_regular_file_is_replaced_with_its_mode_kept() {
        let dir = scratch("output-regular");
        fs::write(dir.join("r.csv"), "old").unwrap();
        fs::set_permissions(dir.join("r.csv"), fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(report(&dir, "r.csv").status.code(), Some(0));
        assert_eq!(fs::read(dir.join("r.csv")).unwrap(), csv());
        let mode = fs::metadata(dir.join("r.csv"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600, "a private file stays private");
    }

    #[test]
    fn a_missing_path_is_created_with_the_usual_mode() {
        let dir = scratch("output-missing");
        assert_eq!(report(&dir, "new.csv").status.code(), Some(0));
        let mode = fs::metadata(dir.join("new.csv"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        // What the umask leaves of 0666, as any newly created file (never the 0600 of a
        // temporary file).
        let probe = dir.join("probe");
        fs::File::create(&probe).unwrap();
        let usual = fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, usual);
    }

    #[test]
    fn a_symlink_is_written_through_to_its_target() {
        let dir = scratch("output-symlink");
        fs::create_dir(dir.join("real")).unwrap();
        fs::write(dir.join("real/r.csv"), "old").unwrap();
        symlink("real/r.csv", dir.join("link.csv")).unwrap();
        assert_eq!(report(&dir, "link.csv").status.code(), Some(0));
        assert!(
            fs::symlink_metadata(dir.join("link.csv"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(dir.join("real/r.csv")).unwrap(), csv());
        // A link to nothing is refused.
        symlink("nowhere.csv", dir.join("dangling.csv")).unwrap();
        let out = report(&dir, "dangling.csv");
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "error: dangling.csv: it is a symbolic link to a missing file; name the file itself\n"
        );
        assert!(!dir.join("nowhere.csv").exists());
    }

    #[test]
    fn a_fifo_is_written_to_not_replaced() {
        let dir = scratch("output-fifo");
        let fifo = dir.join("pipe");
        assert!(
            Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let reader = std::thread::spawn({
            let fifo = fifo.clone();
            move || fs::read(fifo).unwrap()
        });
        assert_eq!(report(&dir, "pipe").status.code(), Some(0));
        assert_eq!(reader.join().unwrap(), csv());
        assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }

    /// A private copy of the null device where the tests may make one (as root), else the
    /// system's own: it must still be a character device afterwards.
    #[test]
    fn a_character_device_is_written_to_not_replaced() {
        let dir = scratch("output-device");
        let own = dir.join("null");
        let made = Command::new("mknod")
            .args([own.to_str().unwrap(), "c", "1", "3"])
            .status()
            .is_ok_and(|s| s.success());
        let device = if made { own } else { "/dev/null".into() };
        let out = report(&dir, device.to_str().unwrap());
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(fs::metadata(&device).unwrap().file_type().is_char_device());
    }

    #[test]
    fn a_folder_is_refused() {
        let dir = scratch("output-folder");
        fs::create_dir(dir.join("sub")).unwrap();
        let out = report(&dir, "sub");
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "error: sub: it is a folder; name a file, a character device or a FIFO\n"
        );
    }

    #[test]
    fn its_own_input_is_refused() {
        let dir = scratch("output-own-input");
        let scenario = "version: 1\ntokens_per_month: 800M\n";
        fs::write(dir.join("s.yaml"), scenario).unwrap();
        fs::write(dir.join("p.yaml"), "version: 1\n").unwrap();
        fs::create_dir(dir.join("team")).unwrap();
        fs::write(dir.join("team/a.yaml"), scenario).unwrap();
        let cases: &[(&[&str], &str)] = &[
            (
                &["--scenario", "s.yaml", "--output", "s.yaml"],
                "error: s.yaml: it is s.yaml, an input of this run; write the output somewhere else\n",
            ),
            (
                &[
                    "--tokens",
                    "1B",
                    "--pricing",
                    "p.yaml",
                    "--output",
                    "./p.yaml",
                ],
                "error: ./p.yaml: it is p.yaml, an input of this run; write the output somewhere else\n",
            ),
            (
                &["validate", "team", "--output", "team/a.yaml"],
                "error: team/a.yaml: it is team/a.yaml, an input of this run; write the output somewhere else\n",
            ),
        ];
        for (args, error) in cases {
            let out = llm_decide(&dir, args);
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            assert_eq!(String::from_utf8_lossy(&out.stderr), *error, "{args:?}");
        }
        assert_eq!(fs::read_to_string(dir.join("s.yaml")).unwrap(), scenario);
        assert_eq!(
            fs::read_to_string(dir.join("team/a.yaml")).unwrap(),
            scenario
        );
        assert_eq!(
            fs::read_to_string(dir.join("p.yaml")).unwrap(),
            "version: 1\n"
        );
    }
}

/// `compare` and `check` in JSON and CSV write each scenario as it is decided, through a
/// spool: sorted, the reports come out in the sort's order; to a file, the very bytes of
/// stdout; with a bad file among good ones, nothing but the error.
#[test]
fn spooled_lists_are_whole_and_in_order() {
    let dir = scratch("spooled");
    // Names run against volumes: s0 has the most tokens, s9 the fewest.
    for i in 0..10 {
        let text = format!("version: 1\ntokens_per_month: {}M\n", 900 - 80 * i);
        std::fs::write(dir.join(format!("s{i}.yaml")), text).unwrap();
    }
    let names = |args: &[&str]| -> Vec<String> {
        let out = llm_decide(&dir, args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let name = &s["workload"]["name"];
                name.as_str().or(s["name"].as_str()).unwrap().to_string()
            })
            .collect()
    };
    let by_name: Vec<String> = (0..10).map(|i| format!("s{i}")).collect();
    let by_tokens: Vec<String> = by_name.iter().rev().cloned().collect();
    let compare = ["compare", ".", "--format", "json"];
    assert_eq!(names(&compare), by_name);
    assert_eq!(
        names(&[&compare[..], &["--sort", "tokens"]].concat()),
        by_tokens
    );
    assert_eq!(names(&["check", ".", "--format", "json"]), by_name);
    for args in [
        ["compare", ".", "--format", "json"],
        ["compare", ".", "--format", "csv"],
        ["check", ".", "--format", "json"],
        ["check", ".", "--format", "csv"],
    ] {
        let stdout = llm_decide(&dir, &args).stdout;
        let file = format!("out.{}", args[3]);
        let written = llm_decide(&dir, &[&args[..], &["--output", &file]].concat());
        assert_eq!(written.status.code(), Some(0), "{args:?}");
        assert_eq!(std::fs::read(dir.join(&file)).unwrap(), stdout, "{args:?}");
        std::fs::remove_file(dir.join(&file)).unwrap();
    }
    std::fs::write(dir.join("s99.yaml"), "version: 1\ntokens_per_month: lots\n").unwrap();
    for args in [compare, ["check", ".", "--format", "json"]] {
        let out = llm_decide(&dir, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v.get("scenarios").is_none(), "{args:?}: {v}");
        assert_eq!(
            v["error"]["problems"][0]["source"], "./s99.yaml",
            "{args:?}: {v}"
        );
    }
}

/// A spool the machine cannot hold is one error of the machine, named with its fix, however
/// many files were being decided; nothing is written. Table reports need no spool.
#[test]
fn an_unusable_temporary_folder_is_one_error() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_llm-decide"))
            .args(args)
            .current_dir(dir)
            .env("TMPDIR", "/nonexistent/llm-decide-tmp")
            .output()
            .unwrap()
    };
    for args in [
        ["compare", "scenarios", "--format", "csv"],
        ["check", "scenarios", "--format", "csv"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with("error: cannot create a temporary file for the output: "),
            "{stderr}"
        );
        assert!(
            stderr.contains(
                "; set TMPDIR to a folder with room that this user can write, or name fewer files\n"
            ),
            "{stderr}"
        );
        assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
    }
    assert_eq!(run(&["check", "scenarios"]).status.code(), Some(0));
}
