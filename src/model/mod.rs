//! Validated domain types: units, dates, the pricing catalog, the policy and workloads.
//! No I/O here; these are the values the engine computes with.

pub mod date;
pub mod decision;
pub mod hardware;
pub mod output;
pub mod policy;
pub mod pricing;
pub mod problem;
pub mod spec;
pub mod suggest;
pub mod uncertainty;
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
