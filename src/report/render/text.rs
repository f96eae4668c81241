//! The terminal renderer: a view's blocks as text, prose wrapped at 100 columns (or the
//! terminal's width when narrower), with tables drawn by comfy-table to fit the terminal's
//! width, wrapping inside cells. With colour on, the title and headings are bold, the verdict green, and the
//! table cells the view gave a tone are green, red or yellow; colour goes by block kind and
//! tone, never by reading the rendered text back.

use crate::report::view::{Block, Grid, Tone, View};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};

/// Width the text renderer wraps prose at, and the width of tables when the terminal's is not
/// known.
pub const WIDTH: usize = 100;

/// The narrowest width tables are fitted to: below it a table's borders and headers alone fill
/// the line.
pub const MIN_WIDTH: usize = 40;

const BOLD: &str = "\x1b[1m";
const GREEN: &str = "\x1b[1;32m";
const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

/// `text` in a style, reset after.
pub fn paint(style: &str, text: &str) -> String {
    format!("{style}{text}{RESET}")
}

fn tone_style(t: Tone) -> &'static str {
    match t {
        Tone::Good => GREEN,
        Tone::Bad => RED,
        Tone::Warn => YELLOW,
    }
}

/// A view as terminal text whose tables fit `width` columns; `color` adds ANSI styles. Text
/// from inputs carries no control character (see `escape::terminal`).
pub fn render(view: &View, color: bool, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let prose = width.min(WIDTH);
    let view = &view.map_text(super::escape::terminal);
    let mut out = String::new();
    for b in &view.blocks {
        let text = match b {
            Block::Title(t) => paint_lines(&wrap("", t, prose), BOLD, color),
            Block::Lead(t) | Block::Plain(t) => wrap("", t, prose),
            Block::Gap => "\n".to_string(),
            Block::Verdict(t) => paint_lines(&wrap("", t, prose), GREEN, color),
            Block::Heading(t) => {
                let lines = wrap("", t, prose);
                let rule = lines.lines().map(|l| l.chars().count()).max().unwrap_or(0);
                format!(
                    "\n{}{}\n",
                    paint_lines(&lines, BOLD, color),
                    "-".repeat(rule)
                )
            }
            Block::Para(t) => wrap("  ", t, prose),
            Block::Bullets(items) => items.iter().map(|i| wrap("  - ", i, prose)).collect(),
            Block::Total(t) => wrap("  = ", t, prose),
            Block::Notes(items) => items.iter().map(|i| wrap("  note: ", i, prose)).collect(),
            Block::Warnings(items) => items.iter().map(|i| wrap("warning: ", i, prose)).collect(),
            Block::Labeled { label, text } => wrap(&format!("{label} "), text, prose),
            Block::Table(g) => table(g, color, width),
            Block::Chart { chart, .. } => chart.text(64, 16),
            Block::Stamp(_) => String::new(),
        };
        out.push_str(&text);
    }
    out
}

/// Each line of `text` in `style`, when colour is on.
fn paint_lines(text: &str, style: &str, color: bool) -> String {
    if !color {
        return text.to_string();
    }
    text.lines()
        .map(|l| format!("{}\n", paint(style, l)))
        .collect()
}

/// A grid as a terminal table fitted to `width` columns (long cells wrap inside their
/// column), with a trailing newline; toned cells styled after layout, so the column widths are
/// those of the plain text. A table whose rows wrapped is left unstyled: its tones are kept to
/// one line a row.
pub fn table(g: &Grid, color: bool, width: usize) -> String {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(u16::try_from(width).unwrap_or(u16::MAX));
    t.set_header(g.header.clone());
    for row in &g.rows {
        t.add_row(row.clone());
    }
    for &i in &g.right {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    let text = format!("{t}\n");
    if !color || g.tones.is_empty() {
        return text;
    }
    // The rendered lines: top border, header, rule, then one line per row (and the bottom
    // border, and the empty string after the last newline).
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    if lines.len() != g.rows.len() + 5 {
        return text;
    }
    for &(row, column, tone) in &g.tones {
        let (Some(line), Some(cell)) = (lines.get_mut(3 + row), g.rows[row].get(column)) else {
            continue;
        };
        *line = paint_cell(line, column, cell, tone_style(tone));
    }
    lines.join("\n")
}

/// The line with the `column`-th cell's text styled.
fn paint_cell(line: &str, column: usize, cell: &str, style: &str) -> String {
    let mut start = 0;
    for (n, (i, _)) in line
        .char_indices()
        .filter(|(_, c)| matches!(c, '│' | '┆'))
        .enumerate()
    {
        if n == column + 1 {
            let segment = &line[start..i];
            if let Some(at) = segment.find(cell) {
                let at = start + at;
                return format!(
                    "{}{}{}",
                    &line[..at],
                    paint(style, cell),
                    &line[at + cell.len()..]
                );
            }
            break;
        }
        start = i;
    }
    line.to_string()
}

/// A stderr line with its lead word coloured: a failed check red, a warning yellow.
pub fn message(m: &crate::Message) -> String {
    let style = match m.kind {
        crate::MessageKind::CheckFailed { warn_only: false } => RED,
        crate::MessageKind::CheckFailed { warn_only: true } | crate::MessageKind::Warning => YELLOW,
        crate::MessageKind::Info => return super::escape::terminal_lines(&m.text),
    };
    format!(
        "{} {}",
        paint(style, m.lead().trim_end()),
        super::escape::terminal_lines(&m.text)
    )
}

/// Wraps `text` at [`WIDTH`] columns, as [`wrap`] does.
pub fn bullet(first: &str, text: &str) -> String {
    wrap(first, text, WIDTH)
}

/// Wraps `text` at `width` columns; the first line starts with `first`, later lines with
/// as many spaces.
pub fn wrap(first: &str, text: &str, width: usize) -> String {
    let indent = " ".repeat(first.chars().count());
    let mut out = String::new();
    let mut line = first.to_string();
    let mut line_len = first.chars().count();
    let mut empty = true;
    // ASCII whitespace only: a no-break space keeps a currency code with its amount.
    for word in text.split_ascii_whitespace() {
        let len = word.chars().count();
        if !empty && line_len + 1 + len > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line.clone_from(&indent);
            line_len = indent.len();
            empty = true;
        }
        if !empty {
            line.push(' ');
            line_len += 1;
        }
        line.push_str(word);
        line_len += len;
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_with_hanging_indent() {
        let text = "word ".repeat(30);
        let out = bullet("  - ", &text);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("  - word"));
        assert!(lines[1].starts_with("    word"));
        assert!(lines.iter().all(|l| l.chars().count() <= WIDTH));
    }

    #[test]
    fn colour_goes_by_kind_and_tone_and_keeps_the_text() {
        let mut g = Grid::new(&["Check", "Result"], &[]);
        g.row(vec!["cost".into(), "FAIL".into()]);
        g.tone(1, Tone::Bad);
        g.row(vec!["FAIL".into(), "pass".into()]);
        g.tone(1, Tone::Good);
        let view = View {
            title: "t".into(),
            blocks: vec![
                Block::Title("llm-decide: x".into()),
                Block::Verdict("Recommendation: API, $1 a month".into()),
                Block::Heading("Checks".into()),
                Block::Table(g),
            ],
        };
        let plain = render(&view, false, WIDTH);
        let styled = render(&view, true, WIDTH);
        assert!(styled.contains("\x1b[1;32mRecommendation: API, $1 a month\x1b[0m"));
        assert!(styled.contains("\x1b[1mChecks\x1b[0m\n------"));
        // Only the toned cell is red: the same word in another column is not.
        assert!(styled.contains("│ cost  ┆ \x1b[1;31mFAIL\x1b[0m   │"));
        assert!(styled.contains("│ FAIL  ┆ \x1b[1;32mpass\x1b[0m   │"));
        let unstyled: String = styled
            .split('\x1b')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once('m').map_or(part, |(_, r)| r)
                }
            })
            .collect();
        assert_eq!(unstyled, plain);
        assert_eq!(
            message(&crate::Message::warning("old")),
            "\x1b[33mwarning:\x1b[0m old"
        );
        assert_eq!(message(&crate::Message::info("plain")), "plain");
    }

    /// Tables fit the width asked for, wrapping inside cells; prose wraps at the narrower of
    /// that width and 100; a width below 40 is taken as 40.
    #[test]
    fn tables_and_prose_fit_the_width() {
        let mut g = Grid::new(&["Option", "What", "Cost"], &[2]);
        let long = "1 replica of a model with a long name on 8 x a GPU with a long name too";
        g.row(vec!["Self-host".into(), long.into(), "$10,284".into()]);
        g.tone(2, Tone::Good);
        let view = View {
            title: "t".into(),
            blocks: vec![
                Block::Lead("word ".repeat(40)),
                Block::Heading("A heading ".repeat(12)),
                Block::Table(g),
            ],
        };
        // (width asked, widest line allowed, whether the table fits on one line a row)
        for (width, widest, one_line) in [
            (200, 100, true),
            (100, 100, true),
            (60, 60, false),
            (10, 40, false),
        ] {
            let out = render(&view, true, width);
            let plain: String = out
                .replace("\x1b[1;32m", "")
                .replace("\x1b[1m", "")
                .replace("\x1b[0m", "");
            let longest = plain.lines().map(|l| l.chars().count()).max().unwrap();
            assert!(longest <= widest, "{width}: {longest}\n{plain}");
            assert_eq!(plain.contains("│ Self-host ┆ 1 replica of a model with a long name on 8 x a GPU with a long name too ┆"), one_line, "{width}");
            // A toned cell is styled only where every row is one line.
            assert_eq!(
                out.contains("\x1b[1;32m$10,284\x1b[0m"),
                one_line,
                "{width}"
            );
        }
    }
}
