//! Format-neutral pieces of a report (headings, prose, lists, tables) and their text,
//! Markdown and HTML renderings, so every human-readable format shows the same content.

use super::text::{bullet, heading};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};

/// A table: a header, rows of cells and the columns to right-align.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Grid {
    /// Column titles.
    pub header: Vec<String>,
    /// Right-aligned (numeric) columns, by index.
    pub right: Vec<usize>,
    /// The rows.
    pub rows: Vec<Vec<String>>,
}

impl Grid {
    /// A grid with these column titles and right-aligned columns.
    pub fn new(header: &[&str], right: &[usize]) -> Grid {
        Grid {
            header: header.iter().map(|h| (*h).to_string()).collect(),
            right: right.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The grid as a terminal table, with a trailing newline.
    pub fn text(&self) -> String {
        let mut t = Table::new();
        t.load_style(UTF8_FULL_CONDENSED);
        t.set_header(self.header.clone());
        for row in &self.rows {
            t.add_row(row.clone());
        }
        for &i in &self.right {
            if let Some(c) = t.column_mut(i) {
                c.set_cell_alignment(CellAlignment::Right);
            }
        }
        format!("{t}\n")
    }

    /// The grid as a Markdown table.
    pub fn markdown(&self) -> String {
        let cell = |c: &str| c.replace('|', "\\|").replace('\n', " ");
        let mut out = format!(
            "| {} |\n|",
            self.header
                .iter()
                .map(|h| cell(h))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        for i in 0..self.header.len() {
            out.push_str(if self.right.contains(&i) {
                " ---: |"
            } else {
                " --- |"
            });
        }
        out.push('\n');
        for row in &self.rows {
            out.push_str(&format!(
                "| {} |\n",
                row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
            ));
        }
        out
    }

    /// The grid as an HTML table.
    pub fn html(&self) -> String {
        let class = |i: usize| {
            if self.right.contains(&i) {
                " class=\"num\""
            } else {
                ""
            }
        };
        let mut out = String::from("<table>\n<thead><tr>");
        for (i, h) in self.header.iter().enumerate() {
            out.push_str(&format!("<th{}>{}</th>", class(i), escape(h)));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &self.rows {
            out.push_str("<tr>");
            for (i, c) in row.iter().enumerate() {
                out.push_str(&format!("<td{}>{}</td>", class(i), escape(c)));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
        out
    }
}

/// One piece of a report.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The document title.
    Title(String),
    /// A section heading.
    Heading(String),
    /// A paragraph.
    Para(String),
    /// A paragraph to stress (the recommendation, a verdict).
    Strong(String),
    /// A bulleted list.
    Bullets(Vec<String>),
    /// A table.
    Table(Grid),
    /// A picture (HTML only; other formats show the table it is drawn from).
    Svg(String),
}

/// Blocks as terminal text.
pub fn text(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Title(t) => out.push_str(&format!("{t}\n")),
            Block::Heading(t) => out.push_str(&heading(t)),
            // The terminal has no emphasis to spare: a stressed paragraph is a paragraph.
            Block::Para(t) | Block::Strong(t) => out.push_str(&bullet("", t)),
            Block::Bullets(items) => items.iter().for_each(|i| out.push_str(&bullet("  - ", i))),
            Block::Table(g) => out.push_str(&g.text()),
            Block::Svg(_) => {}
        }
    }
    out
}

/// Blocks as Markdown.
pub fn markdown(blocks: &[Block]) -> String {
    let mut parts = Vec::new();
    for b in blocks {
        match b {
            Block::Title(t) => parts.push(format!("## {}\n", md_escape(t))),
            Block::Heading(t) => parts.push(format!("### {}\n", md_escape(t))),
            Block::Para(t) => parts.push(format!("{}\n", md_escape(t))),
            Block::Strong(t) => parts.push(format!("**{}**\n", md_escape(t))),
            Block::Bullets(items) => parts.push(
                items
                    .iter()
                    .map(|i| format!("- {}\n", md_escape(i)))
                    .collect(),
            ),
            Block::Table(g) => parts.push(g.markdown()),
            Block::Svg(_) => {}
        }
    }
    parts.join("\n")
}

/// Escapes the characters Markdown would read as markup in prose.
fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '_' | '`' | '<' | '[' | ']' | '|' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1d2330;line-height:1.45}\
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #d8dce6;padding-bottom:.2em}\
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}th,td{border:1px solid #d8dce6;padding:.3em .6em;text-align:left;vertical-align:top}\
th{background:#f1f3f8}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\
p.strong{font-size:1.15em;font-weight:600;background:#eef5ee;border-left:4px solid #3a7d44;padding:.5em .8em}\
svg{max-width:100%;height:auto}footer{margin-top:2em;color:#667;font-size:.85em}";

/// Blocks as one self-contained HTML page: no scripts, no external resources.
pub fn html(title: &str, blocks: &[Block]) -> String {
    let mut body = String::new();
    for b in blocks {
        match b {
            Block::Title(t) => body.push_str(&format!("<h1>{}</h1>\n", escape(t))),
            Block::Heading(t) => body.push_str(&format!("<h2>{}</h2>\n", escape(t))),
            Block::Para(t) => body.push_str(&format!("<p>{}</p>\n", escape(t))),
            Block::Strong(t) => body.push_str(&format!("<p class=\"strong\">{}</p>\n", escape(t))),
            Block::Bullets(items) => {
                body.push_str("<ul>\n");
                for i in items {
                    body.push_str(&format!("<li>{}</li>\n", escape(i)));
                }
                body.push_str("</ul>\n");
            }
            Block::Table(g) => body.push_str(&g.html()),
            Block::Svg(svg) => body.push_str(svg),
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}<footer>{} {}</footer>\n</body>\n</html>\n",
        escape(title),
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Grid {
        let mut g = Grid::new(&["Option", "Cost"], &[1]);
        g.row(vec!["API | batch".into(), "$1,000".into()]);
        g
    }

    #[test]
    fn markdown_tables_escape_pipes_and_align_numbers() {
        assert_eq!(
            grid().markdown(),
            "| Option | Cost |\n| --- | ---: |\n| API \\| batch | $1,000 |\n"
        );
    }

    #[test]
    fn html_escapes_text() {
        let page = html(
            "a<b",
            &[Block::Para("x & \"y\"".into()), Block::Table(grid())],
        );
        assert!(page.contains("<title>a&lt;b</title>"));
        assert!(page.contains("<p>x &amp; &quot;y&quot;</p>"));
        assert!(page.contains("<td class=\"num\">$1,000</td>"));
        assert!(!page.contains("<script"));
    }

    #[test]
    fn markdown_escapes_markup_in_prose() {
        assert_eq!(
            markdown(&[Block::Para("a_b *c*".into())]),
            "a\\_b \\*c\\*\n"
        );
    }
}
