//! `pricing import-litellm`: `LiteLLM`'s community price list converted to a pricing file.

use super::super::Done;
use crate::RunError;
use crate::exit::ExitStatus;
use crate::input::litellm::{self, ImportOptions};
use crate::model::catalog::Catalog;
use crate::report::Document;

/// Converts `file`, counting what was skipped by reason on stderr.
pub(in crate::commands) fn import_litellm(
    file: &str,
    options: &ImportOptions,
    catalog: &Catalog,
) -> Result<Done, RunError> {
    let text = crate::input::read_text(std::path::Path::new(file), file)?;
    let import = litellm::convert(file, &text, options, catalog)?;
    let skipped: Vec<String> = import
        .skipped
        .iter()
        .map(|(reason, n)| format!("{n} {reason}"))
        .collect();
    let message = if skipped.is_empty() {
        format!("converted {} chat models from {file}", import.apis.len())
    } else {
        format!(
            "converted {} chat models from {file}; skipped {} entries: {}",
            import.apis.len(),
            import.skipped_total(),
            skipped.join(", ")
        )
    };
    Ok(Done {
        doc: Document::Import(Box::new(import)),
        status: ExitStatus::Passed,
        messages: vec![crate::Message::info(message)],
    })
}
