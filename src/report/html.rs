//! The HTML renderer: one self-contained page (inline style, no scripts, no external
//! resources).

use super::{Document, blocks, summary};

/// Renders a document as an HTML page.
pub fn render(doc: &Document) -> String {
    let (title, body) = summary::blocks(doc);
    blocks::html(&title, &body)
}
