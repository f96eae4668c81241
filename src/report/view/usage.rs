//! `usage`'s view: the workload observed usage describes, the model mix and the rows skipped.

use super::{Block, Grid, View};
use crate::engine::usage::Unavailable;
use crate::model::date::Date;
use crate::model::units::{fmt_count, fmt_share, fmt_tokens};
use crate::report::UsageReport;

/// A UTC time in seconds as its date and hour.
fn when(seconds: i64) -> String {
    let date = Date::from_days_since_epoch(seconds.div_euclid(86_400));
    format!("{date} {:02}:00", seconds.rem_euclid(86_400) / 3600)
}

/// Why a figure is missing, in words.
fn why(reason: Unavailable) -> &'static str {
    match reason {
        Unavailable::NotHourly => "- (the export's buckets are longer than an hour)",
        Unavailable::TooShort => "- (four weeks of data at least)",
        Unavailable::NoRequests => "- (the export counts no requests)",
    }
}

/// The summary's figures, one a row, each missing one with its reason.
fn figures(u: &UsageReport) -> Vec<Vec<String>> {
    let s = &u.summary;
    let missing = |field: &str| {
        s.unavailable
            .iter()
            .find(|m| m.field == field)
            .map_or("-", |m| why(m.reason))
            .to_string()
    };
    let mut rows = vec![
        vec![
            "Period (UTC)".into(),
            format!("{} to {}", when(s.period.from), when(s.period.to)),
        ],
        vec!["Tokens a month".into(), fmt_tokens(s.tokens_per_month)],
        vec![
            "Input / cached / output".into(),
            format!(
                "{} input ({} of it cached), {} output",
                fmt_share(s.input_share),
                fmt_share(s.cached_share),
                fmt_share(s.output_share)
            ),
        ],
        vec![
            "Requests a month".into(),
            s.requests_per_month
                .map_or_else(|| missing("requests_per_month"), fmt_count),
        ],
    ];
    if let Some(t) = s.tokens_per_request {
        rows.push(vec![
            "Mean request".into(),
            format!("{:.0} input + {:.0} output tokens", t.input, t.output),
        ]);
    }
    rows.push(vec![
        "Peak hour over the mean hour".into(),
        s.hourly.as_ref().map_or_else(
            || missing("hourly"),
            |h| {
                format!(
                    "{:.2} (99th-percentile hour {:.2})",
                    h.peak_to_average, h.p99_to_average
                )
            },
        ),
    ]);
    rows.push(vec![
        "Growth a month".into(),
        s.growth.map_or_else(
            || missing("growth"),
            |g| {
                format!(
                    "{} (r² {:.2} over {} days)",
                    fmt_share(g.per_month),
                    g.r_squared,
                    g.days
                )
            },
        ),
    ]);
    rows
}

/// The usage summary as a page.
pub fn usage(u: &UsageReport) -> View {
    let s = &u.summary;
    let title = format!(
        "Usage: {} file(s) ({}), {:.1} days",
        u.files.len(),
        u.formats.join(", "),
        s.period.days
    );
    let models = s
        .models
        .iter()
        .map(|m| {
            vec![
                m.model
                    .clone()
                    .unwrap_or_else(|| "(not grouped by model)".into()),
                m.catalog_id.clone().unwrap_or_else(|| "-".into()),
                fmt_tokens(m.tokens_per_month),
                fmt_share(m.share),
            ]
        })
        .collect();
    let mut blocks = vec![
        Block::Title(title.clone()),
        Block::Table(Grid::with_rows(&["", "Value"], &[], figures(u))),
        Block::Heading("Models".into()),
        Block::Table(Grid::with_rows(
            &["Model", "Catalog API", "Tokens a month", "Share"],
            &[2, 3],
            models,
        )),
    ];
    if !u.skipped.is_empty() {
        blocks.push(Block::Heading("Skipped rows".into()));
        blocks.push(Block::Bullets(
            u.skipped
                .iter()
                .map(|k| format!("{} with {} (the first at {})", k.count, k.reason, k.first))
                .collect(),
        ));
    }
    View { title, blocks }
}
