//! A `LiteLLM` import written as an API pricing file, ready for `--pricing`.

use crate::model::Named;
use crate::model::catalog::Import;
use std::fmt::Write as _;

/// A YAML string: JSON's double-quoted form is valid YAML.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn num(x: f64) -> String {
    format!("{x}")
}

/// The pricing file's text.
pub fn render(i: &Import) -> String {
    let mut out = format!(
        "# API prices converted from LiteLLM's model_prices_and_context_window.json by {} {}.\n\
         # File: {} (sha256 {}).\n\
         # Prices are USD per 1M tokens; `checked` is the date of the conversion.\n\
         # `tier` is llm-decide's capability class, which LiteLLM does not record: it is copied\n\
         # from the embedded catalog for ids it knows and set to the import's default otherwise\n\
         # (marked `review`). Long-context prices are recorded; costs use the base prices.\n\
         # Converted {} chat models; skipped {} entries:\n",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        i.file,
        i.sha256,
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
        let _ = writeln!(out, "  - id: {}", quoted(&a.id));
        let _ = writeln!(out, "    provider: {}", quoted(&a.provider));
        let _ = writeln!(out, "    name: {}", quoted(&a.id));
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
        let _ = writeln!(out, "    checked: {}", i.checked);
        let _ = writeln!(out, "    source: {}", quoted(&a.source));
    }
    out
}
