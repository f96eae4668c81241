//! A `LiteLLM` import written as an API pricing file, ready for `--pricing`.

use crate::model::Named;
use crate::model::catalog::{ApiModel, DatedBy, Import, ImportedApi};
use crate::model::date::Date;
use std::fmt::Write as _;

/// A YAML string: JSON's double-quoted form is valid YAML.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn num(x: f64) -> String {
    format!("{x}")
}

/// What an import keeps of the built-in entry it refreshes: its measured latency, its
/// capability index, its reasoning tokens and the open model it serves.
fn write_kept(out: &mut String, k: &ApiModel) {
    if let Some(l) = &k.latency {
        let _ = writeln!(
            out,
            "    latency: {{ttft_ms: {}, output_tokens_per_s: {}, checked: {}, source: {}}}",
            num(l.ttft_ms),
            num(l.output_tokens_per_s),
            l.provenance
                .checked
                .map_or_else(String::new, |d| d.to_string()),
            quoted(&l.provenance.source)
        );
    }
    if let Some(x) = &k.index {
        let _ = writeln!(
            out,
            "    index: {{score: {}, checked: {}, source: {}}}",
            num(x.score),
            x.checked,
            quoted(&x.source)
        );
    }
    if let Some(r) = &k.reasoning {
        let _ = writeln!(
            out,
            "    reasoning: {{tokens_per_request: {}, source: {}}}",
            num(r.tokens_per_request),
            quoted(&r.source)
        );
    }
    if let Some(sv) = &k.serves {
        let _ = write!(out, "    serves: {{model: {}", quoted(&sv.model));
        if let Some(p) = &sv.precision {
            let _ = write!(out, ", precision: {}", quoted(p));
        }
        out.push_str("}\n");
    }
}

/// The pricing file's text.
pub fn render(i: &Import) -> String {
    let mut out = format!(
        "# API prices converted from LiteLLM's model_prices_and_context_window.json by {} {}.\n\
         # File: {} (sha256 {}).\n\
         # Prices are USD per 1M tokens; `checked` is {} ({}).\n\
         # `tier` is llm-decide's capability class, which LiteLLM does not record: it is copied\n\
         # from the embedded catalog for models it knows (by LiteLLM key) and set to the import's\n\
         # default otherwise (marked `review`). Long-context prices apply to requests whose\n\
         # prompt is longer than their threshold.\n\
         # Converted {} chat models; skipped {} entries:\n",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        i.file,
        i.sha256,
        i.checked,
        match i.dated_by {
            DatedBy::AsOf => "the date given with --as-of",
            DatedBy::LastModified => "the list's own date, the server's Last-Modified",
            DatedBy::Fetched => "the day it was fetched; the server gives no Last-Modified date",
        },
        i.apis.len(),
        i.skipped_total(),
    );
    for (reason, n) in &i.skipped {
        let _ = writeln!(out, "#   {n} {reason}");
    }
    out.push_str("version: 1\n");
    if !i.new_providers.is_empty() {
        out.push_str(
            "# Providers the embedded catalog does not list; no compliance offers are known, so\n\
             # a workload that requires one rules them out until you add them.\nproviders:\n",
        );
        for p in &i.new_providers {
            let _ = write!(out, "  - id: {}\n    name: {}\n", quoted(p), quoted(p));
        }
    }
    out.push_str("apis:\n");
    for a in &i.apis {
        write_api(&mut out, a, i.checked);
    }
    out
}

/// One converted API entry.
fn write_api(out: &mut String, a: &ImportedApi, checked: Date) {
    let kept = a.refreshes.as_deref();
    if kept.is_some() {
        out.push_str(
            "  # Refreshes the built-in entry: LiteLLM's prices, and what LiteLLM lacks kept.\n",
        );
    }
    let _ = writeln!(out, "  - id: {}", quoted(&a.id));
    let _ = writeln!(out, "    provider: {}", quoted(&a.provider));
    let _ = writeln!(out, "    name: {}", quoted(kept.map_or(&a.id, |k| &k.name)));
    let _ = writeln!(out, "    litellm_key: {}", quoted(&a.litellm_key));
    if let Some(k) = kept {
        write_kept(out, k);
    }
    let _ = writeln!(out, "    input_usd_per_mtok: {}", num(a.input_usd_per_mtok));
    let _ = writeln!(
        out,
        "    output_usd_per_mtok: {}",
        num(a.output_usd_per_mtok)
    );
    if let Some(c) = a.cached_input_usd_per_mtok {
        let _ = writeln!(out, "    cached_input_usd_per_mtok: {}", num(c));
    }
    if let Some(b) = a.batch_discount {
        let _ = writeln!(out, "    batch_discount: {}", num(b));
    }
    let _ = writeln!(
        out,
        "    tier: {}{}",
        a.tier.id(),
        if a.tier_known { "" } else { "  # review" }
    );
    if let Some(c) = a.context_tokens {
        let _ = writeln!(out, "    context_tokens: {}", num(c));
    }
    if let Some(l) = &a.long_context {
        let _ = write!(
            out,
            "    long_context: {{above_input_tokens: {}, input_usd_per_mtok: {}, output_usd_per_mtok: {}",
            num(l.above_input_tokens),
            num(l.input_usd_per_mtok),
            num(l.output_usd_per_mtok)
        );
        if let Some(c) = l.cached_input_usd_per_mtok {
            let _ = write!(out, ", cached_input_usd_per_mtok: {}", num(c));
        }
        out.push_str("}\n");
    }
    if let Some(d) = &a.deprecation_date {
        let _ = writeln!(
            out,
            "    note: {}",
            quoted(&format!("deprecation date {d} (LiteLLM)"))
        );
    }
    let _ = writeln!(out, "    checked: {checked}");
    let _ = writeln!(out, "    source: {}", quoted(&a.source));
}

/// A calibration written as a pricing file, with the fit as comments: each run measured
/// against the estimates before and after, and each constant fitted or kept.
pub fn calibration(c: &crate::report::CalibrationReport) -> String {
    use crate::report::words::deployment::calibrated_constant;
    let (fit, e) = (&c.calibrated, &c.entry);
    let mut out = format!(
        "# llm-decide calibrate: the {} engine's constants on {} x {} in {}{}, fitted to {} run(s) of {}.\n# Layer it over the catalog: llm-decide --pricing THIS_FILE --engine {} ...\n#\n",
        fit.engine,
        fit.gpus,
        fit.gpu,
        fit.precision,
        crate::report::words::deployment::sharing(fit.expert_parallel, fit.attention),
        fit.runs.len(),
        fit.model,
        fit.engine
    );
    let _ = writeln!(
        out,
        "# {:<60} {:>9} {:>7} {:>7} {:>14} {:>10} {:>8} {:>14} {:>10} {:>8}",
        "run",
        "sequences",
        "in",
        "out",
        "TPOT measured",
        "published",
        "fitted",
        "TTFT measured",
        "published",
        "fitted"
    );
    for r in &fit.runs {
        let _ = writeln!(
            out,
            "# {:<60} {:>9.1} {:>7.0} {:>7.0} {:>14.2} {:>10.2} {:>8.2} {:>14.1} {:>10.1} {:>8.1}",
            r.run.source,
            r.run.concurrency,
            r.run.input_tokens,
            r.run.output_tokens,
            r.run.tpot_ms,
            r.published.tpot_ms,
            r.fitted.tpot_ms,
            r.run.ttft_ms,
            r.published.ttft_ms,
            r.fitted.ttft_ms
        );
    }
    out.push_str("#\n");
    for f in &fit.constants {
        let _ = writeln!(out, "# {}: {}", f.constant.field(), calibrated_constant(f));
    }
    out.push_str("version: 1\ncalibrations:\n");
    let _ = writeln!(out, "  - engine: {}", quoted(&fit.engine));
    let _ = writeln!(out, "    gpu: {}", quoted(&e.gpu));
    let _ = writeln!(out, "    precision: {}", quoted(&e.precision));
    for (name, v) in [
        ("bandwidth_efficiency", e.bandwidth_efficiency),
        ("gemm_efficiency", e.gemm_efficiency),
        ("step_overhead_ms", e.step_overhead_ms),
        ("sequence_overhead_us", e.sequence_overhead_us),
        ("prefill_layer_overhead_us", e.prefill_layer_overhead_us),
        ("prefill_wait_steps", e.prefill_wait_steps),
    ] {
        if let Some(v) = v {
            let _ = writeln!(out, "    {name}: {}", num((v * 1e4).round() / 1e4));
        }
    }
    if let Some(m) = &e.model {
        let _ = writeln!(out, "    model: {}", quoted(m));
    }
    if let Some(g) = e.gpus {
        let _ = writeln!(out, "    gpus: {g}");
    }
    let _ = writeln!(out, "    checked: {}", e.checked);
    let _ = writeln!(out, "    source: {}", quoted(&e.source));
    out
}
