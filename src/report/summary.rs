//! Every document as format-neutral blocks, for the Markdown and HTML renderers (and the
//! terminal rendering of `check` and `diff`).

use super::blocks::{Block, Grid};
use super::table::{self, grid};
use super::words;
use super::{CheckReport, Comparison, Document, Listing, Report};
use crate::engine::decision::check::CheckResult;
use crate::engine::decision::diff::{Diff, OptionDelta};
use crate::model::units::{fmt_share, fmt_tokens, fmt_usd, fmt_usd_per_mtok};

/// A document's title and blocks.
pub fn blocks(doc: &Document) -> (String, Vec<Block>) {
    match doc {
        Document::Decision(r) => decision(r),
        Document::Compare(c) => compare(c),
        Document::Check(c) => check(c),
        Document::Diff(d) => diff(d),
        Document::List(l) => list(l),
        Document::Import(i) => import(i),
        Document::Crossover(s) => {
            let a = &s.report.analysis;
            let (title, mut out) = decision_head(&s.report);
            let chart = super::crossover::chart(&s.report, &s.curve, s.log_scale);
            out.push(Block::Svg(chart.svg(
                &format!("Monthly cost against volume: {}", a.workload.name),
                760.0,
                400.0,
            )));
            out.push(Block::Heading("Break-even".into()));
            out.push(Block::Para(table::break_even(a)));
            out.push(Block::Heading("Sweep".into()));
            out.push(Block::Table(table::rows_grid(a, &s.rows)));
            (title, out)
        }
        Document::Text(t) => ("llm-decide".into(), vec![Block::Para(t.clone())]),
        Document::Validation(v) => {
            let title = format!("llm-decide validate: {} files valid", v.len());
            let mut g = Grid::new(&["File", "Kind", "Holds"], &[]);
            for x in v {
                g.row(vec![x.file.clone(), x.kind.to_string(), x.summary.clone()]);
            }
            (title.clone(), vec![Block::Title(title), Block::Table(g)])
        }
        Document::Capacity(c) => {
            let title = format!("llm-decide capacity: {} on {} x {}", c.model, c.gpus, c.gpu);
            let mut out = vec![Block::Title(title.clone())];
            match &c.message {
                Some(m) if !c.fits => out.push(Block::Strong(format!(
                    "Does not fit: {}.",
                    words::cost::fit(m)
                ))),
                _ => out.push(Block::Table(table::capacity_grid(c))),
            }
            (title, out)
        }
    }
}

/// The title, the workload line and the recommendation.
fn decision_head(r: &Report) -> (String, Vec<Block>) {
    let a = &r.analysis;
    let head = table::title(a);
    let mut lines = head.lines();
    let title = lines.next().unwrap_or_default().to_string();
    let rec = &a.recommendation;
    let out = vec![
        Block::Title(title.clone()),
        Block::Para(lines.next().unwrap_or_default().to_string()),
        Block::Strong(format!(
            "Recommendation: {}, {} a month",
            words::choice(rec.choice, rec.pattern),
            fmt_usd(rec.monthly_cost_usd)
        )),
    ];
    (title, out)
}

fn decision(r: &Report) -> (String, Vec<Block>) {
    let a = &r.analysis;
    let (title, mut out) = decision_head(r);
    let rec = &a.recommendation;
    out.push(Block::Bullets(
        rec.reasons
            .iter()
            .map(|x| words::decision::reason(x, a))
            .collect(),
    ));
    if !r.checks.is_empty() {
        out.push(Block::Heading("Checks".into()));
        out.push(Block::Table(checks_grid(&r.checks, None)));
    }
    out.push(Block::Heading("Options".into()));
    out.push(Block::Table(table::options_grid(a)));
    let plans = table::hybrid_lines(a);
    if !plans.is_empty() {
        out.push(Block::Heading("Hybrid plans".into()));
        out.push(Block::Bullets(plans));
    }
    out.push(Block::Heading(table::latency_title(a)));
    out.push(Block::Table(table::latency_grid(a)));
    out.push(Block::Bullets(table::latency_parts(a)));
    let remedies = table::latency_remedies(a);
    if !remedies.is_empty() {
        out.push(Block::Para(
            "Ways to meet the target with self-hosting, one change at a time:".into(),
        ));
        out.push(Block::Bullets(remedies));
    }
    out.push(Block::Heading("Break-even".into()));
    out.push(Block::Para(table::break_even(a)));
    out.push(Block::Para(words::decision::revisit(&rec.revisit, a)));
    out.push(Block::Heading("Volume table".into()));
    if !r.curve.is_empty() {
        let chart = super::crossover::chart(r, &r.curve, true);
        out.push(Block::Svg(chart.svg(
            &format!("Monthly cost against volume: {}", a.workload.name),
            760.0,
            400.0,
        )));
    }
    out.push(Block::Table(table::volume_grid(a)));
    if !rec.alternatives.is_empty() {
        out.push(Block::Heading("Not chosen".into()));
        out.push(Block::Bullets(
            rec.alternatives
                .iter()
                .map(|alt| {
                    format!(
                        "{}, {} a month: {}.",
                        words::choice(alt.choice, alt.pattern),
                        fmt_usd(alt.monthly_cost_usd),
                        words::decision::why_not(alt, a)
                    )
                })
                .collect(),
        ));
    }
    out.push(Block::Heading("Reproducibility".into()));
    out.push(Block::Bullets(stamp(r)));
    (title, out)
}

/// The report's reproducibility stamp in words.
fn stamp(r: &Report) -> Vec<String> {
    let mut lines = vec![
        format!(
            "{} {}, pricing profile {}, pricing sha256 {}",
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION"),
            r.pricing.profile,
            r.pricing.sha256
        ),
        format!(
            "Oldest price checked {}",
            r.pricing
                .oldest_price_checked
                .map_or("never".to_string(), |d| d.to_string())
        ),
    ];
    lines.extend(
        r.inputs
            .iter()
            .map(|i| format!("Input {} sha256 {}", i.name, i.sha256)),
    );
    lines
}

fn compare(c: &Comparison) -> (String, Vec<Block>) {
    let title = format!("llm-decide compare: {} scenarios", c.reports.len());
    let mut out = vec![
        Block::Title(title.clone()),
        Block::Table(table::compare_grid(c)),
    ];
    for (r, title) in c.reports.iter().zip(c.titles()) {
        out.push(Block::Heading(title));
        out.push(Block::Bullets(table::chosen_reasons(&r.analysis)));
    }
    (title, out)
}

fn passed(p: bool) -> String {
    if p { "pass".into() } else { "FAIL".into() }
}

/// Checks as a table; with `file`, a first column names the scenario.
pub fn checks_grid(checks: &[CheckResult], file: Option<&str>) -> Grid {
    let mut g = if file.is_some() {
        Grid::new(&["Scenario", "Check", "Limit", "Actual", "Result"], &[2, 3])
    } else {
        Grid::new(&["Check", "Limit", "Actual", "Result"], &[1, 2])
    };
    for c in checks {
        let mut row: Vec<String> = file.map(str::to_string).into_iter().collect();
        row.extend([
            crate::model::Named::id(c.name).to_string(),
            words::check::value(c.name, Some(&c.limit)),
            words::check::value(c.name, c.actual.as_ref()),
            passed(c.passed),
        ]);
        g.row(row);
    }
    g
}

fn check(c: &CheckReport) -> (String, Vec<Block>) {
    let failed = c.scenarios.iter().filter(|s| !s.passed).count();
    let title = format!(
        "llm-decide check: {} scenario{}, {failed} failed",
        c.scenarios.len(),
        if c.scenarios.len() == 1 { "" } else { "s" }
    );
    let mut out = vec![Block::Title(title.clone())];
    let mut summary = Grid::new(
        &[
            "Scenario",
            "Tokens/month",
            "Recommendation",
            "Monthly cost",
            "Checks",
            "Result",
        ],
        &[1, 3],
    );
    let mut details = Vec::new();
    for s in &c.scenarios {
        let n = s.checks.len();
        let failed_here = s.checks.iter().filter(|x| !x.passed).count();
        summary.row(vec![
            s.file.clone(),
            fmt_tokens(s.tokens_per_month),
            words::choice(s.choice, s.pattern),
            fmt_usd(s.monthly_cost_usd),
            if n == 0 {
                "none".into()
            } else {
                format!("{} of {n} passed", n - failed_here)
            },
            passed(s.passed),
        ]);
        details.extend(s.checks.iter().map(|x| (s.file.as_str(), x)));
    }
    out.push(Block::Table(summary));
    if !details.is_empty() {
        out.push(Block::Heading("Checks".into()));
        let mut g = Grid::new(&["Scenario", "Check", "Limit", "Actual", "Result"], &[2, 3]);
        for (file, x) in &details {
            g.rows
                .extend(checks_grid(std::slice::from_ref(x), Some(file)).rows);
        }
        out.push(Block::Table(g));
        let failures: Vec<String> = details
            .iter()
            .filter(|(_, x)| !x.passed)
            .map(|(f, x)| format!("{f}: {}", words::check::message(x)))
            .collect();
        if !failures.is_empty() {
            out.push(Block::Heading("Failed".into()));
            out.push(Block::Bullets(failures));
        }
    }
    out.push(Block::Para(format!(
        "Pricing profile {}, sha256 {}.",
        c.pricing.profile, c.pricing.sha256
    )));
    (title, out)
}

fn money_delta(d: Option<f64>) -> String {
    match d {
        Some(x) if x > 0.0 => format!("+{}", fmt_usd(x)),
        Some(x) if x < 0.0 => format!("-{}", fmt_usd(-x)),
        Some(_) => fmt_usd(0.0),
        None => "-".into(),
    }
}

fn share_delta(d: Option<f64>) -> String {
    match d {
        Some(x) if x > 0.0 => format!("+{}", fmt_share(x)),
        Some(x) if x < 0.0 => format!("-{}", fmt_share(-x)),
        Some(_) => "0%".into(),
        None => "-".into(),
    }
}

fn delta_row(label: String, d: &OptionDelta) -> Vec<String> {
    vec![
        label,
        d.base_usd.map_or("-".into(), fmt_usd),
        d.head_usd.map_or("-".into(), fmt_usd),
        money_delta(d.delta_usd),
        share_delta(d.delta_share),
    ]
}

fn diff(d: &Diff) -> (String, Vec<Block>) {
    let title = format!("llm-decide diff: {}", d.head.name);
    let (b, h) = (d.base.recommendation(), d.head.recommendation());
    let mut out = vec![Block::Title(title.clone())];
    out.push(Block::Strong(if d.flipped {
        format!("Recommendation changed: {b} -> {h}")
    } else {
        format!("Recommendation unchanged: {b}")
    }));
    let mut g = grid(
        &["Option", "Base", "Head", "Change", "Change %"],
        &[1, 2, 3, 4],
        Vec::new(),
    );
    g.row(delta_row("Recommended".into(), &d.recommended));
    for o in &d.options {
        let label = match (&o.base_label, &o.head_label) {
            (Some(x), Some(y)) if x != y => format!("{x} -> {y}"),
            (Some(x), _) => x.clone(),
            (None, Some(y)) => y.clone(),
            (None, None) => o.key.clone(),
        };
        g.row(delta_row(label, o));
    }
    out.push(Block::Table(g));
    let volume = if d.base.tokens_per_month == d.head.tokens_per_month {
        format!(
            "Volume: {} tokens a month in both.",
            fmt_tokens(d.base.tokens_per_month)
        )
    } else {
        format!(
            "Volume: {} -> {} tokens a month.",
            fmt_tokens(d.base.tokens_per_month),
            fmt_tokens(d.head.tokens_per_month)
        )
    };
    let never = |v: Option<f64>| {
        v.map_or("never".to_string(), |x| {
            format!("{} tokens a month", fmt_tokens(x))
        })
    };
    let crossover = format!(
        "Break-even: {} -> {}{}.",
        never(d.base.crossover_tokens_per_month),
        never(d.head.crossover_tokens_per_month),
        match d.crossover_delta_tokens_per_month {
            Some(x) if x > 0.0 => format!(" (later by {})", fmt_tokens(x)),
            Some(x) if x < 0.0 => format!(" (earlier by {})", fmt_tokens(-x)),
            Some(_) => " (unchanged)".to_string(),
            None => String::new(),
        }
    );
    out.push(Block::Bullets(vec![
        format!("Base: {}; head: {}.", d.base.file, d.head.file),
        volume,
        crossover,
    ]));
    if !d.gates.is_empty() {
        out.push(Block::Heading("Gates".into()));
        let mut g = Grid::new(&["Gate", "Result", "Detail"], &[]);
        for x in &d.gates {
            g.row(vec![
                crate::model::Named::id(x.name).to_string(),
                passed(x.passed),
                words::check::message(x),
            ]);
        }
        out.push(Block::Table(g));
    }
    (title, out)
}

fn list(l: &Listing) -> (String, Vec<Block>) {
    let kind = match l {
        Listing::Apis(_) => "apis",
        Listing::Setups(_) => "setups",
        Listing::Gpus(_) => "gpus",
        Listing::Models(_) => "models",
        Listing::Scenarios(_) => "scenarios",
    };
    let title = format!("llm-decide list {kind}");
    (
        title.clone(),
        vec![Block::Title(title), Block::Table(table::list_grid(l))],
    )
}

fn import(i: &crate::model::pricing::Import) -> (String, Vec<Block>) {
    let title = format!(
        "LiteLLM import: {} chat models from {}",
        i.apis.len(),
        i.file
    );
    let mut g = Grid::new(
        &[
            "Id",
            "Provider",
            "Input $/1M",
            "Output $/1M",
            "Cached $/1M",
            "Batch discount",
            "Tier",
        ],
        &[2, 3, 4, 5],
    );
    for a in &i.apis {
        g.row(vec![
            a.id.clone(),
            a.provider.clone(),
            fmt_usd_per_mtok(a.input_usd_per_mtok),
            fmt_usd_per_mtok(a.output_usd_per_mtok),
            a.cached_input_usd_per_mtok
                .map_or("-".into(), fmt_usd_per_mtok),
            a.batch_discount.map_or("-".into(), fmt_share),
            crate::model::Named::id(a.tier).to_string(),
        ]);
    }
    let skipped = i
        .skipped
        .iter()
        .map(|(reason, n)| format!("{n} {reason}"))
        .collect();
    (
        title.clone(),
        vec![
            Block::Title(title),
            Block::Para(format!("Checked {}; file sha256 {}.", i.checked, i.sha256)),
            Block::Table(g),
            Block::Heading(format!("Skipped {} entries", i.skipped_total())),
            Block::Bullets(skipped),
        ],
    )
}
