//! Documents about many scenario files: `compare`'s scenarios side by side and `check`'s files
//! checked against their budgets, and how their long lists are written item by item in the
//! formats that stream (JSON, CSV) so that nothing holds every report at once.

use super::{CatalogStamp, Document, Report, csv, json, view};
use crate::engine::decision::check::CheckResult;
use crate::model::Named;
use crate::model::catalog::Catalog;
use crate::model::date::Date;
use crate::model::decision::Choice;
use crate::model::output::{Format, Metric};
use serde::Serialize;

/// Scenarios side by side: what the views show of each. In JSON and CSV, `compare` writes each
/// scenario's whole report into the document's list as it is decided ([`item`]), so there a
/// comparison renders as the frame around that list ([`frame`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// One summary per scenario, in display order.
    pub scenarios: Vec<Compared>,
    /// Rows to show; empty: all.
    pub metrics: Vec<Metric>,
}

/// One scenario of a comparison: its name and file, the figures `--sort` orders by, its
/// recommendation in words (the `--quiet` line), and what the side-by-side views show.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared {
    /// The scenario's name.
    pub name: String,
    /// The file it came from.
    pub file: Option<String>,
    /// Tokens a month.
    pub tokens_per_month: f64,
    /// The recommendation's monthly cost, USD.
    pub monthly_cost_usd: f64,
    /// The break-even volume, if any.
    pub crossover_tokens_per_month: Option<f64>,
    /// The recommendation in words.
    pub recommendation: String,
    /// Each metric shown: its label and its value as shown (amounts in the display currency in
    /// force when the summary was made).
    pub cells: Vec<(&'static str, String)>,
    /// The reasons that favor the recommendation, as shown.
    pub reasons: Vec<String>,
}

impl Compared {
    /// A report's summary, with the cells of the `shown` metrics and the reasons; with `None`
    /// (formats that write whole reports), without either.
    pub fn of(r: &Report, shown: Option<&[Metric]>) -> Compared {
        view::compared(r, shown)
    }
}

impl Comparison {
    /// A comparison of whole reports, as the views show it.
    pub fn of(reports: &[Report], metrics: Vec<Metric>) -> Comparison {
        let shown = Comparison::rows_of(&metrics);
        Comparison {
            scenarios: reports
                .iter()
                .map(|r| Compared::of(r, Some(&shown)))
                .collect(),
            metrics,
        }
    }

    /// A title per scenario: its name, with its file when another scenario has the same name,
    /// and a number when the same file is there twice.
    pub fn titles(&self) -> Vec<String> {
        let with_file: Vec<String> = self
            .scenarios
            .iter()
            .map(|s| {
                let shared = self.scenarios.iter().filter(|o| o.name == s.name).count() > 1;
                match &s.file {
                    Some(f) if shared => format!("{} ({f})", s.name),
                    _ => s.name.clone(),
                }
            })
            .collect();
        with_file
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let same = with_file.iter().filter(|o| *o == t).count();
                if same > 1 {
                    let nth = with_file[..=i].iter().filter(|o| *o == t).count();
                    format!("{t} #{nth}")
                } else {
                    t.clone()
                }
            })
            .collect()
    }

    /// The rows to show of `metrics` (empty: all).
    pub fn rows_of(metrics: &[Metric]) -> Vec<Metric> {
        if metrics.is_empty() {
            Metric::ALL.to_vec()
        } else {
            metrics.to_vec()
        }
    }
}

/// How `--sort KEY` orders two scenarios: by `name`, `tokens`, `cost` (the recommended monthly
/// cost) or `crossover` (never last). A stable sort keeps ties in their order.
pub fn order(key: &str, a: &Compared, b: &Compared) -> std::cmp::Ordering {
    let num = |s: &Compared| -> f64 {
        match key {
            "tokens" => s.tokens_per_month,
            "cost" => s.monthly_cost_usd,
            _ => s.crossover_tokens_per_month.unwrap_or(f64::INFINITY),
        }
    };
    if key == "name" {
        a.name.cmp(&b.name)
    } else {
        num(a).total_cmp(&num(b))
    }
}

/// One item of a document's long list (a scenario of `compare` or `check`) as the format
/// writes it, for the formats that write those lists item by item ([`streams`]): JSON, an
/// element of the list (indented, no separator); CSV, its rows.
pub fn item(item: Item<'_>, format: Format) -> String {
    match (item, format) {
        (Item::Report(r), Format::Csv) => csv::report_rows(r),
        (Item::Checked(c), Format::Csv) => csv::checked_rows(c),
        (Item::Report(r), _) => json::list_item(json::report(r)),
        (Item::Checked(c), _) => json::list_item(json::checked(c)),
    }
}

/// An item of a long list.
#[derive(Debug, Clone, Copy)]
pub enum Item<'a> {
    /// A scenario's whole report (`compare`).
    Report(&'a Report),
    /// A scenario file checked (`check`).
    Checked(&'a Checked),
}

/// Whether a format writes `compare`'s and `check`'s lists item by item: JSON and CSV.
pub fn streams(format: Format) -> bool {
    matches!(format, Format::Json | Format::Csv)
}

/// A document written around its one long list, whose items come separately ([`item`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// The text before the items (JSON: through the list's `[`).
    pub head: String,
    /// The text after them (JSON: from the list's `]`).
    pub tail: String,
    /// JSON: the items are the list's elements, one a line after `[`, joined by commas; else
    /// they follow one another.
    pub json: bool,
}

/// The frame of a `compare` or `check` document whose list (`scenarios`) is empty here, in a
/// format that [`streams`].
pub fn frame(doc: &Document, format: Format, settings: &crate::model::output::Settings) -> Frame {
    if format == Format::Csv {
        return Frame {
            head: csv::render(doc),
            tail: String::new(),
            json: false,
        };
    }
    let mut head = json::render_with(doc, settings);
    // The list is a top-level key, so it is the one `"scenarios": []` at an indent of two.
    let cut = head
        .find("\n  \"scenarios\": []")
        .map_or(head.len(), |at| at + "\n  \"scenarios\": [".len());
    let tail = head.split_off(cut);
    Frame {
        head,
        tail,
        json: true,
    }
}

/// Scenario files checked against their budgets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    /// The pricing data used.
    pub pricing: CatalogStamp,
    /// One entry per file, in path order.
    pub scenarios: Vec<Checked>,
    /// Whether every check of every file passed.
    pub passed: bool,
    /// Things the user should know (stale prices).
    pub warnings: Vec<String>,
}

impl CheckReport {
    /// A report over checked scenarios.
    pub fn new(catalog: &Catalog, scenarios: Vec<Checked>) -> CheckReport {
        CheckReport {
            pricing: CatalogStamp::of(catalog),
            passed: scenarios.iter().all(|s| s.passed),
            scenarios,
            warnings: Vec::new(),
        }
    }
}

/// One scenario file checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Checked {
    /// The file.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// The scenario's name.
    pub name: String,
    /// Tokens a month.
    pub tokens_per_month: f64,
    /// The recommendation.
    pub choice: Choice,
    /// Its hybrid pattern, if any.
    pub pattern: Option<crate::model::decision::Pattern>,
    /// Its monthly cost, USD.
    pub monthly_cost_usd: f64,
    /// The oldest `checked` date among the prices used.
    pub oldest_price_checked: Option<Date>,
    /// The checks, in a fixed order.
    pub checks: Vec<CheckResult>,
    /// Whether every check passed (true when there are none).
    pub passed: bool,
}

impl Checked {
    /// A scenario file's report with the results of its checks.
    pub fn new(file: &str, report: &Report, checks: Vec<CheckResult>) -> Checked {
        let a = &report.analysis;
        Checked {
            file: file.to_string(),
            sha256: report
                .inputs
                .first()
                .map_or_else(String::new, |i| i.sha256.clone()),
            name: a.workload.name.clone(),
            tokens_per_month: a.workload.tokens_per_month,
            choice: a.recommendation.choice,
            pattern: a.recommendation.pattern,
            monthly_cost_usd: a.recommendation.monthly_cost_usd,
            oldest_price_checked: report.pricing.oldest_price_checked,
            passed: checks.iter().all(|c| c.passed),
            checks,
        }
    }
}
