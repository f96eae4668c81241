//! The Markdown renderer: a report ready to post as a pull-request comment.

use super::{Document, blocks, summary};

/// Renders a document as Markdown.
pub fn render(doc: &Document) -> String {
    blocks::markdown(&summary::blocks(doc).1)
}
