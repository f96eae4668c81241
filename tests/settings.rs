//! The project settings file (`.llm-decide.yaml`) and `LLM_DECIDE_PRICING`: defaults below the
//! flags, named in the report, and a settings file others could write refused.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Contract prices: GPT-4o at $2/$8, $6 per 1M at a third input, $1,800 at 300M tokens.
const CONTRACT: &str = "version: 1
apis:
  - id: gpt-4o
    provider: openai
    name: GPT-4o (contract)
    input_usd_per_mtok: 2
    output_usd_per_mtok: 8
    tier: frontier
    checked: 2026-11-01
    source: our contract
";

/// A project (its own repository) with a settings file naming `prices.yaml` and a $1,000
/// budget, and a subfolder to run from.
fn project(name: &str, settings: &str) -> PathBuf {
    let dir = common::scratch(name);
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::create_dir_all(dir.join("team/scenarios")).unwrap();
    std::fs::write(dir.join("prices.yaml"), CONTRACT).unwrap();
    let file = dir.join(".llm-decide.yaml");
    std::fs::write(&file, settings).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    dir
}

const SETTINGS: &str = "version: 1\npricing: [prices.yaml]\nbudget:\n  max_monthly_cost_usd: 1k\n";

fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_llm-decide"));
    cmd.args(args)
        .env("SOURCE_DATE_EPOCH", "1795780800")
        .env("COLUMNS", "250")
        .env_remove("LLM_DECIDE_PRICING")
        .current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn cost(json: &str) -> f64 {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["options"]["api"]["monthly_cost_usd"].as_f64().unwrap()
}

#[test]
fn the_settings_file_gives_defaults_below_the_flags_and_is_named() {
    let dir = project("settings-defaults", SETTINGS);
    let sub = dir.join("team/scenarios");
    let args = ["--tokens", "300M", "--api", "gpt-4o", "--format", "json"];
    // Found from a subfolder: its prices ($1,800, not the built-in $2,250) and its budget.
    let (code, out, err) = run_in(&sub, &args, &[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(cost(&out), 1800.0);
    assert!(err.contains("check failed: max_monthly_cost_usd: monthly cost of the recommendation (api): $1,800 against a limit of $1,000"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let file = dir.join(".llm-decide.yaml");
    assert_eq!(v["settings"]["config"]["file"], file.to_str().unwrap());
    assert_eq!(
        v["settings"]["config"]["sha256"].as_str().unwrap().len(),
        64
    );
    // The document still matches its schema (`settings` is an optional field of each).
    let printed = Command::new(env!("CARGO_BIN_EXE_llm-decide"))
        .args(["schema", "decision"])
        .output()
        .unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&printed.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let problems: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(problems.is_empty(), "{problems:?}");
    // The table report names it too.
    let (_, text, _) = run_in(&sub, &["--tokens", "300M", "--api", "gpt-4o"], &[]);
    assert!(
        text.contains("Defaults from the project settings"),
        "{text}"
    );
    // A flag wins: its prices, its budget.
    let mut flagged = args.to_vec();
    flagged.extend(["--pricing", "default", "--max-monthly-cost", "5k"]);
    let (code, out, err) = run_in(&sub, &flagged, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(cost(&out), 2250.0);
    // The environment's pricing path wins over the file's, and is named.
    let (_, out, _) = run_in(&sub, &args, &[("LLM_DECIDE_PRICING", "default")]);
    assert_eq!(cost(&out), 2250.0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["settings"]["pricing_env"], "default");
}

#[test]
fn a_scenarios_own_budget_overrides_the_settings_file() {
    let dir = project("settings-budget", SETTINGS);
    std::fs::write(
        dir.join("team/scenarios/big.yaml"),
        "version: 1\ntokens_per_month: 300M\napi: gpt-4o\nbudget:\n  max_monthly_cost_usd: 2k\n",
    )
    .unwrap();
    let (code, out, err) = run_in(&dir, &["check", "team/scenarios"], &[]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = run_in(
        &dir,
        &["check", "team/scenarios", "--max-monthly-cost", "1.5k"],
        &[],
    );
    assert_eq!(code, 1, "{err}");
}

#[test]
fn a_bad_or_unsafe_settings_file_is_refused() {
    let dir = project(
        "settings-bad",
        "version: 1\npricing: [prices.yaml]\nbudjet: {}\n",
    );
    let file = dir.join(".llm-decide.yaml");
    let (code, out, err) = run_in(&dir, &["--tokens", "1B"], &[]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.starts_with(&format!(
            "error: {}:3:1: field `budjet`: unknown field `budjet`",
            file.display()
        )),
        "{err}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(&file, SETTINGS).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o666)).unwrap();
        let (code, _, err) = run_in(&dir, &["--tokens", "1B"], &[]);
        assert_eq!(code, 2);
        assert_eq!(
            err,
            format!(
                "error: {f}: can be written by its group and others (mode 666); the settings file sets every run's prices and budgets: chmod go-w {f}\n",
                f = file.display()
            )
        );
    }
}

/// Every amount of a text report: `$4,000`, `-$250`, `$7.50`, `$1.82e21` (or `EUR 8,000` with
/// `prefix` "EUR" and a no-break space), as numbers in order; but not the catalog's notes
/// quoting their sources' own figures (`$240k a year`), which stay as written.
fn amounts(text: &str, prefix: &str) -> Vec<f64> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let negative = rest[..i].ends_with('-');
        let tail = &rest[i + prefix.len()..];
        let end = tail
            .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.' || c == 'e'))
            .unwrap_or(tail.len());
        let digits = tail[..end].trim_end_matches(['.', ',']).replace(',', "");
        let quoted = tail[end..].starts_with('k');
        if let (Ok(v), false) = (digits.parse::<f64>(), quoted) {
            out.push(if negative { -v } else { v });
        }
        rest = &tail[end..];
    }
    out
}

#[test]
fn every_amount_of_a_human_report_is_converted_and_the_json_stays_in_usd() {
    let dir = common::scratch("currency-every-amount");
    // A rate of 2 makes each converted amount twice the dollars, to the rounding shown.
    let fx = ["--currency", "EUR", "--fx", "2", "--fx-date", "2026-11-28"];
    let runs: &[&[&str]] = &[
        &["--tokens", "800M", "--latency", "150ms", "--full"],
        &["--scenario", "healthcare", "--full", "--format", "markdown"],
        &[
            "--tokens",
            "5B",
            "--latency",
            "2s",
            "--full",
            "--format",
            "html",
        ],
        &["crossover", "--tokens", "800M"],
        &["list", "apis"],
        &["compare", "saas-startup", "trading"],
    ];
    for args in runs {
        let args: Vec<&str> = args
            .iter()
            .map(|a| match *a {
                "healthcare" | "saas-startup" | "trading" => Box::leak(
                    format!("{}/scenarios/{a}.yaml", env!("CARGO_MANIFEST_DIR")).into_boxed_str(),
                ) as &str,
                a => a,
            })
            .collect();
        let (code, usd, _) = run_in(&dir, &args, &[]);
        assert_eq!(code, 0, "{args:?}");
        let (code, eur, err) = run_in(&dir, &[&args[..], &fx[..]].concat(), &[]);
        assert_eq!(code, 0, "{args:?}: {err}");
        // A chart's axis ticks are round in the currency shown, so they differ: left out.
        let no_chart = |t: &str| match (t.find("<svg"), t.find("</svg>")) {
            (Some(a), Some(b)) => format!("{}{}", &t[..a], &t[b..]),
            _ => t.to_string(),
        };
        let (dollars, euros) = (
            amounts(&no_chart(&usd), "$"),
            amounts(&no_chart(&eur), "EUR\u{a0}"),
        );
        assert!(!dollars.is_empty(), "{args:?}");
        assert_eq!(
            dollars.len(),
            euros.len(),
            "{args:?}: {dollars:?} {euros:?}"
        );
        for (d, e) in dollars.iter().zip(&euros) {
            // Each side is rounded as shown: to the cent below 100, else to the unit (three
            // significant digits in scientific notation).
            let slack = if d.abs() >= 1e15 { 0.01 * e.abs() } else { 1.5 };
            assert!(
                (e - 2.0 * d).abs() <= slack,
                "{args:?}: ${d} shown as EUR {e}"
            );
        }
        // A chart's value labels fit its axis: every row's axis at the same column.
        let axis: Vec<usize> = (eur.lines())
            .filter_map(|l| l.chars().position(|c| c == '┤'))
            .collect();
        assert!(axis.windows(2).all(|w| w[0] == w[1]), "{args:?}: {eur}");
        let quotes = |t: &str| t.matches('$').count() - amounts(t, "$").len();
        assert_eq!(
            quotes(&eur),
            eur.matches('$').count(),
            "{args:?}: a dollar amount left: {eur}"
        );
        assert!(
            eur.replace('\n', " ")
                .contains("converted at 2 EUR per USD (--fx, as of 2026-11-28)"),
            "{args:?}"
        );
    }
    // The JSON keeps every amount in USD and records the rate.
    let json = |extra: &[&str]| {
        let args = [&["--tokens", "800M", "--format", "json"][..], extra].concat();
        let (code, out, err) = run_in(&dir, &args, &[]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    let (plain, converted) = (json(&[]), json(&fx));
    assert_eq!(plain["options"], converted["options"]);
    assert_eq!(
        converted["settings"]["currency"],
        serde_json::json!({"code": "EUR", "per_usd": 2, "as_of": "2026-11-28", "source": "--fx"})
    );
}

#[test]
fn the_settings_files_currency_applies_below_the_flags() {
    let dir = project(
        "currency-settings",
        "version: 1\ncurrency:\n  code: EUR\n  per_usd: 0.5\n  as_of: 2026-11-01\n",
    );
    let team = dir.join("team");
    let (code, out, err) = run_in(&team, &["--tokens", "300M", "--api", "gpt-4o-mini"], &[]);
    assert_eq!(code, 0, "{err}");
    // gpt-4o-mini at 300M tokens, a third input: $0.15 and $0.60 per 1M, $135 a month.
    assert!(
        out.contains("Recommendation: API, EUR\u{a0}67.50 a month"),
        "{out}"
    );
    let file = dir.join(".llm-decide.yaml");
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&format!(
            "converted at 0.5 EUR per USD ({}, as of 2026-11-01)",
            file.display()
        )),
        "{out}"
    );
    // The flags win: another rate, or the file's currency by name.
    let (_, out, _) = run_in(
        &team,
        &["--tokens", "300M", "--api", "gpt-4o-mini", "--fx", "2"],
        &[],
    );
    assert!(
        out.contains("Recommendation: API, EUR\u{a0}270 a month"),
        "{out}"
    );
    let (_, out, _) = run_in(
        &team,
        &[
            "--tokens",
            "300M",
            "--api",
            "gpt-4o-mini",
            "--currency",
            "USD",
        ],
        &[],
    );
    assert!(out.contains("Recommendation: API, $135 a month"), "{out}");
    // A bad currency in the file is refused at its line.
    let bad = project(
        "currency-settings-bad",
        "version: 1\ncurrency:\n  code: euro\n  per_usd: 0\n",
    );
    let (code, out, err) = run_in(&bad.join("team"), &["--tokens", "300M"], &[]);
    let file = bad.join(".llm-decide.yaml");
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        format!(
            "error: 2 problems in the input:\n  {f}:3:9: field `currency.code`: `euro` is not a currency code; give the ISO 4217 code in capitals, e.g. EUR\n  {f}:4:12: field `currency.per_usd`: \"0\" is not a valid number: it must be greater than zero; write a plain number, e.g. 2 or 0.5\n",
            f = file.display()
        )
    );
}
