//! Names from inputs cannot inject into any output: no control character reaches the terminal
//! (even without colour), no Markdown or HTML structure is opened, no CSV cell is a formula,
//! and errors on stderr are escaped too.

mod common;

use common::{llm_decide, scratch};

/// A scenario whose name and description carry an ANSI escape, a line break into a Markdown
/// heading, an HTML script, a spreadsheet formula, a mention and a right-to-left override.
const HOSTILE: &str = r#"version: 1
name: "=HYPERLINK(\"http://evil\")\e[31mred\n# Injected heading <script>alert(1)</script> @octocat \u202Eevil"
description: "\e]0;title\u0007 <img src=x onerror=alert(1)>\r\n- item"
tokens_per_month: 800M
"#;

fn run(format: &str) -> (String, String) {
    let dir = scratch(&format!("escaping-{format}"));
    std::fs::write(dir.join("evil.yaml"), HOSTILE).unwrap();
    let out = llm_decide(
        &dir,
        &[
            "--scenario",
            "evil.yaml",
            "--format",
            format,
            "--color",
            "never",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| {
            (c.is_control() && *c != '\n')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

#[test]
fn the_terminal_gets_no_control_character() {
    let (out, _) = run("table");
    assert_eq!(raw_controls(&out), Vec::<char>::new());
    assert!(
        out.contains("\\u{1b}[31mred\\u{a}# Injected heading"),
        "{out}"
    );
    assert!(out.contains("\\u{202e}evil"), "{out}");
}

#[test]
fn markdown_opens_no_block_and_mentions_no_one() {
    let (out, _) = run("markdown");
    assert_eq!(raw_controls(&out), Vec::<char>::new());
    for line in out.lines() {
        assert!(!line.starts_with("# Injected"), "{line}");
        assert!(!line.starts_with("- item"), "{line}");
    }
    // Every `<` is escaped (`\<`), so no tag opens; the page's own markup has none.
    let raw_angle = out
        .char_indices()
        .any(|(i, c)| c == '<' && !out[..i].ends_with('\\'));
    assert!(!raw_angle, "{out}");
    assert!(!out.contains("@octocat"), "{out}");
    assert!(out.contains("\\u{a}# Injected heading \\<script>"), "{out}");
}

#[test]
fn html_carries_no_markup_from_names() {
    let (out, _) = run("html");
    assert_eq!(raw_controls(&out), Vec::<char>::new());
    assert!(!out.contains("<script>alert"), "{out}");
    assert!(!out.contains("<img"), "{out}");
    assert!(
        out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{out}"
    );
}

#[test]
fn csv_cells_are_not_formulas() {
    let (out, _) = run("csv");
    assert_eq!(raw_controls(&out), Vec::<char>::new());
    let row = out.lines().nth(1).unwrap();
    assert!(row.starts_with("\"'=HYPERLINK("), "{row}");
    for line in out.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '@']), "{cell} in {line}");
        }
    }
}

#[test]
fn json_keeps_the_name_exactly() {
    let (out, _) = run("json");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let name = v["workload"]["name"].as_str().unwrap();
    assert!(name.starts_with("=HYPERLINK(\"http://evil\")\u{1b}[31mred\n# Injected"));
    assert!(!out.contains('\u{1b}'), "JSON escapes controls itself");
}

#[test]
fn errors_on_stderr_are_escaped() {
    let dir = scratch("escaping-stderr");
    let out = llm_decide(&dir, &["--tokens", "1B", "--api", "gpt\u{1b}[2J\u{202e}"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(raw_controls(&stderr), Vec::<char>::new(), "{stderr}");
    assert!(stderr.contains("\\u{1b}[2J"), "{stderr}");
}
