//! The Markdown renderer: a view's blocks as a document ready to post as a pull-request
//! comment. Prose is escaped so text from inputs cannot become markup.

use crate::report::view::{Block, Grid, View};
use std::fmt::Write as _;

/// A view as Markdown.
pub fn render(view: &View) -> String {
    let mut parts = Vec::new();
    if !view.titled() {
        parts.push(format!("## {}\n", escape(&view.title)));
    }
    for b in &view.blocks {
        match b {
            Block::Title(t) => parts.push(format!("## {}\n", escape(t))),
            Block::Heading(t) => parts.push(format!("### {}\n", escape(t))),
            Block::Lead(t) | Block::Para(t) | Block::Plain(t) => {
                parts.push(format!("{}\n", escape(t)));
            }
            Block::Verdict(t) => parts.push(format!("**{}**\n", escape(t))),
            Block::Total(t) => parts.push(format!("**Total: {}**\n", escape(t))),
            Block::Labeled { label, text } => {
                parts.push(format!("**{}** {}\n", escape(label), escape(text)));
            }
            Block::Bullets(items) => parts.push(list(items, "")),
            Block::Notes(items) => parts.push(list(items, "Note: ")),
            Block::Warnings(items) => parts.push(list(items, "Warning: ")),
            Block::Table(g) => parts.push(table(g)),
            Block::Chart { chart, .. } => {
                parts.push(format!("```text\n{}```\n", chart.text(64, 16)));
            }
            Block::Stamp(lines) => {
                parts.push("### Reproducibility\n".to_string());
                parts.push(list(lines, ""));
            }
            Block::Gap => {}
        }
    }
    parts.join("\n")
}

fn list(items: &[String], lead: &str) -> String {
    items
        .iter()
        .map(|i| format!("- {lead}{}\n", escape(i)))
        .collect()
}

/// A grid as a Markdown table.
pub fn table(g: &Grid) -> String {
    let cell = |c: &str| super::escape::markdown_cell(c);
    let mut out = format!(
        "| {} |\n|",
        g.header
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    for i in 0..g.header.len() {
        out.push_str(if g.right.contains(&i) {
            " ---: |"
        } else {
            " --- |"
        });
    }
    out.push('\n');
    for row in &g.rows {
        let _ = writeln!(
            out,
            "| {} |",
            row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        );
    }
    out
}

/// Text from a view as Markdown prose or a table cell (see `escape::markdown`).
fn escape(text: &str) -> String {
    super::escape::markdown(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_escape_pipes_and_align_numbers() {
        let mut g = Grid::new(&["Option", "Cost"], &[1]);
        g.row(vec!["API | batch".into(), "$1,000".into()]);
        assert_eq!(
            table(&g),
            "| Option | Cost |\n| --- | ---: |\n| API \\| batch | $1,000 |\n"
        );
    }

    #[test]
    fn prose_is_escaped_and_untitled_views_get_their_title() {
        let view = View {
            title: "llm-decide list apis".into(),
            blocks: vec![Block::Para("a_b *c*".into())],
        };
        assert_eq!(render(&view), "## llm-decide list apis\n\na\\_b \\*c\\*\n");
    }
}
