//! The HTML renderer: a view's blocks as one self-contained page (inline style, no scripts,
//! no external resources); charts as inline SVG. Text from inputs is escaped.

use crate::report::view::{Block, Grid, View};
use std::fmt::Write;

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1d2330;line-height:1.45}\
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #d8dce6;padding-bottom:.2em}\
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}th,td{border:1px solid #d8dce6;padding:.3em .6em;text-align:left;vertical-align:top}\
th{background:#f1f3f8}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\
p.strong{font-size:1.15em;font-weight:600;background:#eef5ee;border-left:4px solid #3a7d44;padding:.5em .8em}\
svg{max-width:100%;height:auto}footer{margin-top:2em;color:#667;font-size:.85em}";

/// A view as an HTML page.
pub fn render(view: &View) -> String {
    let mut body = String::new();
    if !view.titled() {
        let _ = writeln!(body, "<h1>{}</h1>", escape(&view.title));
    }
    for b in &view.blocks {
        block(&mut body, b);
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}<footer>{} {}</footer>\n</body>\n</html>\n",
        escape(&view.title),
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
    )
}

fn block(body: &mut String, b: &Block) {
    let _ = match b {
        Block::Title(t) => writeln!(body, "<h1>{}</h1>", escape(t)),
        Block::Heading(t) => writeln!(body, "<h2>{}</h2>", escape(t)),
        Block::Lead(t) | Block::Para(t) | Block::Plain(t) => {
            writeln!(body, "<p>{}</p>", escape(t))
        }
        Block::Verdict(t) => writeln!(body, "<p class=\"strong\">{}</p>", escape(t)),
        Block::Total(t) => writeln!(body, "<p><strong>Total: {}</strong></p>", escape(t)),
        Block::Labeled { label, text } => writeln!(
            body,
            "<p><strong>{}</strong> {}</p>",
            escape(label),
            escape(text)
        ),
        Block::Bullets(items) => list(body, items, ""),
        Block::Notes(items) => list(body, items, "Note: "),
        Block::Warnings(items) => list(body, items, "Warning: "),
        Block::Table(g) => {
            body.push_str(&table(g));
            Ok(())
        }
        Block::Chart { chart, title } => {
            body.push_str(&chart.svg(title, 760.0, 400.0));
            Ok(())
        }
        Block::Stamp(lines) => {
            let _ = writeln!(body, "<h2>Reproducibility</h2>");
            list(body, lines, "")
        }
        Block::Gap => Ok(()),
    };
}

fn list(body: &mut String, items: &[String], lead: &str) -> std::fmt::Result {
    body.push_str("<ul>\n");
    for i in items {
        writeln!(body, "<li>{lead}{}</li>", escape(i))?;
    }
    body.push_str("</ul>\n");
    Ok(())
}

/// A grid as an HTML table, numeric columns right-aligned.
pub fn table(g: &Grid) -> String {
    let class = |i: usize| {
        if g.right.contains(&i) {
            " class=\"num\""
        } else {
            ""
        }
    };
    let mut out = String::from("<table>\n<thead><tr>");
    for (i, h) in g.header.iter().enumerate() {
        let _ = write!(out, "<th{}>{}</th>", class(i), escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &g.rows {
        out.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            let _ = write!(out, "<td{}>{}</td>", class(i), escape(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// Escapes text for HTML (see `escape::html`).
pub fn escape(text: &str) -> String {
    super::escape::html(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text() {
        let mut g = Grid::new(&["Option", "Cost"], &[1]);
        g.row(vec!["a".into(), "$1,000".into()]);
        let page = render(&View {
            title: "a<b".into(),
            blocks: vec![Block::Para("x & \"y\"".into()), Block::Table(g)],
        });
        assert!(page.contains("<title>a&lt;b</title>"));
        assert!(page.contains("<h1>a&lt;b</h1>"));
        assert!(page.contains("<p>x &amp; &quot;y&quot;</p>"));
        assert!(page.contains("<td class=\"num\">$1,000</td>"));
        assert!(!page.contains("<script"));
    }
}
