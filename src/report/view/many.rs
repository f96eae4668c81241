//! Documents about several runs as blocks: scenarios side by side (`compare`), scenario files
//! checked against their budgets (`check`) and two runs compared (`diff`).

use super::{Block, Grid, View, result_row};
use crate::engine::Analysis;
use crate::engine::decision::best_hybrid;
use crate::engine::decision::check::CheckResult;
use crate::engine::decision::diff::{Diff, OptionDelta};
use crate::engine::pricing_diff::{ApiChange, ApiPrices, Change, GpuSide, PricingDiff};
use crate::model::Named;
use crate::model::output::Metric;
use crate::model::units::{fmt_ms, fmt_share, fmt_tokens, fmt_usd, fmt_usd_per_mtok};
use crate::report::{CheckReport, Compared, Comparison, PricingDiffReport, Report, words};

/// Scenarios side by side, then the reasons that favor each one's recommendation.
pub fn compare(c: &Comparison) -> View {
    let mut out = vec![Block::Table(compare_grid(c))];
    for (s, title) in c.scenarios.iter().zip(c.titles()) {
        out.push(Block::Heading(title));
        out.push(Block::Bullets(s.reasons.clone()));
    }
    View {
        title: format!("llm-decide compare: {} scenarios", c.scenarios.len()),
        blocks: out,
    }
}

/// A report's summary for a comparison (see [`Compared::of`]).
pub fn compared(r: &Report, shown: Option<&[Metric]>) -> Compared {
    let a = &r.analysis;
    let rec = &a.recommendation;
    Compared {
        name: a.workload.name.clone(),
        file: r.inputs.first().map(|f| f.name.clone()),
        tokens_per_month: a.workload.tokens_per_month,
        monthly_cost_usd: rec.monthly_cost_usd,
        crossover_tokens_per_month: a.crossover.tokens_per_month,
        recommendation: words::choice(rec.choice, rec.pattern),
        cells: shown.map_or_else(Vec::new, |rows| {
            rows.iter().map(|&m| metric_cell(m, a)).collect()
        }),
        reasons: shown.map_or_else(Vec::new, |_| chosen_reasons(a)),
    }
}

/// The reasons that favor the recommendation.
fn chosen_reasons(a: &Analysis) -> Vec<String> {
    a.recommendation
        .reasons
        .iter()
        .filter(|r| r.favors == Some(a.recommendation.choice))
        .map(|r| words::decision::reason(r, a))
        .collect()
}

fn cost_or_ruled_out(usd: f64, ruled_out: bool) -> String {
    if ruled_out {
        format!("{} (ruled out)", fmt_usd(usd))
    } else {
        fmt_usd(usd)
    }
}

/// A metric's label and its value for one scenario.
pub fn metric_cell(m: Metric, a: &Analysis) -> (&'static str, String) {
    match m {
        Metric::Tokens => ("Tokens a month", fmt_tokens(a.workload.tokens_per_month)),
        Metric::Recommendation => {
            let r = &a.recommendation;
            ("Recommendation", words::option(r.choice, r.pattern))
        }
        Metric::Cost => (
            "Recommended cost",
            fmt_usd(a.recommendation.monthly_cost_usd),
        ),
        Metric::Api => ("API", a.api.id.clone()),
        Metric::ApiCost => (
            "API cost",
            cost_or_ruled_out(a.api.cost.monthly_cost_usd, !a.api.blockers.is_empty()),
        ),
        Metric::SelfHost => ("Self-host setup", words::cost::self_host_cell(&a.self_host)),
        Metric::SelfHostCost => (
            "Self-host cost",
            cost_or_ruled_out(
                a.self_host.cost.monthly_cost_usd,
                !a.self_host.blockers.is_empty(),
            ),
        ),
        Metric::Hybrid => (
            "Best hybrid",
            best_hybrid(&a.hybrids).map_or("-".into(), |h| {
                format!("{} {}", h.pattern.id(), fmt_usd(h.monthly_cost_usd))
            }),
        ),
        Metric::Crossover => (
            "Break-even",
            a.crossover
                .tokens_per_month
                .map_or("never".into(), fmt_tokens),
        ),
        Metric::Latency => (
            "Latency target",
            a.workload
                .latency
                .map_or("-".into(), |t| fmt_ms(t.target_ms)),
        ),
        Metric::Privacy => ("Privacy", a.workload.privacy.level.id().to_string()),
    }
}

/// Scenarios side by side: one row per metric, one column per scenario.
fn compare_grid(c: &Comparison) -> Grid {
    let mut g = Grid::default();
    g.header.push(String::new());
    g.header.extend(c.titles());
    g.right = (1..g.header.len()).collect();
    let Some(first) = c.scenarios.first() else {
        return g;
    };
    for (i, (label, _)) in first.cells.iter().enumerate() {
        let mut cells = vec![(*label).to_string()];
        cells.extend(
            c.scenarios
                .iter()
                .map(|s| s.cells.get(i).map_or_else(String::new, |x| x.1.clone())),
        );
        g.row(cells);
    }
    g
}

/// Checks as a table; with `file`, a first column names the scenario.
pub fn checks_grid(checks: &[CheckResult], file: Option<&str>) -> Grid {
    let mut g = if file.is_some() {
        Grid::new(&["Scenario", "Check", "Limit", "Actual", "Result"], &[2, 3])
    } else {
        Grid::new(&["Check", "Limit", "Actual", "Result"], &[1, 2])
    };
    for c in checks {
        add_check(&mut g, c, file);
    }
    g
}

fn add_check(g: &mut Grid, c: &CheckResult, file: Option<&str>) {
    let mut row: Vec<String> = file.map(str::to_string).into_iter().collect();
    row.extend([
        c.name.id().to_string(),
        words::check::value(c, Some(&c.limit)),
        words::check::value(c, c.actual.as_ref()),
    ]);
    let column = row.len();
    result_row(g, row, column, c.passed);
}

/// Scenario files checked: a summary row per file, every check, and what failed.
pub fn check(c: &CheckReport) -> View {
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
    let mut details = Grid::new(&["Scenario", "Check", "Limit", "Actual", "Result"], &[2, 3]);
    let mut failures = Vec::new();
    for s in &c.scenarios {
        let n = s.checks.len();
        let failed_here = s.checks.iter().filter(|x| !x.passed).count();
        let row = vec![
            s.file.clone(),
            fmt_tokens(s.tokens_per_month),
            words::choice(s.choice, s.pattern),
            fmt_usd(s.monthly_cost_usd),
            if n == 0 {
                "none".into()
            } else {
                format!("{} of {n} passed", n - failed_here)
            },
        ];
        result_row(&mut summary, row, 5, s.passed);
        for x in &s.checks {
            add_check(&mut details, x, Some(&s.file));
            if !x.passed {
                failures.push(format!("{}: {}", s.file, words::check::message(x)));
            }
        }
    }
    out.push(Block::Table(summary));
    if !details.rows.is_empty() {
        out.push(Block::Heading("Checks".into()));
        out.push(Block::Table(details));
        if !failures.is_empty() {
            out.push(Block::Heading("Failed".into()));
            out.push(Block::Bullets(failures));
        }
    }
    out.push(Block::Plain(format!(
        "Pricing profile {}, sha256 {}.",
        c.pricing.profile, c.pricing.sha256
    )));
    View { title, blocks: out }
}

fn signed(d: Option<f64>, fmt: fn(f64) -> String, zero: &str) -> String {
    match d {
        Some(x) if x > 0.0 => format!("+{}", fmt(x)),
        Some(x) if x < 0.0 => format!("-{}", fmt(-x)),
        Some(_) => zero.to_string(),
        None => "-".into(),
    }
}

/// Two pricing catalogs compared: a summary, then the APIs and the GPUs that changed.
pub fn pricing_diff(r: &PricingDiffReport) -> View {
    let d = &r.diff;
    let count = |change: Change, apis: bool| {
        if apis {
            d.apis.iter().filter(|a| a.change == change).count()
        } else {
            d.gpus.iter().filter(|g| g.change == change).count()
        }
    };
    let title = format!("llm-decide pricing diff: {} -> {}", r.old, r.new);
    let mut blocks = vec![
        Block::Title(title.clone()),
        Block::Gap,
        Block::Plain(format!(
            "APIs: {} changed, {} added, {} removed, {} unchanged. GPUs: {} changed, {} added, {} removed, {} unchanged.",
            count(Change::Changed, true),
            count(Change::Added, true),
            count(Change::Removed, true),
            d.apis_unchanged,
            count(Change::Changed, false),
            count(Change::Added, false),
            count(Change::Removed, false),
            d.gpus_unchanged,
        )),
    ];
    if !d.apis.is_empty() {
        blocks.push(Block::Heading(format!(
            "APIs (blended at {} input)",
            fmt_share(d.input_share)
        )));
        blocks.push(Block::Table(api_changes(d)));
    }
    if !d.gpus.is_empty() {
        blocks.push(Block::Heading(format!(
            "GPUs (cheapest {} {}/GPU-h)",
            d.price_kind.id(),
            crate::model::units::shown_symbol()
        )));
        blocks.push(Block::Table(gpu_changes(d)));
    }
    View { title, blocks }
}

/// "before -> after" of a figure that may be missing on either side (`-`); an entry only on
/// one side (added or removed) shows its one value.
fn moved(before: Option<String>, after: Option<String>, change: Change) -> String {
    let dash = || "-".to_string();
    match (before, after, change) {
        (b, a, Change::Changed) if a == b => a.unwrap_or_else(dash),
        (b, a, Change::Changed) => {
            format!("{} -> {}", b.unwrap_or_else(dash), a.unwrap_or_else(dash))
        }
        (b, a, _) => a.or(b).unwrap_or_else(dash),
    }
}

fn api_changes(d: &PricingDiff) -> Grid {
    let price = |p: &Option<ApiPrices>, f: fn(&ApiPrices) -> Option<f64>| {
        p.as_ref().and_then(f).map(fmt_usd_per_mtok)
    };
    let column = |a: &ApiChange, f: fn(&ApiPrices) -> Option<f64>| {
        moved(price(&a.old, f), price(&a.new, f), a.change)
    };
    let batch = |p: &Option<ApiPrices>| p.as_ref().and_then(|p| p.batch_discount).map(fmt_share);
    let rows = d
        .apis
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.provider.clone(),
                a.change.id().to_string(),
                column(a, |p| Some(p.input_usd_per_mtok)),
                column(a, |p| Some(p.output_usd_per_mtok)),
                column(a, |p| p.cached_input_usd_per_mtok),
                moved(batch(&a.old), batch(&a.new), a.change),
                column(a, |p| Some(p.blended_usd_per_mtok)),
                signed(a.blended_change_share, fmt_share, "0%"),
                moved(
                    a.old.as_ref().map(|p| p.tier.id().to_string()),
                    a.new.as_ref().map(|p| p.tier.id().to_string()),
                    a.change,
                ),
            ]
        })
        .collect();
    Grid::with_rows(
        &[
            "Id",
            "Provider",
            "Change",
            "Input $/1M",
            "Output $/1M",
            "Cached $/1M",
            "Batch discount",
            "Blended $/1M",
            "Move",
            "Tier",
        ],
        &[8],
        rows,
    )
}

fn gpu_changes(d: &PricingDiff) -> Grid {
    let cheapest = |s: &Option<GpuSide>| {
        s.as_ref()
            .map(|s| match (s.cheapest_usd_per_gpu_hour, &s.provider) {
                (Some(usd), Some(p)) => {
                    format!("{:.2} ({p})", crate::model::units::shown_amount(usd))
                }
                _ => "none".to_string(),
            })
    };
    let offers = |s: &Option<GpuSide>| s.as_ref().map(|s| s.offers.to_string());
    let rows = d
        .gpus
        .iter()
        .map(|g| {
            vec![
                g.id.clone(),
                g.change.id().to_string(),
                moved(cheapest(&g.old), cheapest(&g.new), g.change),
                signed(g.cheapest_change_share, fmt_share, "0%"),
                moved(offers(&g.old), offers(&g.new), g.change),
            ]
        })
        .collect();
    Grid::with_rows(&["Id", "Change", "Cheapest", "Move", "Offers"], &[3], rows)
}

fn delta_row(label: String, d: &OptionDelta) -> Vec<String> {
    vec![
        label,
        d.base_usd.map_or("-".into(), fmt_usd),
        d.head_usd.map_or("-".into(), fmt_usd),
        signed(d.delta_usd, fmt_usd, &fmt_usd(0.0)),
        signed(d.delta_share, fmt_share, "0%"),
    ]
}

/// That the two runs were priced with different data, when they were.
fn prices_changed(d: &Diff) -> Option<String> {
    if !d.prices_changed {
        return None;
    }
    let short = |s: &Option<String>| {
        s.as_deref()
            .map_or("-", |s| &s[..s.len().min(12)])
            .to_string()
    };
    let tool = match (&d.base.tool_version, &d.head.tool_version) {
        (Some(b), Some(h)) if b != h => format!(" (llm-decide {b} -> {h})"),
        _ => String::new(),
    };
    Some(format!(
        "Prices changed: pricing data sha256 {} -> {}{tool}; the change above includes it.",
        short(&d.base.pricing_sha256),
        short(&d.head.pricing_sha256)
    ))
}

/// Two runs compared: the verdict, every option's cost in both, volume and break-even, and
/// the gates.
pub fn diff(d: &Diff) -> View {
    let title = format!("llm-decide diff: {}", d.head.name);
    let (b, h) = (d.base.recommendation(), d.head.recommendation());
    let mut out = vec![Block::Title(title.clone())];
    out.push(Block::Verdict(if d.flipped {
        format!("Recommendation changed: {b} -> {h}")
    } else {
        format!("Recommendation unchanged: {b}")
    }));
    let mut g = Grid::new(
        &["Option", "Base", "Head", "Change", "Change %"],
        &[1, 2, 3, 4],
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
    let moved = match d.crossover_delta_tokens_per_month {
        Some(x) if x > 0.0 => format!(" (later by {})", fmt_tokens(x)),
        Some(x) if x < 0.0 => format!(" (earlier by {})", fmt_tokens(-x)),
        Some(_) => " (unchanged)".to_string(),
        None => String::new(),
    };
    let mut notes = vec![format!("Base: {}; head: {}.", d.base.file, d.head.file)];
    notes.extend(prices_changed(d));
    notes.extend([
        volume,
        format!(
            "Break-even: {} -> {}{moved}.",
            never(d.base.crossover_tokens_per_month),
            never(d.head.crossover_tokens_per_month)
        ),
    ]);
    out.push(Block::Bullets(notes));
    if !d.gates.is_empty() {
        out.push(Block::Heading("Gates".into()));
        let mut g = Grid::new(&["Gate", "Result", "Detail"], &[]);
        for x in &d.gates {
            result_row(
                &mut g,
                vec![x.name.id().to_string(), words::check::message(x)],
                1,
                x.passed,
            );
        }
        out.push(Block::Table(g));
    }
    View { title, blocks: out }
}
