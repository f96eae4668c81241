//! `pricing import-litellm`: `LiteLLM`'s community price list converted to a pricing file.

use super::super::Done;
use crate::RunError;
use crate::exit::ExitStatus;
use crate::input::litellm::{self, ImportOptions};
use crate::model::catalog::{Catalog, DatedBy};
use crate::model::date::Date;
use crate::model::problem::Problem;
use crate::options::ImportRequest;
use crate::report::Document;

/// Converts the list at `source` (a file, a URL or `-`), counting what was skipped by reason
/// on stderr. Its `checked` date is the list's own: `as_of`, else, for a URL, the server's
/// `Last-Modified`, else the day it was fetched (the prices current that day). A file or
/// standard input has no date of its own worth trusting (a package's files are stamped
/// 1980), so it needs `--as-of`.
pub(in crate::commands) fn import_litellm(
    request: &ImportRequest,
    today: Option<Date>,
    catalog: &Catalog,
) -> Result<Done, RunError> {
    let (source, as_of) = (request.source.as_str(), request.as_of);
    if as_of.is_none() && !crate::input::fetch::is_url(source) {
        return Err(Problem::new(
            source,
            "no date to record as each price's `checked`: a file does not say when its prices were current",
        )
        .fix("pass --as-of YYYY-MM-DD, the day the list was downloaded")
        .into());
    }
    let (text, last_modified) = crate::input::read_source(source)?;
    let (checked, dated_by) = match (as_of, last_modified, today) {
        (Some(date), _, _) => (date, DatedBy::AsOf),
        (None, Some(date), _) => (date, DatedBy::LastModified),
        (None, None, Some(date)) => (date, DatedBy::Fetched),
        (None, None, None) => {
            return Err(Problem::new(source, "no date to record as each price's `checked`: the server gives no Last-Modified date and the clock is unreadable")
                .fix("pass --as-of YYYY-MM-DD")
                .into());
        }
    };
    let options = ImportOptions {
        checked,
        dated_by,
        providers: request.providers.clone(),
        include_deprecated: request.include_deprecated,
        tier: request.tier,
    };
    let name = if source == "-" {
        "standard input"
    } else {
        source
    };
    let mut import = litellm::convert(name, &text, &options, catalog)?;
    import.last_modified = last_modified;
    let skipped: Vec<String> = import
        .skipped
        .iter()
        .map(|(reason, n)| format!("{n} {reason}"))
        .collect();
    let message = if skipped.is_empty() {
        format!("converted {} chat models from {name}", import.apis.len())
    } else {
        format!(
            "converted {} chat models from {name}; skipped {} entries: {}",
            import.apis.len(),
            import.skipped_total(),
            skipped.join(", ")
        )
    };
    Ok(Done {
        doc: Document::Import(Box::new(import)),
        status: ExitStatus::Passed,
        messages: vec![crate::Message::info(message)],
        items: None,
    })
}
