//! The view layer, snapshotted format-neutrally: each command's document as its blocks, one
//! line per block (tables row by row). A wording or layout change shows up here once, in the
//! view it belongs to, whatever format renders it. Review changes with `cargo insta review`
//! (or `INSTA_UPDATE=always cargo test --test views` and `git diff`).

use llm_decide::engine;
use llm_decide::input::{catalog, scenario};
use llm_decide::model::catalog::Catalog;
use llm_decide::model::workload::spec::{Sourced, WorkloadSpec};
use llm_decide::report::view::{Block, View, view};
use llm_decide::report::{Comparison, Document, Report};
use std::fmt::Write;

/// A view as an outline: a line per block, its kind first; tables a line per row.
fn outline(v: &View) -> String {
    let mut out = format!("view: {}\n", v.title);
    for b in &v.blocks {
        let _ = match b {
            Block::Title(t) => writeln!(out, "title: {t}"),
            Block::Lead(t) => writeln!(out, "lead: {t}"),
            Block::Gap => writeln!(out, "gap"),
            Block::Verdict(t) => writeln!(out, "verdict: {t}"),
            Block::Heading(t) => writeln!(out, "\n# {t}"),
            Block::Para(t) => writeln!(out, "para: {t}"),
            Block::Plain(t) => writeln!(out, "plain: {t}"),
            Block::Bullets(items) => items.iter().try_for_each(|i| writeln!(out, "- {i}")),
            Block::Total(t) => writeln!(out, "total: {t}"),
            Block::Notes(items) => items.iter().try_for_each(|i| writeln!(out, "note: {i}")),
            Block::Warnings(items) => items.iter().try_for_each(|i| writeln!(out, "warning: {i}")),
            Block::Labeled { label, text } => writeln!(out, "{label} {text}"),
            Block::Table(g) => {
                let _ = writeln!(out, "table: {}", g.header.join(" | "));
                let _ = g
                    .rows
                    .iter()
                    .try_for_each(|r| writeln!(out, "  {}", r.join(" | ")));
                writeln!(out, "  tones: {:?}", g.tones)
            }
            Block::Chart { title, .. } => writeln!(out, "chart: {title}"),
            Block::Stamp(lines) => lines.iter().try_for_each(|l| writeln!(out, "stamp: {l}")),
        };
    }
    out
}

fn catalog() -> Catalog {
    catalog::load(&[]).unwrap()
}

fn report(c: &Catalog, name: &str, edit: impl FnOnce(&mut WorkloadSpec)) -> Report {
    let mut spec = WorkloadSpec {
        tokens_per_month: Some(Sourced::flag("--tokens", 800e6)),
        draws: Some(Sourced::flag("--draws", 200)),
        ..WorkloadSpec::default()
    };
    edit(&mut spec);
    let w = scenario::resolve(&spec, c, name).unwrap();
    Report::new(engine::analyze(c, &w).unwrap(), c, Vec::new())
}

fn outline_of(doc: &Document) -> String {
    outline(&view(doc, None).unwrap())
}

#[test]
fn decision_view() {
    let c = catalog();
    let r = report(&c, "chatbot", |s| {
        s.latency_target_ms = Some(Sourced::flag("--latency", 150.0));
    });
    insta::assert_snapshot!(outline_of(&Document::Decision(Box::new(r))));
}

#[test]
fn decision_view_with_a_hybrid_and_notes() {
    let c = catalog();
    let r = report(&c, "frontier", |s| {
        s.tokens_per_month = Some(Sourced::flag("--tokens", 5e9));
        s.frontier_share = Some(Sourced::flag("--frontier-share", 0.2));
        s.setup = Some(Sourced::flag("--setup", "cloud-a100".to_string()));
    });
    insta::assert_snapshot!(outline_of(&Document::Decision(Box::new(r))));
}

#[test]
fn compare_view() {
    let c = catalog();
    let reports = vec![
        report(&c, "small", |s| {
            s.tokens_per_month = Some(Sourced::flag("--tokens", 50e6));
        }),
        report(&c, "large", |s| {
            s.tokens_per_month = Some(Sourced::flag("--tokens", 5e9));
        }),
    ];
    insta::assert_snapshot!(outline_of(&Document::Compare(Comparison::of(
        &reports,
        Vec::new(),
    ))));
}

#[test]
fn capacity_views() {
    use llm_decide::model::catalog::hardware::Hosting;
    use llm_decide::model::workload::RequestShape;
    use llm_decide::model::workload::spec::CapacityRequest;
    let c = catalog();
    let request = |gpu: &str, precision: &str| CapacityRequest {
        model: "llama-3.1-70b".into(),
        gpu: gpu.into(),
        precision: precision.into(),
        engine: "batched".into(),
        kv_precision: None,
        gpus: None,
        tp: None,
        ep: None,
        attention_dp: false,
        concurrency: None,
        speculative: None,
        sweep: false,
        shape: RequestShape {
            input_tokens: 1000.0,
            output_tokens: 1000.0,
        },
        tokens_per_month: Some(800e6),
        peak_to_average: 1.0,
        hosting: Hosting::Cloud,
        price_kind: c.policy.self_host.price_kind,
    };
    let fits = engine::serving::capacity::capacity(&c, &request("h100-sxm", "fp8")).unwrap();
    let no_fit = engine::serving::capacity::capacity(&c, &request("a100-80gb", "bf16")).unwrap();
    insta::assert_snapshot!(format!(
        "{}\n{}",
        outline_of(&Document::Capacity(Box::new(fits))),
        outline_of(&Document::Capacity(Box::new(no_fit)))
    ));
}
