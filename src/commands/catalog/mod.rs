//! Commands about the data rather than a decision: `list` the catalog, `validate` files, and
//! `pricing import-litellm` and `pricing diff`, and `calibrate` the engine from a benchmark.

mod calibrate;
mod import;
mod list;
mod pricing_diff;
mod usage;
mod validate;

pub(super) use calibrate::calibrate;
pub(super) use import::import_litellm;
pub(super) use list::list;
pub(super) use pricing_diff::pricing_diff;
pub(super) use usage::{Source, field_map, usage, usage_report};
pub(super) use validate::validate;
