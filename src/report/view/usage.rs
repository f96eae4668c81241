//! `usage`'s view: the workload observed usage describes, the model mix and the rows skipped.

use super::{Block, Grid, View};
use crate::engine::usage::Unavailable;
use crate::model::date::Date;
use crate::model::units::{fmt_count, fmt_share, fmt_tokens};
use crate::report::UsageReport;

/// A UTC time in seconds as its date and hour.
fn when(seconds: i64) -> String {
    format!(
        "{} {:02}:00",
        Date::at_seconds(seconds),
        seconds.rem_euclid(86_400) / 3600
    )
}

/// Why a figure is missing, in words.
fn why(reason: Unavailable) -> &'static str {
    match reason {
        Unavailable::NotHourly => "- (the export's buckets are longer than an hour)",
        Unavailable::TooShort => "- (four weeks of data at least)",
        Unavailable::NoRequests => "- (the export counts no requests)",
        Unavailable::NoFullMonth => "- (the period covers no calendar month whole)",
        Unavailable::NoCacheCounts => "- (the export counts no cached input)",
        Unavailable::NotPerRequest => "- (the export has no row a request)",
    }
}

/// Request lengths' percentiles, input then output.
fn lengths(l: crate::engine::usage::RequestLengths) -> String {
    let q = |q: crate::engine::usage::Quantiles| {
        format!("{:.0} / {:.0} / {:.0} / {:.0}", q.p50, q.p90, q.p99, q.max)
    };
    format!("input {}; output {}", q(l.input), q(l.output))
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
            "Last full calendar month".into(),
            s.last_full_month.as_ref().map_or_else(
                || missing("last_full_month"),
                |m| format!("{}: {}", m.month, fmt_tokens(m.tokens)),
            ),
        ],
        vec![
            "Input / cached / output".into(),
            format!(
                "{} input ({}), {} output",
                fmt_share(s.input_share),
                s.cached_share.map_or_else(
                    || "cached share not counted".to_string(),
                    |c| format!("{} of it cached", fmt_share(c))
                ),
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
        "Request length (p50 / p90 / p99 / max)".into(),
        s.request_lengths
            .map_or_else(|| missing("request_lengths"), lengths),
    ]);
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
    let span = if s.period.days < 1.0 {
        format!("{:.0} hour(s)", s.period.days * 24.0)
    } else {
        format!("{:.1} days", s.period.days)
    };
    let title = format!(
        "Usage: {} file(s) ({}), {span}",
        u.files.len(),
        u.formats.join(", "),
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
    if !u.excluded.is_empty() {
        blocks.push(Block::Heading("Rows left out".into()));
        blocks.push(Block::Bullets(
            u.excluded
                .iter()
                .map(|k| format!("{}: {} (the first at {})", k.reason, k.count, k.first))
                .collect(),
        ));
    }
    View { title, blocks }
}

/// The usage written as a scenario file: each value the summary gives, with where it came from
/// as comments; the APIs are the catalog's for the observed models, each with its share (one
/// `api` when only one is known), the traffic the week's hourly weights where the export is
/// hourly.
pub fn scenario(u: &UsageReport) -> String {
    use std::fmt::Write as _;
    let s = &u.summary;
    let mut out = format!(
        "# Written by `llm-decide usage` from {} ({}): {} to {} UTC, {:.1} days{}.\n",
        u.files.join(", "),
        u.formats.join(", "),
        when(s.period.from),
        when(s.period.to),
        s.period.days,
        match u.skipped.iter().map(|k| k.count).sum::<u64>() {
            0 => String::new(),
            n => format!("; {n} row(s) skipped"),
        }
    );
    out.push_str("version: 1\nname: Observed usage\n");
    let _ = writeln!(
        out,
        "# the period's tokens scaled to a 30.44-day month\ntokens_per_month: {:.0}",
        s.tokens_per_month
    );
    let _ = writeln!(out, "input_share: {:.4}", s.input_share);
    if let Some(c) = s.cached_share {
        let _ = writeln!(out, "# cached over input\ncached_input_share: {c:.4}");
    }
    if let Some(t) = s.tokens_per_request {
        let _ = writeln!(
            out,
            "# means over the period's requests\ninput_tokens_per_request: {:.0}\noutput_tokens_per_request: {:.0}",
            t.input, t.output
        );
    }
    if let Some(g) = s.growth {
        let _ = writeln!(
            out,
            "# least squares on the daily totals' logarithms, r² {:.2} over {} days\ngrowth_monthly: {:.4}",
            g.r_squared, g.days, g.per_month
        );
    }
    write_mix(&mut out, &s.models);
    if let Some(h) = &s.hourly {
        let weights: Vec<String> = h.week.iter().map(|w| format!("{:.3}", w * 168.0)).collect();
        let _ = writeln!(
            out,
            "traffic:\n  # tokens by hour of the week from Monday 00:00 UTC, the mean hour 1\n  profile: [{}]",
            weights.join(", ")
        );
    }
    out
}

/// The observed models as the scenario's `api` (one known) or `apis` (several), with the share
/// of tokens the catalog does not know said in the comment.
fn write_mix(out: &mut String, models: &[crate::engine::usage::ModelUsage]) {
    use std::fmt::Write as _;
    let (mix, unmapped) = crate::engine::usage::api_mix(models);
    let left_out = |priced_as: &str| {
        if unmapped > 0.0 {
            format!(
                "; {} of the tokens went to models the catalog does not know, priced as {priced_as}",
                fmt_share(unmapped)
            )
        } else {
            String::new()
        }
    };
    match mix.as_slice() {
        [] => {}
        [one] => {
            let _ = writeln!(
                out,
                "# the one API the catalog knows{}\napi: {}",
                left_out("this one"),
                one.api
            );
        }
        parts => {
            let _ = writeln!(
                out,
                "# each catalog API's share of the tokens{}\napis:",
                left_out("these in their shares")
            );
            for p in parts {
                let _ = writeln!(out, "  - {{api: {}, share: {:.4}}}", p.api, p.share);
            }
        }
    }
}
