//! Fitting the shell: completions, the manual page, colour, --quiet, a closed pipe, and a
//! worked example in every command's --help.

use std::io::Read;
use std::process::{Command, Output, Stdio};

fn llm_decide(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_llm-decide"));
    cmd.args(args).env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn every_command_shows_a_worked_example() {
    let top = llm_decide(&["--help"], &[]);
    assert!(stdout(&top).contains("Examples:\n  llm-decide --tokens 800M --latency 150ms"));
    let commands = [
        "compare",
        "check",
        "diff",
        "capacity",
        "list",
        "init",
        "validate",
        "completions",
        "man",
        "pricing",
        "crossover",
    ];
    for c in commands {
        let out = stdout(&llm_decide(&[c, "--help"], &[]));
        assert!(
            out.contains("Examples:\n  llm-decide "),
            "{c} --help has no example:\n{out}"
        );
    }
    let out = stdout(&llm_decide(&["pricing", "import-litellm", "--help"], &[]));
    assert!(out.contains("Examples:\n  llm-decide pricing import-litellm "));
}

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _llm__decide"),
        ("zsh", "#compdef llm-decide"),
        ("fish", "complete -c llm-decide"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[llm-decide]"),
    ] {
        let out = llm_decide(&["completions", shell], &[]);
        assert_eq!(out.status.code(), Some(0));
        let text = stdout(&out);
        assert!(text.contains(marker), "{shell}: no {marker:?}");
        for sub in ["compare", "check", "diff", "validate", "crossover"] {
            assert!(text.contains(sub), "{shell}: no {sub}");
        }
    }
    // The bash script is valid bash.
    let script = stdout(&llm_decide(&["completions", "bash"], &[]));
    if let Ok(mut bash) = Command::new("bash").arg("-n").stdin(Stdio::piped()).spawn() {
        use std::io::Write;
        bash.stdin
            .take()
            .unwrap()
            .write_all(script.as_bytes())
            .unwrap();
        assert!(bash.wait().unwrap().success());
    }
    // Flags that take a catalog id complete to the catalog's ids, a --pricing file's included;
    // in bash, with `compgen`, the word typed so far picks among them.
    let dir = std::env::temp_dir().join(format!("llm-decide-comp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pricing = dir.join("house.yaml");
    std::fs::write(
        &pricing,
        "version: 1\napis:\n  - {id: house-model, provider: openai, name: House, input_usd_per_mtok: 1, output_usd_per_mtok: 2, tier: strong, checked: 2026-11-01, source: ours}\n",
    )
    .unwrap();
    let script = stdout(&llm_decide(
        &[
            "completions",
            "bash",
            "--pricing",
            pricing.to_str().unwrap(),
        ],
        &[],
    ));
    let check = format!(
        "{script}\nCOMP_WORDS=(llm-decide --api gpt-4o-m); COMP_CWORD=2; _llm__decide llm-decide gpt-4o-m --api; echo \"${{COMPREPLY[@]}}\"\n\
         COMP_WORDS=(llm-decide --api hou); COMP_CWORD=2; _llm__decide llm-decide hou --api; echo \"${{COMPREPLY[@]}}\"\n\
         COMP_WORDS=(llm-decide capacity --gpu h2); COMP_CWORD=3; _llm__decide llm-decide h2 --gpu; echo \"${{COMPREPLY[@]}}\""
    );
    let out = Command::new("bash").args(["-c", &check]).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "gpt-4o-mini\nhouse-model\nh200\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn manual_page() {
    let out = llm_decide(&["man"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains(".TH llm-decide 1"));
    assert!(text.contains(".SH EXAMPLES") || text.contains("Examples:"));
    for sub in ["compare", "check", "diff", "init", "validate", "crossover"] {
        assert!(
            text.contains(&format!(".TH llm-decide-{sub} 1")),
            "no page for {sub}"
        );
    }
    // Every page ends with its exit status: 1 only for the commands that gate.
    let pages: Vec<&str> = text.split(".TH ").skip(1).collect();
    assert!(pages.iter().all(|p| p.contains(".SH \"EXIT STATUS\"")));
    let one = |name: &str| {
        pages
            .iter()
            .find(|p| p.starts_with(&format!("{name} 1")))
            .unwrap()
            .contains(".TP\n1\n")
    };
    assert!(one("llm-decide") && one("llm-decide-check") && one("llm-decide-diff"));
    assert!(!one("llm-decide-compare") && !one("llm-decide-capacity"));
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let args = ["--tokens", "800M", "--max-monthly-cost", "1k"];
    let always = llm_decide(&[&args[..], &["--color", "always"]].concat(), &[]);
    assert!(stdout(&always).contains("\x1b[1;32mRecommendation: API, $6,000 a month\x1b[0m"));
    assert!(String::from_utf8_lossy(&always.stderr).starts_with("\x1b[1;31mcheck failed:\x1b[0m"));
    // Not a terminal: no colour by default, and none with NO_COLOR; CLICOLOR_FORCE forces it.
    let auto = llm_decide(&args, &[]);
    assert!(!stdout(&auto).contains('\x1b'));
    let forced = llm_decide(&args, &[("CLICOLOR_FORCE", "1")]);
    assert!(stdout(&forced).contains("\x1b[1;32mRecommendation: API"));
    let both = llm_decide(&args, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!stdout(&both).contains('\x1b'));
    let never = llm_decide(
        &[&args[..], &["--color", "never"]].concat(),
        &[("NO_COLOR", "1")],
    );
    assert!(
        !stdout(&never).contains('\x1b')
            && !String::from_utf8_lossy(&never.stderr).contains('\x1b')
    );
    // Colour never reaches a file or a machine format.
    let json = llm_decide(
        &["--tokens", "800M", "--color", "always", "--format", "json"],
        &[],
    );
    assert!(!stdout(&json).contains('\x1b'));
}

#[test]
fn quiet_prints_only_the_recommendation() {
    let out = llm_decide(&["--scenario", "ecommerce", "--quiet"], &[]);
    assert_eq!(stdout(&out), "hybrid (complexity)\n");
    assert!(out.stderr.is_empty());
    let out = llm_decide(&["--tokens", "800M", "-q", "--max-monthly-cost", "1k"], &[]);
    assert_eq!(stdout(&out), "api\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("check failed: max_monthly_cost_usd"));
    let out = llm_decide(&["compare", "saas-startup", "trading", "-q"], &[]);
    assert_eq!(
        stdout(&out),
        "SaaS startup: api\nFinancial trading firm: self-host\n"
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // Over 64 KiB, more than a pipe holds, so the write meets the closed pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_llm-decide"))
        .args(["compare", "scenarios", "--format", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then close the pipe, like `| head -c1`.
    let mut out = child.stdout.take().unwrap();
    let mut byte = [0u8; 1];
    out.read_exact(&mut byte).unwrap();
    drop(out);
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(status.success(), "{status:?}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn a_scenario_can_come_through_a_pipe() {
    // bash's process substitution hands the tool /dev/fd/N, a pipe of unknown size.
    let bin = env!("CARGO_BIN_EXE_llm-decide");
    let script = format!("{bin} --scenario <(cat scenarios/trading.yaml) --format json");
    let piped = Command::new("bash").args(["-c", &script]).output().unwrap();
    assert_eq!(piped.status.code(), Some(0), "{piped:?}");
    let direct = llm_decide(
        &["--scenario", "scenarios/trading.yaml", "--format", "json"],
        &[],
    );
    // The same decision; only the input's name differs.
    let strip = |o: &Output| -> String {
        stdout(o)
            .lines()
            .filter(|l| {
                !l.contains("\"name\": \"/dev/fd/") && !l.contains("\"name\": \"scenarios/")
            })
            .collect()
    };
    assert_eq!(strip(&piped), strip(&direct));
    assert!(stdout(&piped).contains("\"choice\": \"self-host\""));
}
