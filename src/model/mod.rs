//! Validated domain types and the vocabulary every layer shares. No I/O here; these are the
//! values the engine computes with.
//!
//! - `catalog`: API prices, setups, GPUs, open models, precisions, engines, staffing and the
//!   policy (the decision's thresholds and defaults);
//! - `workload`: a workload profile, as given (`spec`, with the one table of its fields) and
//!   resolved, and the ranges of its uncertain assumptions;
//! - `decision`: what can be recommended (choices, hybrid patterns, winners, a run to diff);
//! - `output`: formats, compare metrics, diff limits;
//! - `units`, `date`: the parsers and printers of quantities and dates;
//! - `problem`, `suggest`: problems with their location and fix, and did-you-mean.

pub mod bench;
pub mod catalog;
pub mod date;
pub mod decision;
pub mod output;
pub mod problem;
pub mod suggest;
pub mod units;
pub mod workload;

/// An enum with a fixed set of string ids (used in YAML, flags and JSON).
pub trait Named: Sized + Copy + 'static {
    /// Every value, in declaration order.
    const ALL: &'static [Self];
    /// The value's id.
    fn id(self) -> &'static str;

    /// The value with this id.
    fn from_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.id() == id)
    }

    /// All ids, comma-separated, for messages.
    fn ids() -> String {
        Self::ALL
            .iter()
            .map(|v| v.id())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Implements [`Named`] for an enum from `Variant => "id"` pairs.
#[macro_export]
macro_rules! named {
    ($t:ident { $($v:ident => $s:literal),* $(,)? }) => {
        impl $crate::model::Named for $t {
            const ALL: &'static [Self] = &[$($t::$v),*];
            fn id(self) -> &'static str {
                match self { $($t::$v => $s),* }
            }
        }
    };
}
