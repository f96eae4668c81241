//! Words: every fact the engine returns, turned into its sentence. The one place the report's
//! prose is written, for every format: the terminal, Markdown and HTML views quote it, and the
//! JSON contract carries it as each fact's `message` next to its stable `code`.
//!
//! - `cost`: cost lines, units, rejections, fits, notes and remedies;
//! - `deployment`: a sized deployment in brief, its KV cache, batch work and excluded offers;
//! - `decision`: reasons, blockers, alternatives, revisit advice and hybrid routes;
//! - `latency`: latency components and a side's latency against a target;
//! - `check`: budget checks and diff gates;
//! - `codes`: the stable machine codes of the JSON contract.

pub mod check;
pub mod codes;
pub mod cost;
pub mod decision;
pub mod deployment;
pub mod latency;

use crate::model::Named;
use crate::model::decision::{Choice, Pattern};

/// `""` for one, `"s"` for any other count.
pub fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The choice in words: "API", "Self-host", "Hybrid".
pub fn label(choice: Choice) -> &'static str {
    match choice {
        Choice::Api => "API",
        Choice::SelfHost => "Self-host",
        Choice::Hybrid => "Hybrid",
    }
}

/// The choice as a noun in a sentence: "the API", "self-hosting", "the hybrid".
pub fn noun(choice: Choice) -> &'static str {
    match choice {
        Choice::Api => "the API",
        Choice::SelfHost => "self-hosting",
        Choice::Hybrid => "the hybrid",
    }
}

/// The recommendation in a few words: `hybrid (sensitivity)`.
pub fn choice(choice: Choice, pattern: Option<Pattern>) -> String {
    match pattern {
        Some(p) => format!("{} ({})", choice.id(), p.id()),
        None => choice.id().to_string(),
    }
}

/// An option by its label: "API", "Self-host", "Hybrid (burst)".
pub fn option(choice: Choice, pattern: Option<Pattern>) -> String {
    match pattern {
        Some(p) => format!("Hybrid ({})", p.id()),
        None => label(choice).to_string(),
    }
}

/// Capitalizes the first letter.
pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}
