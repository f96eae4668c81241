//! Commands about the data rather than a decision: `list` the catalog, `validate` files, and
//! `pricing import-litellm`.

mod import;
mod list;
mod validate;

pub(super) use import::import_litellm;
pub(super) use list::list;
pub(super) use validate::validate;
