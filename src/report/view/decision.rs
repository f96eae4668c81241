//! The decision as blocks: the workload and the recommendation, the checks, the options, the
//! hybrid plans, latency, the reasons and the options not chosen, the break-even volume and
//! the volume table, the outlook, the self-host cost build-up, the assumptions and the
//! pricing data; and the crossover sweep.

use super::{Block, Grid, Tone, View, many, outlook, selfhost};
use crate::engine::Analysis;
use crate::engine::ApiOption;
use crate::engine::analysis::{Unit, VolumeRow};
use crate::engine::decision::hybrid::{HybridPlan, Side};
use crate::engine::selfhost::search::RejectionKind;
use crate::engine::serving::latency::{Component, LatencyEstimate, Origin};
use crate::model::Named;
use crate::model::decision::Winner;
use crate::model::output::Section;
use crate::model::units::{fmt_ms, fmt_rate, fmt_share, fmt_tokens, fmt_usd, fmt_usd_per_mtok};
use crate::model::workload::{LatencyMetric, LatencyTarget, Percentile};
use crate::report::Sweep;
use crate::report::chart::costs as chart;
use crate::report::{Report, words};
use std::fmt::Write as _;

/// One decision.
pub fn decision(r: &Report, sections: Option<&[Section]>) -> View {
    let a = &r.analysis;
    let rec = &a.recommendation;
    let shown = |s: Section| sections.is_none_or(|list| list.contains(&s));
    let mut out = head(a);
    if !r.checks.is_empty() {
        out.push(Block::Heading("Checks".into()));
        out.push(Block::Table(many::checks_grid(&r.checks, None)));
    }
    out.push(Block::Heading("Options".into()));
    out.push(Block::Table(options_grid(a)));
    if !a.workload.apis.is_empty() {
        out.push(Block::Heading("API mix".into()));
        out.push(Block::Table(mix_grid(a)));
    }
    if !a.hybrids.is_empty() {
        out.push(Block::Heading("Hybrid plans".into()));
        out.push(Block::Bullets(
            a.hybrids.iter().map(words::decision::hybrid).collect(),
        ));
    }
    if shown(Section::Latency) {
        out.extend(latency(a));
    }
    out.push(Block::Heading("Why".into()));
    out.push(Block::Bullets(
        rec.reasons
            .iter()
            .map(|x| words::decision::reason(x, a))
            .collect(),
    ));
    if shown(Section::Alternatives) && !rec.alternatives.is_empty() {
        out.push(Block::Heading("Not chosen".into()));
        out.push(Block::Bullets(
            rec.alternatives
                .iter()
                .map(|alt| {
                    format!(
                        "{}, {} a month: {}.",
                        words::option(alt.choice, alt.pattern),
                        fmt_usd(alt.monthly_cost_usd),
                        words::decision::why_not(alt, a)
                    )
                })
                .collect(),
        ));
    }
    out.push(Block::Heading("Break-even".into()));
    out.push(Block::Para(break_even(a)));
    out.push(Block::Para(words::decision::revisit(&rec.revisit, a)));
    out.extend(details(r, sections));
    View {
        title: title(a),
        blocks: out,
    }
}

/// The sections after the break-even volume that `sections` shows (`None`: all), the
/// warnings about old prices always, and, when some are left out, how to see them.
fn details(r: &Report, sections: Option<&[Section]>) -> Vec<Block> {
    let a = &r.analysis;
    let shown = |s: Section| sections.is_none_or(|list| list.contains(&s));
    let mut out = Vec::new();
    if shown(Section::Volumes) {
        out.push(Block::Heading("Volume table".into()));
        if !r.curve.is_empty() {
            out.push(curve(r, &r.curve, true, true));
        }
        out.push(Block::Table(rows_grid(a, &a.volume_table)));
    }
    if shown(Section::Outlook) {
        out.extend(outlook::outlook(a));
    }
    if shown(Section::SelfHost) {
        out.extend(selfhost::self_host(a));
    }
    if shown(Section::Assumptions) {
        out.push(Block::Heading("Assumptions".into()));
        out.push(Block::Bullets(
            a.assumptions.iter().map(assumption).collect(),
        ));
    }
    if shown(Section::Pricing) {
        out.extend(pricing(r));
    } else {
        // The warnings about old prices are never hidden.
        out.extend((!r.warnings.is_empty()).then(|| Block::Warnings(r.warnings.clone())));
    }
    if let Some(list) = sections {
        let more: Vec<&str> = Section::ALL
            .iter()
            .filter(|s| !list.contains(s))
            .map(|s| s.id())
            .collect();
        if !more.is_empty() {
            out.push(Block::Para(format!(
                "More with --full, or --show {} (the JSON holds everything).",
                more.join(",")
            )));
        }
    }
    out
}

/// A volume sweep: the chart, the break-even volume and the table.
pub fn crossover(s: &Sweep) -> View {
    let a = &s.report.analysis;
    let mut out = if s.volume_given {
        head(a)
    } else {
        vec![
            Block::Title(title(a)),
            Block::Para(format!(
                "No volume given: the self-hosted side is sized at {} tokens a month (the article's self-host threshold); give --tokens to size it at yours.",
                fmt_tokens(a.workload.tokens_per_month)
            )),
        ]
    };
    out.push(Block::Gap);
    out.push(curve(&s.report, &s.curve, s.log_scale, s.volume_given));
    out.push(Block::Heading("Break-even".into()));
    out.push(Block::Para(break_even(a)));
    out.push(Block::Heading("Sweep".into()));
    out.push(Block::Table(rows_grid(a, &s.rows)));
    View {
        title: title(a),
        blocks: out,
    }
}

fn curve(r: &Report, rows: &[VolumeRow], log_x: bool, mark_you: bool) -> Block {
    Block::Chart {
        chart: chart(r, rows, log_x, mark_you),
        title: format!("Monthly cost against volume: {}", r.analysis.workload.name),
    }
}

fn title(a: &Analysis) -> String {
    format!("llm-decide: {}", a.workload.name)
}

/// The title, the workload in a line and the recommendation.
fn head(a: &Analysis) -> Vec<Block> {
    let w = &a.workload;
    let mut line = format!(
        "{} tokens a month ({} input), {} traffic",
        fmt_tokens(w.tokens_per_month),
        fmt_share(w.input_share),
        w.traffic.shape.id()
    );
    if let Some(t) = &w.latency {
        let _ = write!(
            line,
            ", latency target {} ({} {})",
            fmt_ms(t.target_ms),
            t.percentile.id(),
            t.metric.id()
        );
    }
    let r = &a.recommendation;
    let pattern = r
        .pattern
        .map_or(String::new(), |p| format!(" ({})", p.id()));
    vec![
        Block::Title(title(a)),
        Block::Lead(line),
        Block::Gap,
        Block::Verdict(format!(
            "Recommendation: {}{pattern}, {} a month",
            words::label(r.choice).to_uppercase(),
            fmt_usd(r.monthly_cost_usd)
        )),
    ]
}

fn assumption(x: &crate::engine::Assumption) -> String {
    let value = match x.unit {
        Unit::Share => fmt_share(x.value),
        Unit::UsdPerMonth => format!("{} a month", fmt_usd(x.value)),
        Unit::TokensPerMonth => format!("{} tokens a month", fmt_tokens(x.value)),
        Unit::Ms => fmt_ms(x.value),
        Unit::Ratio => format!("{}", x.value),
        Unit::Months => format!("{} months", x.value),
        Unit::UsdPerKwh => format!("{} per kWh", fmt_rate(x.value)),
        Unit::UsdPerKwMonth => format!("{} per kW a month", fmt_usd(x.value)),
    };
    format!(
        "{} = {value}: {}",
        words::cost::assumed(&x.name),
        words::cost::assumption_basis(&x.basis)
    )
}

/// The pricing data behind the report, the stamp archived documents carry, and warnings.
fn pricing(r: &Report) -> Vec<Block> {
    let p = &r.pricing;
    let oldest = p
        .oldest_price_checked
        .map_or("never".to_string(), |d| d.to_string());
    let mut out = vec![
        Block::Heading("Pricing data".into()),
        Block::Para(format!(
            "Profile {}, sha256 {}; oldest price checked {oldest}.",
            p.profile,
            &p.sha256[..12.min(p.sha256.len())],
        )),
        Block::Bullets(
            p.entries
                .iter()
                .map(|e| {
                    let checked = e
                        .checked
                        .map_or("given on the command line".to_string(), |d| {
                            format!("checked {d}")
                        });
                    format!("{}: {checked}, {}", e.id, e.source)
                })
                .collect(),
        ),
    ];
    let mut stamp = vec![
        format!(
            "{} {}, pricing profile {}, pricing sha256 {}",
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION"),
            p.profile,
            p.sha256
        ),
        format!("Oldest price checked {oldest}"),
    ];
    stamp.extend(
        r.inputs
            .iter()
            .map(|i| format!("Input {} sha256 {}", i.name, i.sha256)),
    );
    out.push(Block::Stamp(stamp));
    if !r.warnings.is_empty() {
        out.push(Block::Warnings(r.warnings.clone()));
    }
    out
}

/// The break-even volume in words.
pub fn break_even(a: &Analysis) -> String {
    let c = &a.crossover;
    match (c.tokens_per_month, c.units) {
        (Some(v), Some(u)) => {
            let mut t = format!(
                "Self-hosting costs no more than the API from {} tokens a month ({} unit{}, {} a month).",
                fmt_tokens(v),
                u,
                words::plural(u),
                fmt_usd(c.monthly_cost_usd.unwrap_or(0.0))
            );
            if let Some(s) = c.stable_from_tokens_per_month.filter(|s| *s > v) {
                let _ = write!(
                    t,
                    " Just past each added unit the API is cheaper again until {} tokens a month.",
                    fmt_tokens(s)
                );
            }
            t
        }
        _ => "Self-hosting never costs less than the API at these prices.".to_string(),
    }
}

fn latency_cell(a: &Analysis, e: &LatencyEstimate) -> String {
    let bound = if e.lower_bound { "at least " } else { "" };
    let verdict = match e.meets_target {
        Some(true) => ", meets",
        Some(false) => ", misses",
        None => "",
    };
    let figure = match &a.workload.latency {
        Some(t) => e.figure(t).map(fmt_ms),
        None => Some(fmt_ms(e.ttft_p95_ms)),
    };
    // A bound on a figure that is not known at all is no figure: just "-".
    figure.map_or_else(|| "-".into(), |f| format!("{bound}{f}{verdict}"))
}

/// The percentile the tables show: the target's, or p95.
fn shown_percentile(a: &Analysis) -> Percentile {
    a.workload.latency.map_or(Percentile::P95, |t| t.percentile)
}

/// The options table's latency column: the figure the target applies to ("E2E p99"), or
/// "TTFT p95" with no target.
fn latency_header(a: &Analysis) -> String {
    match &a.workload.latency {
        Some(t) => format!("{} {}", t.metric.id().to_uppercase(), t.percentile.id()),
        None => "TTFT p95".into(),
    }
}

/// A side's latency at a percentile: time to first token and end to end.
fn at(e: &LatencyEstimate, p: Percentile) -> (f64, Option<f64>) {
    let ttft = |m| {
        e.figure(&LatencyTarget {
            target_ms: 0.0,
            metric: m,
            percentile: p,
        })
    };
    (
        ttft(LatencyMetric::Ttft).unwrap_or(e.ttft_p95_ms),
        ttft(LatencyMetric::E2e),
    )
}

/// A latency part at a percentile.
fn part_at(c: &Component, p: Percentile) -> f64 {
    match p {
        Percentile::P50 => c.p50_ms,
        Percentile::P95 => c.p95_ms,
        Percentile::P99 => c.p99_ms,
    }
}

/// Adds an option's row: what it is, its cost, latency and verdict, toned.
fn option_row(
    g: &mut Grid,
    cells: [String; 5],
    latency: Option<&LatencyEstimate>,
    ruled_out: bool,
) {
    let [name, what, tier, cost, ttft] = cells;
    g.row(vec![
        name,
        what,
        tier,
        cost,
        ttft,
        if ruled_out { "ruled out" } else { "feasible" }.into(),
    ]);
    if latency.is_some_and(|e| e.meets_target == Some(false)) {
        g.tone(4, Tone::Warn);
    }
    if ruled_out {
        g.tone(5, Tone::Warn);
    }
}

/// An API option's "what": `label` (its name, or its id), the frontier model beside it (or
/// the number of APIs in a mix), its blended price.
fn api_what(label: &str, api: &ApiOption) -> String {
    let price = fmt_usd_per_mtok(api.cost.usd_per_mtok);
    match (&api.frontier_id, api.cost.parts.len()) {
        (_, n) if n > 2 => format!("{label} and {} more APIs ({price} per 1M)", n - 1),
        (Some(f), _) => format!("{label} + {f} for frontier traffic ({price} per 1M)"),
        (None, _) => format!("{label} ({price} per 1M)"),
    }
}

/// Each API of a mix: its share, price and cost, and whether a self-hosted side may take its
/// traffic or it stays on the API in every option.
fn mix_grid(a: &Analysis) -> Grid {
    let mut g = Grid::new(
        &[
            "API",
            "Tier",
            "Share",
            "Per 1M",
            "Monthly cost",
            "Self-hosting",
        ],
        &[2, 3, 4],
    );
    let model = a.self_host.tiers.as_ref().map(|t| t.model.as_str());
    for p in &a.api.cost.parts {
        g.row(vec![
            p.api.clone(),
            p.tier.id().into(),
            fmt_share(p.share),
            fmt_usd_per_mtok(p.usd_per_mtok),
            fmt_usd(p.monthly_cost_usd),
            match (p.stays_on_api, model) {
                (true, Some(m)) => format!("stays on the API: {m} is below {}", p.tier.id()),
                (true, None) => "stays on the API".into(),
                (false, Some(m)) => format!("{m} may take it"),
                (false, None) => "the self-hosted side may take it".into(),
            },
        ]);
    }
    g
}

fn hybrid_split(h: &HybridPlan) -> String {
    let split: Vec<String> = h
        .routes
        .iter()
        .map(|r| match r.side {
            Side::SelfHost => {
                let units = r.units.unwrap_or(0);
                format!(
                    "{} self-hosted ({units} unit{})",
                    fmt_share(r.share),
                    words::plural(units)
                )
            }
            Side::Api => format!(
                "{} on {}",
                fmt_share(r.share),
                words::decision::route_target(r)
            ),
        })
        .collect();
    split.join(" + ")
}

/// The options: what each is, its cost, latency and verdict.
fn options_grid(a: &Analysis) -> Grid {
    let api = &a.api;
    let sh = &a.self_host;
    let header = latency_header(a);
    let mut g = Grid::new(
        &[
            "Option",
            "What",
            "Tier",
            "Monthly cost",
            header.as_str(),
            "Verdict",
        ],
        &[3],
    );
    option_row(
        &mut g,
        [
            "API".into(),
            api_what(&api.name, api),
            api.tier.id().into(),
            fmt_usd(api.cost.monthly_cost_usd),
            latency_cell(a, &api.latency),
        ],
        Some(&api.latency),
        !api.blockers.is_empty(),
    );
    option_row(
        &mut g,
        [
            "Self-host".into(),
            words::cost::describe(sh),
            sh.tiers.as_ref().map_or("-", |t| t.model_tier.id()).into(),
            fmt_usd(sh.cost.monthly_cost_usd),
            latency_cell(a, &sh.latency),
        ],
        Some(&sh.latency),
        !sh.blockers.is_empty(),
    );
    for s in &a.serverless {
        option_row(
            &mut g,
            [
                "Same model, as API".into(),
                api_what(&s.id, s),
                s.tier.id().into(),
                fmt_usd(s.cost.monthly_cost_usd),
                latency_cell(a, &s.latency),
            ],
            Some(&s.latency),
            !s.blockers.is_empty(),
        );
    }
    for h in &a.hybrids {
        option_row(
            &mut g,
            [
                format!("Hybrid ({})", h.pattern.id()),
                hybrid_split(h),
                "-".into(),
                fmt_usd(h.monthly_cost_usd),
                "-".into(),
            ],
            None,
            !h.blockers.is_empty(),
        );
    }
    g
}

/// The latency of each side, its parts, and ways to meet a missed target.
fn latency(a: &Analysis) -> Vec<Block> {
    let title = match &a.workload.latency {
        Some(t) => format!("Latency (target {})", words::latency::target(t)),
        None => "Latency (no target)".to_string(),
    };
    let p = shown_percentile(a);
    let mut out = vec![Block::Heading(title), Block::Table(latency_grid(a, p))];
    for (name, e) in [("API", &a.api.latency), ("Self-host", &a.self_host.latency)] {
        let parts: Vec<String> = e
            .components
            .iter()
            .map(|c| format!("{} {}", words::latency::part(c), fmt_ms(part_at(c, p))))
            .collect();
        let tail = match e.tpot_ms {
            Some(t) => format!(
                "; E2E adds {} output tokens x {}",
                e.output_tokens,
                fmt_ms(t)
            ),
            None => String::new(),
        };
        out.push(Block::Para(format!(
            "{name} TTFT {} = {}{tail}.",
            p.id(),
            parts.join(" + ")
        )));
    }
    if let Some(d) = &a.self_host.deployment {
        out.push(Block::Para(words::latency::at_load(&d.load)));
    }
    out.push(Block::Para(api_model_time(a)));
    out.extend(remedies(a));
    out
}

/// Whether the API's own time (model TTFT and output speed) is measured, and by whom, or
/// missing, which leaves the API's figures a lower bound.
fn api_model_time(a: &Analysis) -> String {
    let measured = a
        .api
        .latency
        .components
        .iter()
        .find_map(|c| match &c.source {
            Origin::Measured {
                source, checked, ..
            } => Some((source, checked)),
            _ => None,
        });
    match measured {
        Some((source, checked)) => format!(
            "API model time: measured ({source}{}).",
            checked.map_or_else(String::new, |d| format!(", {d}"))
        ),
        None => format!(
            "API model time: not measured for {}; its figures are network and queueing only, a lower bound (add a `latency` entry to its pricing to judge it).",
            a.api.name
        ),
    }
}

/// Both sides' latency at the percentile `p` the target uses (p95 without one).
fn latency_grid(a: &Analysis, p: Percentile) -> Grid {
    let ms_or_dash = |v: Option<f64>| v.map_or("-".into(), fmt_ms);
    let row = |name: &str, e: &LatencyEstimate| {
        let bound = if e.lower_bound { "at least " } else { "" };
        let (ttft, e2e) = at(e, p);
        let mut cells = vec![
            name.to_string(),
            format!("{bound}{}", fmt_ms(e.ttft_p50_ms)),
        ];
        if p != Percentile::P50 {
            cells.push(format!("{bound}{}", fmt_ms(ttft)));
        }
        cells.extend([
            ms_or_dash(e.tpot_ms),
            ms_or_dash(e2e),
            match e.meets_target {
                Some(true) => "meets".into(),
                Some(false) => "misses".into(),
                None if a.workload.latency.is_some() => "unknown".into(),
                None => "-".into(),
            },
        ]);
        cells
    };
    let (ttft_p, e2e_p) = (format!("TTFT {}", p.id()), format!("E2E {}", p.id()));
    let headers: Vec<&str> = if p == Percentile::P50 {
        vec!["Option", "TTFT p50", "TPOT", &e2e_p, "Target"]
    } else {
        vec!["Option", "TTFT p50", &ttft_p, "TPOT", &e2e_p, "Target"]
    };
    let target_col = headers.len() - 1;
    let numeric: Vec<usize> = (1..target_col).collect();
    let mut g = Grid::new(&headers, &numeric);
    for (name, e) in [("API", &a.api.latency), ("Self-host", &a.self_host.latency)] {
        g.row(row(name, e));
        if e.meets_target == Some(false) {
            g.tone(target_col, Tone::Warn);
        }
    }
    g
}

/// The single changes that would make self-hosting work (or meet the target), if any.
fn remedies(a: &Analysis) -> Vec<Block> {
    let remedies: Vec<String> = a
        .self_host
        .remedies
        .iter()
        .map(|r| {
            format!(
                "{}: {} at {} a month.",
                words::cost::change(&r.change),
                words::deployment::deployment(&r.deployment),
                fmt_usd(r.deployment.monthly_cost_usd)
            )
        })
        .collect();
    if remedies.is_empty() {
        return Vec::new();
    }
    let missed = a.self_host.search.as_ref().is_some_and(|s| {
        s.rejected
            .iter()
            .any(|r| r.kind == RejectionKind::MissesLatency)
    });
    vec![
        Block::Para(
            if missed {
                "Ways to meet the target with self-hosting, one change at a time:"
            } else {
                "Ways to make self-hosting work, one change at a time:"
            }
            .into(),
        ),
        Block::Bullets(remedies),
    ]
}

/// Rows of a volume table or sweep as a grid.
pub fn rows_grid(a: &Analysis, rows: &[VolumeRow]) -> Grid {
    // The cheapest deployment can change with the volume: then a column says which it is.
    let several = rows.iter().any(|r| r.self_host_unit != a.self_host.name);
    let body = rows
        .iter()
        .map(|r| {
            let winner = match r.winner {
                Winner::Api => "API",
                Winner::SelfHost => "Self-host",
                Winner::Tie => "Roughly equal",
            };
            let units = if r.self_host_units > 1 && !several {
                format!(" ({} units)", r.self_host_units)
            } else {
                String::new()
            };
            let mut row = vec![
                format!(
                    "{}{}",
                    fmt_tokens(r.tokens_per_month),
                    if r.is_workload { " (you)" } else { "" }
                ),
                fmt_usd(r.api_monthly_cost_usd),
                format!("{}{units}", fmt_usd(r.self_host_monthly_cost_usd)),
            ];
            if several {
                let name = words::cost::unit_name(&r.self_host_unit);
                row.push(match r.self_host_units {
                    0 | 1 => name,
                    n => format!("{n} x {name}"),
                });
            }
            row.push(winner.to_string());
            row
        })
        .collect();
    let api = format!("API ({})", a.api.id);
    let self_host = format!("Self-host ({})", words::cost::self_host_label(&a.self_host));
    let headers: Vec<&str> = if several {
        vec![
            "Monthly tokens",
            &api,
            "Self-host",
            "Cheapest deployment",
            "Winner",
        ]
    } else {
        vec!["Monthly tokens", &api, &self_host, "Winner"]
    };
    Grid::with_rows(&headers, &[1, 2], body)
}
