//! The view: every document as format-neutral blocks (a title, headings, paragraphs, lists,
//! tables, charts), so the terminal, Markdown and HTML show the same content in the same order.
//! A block says what it is, not how it looks: each renderer decides (`text`, `markdown`,
//! `html`), and colour on the terminal goes by block kind and by the tone the view gives a cell.

mod calibration;
mod catalog;
mod decision;
mod many;
mod outlook;
mod selfhost;
mod usage;

pub use usage::scenario as usage_scenario;

use super::Document;
use super::chart::Chart;

pub use decision::break_even;
pub use many::compared;

/// How a table cell reads at a glance, for colour on the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Passed, recommended.
    Good,
    /// Failed.
    Bad,
    /// Ruled out, missed.
    Warn,
}

/// A table: a header, rows of cells, the columns to right-align and the cells with a tone.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Grid {
    /// Column titles.
    pub header: Vec<String>,
    /// Right-aligned (numeric) columns, by index.
    pub right: Vec<usize>,
    /// The rows.
    pub rows: Vec<Vec<String>>,
    /// Cells with a tone: row, column, tone.
    pub tones: Vec<(usize, usize, Tone)>,
}

impl Grid {
    /// A grid with these column titles and right-aligned columns; `$/` in a title (`$/1M`,
    /// `$/GPU-h`) stands for the currency amounts are shown in.
    pub fn new(header: &[&str], right: &[usize]) -> Grid {
        let per = format!("{}/", crate::model::units::shown_symbol());
        Grid {
            header: header.iter().map(|h| h.replace("$/", &per)).collect(),
            right: right.to_vec(),
            ..Grid::default()
        }
    }

    /// A grid with a header, right-aligned columns and rows.
    pub fn with_rows(header: &[&str], right: &[usize], rows: Vec<Vec<String>>) -> Grid {
        Grid {
            rows,
            ..Grid::new(header, right)
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Gives the cell at `column` of the last row a tone.
    pub fn tone(&mut self, column: usize, tone: Tone) {
        if let Some(row) = self.rows.len().checked_sub(1) {
            self.tones.push((row, column, tone));
        }
    }
}

/// One piece of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The document's title.
    Title(String),
    /// A line under the title, as written (the workload in a line).
    Lead(String),
    /// A blank line on the terminal; nothing in page formats, which space their blocks.
    Gap,
    /// The verdict: the recommendation, or whether it changed.
    Verdict(String),
    /// A section heading.
    Heading(String),
    /// A paragraph of a section.
    Para(String),
    /// A paragraph outside any section.
    Plain(String),
    /// A bulleted list.
    Bullets(Vec<String>),
    /// The total of a cost build-up.
    Total(String),
    /// Notes about a section.
    Notes(Vec<String>),
    /// Warnings.
    Warnings(Vec<String>),
    /// A paragraph led by a label (`Does not fit:`).
    Labeled {
        /// The label, with its colon.
        label: String,
        /// The text.
        text: String,
    },
    /// A table.
    Table(Grid),
    /// A chart (a text plot on the terminal, SVG in HTML).
    Chart {
        /// The chart.
        chart: Chart,
        /// What it shows.
        title: String,
    },
    /// The reproducibility stamp: tool, pricing hash, input files. Archived documents
    /// (Markdown, HTML) carry it; the terminal's Pricing data section shows the same profile.
    Stamp(Vec<String>),
}

/// A document as blocks, with the title page formats show.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// The title.
    pub title: String,
    /// The blocks, in order.
    pub blocks: Vec<Block>,
}

impl View {
    /// Whether the blocks open with their own title (else page formats show `title`).
    pub fn titled(&self) -> bool {
        matches!(self.blocks.first(), Some(Block::Title(_)))
    }

    /// The view with every text passed through `f` (a sink's escaping); charts escape their
    /// own labels.
    pub fn map_text(&self, f: fn(&str) -> String) -> View {
        let all = |items: &[String]| items.iter().map(|i| f(i)).collect();
        let blocks = self
            .blocks
            .iter()
            .map(|b| match b {
                Block::Title(t) => Block::Title(f(t)),
                Block::Lead(t) => Block::Lead(f(t)),
                Block::Gap => Block::Gap,
                Block::Verdict(t) => Block::Verdict(f(t)),
                Block::Heading(t) => Block::Heading(f(t)),
                Block::Para(t) => Block::Para(f(t)),
                Block::Plain(t) => Block::Plain(f(t)),
                Block::Bullets(items) => Block::Bullets(all(items)),
                Block::Total(t) => Block::Total(f(t)),
                Block::Notes(items) => Block::Notes(all(items)),
                Block::Warnings(items) => Block::Warnings(all(items)),
                Block::Labeled { label, text } => Block::Labeled {
                    label: f(label),
                    text: f(text),
                },
                Block::Table(g) => Block::Table(Grid {
                    header: all(&g.header),
                    rows: g.rows.iter().map(|r| all(r)).collect(),
                    ..g.clone()
                }),
                Block::Chart { chart, title } => Block::Chart {
                    chart: chart.clone(),
                    title: f(title),
                },
                Block::Stamp(lines) => Block::Stamp(all(lines)),
            })
            .collect();
        View {
            title: f(&self.title),
            blocks,
        }
    }
}

/// A document's view; `None` for documents that are printed as they are (the starter
/// scenario, a completion script).
pub fn view(doc: &Document, sections: Option<&[crate::model::output::Section]>) -> Option<View> {
    Some(match doc {
        Document::Decision(r) => decision::decision(r, sections),
        Document::Crossover(s) => decision::crossover(s),
        Document::Compare(c) => many::compare(c),
        Document::Check(c) => many::check(c),
        Document::Diff(d) => many::diff(d),
        Document::List(l) => catalog::list(l),
        Document::Capacity(c) => catalog::capacity(c),
        Document::Calibration(c) => calibration::calibration(c),
        Document::Usage(u) => usage::usage(u),
        Document::Validation(v) => catalog::validation(v),
        Document::Import(i) => catalog::import(i),
        Document::PricingDiff(d) => many::pricing_diff(d),
        Document::Text(_) => return None,
    })
}

/// Adds a row with a check's result inserted at `column`, toned.
fn result_row(g: &mut Grid, mut cells: Vec<String>, column: usize, passed: bool) {
    cells.insert(column, if passed { "pass" } else { "FAIL" }.into());
    g.row(cells);
    g.tone(column, if passed { Tone::Good } else { Tone::Bad });
}
