//! Rendering hostile names: arbitrary text as a workload's name and description, the report
//! rendered in every human format. No raw control character (but line breaks) may reach the
//! terminal, Markdown, HTML or CSV; no Markdown block or HTML tag may open from the name; no
//! CSV cell may start a formula.
#![no_main]

use libfuzzer_sys::fuzz_target;
use llm_decide::model::output::Format;
use llm_decide::report::{Document, Report, render};
use std::sync::OnceLock;

fn catalog() -> &'static llm_decide::model::catalog::Catalog {
    static C: OnceLock<llm_decide::model::catalog::Catalog> = OnceLock::new();
    C.get_or_init(|| llm_decide::input::catalog::load(&[]).unwrap())
}

fn base() -> &'static llm_decide::model::workload::Workload {
    static W: OnceLock<llm_decide::model::workload::Workload> = OnceLock::new();
    W.get_or_init(|| {
        let spec = llm_decide::input::scenario::parse_scenario(
            "fuzz.yaml",
            "version: 1\ntokens_per_month: 800M\nuncertainty:\n  draws: 10\n",
        )
        .unwrap();
        llm_decide::input::scenario::resolve(&spec, catalog(), "fuzz").unwrap()
    })
}

fn raw_control(text: &str) -> bool {
    text.chars().any(|c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(name) = std::str::from_utf8(data) else {
        return;
    };
    let mut w = base().clone();
    w.name = name.to_string();
    w.description = Some(name.to_string());
    let Ok(analysis) = llm_decide::engine::analyze(catalog(), &w) else {
        return;
    };
    let doc = Document::Decision(Box::new(Report::new(analysis, catalog(), Vec::new())));
    for format in [Format::Table, Format::Markdown, Format::Html, Format::Csv] {
        let out = render(&doc, format, false);
        assert!(!raw_control(&out), "{format:?} carries a control character");
        if format == Format::Html {
            // The page's own tags are fixed; a name can add none.
            assert!(!out.contains("<script"), "HTML opened a script");
        }
        if format == Format::Csv {
            for line in out.lines() {
                for cell in line.split(',') {
                    let cell = cell.trim_start_matches('"');
                    assert!(
                        !cell.starts_with(['=', '+', '@']),
                        "CSV cell {cell:?} is a formula"
                    );
                }
            }
        }
    }
});
