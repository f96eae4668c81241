//! The human-readable renderer: the recommendation first, then the options, the reasons,
//! the break-even point, the volume table, the cost build-up and the assumptions.

use super::blocks::Grid;
use super::text::{bullet, heading};
use super::words;
use super::{Comparison, Document, Listing, Report};
use crate::engine::Analysis;
use crate::engine::analysis::Unit;
use crate::engine::decision::hybrid::HybridPlan;
use crate::engine::serving::latency::LatencyEstimate;
use crate::model::Named;
use crate::model::decision::Winner;
use crate::model::output::Metric;
use crate::model::units::{fmt_ms, fmt_share, fmt_tokens, fmt_usd, fmt_usd_per_mtok};

/// Renders a document as text.
pub fn render(doc: &Document) -> String {
    match doc {
        Document::Decision(r) => decision(r),
        Document::Compare(c) => compare(c),
        Document::Check(_) | Document::Diff(_) => {
            super::blocks::text(&super::summary::blocks(doc).1)
        }
        Document::List(listing) => list(listing),
        Document::Capacity(c) => capacity(c),
        // The default output of an import is the pricing file itself.
        Document::Import(i) => super::pricing_yaml::render(i),
        Document::Text(t) => t.clone(),
        Document::Crossover(s) => crossover(s),
        Document::Validation(v) => v
            .iter()
            .map(|x| format!("ok: {} ({}: {})\n", x.file, x.kind, x.summary))
            .collect(),
    }
}

fn rate(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| format!("{x:.0}"))
}

/// A sized deployment's figures.
pub fn capacity_grid(c: &crate::engine::serving::capacity::Capacity) -> Grid {
    let m = &c.memory_gb;
    grid(
        &["", "Value"],
        &[1],
        vec![
            vec![
                "Tensor parallel x replicas".into(),
                format!("{} x {}", c.tensor_parallel, c.replicas),
            ],
            vec!["Weights per replica".into(), format!("{:.1} GB", m.weights)],
            vec![
                "KV cache per replica at the largest batch".into(),
                format!("{:.1} GB", m.kv_cache),
            ],
            vec![
                "Overhead per replica".into(),
                format!("{:.1} GB", m.overhead),
            ],
            vec![
                "Available per replica (weights + KV)".into(),
                format!("{:.1} GB", m.available),
            ],
            vec![
                "Largest batch per replica".into(),
                c.max_batch.unwrap_or(0).to_string(),
            ],
            vec![
                "Output tokens/s, all GPUs".into(),
                rate(c.max_output_tokens_per_s),
            ],
            vec![
                "Single-stream tokens/s".into(),
                rate(c.single_stream_output_tokens_per_s),
            ],
            vec![
                "Prefill tokens/s per replica".into(),
                rate(c.prefill_tokens_per_s),
            ],
            vec![
                "TTFT at the largest batch (no queueing)".into(),
                c.ttft_ms.map_or("-".into(), fmt_ms),
            ],
            vec![
                "TPOT at the largest batch".into(),
                c.tpot_ms.map_or("-".into(), fmt_ms),
            ],
            vec![
                format!(
                    "Tokens a month at {}% utilization",
                    c.target_utilization * 100.0
                ),
                c.tokens_per_month_at_target_utilization
                    .map_or("-".into(), fmt_tokens),
            ],
        ],
    )
}

fn capacity(c: &crate::engine::serving::capacity::Capacity) -> String {
    let mut out = format!(
        "llm-decide capacity: {} in {} on {} x {} ({} engine), requests of {} + {} tokens\n",
        c.model, c.precision, c.gpus, c.gpu, c.engine, c.shape.input_tokens, c.shape.output_tokens
    );
    if !c.fits {
        out.push_str(&bullet(
            "\nDoes not fit: ",
            &format!(
                "{}.",
                c.message.as_ref().map(words::cost::fit).unwrap_or_default()
            ),
        ));
        return out;
    }
    out.push('\n');
    out.push_str(&capacity_grid(c).text());
    if let Some(n) = &c.needed {
        let cost = match (&n.monthly_cost_usd, &n.gpu_cost_problem) {
            (Some(usd), _) => format!(", {} a month in GPUs (no personnel)", fmt_usd(*usd)),
            (None, Some(p)) => format!("; the GPUs cannot be priced: {}", words::cost::unpriced(p)),
            _ => String::new(),
        };
        let enough = match n.enough {
            Some(true) => format!(" The {} GPUs given are enough.", c.gpus),
            Some(false) => format!(" The {} GPUs given are not enough.", c.gpus),
            None => String::new(),
        };
        out.push_str(&bullet(
            "\n",
            &format!(
                "{} tokens a month peak at {:.0} tokens/s and need {} replica{} = {} GPUs{cost}.{enough}",
                fmt_tokens(n.tokens_per_month),
                n.peak_tokens_per_s,
                n.replicas,
                if n.replicas == 1 { "" } else { "s" },
                n.gpus
            ),
        ));
    }
    out
}

/// A table with a header and right-aligned numeric columns.
pub fn table(header: &[&str], right: &[usize], rows: Vec<Vec<String>>) -> String {
    grid(header, right, rows).text()
}

/// A grid with a header, right-aligned numeric columns and rows.
pub fn grid(header: &[&str], right: &[usize], rows: Vec<Vec<String>>) -> Grid {
    let mut g = Grid::new(header, right);
    g.rows = rows;
    g
}

fn latency_cell(e: &LatencyEstimate) -> String {
    let bound = if e.lower_bound { "at least " } else { "" };
    let verdict = match e.meets_target {
        Some(true) => ", meets",
        Some(false) => ", misses",
        None => "",
    };
    format!("{bound}{}{verdict}", fmt_ms(e.ttft_p95_ms))
}

fn verdict<T>(blockers: &[T]) -> String {
    if blockers.is_empty() {
        "feasible".into()
    } else {
        "ruled out".into()
    }
}

/// The report's first two lines: the scenario and the workload in a line.
pub fn title(a: &Analysis) -> String {
    let w = &a.workload;
    let mut line = format!(
        "{} tokens a month ({} input), {} traffic",
        fmt_tokens(w.tokens_per_month),
        fmt_share(w.input_share),
        w.traffic.shape.id()
    );
    if let Some(t) = &w.latency {
        line.push_str(&format!(
            ", latency target {} ({} {})",
            fmt_ms(t.target_ms),
            t.percentile.id(),
            t.metric.id()
        ));
    }
    format!("llm-decide: {}\n{line}\n", w.name)
}

fn recommendation_line(a: &Analysis) -> String {
    let r = &a.recommendation;
    let pattern = r
        .pattern
        .map_or(String::new(), |p| format!(" ({})", p.id()));
    format!(
        "\nRecommendation: {}{pattern}, {} a month\n",
        words::label(r.choice).to_uppercase(),
        fmt_usd(r.monthly_cost_usd)
    )
}

fn hybrid_row(h: &HybridPlan) -> Vec<String> {
    let split: Vec<String> = h
        .routes
        .iter()
        .map(|r| match r.side {
            crate::engine::decision::hybrid::Side::SelfHost => {
                let units = r.units.unwrap_or(0);
                format!(
                    "{} self-hosted ({units} unit{})",
                    fmt_share(r.share),
                    if units == 1 { "" } else { "s" }
                )
            }
            crate::engine::decision::hybrid::Side::Api => {
                format!(
                    "{} on {}",
                    fmt_share(r.share),
                    words::decision::route_target(r)
                )
            }
        })
        .collect();
    vec![
        format!("Hybrid ({})", h.pattern.id()),
        split.join(" + "),
        fmt_usd(h.monthly_cost_usd),
        "-".into(),
        verdict(&h.blockers),
    ]
}

/// The options: what each is, its cost, latency and verdict.
pub fn options_grid(a: &Analysis) -> Grid {
    let api = &a.api;
    let sh = &a.self_host;
    let api_what = match &api.frontier_id {
        Some(f) => format!(
            "{} + {} for frontier traffic ({} per 1M)",
            api.name,
            f,
            fmt_usd_per_mtok(api.cost.usd_per_mtok)
        ),
        None => format!(
            "{} ({} per 1M)",
            api.name,
            fmt_usd_per_mtok(api.cost.usd_per_mtok)
        ),
    };
    let mut rows = vec![
        vec![
            "API".to_string(),
            api_what,
            fmt_usd(api.cost.monthly_cost_usd),
            latency_cell(&api.latency),
            verdict(&api.blockers),
        ],
        vec![
            "Self-host".to_string(),
            words::cost::describe(sh),
            fmt_usd(sh.cost.monthly_cost_usd),
            latency_cell(&sh.latency),
            verdict(&sh.blockers),
        ],
    ];
    rows.extend(a.hybrids.iter().map(hybrid_row));
    grid(
        &["Option", "What", "Monthly cost", "TTFT p95", "Verdict"],
        &[2],
        rows,
    )
}

/// Costs of both sides at volumes around the workload's.
pub fn volume_grid(a: &Analysis) -> Grid {
    rows_grid(a, &a.volume_table)
}

fn decision(r: &Report) -> String {
    let a = &r.analysis;
    let rec = &a.recommendation;
    let mut out = title(a);
    out.push_str(&recommendation_line(a));
    if !r.checks.is_empty() {
        out.push_str(&heading("Checks"));
        out.push_str(&super::summary::checks_grid(&r.checks, None).text());
    }
    out.push_str(&heading("Options"));
    out.push_str(&options_grid(a).text());
    out.push_str(&hybrid_section(a));
    out.push_str(&latency_section(a));
    out.push_str(&heading("Why"));
    for reason in &rec.reasons {
        out.push_str(&bullet("  - ", &words::decision::reason(reason, a)));
    }
    if !rec.alternatives.is_empty() {
        out.push_str(&heading("Not chosen"));
        for alt in &rec.alternatives {
            let name = match alt.pattern {
                Some(p) => format!("Hybrid ({})", p.id()),
                None => words::label(alt.choice).to_string(),
            };
            out.push_str(&bullet(
                "  - ",
                &format!(
                    "{name}, {} a month: {}.",
                    fmt_usd(alt.monthly_cost_usd),
                    words::decision::why_not(alt, a)
                ),
            ));
        }
    }
    out.push_str(&heading("Break-even"));
    let text = break_even(a);
    out.push_str(&bullet("  ", &text));
    out.push_str(&bullet("  ", &words::decision::revisit(&rec.revisit, a)));
    out.push_str(&heading("Volume table"));
    out.push_str(&volume_grid(a).text());
    out.push_str(&outlook_section(a));
    out.push_str(&self_host_section(a));
    out.push_str(&heading("Assumptions"));
    for x in &a.assumptions {
        let value = match x.unit {
            Unit::Share => fmt_share(x.value),
            Unit::UsdPerMonth => format!("{} a month", fmt_usd(x.value)),
            Unit::TokensPerMonth => format!("{} tokens a month", fmt_tokens(x.value)),
            Unit::Ms => fmt_ms(x.value),
            Unit::Ratio => format!("{}", x.value),
        };
        out.push_str(&bullet(
            "  - ",
            &format!(
                "{} = {value}: {}",
                words::cost::assumed(&x.name),
                words::cost::assumption_basis(&x.basis)
            ),
        ));
    }
    out.push_str(&heading("Pricing data"));
    out.push_str(&bullet(
        "  ",
        &format!(
            "Profile {}, sha256 {}; oldest price checked {}.",
            r.pricing.profile,
            &r.pricing.sha256[..12.min(r.pricing.sha256.len())],
            r.pricing
                .oldest_price_checked
                .map_or("never".to_string(), |d| d.to_string())
        ),
    ));
    for e in &r.pricing.entries {
        let checked = e
            .checked
            .map_or("given on the command line".to_string(), |d| {
                format!("checked {d}")
            });
        out.push_str(&bullet(
            "  - ",
            &format!("{}: {checked}, {}", e.id, e.source),
        ));
    }
    for w in &r.warnings {
        out.push_str(&bullet("warning: ", w));
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
                if u == 1 { "" } else { "s" },
                fmt_usd(c.monthly_cost_usd.unwrap_or(0.0))
            );
            if let Some(s) = c.stable_from_tokens_per_month.filter(|s| *s > v) {
                t.push_str(&format!(
                    " Just past each added unit the API is cheaper again until {} tokens a month.",
                    fmt_tokens(s)
                ));
            }
            t
        }
        _ => "Self-hosting never costs less than the API at these prices.".to_string(),
    }
}

fn ms_or_dash(v: Option<f64>) -> String {
    v.map_or("-".into(), fmt_ms)
}

fn money_or_dash(v: Option<f64>) -> String {
    v.map_or("-".into(), fmt_usd)
}

/// When self-hosting becomes cheaper and when the API bill crosses the two planning
/// thresholds, over a projection of `horizon` months.
fn growth_milestones(a: &Analysis, horizon: usize) -> String {
    let p = &a.projection;
    let start = fmt_usd(a.policy.start_planning_usd_per_month);
    let ready = fmt_usd(a.policy.ready_to_switch_usd_per_month);
    let cheaper = match p.crossover_month {
        Some(m) => format!("Self-hosting is cheaper from month {m}"),
        None => format!("Self-hosting is not cheaper within {horizon} months"),
    };
    let bill = match (p.start_planning_month, p.ready_to_switch_month) {
        (Some(s), Some(r)) => format!("reaches {start} in month {s} and {ready} in month {r}"),
        (Some(s), None) => {
            format!("reaches {start} in month {s} and stays under {ready} through month {horizon}")
        }
        (None, Some(r)) => {
            format!("reaches {ready} in month {r} and stays under {start} through month {horizon}")
        }
        (None, None) => format!("stays under {start} through month {horizon}"),
    };
    format!("{cheaper}; the API bill {bill}.")
}

fn lever_value(lever: crate::model::uncertainty::Lever, v: f64) -> String {
    if lever.is_share() {
        fmt_share(v)
    } else {
        format!("x{}", (v * 1000.0).round() / 1000.0)
    }
}

/// Growth, total cost of ownership, sensitivity and uncertainty.
fn outlook_section(a: &Analysis) -> String {
    let p = &a.projection;
    let horizon = p.months.len();
    let mut out = heading(&format!(
        "Growth ({} a month, API prices {})",
        fmt_share(p.growth_monthly),
        if p.api_price_decline_yearly > 0.0 {
            format!("-{} a year", fmt_share(p.api_price_decline_yearly))
        } else {
            "flat".into()
        }
    ));
    let hybrid = p.hybrid_pattern.as_deref();
    let mut header = vec!["Month", "Tokens", "API", "Self-host"];
    let hybrid_title = hybrid.map(|h| format!("Hybrid ({h})"));
    if let Some(h) = &hybrid_title {
        header.push(h);
    }
    let marks: Vec<usize> = [1, 3, 6, 12, 18, 24, 36, 48, 60]
        .into_iter()
        .filter(|m| *m <= horizon)
        .collect();
    let rows = p
        .months
        .iter()
        .filter(|m| marks.contains(&(m.month as usize)) || m.month as usize == horizon)
        .map(|m| {
            let mut row = vec![
                m.month.to_string(),
                fmt_tokens(m.tokens_per_month),
                fmt_usd(m.api_usd),
                fmt_usd(m.self_host_usd),
            ];
            if hybrid.is_some() {
                row.push(money_or_dash(m.hybrid_usd));
            }
            row
        })
        .collect();
    let right: Vec<usize> = (1..header.len()).collect();
    out.push_str(&table(&header, &right, rows));
    out.push_str(&bullet("  ", &growth_milestones(a, horizon)));
    let tco: Vec<String> = p
        .tco
        .iter()
        .map(|t| {
            let hybrid = t
                .hybrid_usd
                .map_or(String::new(), |h| format!(", hybrid {}", fmt_usd(h)));
            format!(
                "{} months: API {}, self-host {}{hybrid}",
                t.months,
                fmt_usd(t.api_usd),
                fmt_usd(t.self_host_usd)
            )
        })
        .collect();
    out.push_str(&bullet(
        "  ",
        &format!("Total cost of ownership: {}.", tco.join("; ")),
    ));
    let s = &a.sensitivity;
    out.push_str(&heading(
        "Sensitivity (saving of self-hosting over the API a month)",
    ));
    let rows = s
        .tornado
        .iter()
        .map(|w| {
            vec![
                w.lever.id().to_string(),
                format!(
                    "{} .. {}",
                    lever_value(w.lever, w.low),
                    lever_value(w.lever, w.high)
                ),
                fmt_usd(w.saving_low_usd),
                fmt_usd(w.saving_high_usd),
                format!(
                    "{} .. {}",
                    w.crossover_low_tokens.map_or("never".into(), fmt_tokens),
                    w.crossover_high_tokens.map_or("never".into(), fmt_tokens)
                ),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "Assumption",
            "Range",
            "Saving at low",
            "Saving at high",
            "Crossover",
        ],
        &[2, 3],
        rows,
    ));
    out.push_str(&bullet(
        "  ",
        &format!(
            "At the estimates self-hosting saves {} a month (negative: the API is cheaper). The cheaper side changes if:",
            fmt_usd(s.base_saving_usd)
        ),
    ));
    for t in &s.thresholds {
        let text = match t.flips_at {
            Some(v) => format!("{} reaches {}", t.lever.id(), lever_value(t.lever, v)),
            None if t.lever.is_share() => format!("{}: never within 0% .. 100%", t.lever.id()),
            None => format!("{}: never within x0.001 .. x1000", t.lever.id()),
        };
        out.push_str(&bullet("  - ", &text));
    }
    let u = &a.uncertainty;
    out.push_str(&heading(&format!(
        "Uncertainty ({} draws, seed {})",
        u.draws, u.seed
    )));
    let rows = u
        .options
        .iter()
        .map(|o| {
            vec![
                o.option.clone(),
                fmt_share(o.probability_cheapest),
                fmt_usd(o.p5_usd),
                fmt_usd(o.p50_usd),
                fmt_usd(o.p95_usd),
            ]
        })
        .collect();
    out.push_str(&table(
        &["Option", "P(cheapest)", "p5", "p50", "p95"],
        &[1, 2, 3, 4],
        rows,
    ));
    let ranges: Vec<String> = u
        .ranges
        .iter()
        .map(|r| {
            format!(
                "{} {} .. {} .. {}",
                r.lever.id(),
                lever_value(r.lever, r.low),
                lever_value(r.lever, r.likely),
                lever_value(r.lever, r.high)
            )
        })
        .collect();
    out.push_str(&bullet(
        "  ",
        &format!("Triangular ranges: {}.", ranges.join("; ")),
    ));
    out
}

/// Each hybrid plan's routes, checkable by hand: tokens, units and cost per route, the fixed
/// costs, the total and its saving.
fn hybrid_section(a: &Analysis) -> String {
    if a.hybrids.is_empty() {
        return String::new();
    }
    let mut out = heading("Hybrid plans");
    for line in hybrid_lines(a) {
        out.push_str(&bullet("  - ", &line));
    }
    out
}

/// Each hybrid plan in a sentence: its routes, fixed costs, total and savings.
pub fn hybrid_lines(a: &Analysis) -> Vec<String> {
    a.hybrids.iter().map(words::decision::hybrid).collect()
}

/// The latency of each side, its parts, and ways to meet a missed target.
fn latency_section(a: &Analysis) -> String {
    let mut out = heading(&latency_title(a));
    out.push_str(&latency_grid(a).text());
    for line in latency_parts(a) {
        out.push_str(&bullet("  ", &line));
    }
    let remedies = latency_remedies(a);
    if !remedies.is_empty() {
        out.push_str(&bullet(
            "  ",
            "Ways to meet the target with self-hosting, one change at a time:",
        ));
        for r in remedies {
            out.push_str(&bullet("  - ", &r));
        }
    }
    out
}

/// The latency section's title, with the target.
pub fn latency_title(a: &Analysis) -> String {
    match &a.workload.latency {
        Some(t) => format!(
            "Latency (target {} {} {})",
            fmt_ms(t.target_ms),
            t.percentile.id(),
            t.metric.id()
        ),
        None => "Latency (no target)".to_string(),
    }
}

/// Latency of both sides against the target.
pub fn latency_grid(a: &Analysis) -> Grid {
    let row = |name: &str, e: &LatencyEstimate| {
        let bound = if e.lower_bound { "at least " } else { "" };
        vec![
            name.to_string(),
            format!("{bound}{}", fmt_ms(e.ttft_p50_ms)),
            format!("{bound}{}", fmt_ms(e.ttft_p95_ms)),
            ms_or_dash(e.tpot_ms),
            ms_or_dash(e.e2e_p95_ms),
            match e.meets_target {
                Some(true) => "meets".into(),
                Some(false) => "misses".into(),
                None if a.workload.latency.is_some() => "unknown".into(),
                None => "-".into(),
            },
        ]
    };
    grid(
        &[
            "Option", "TTFT p50", "TTFT p95", "TPOT", "E2E p95", "Target",
        ],
        &[1, 2, 3, 4],
        vec![
            row("API", &a.api.latency),
            row("Self-host", &a.self_host.latency),
        ],
    )
}

/// What each side's p95 TTFT is made of.
pub fn latency_parts(a: &Analysis) -> Vec<String> {
    [("API", &a.api.latency), ("Self-host", &a.self_host.latency)]
        .into_iter()
        .map(|(name, e)| {
            let parts: Vec<String> = e
                .components
                .iter()
                .map(|c| format!("{} {}", words::latency::part(c), fmt_ms(c.p95_ms)))
                .collect();
            let tail = match e.tpot_ms {
                Some(t) => format!(
                    "; E2E adds {} output tokens x {}",
                    e.output_tokens,
                    fmt_ms(t)
                ),
                None => String::new(),
            };
            format!("{name} TTFT p95 = {}{tail}.", parts.join(" + "))
        })
        .collect()
}

/// Ways to meet a missed target with self-hosting, one change at a time.
pub fn latency_remedies(a: &Analysis) -> Vec<String> {
    a.self_host
        .remedies
        .iter()
        .map(|r| {
            format!(
                "{}: {} at {} a month.",
                words::cost::change(&r.change),
                words::cost::deployment(&r.deployment),
                fmt_usd(r.deployment.monthly_cost_usd)
            )
        })
        .collect()
}

/// The self-host cost build-up, the sized deployment and the notes.
fn self_host_section(a: &Analysis) -> String {
    let sh = &a.self_host;
    let mut out = heading(&format!(
        "Self-host cost build-up ({})",
        words::cost::describe(sh)
    ));
    let units = sh.cost.units;
    for line in &sh.unit_costs {
        let note = words::cost::basis(&line.basis).map_or(String::new(), |n| format!(" ({n})"));
        out.push_str(&bullet(
            "  - ",
            &format!(
                "{}: {} x {} = {}{note}",
                words::cost::item(&line.item),
                units,
                fmt_usd(line.usd_per_month),
                fmt_usd(f64::from(units) * line.usd_per_month)
            ),
        ));
    }
    for line in &sh.fixed_costs {
        let note = words::cost::basis(&line.basis).map_or(String::new(), |n| format!(" ({n})"));
        out.push_str(&bullet(
            "  - ",
            &format!(
                "{}: {}{note}",
                words::cost::item(&line.item),
                fmt_usd(line.usd_per_month)
            ),
        ));
    }
    out.push_str(&bullet(
        "  = ",
        &format!("{} a month", fmt_usd(sh.cost.monthly_cost_usd)),
    ));
    if let Some(d) = &sh.deployment {
        let z = &d.sizing;
        out.push_str(&heading("Self-host deployment"));
        out.push_str(&table(
            &["Per replica", "Value"],
            &[1],
            vec![
                vec![
                    "GPUs (tensor parallel)".into(),
                    format!("{} x {}", z.tensor_parallel, z.gpu),
                ],
                vec![
                    "Precision".into(),
                    format!(
                        "{}{}",
                        z.precision,
                        if z.native_precision {
                            ""
                        } else {
                            " (weight-only)"
                        }
                    ),
                ],
                vec![
                    "Memory: weights + KV cache + overhead".into(),
                    format!(
                        "{:.1} + {:.1} + {:.1} of {:.0} GB",
                        z.memory_gb.weights,
                        z.memory_gb.kv_cache,
                        z.memory_gb.overhead,
                        z.memory_gb.total
                    ),
                ],
                vec![
                    "Request (input + output tokens)".into(),
                    format!("{} + {}", z.shape.input_tokens, z.shape.output_tokens),
                ],
                vec![
                    "Batch (largest that fits)".into(),
                    format!(
                        "{} ({}){}",
                        z.batch,
                        z.max_batch,
                        if z.latency_limited {
                            ", limited by the per-token latency"
                        } else {
                            ""
                        }
                    ),
                ],
                vec![
                    "Output tokens/s".into(),
                    format!("{:.0}", z.output_tokens_per_s),
                ],
                vec![
                    "Single-stream tokens/s".into(),
                    format!("{:.0}", z.single_stream_output_tokens_per_s),
                ],
                vec![
                    "Prefill tokens/s".into(),
                    format!("{:.0}", z.prefill_tokens_per_s),
                ],
                vec![
                    "TTFT / TPOT (no queueing)".into(),
                    format!("{} / {}", fmt_ms(z.ttft_ms), fmt_ms(z.tpot_ms)),
                ],
                vec![
                    "Tokens a month at target utilization".into(),
                    fmt_tokens(d.replica_tokens_per_month),
                ],
            ],
        ));
        out.push_str(&bullet("  ", &format!("{}.", words::cost::deployment(d))));
    }
    if let Some(search) = &sh.search {
        let rejected = if search.rejected.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = search.rejected.iter().map(words::cost::rejected).collect();
            format!("; rejected: {}", list.join("; "))
        };
        out.push_str(&bullet(
            "  ",
            &format!(
                "The search evaluated {} configurations{rejected}.",
                search.evaluated
            ),
        ));
    }
    for note in &sh.notes {
        out.push_str(&bullet("  note: ", &words::cost::note(note)));
    }
    out
}

fn compare(c: &Comparison) -> String {
    let mut out = compare_grid(c).text();
    for (r, title) in c.reports.iter().zip(c.titles()) {
        out.push_str(&heading(&title));
        for reason in chosen_reasons(&r.analysis) {
            out.push_str(&bullet("  - ", &reason));
        }
    }
    out
}

/// The reasons that favor the recommendation.
pub fn chosen_reasons(a: &Analysis) -> Vec<String> {
    a.recommendation
        .reasons
        .iter()
        .filter(|r| r.favors == Some(a.recommendation.choice))
        .map(|r| words::decision::reason(r, a))
        .collect()
}

/// A monthly cost, marked when something rules the option out.
fn cost_or_ruled_out<T>(usd: f64, blockers: &[T]) -> String {
    if blockers.is_empty() {
        fmt_usd(usd)
    } else {
        format!("{} (ruled out)", fmt_usd(usd))
    }
}

/// A metric's label and its value for one scenario.
pub fn metric_cell(m: Metric, a: &Analysis) -> (&'static str, String) {
    match m {
        Metric::Tokens => ("Tokens a month", fmt_tokens(a.workload.tokens_per_month)),
        Metric::Recommendation => {
            let r = &a.recommendation;
            let v = match r.pattern {
                Some(p) => format!("{} ({})", words::label(r.choice), p.id()),
                None => words::label(r.choice).to_string(),
            };
            ("Recommendation", v)
        }
        Metric::Cost => (
            "Recommended cost",
            fmt_usd(a.recommendation.monthly_cost_usd),
        ),
        Metric::Api => ("API", a.api.id.clone()),
        Metric::ApiCost => (
            "API cost",
            cost_or_ruled_out(a.api.cost.monthly_cost_usd, &a.api.blockers),
        ),
        Metric::SelfHost => ("Self-host setup", words::cost::self_host_cell(&a.self_host)),
        Metric::SelfHostCost => (
            "Self-host cost",
            cost_or_ruled_out(a.self_host.cost.monthly_cost_usd, &a.self_host.blockers),
        ),
        Metric::Hybrid => (
            "Best hybrid",
            a.hybrids
                .iter()
                .filter(|h| h.blockers.is_empty())
                .min_by(|x, y| x.monthly_cost_usd.total_cmp(&y.monthly_cost_usd))
                .map_or("-".into(), |h| {
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
pub fn compare_grid(c: &Comparison) -> Grid {
    let mut g = Grid::default();
    g.header.push(String::new());
    g.header.extend(c.titles());
    g.right = (1..g.header.len()).collect();
    let Some(first) = c.reports.first() else {
        return g;
    };
    for m in c.rows() {
        let mut cells = vec![metric_cell(m, &first.analysis).0.to_string()];
        cells.extend(c.reports.iter().map(|r| metric_cell(m, &r.analysis).1));
        g.row(cells);
    }
    g
}

fn list(listing: &Listing) -> String {
    list_grid(listing).text()
}

/// A catalog listing as a grid.
pub fn list_grid(listing: &Listing) -> Grid {
    match listing {
        Listing::Apis(apis) => grid(
            &[
                "Id",
                "Provider",
                "Tier",
                "Input $/1M",
                "Output $/1M",
                "Cached $/1M",
                "Checked",
                "Source",
            ],
            &[3, 4, 5],
            apis.iter()
                .map(|a| {
                    vec![
                        a.id.clone(),
                        a.provider.clone(),
                        a.tier.id().to_string(),
                        fmt_usd_per_mtok(a.input_usd_per_mtok),
                        fmt_usd_per_mtok(a.output_usd_per_mtok),
                        a.cached_input_usd_per_mtok
                            .map_or("-".into(), fmt_usd_per_mtok),
                        a.provenance.checked.map_or("-".into(), |d| d.to_string()),
                        a.provenance.source.clone(),
                    ]
                })
                .collect(),
        ),
        Listing::Setups(setups) => grid(
            &[
                "Id",
                "Name",
                "Kind",
                "Unit cost/month",
                "Tokens/month per unit",
                "Checked",
                "Source",
            ],
            &[3, 4],
            setups
                .iter()
                .map(|s| {
                    vec![
                        s.id.clone(),
                        s.name.clone(),
                        s.kind.id().to_string(),
                        fmt_usd(s.unit_usd_per_month()),
                        fmt_tokens(s.tokens_per_month_per_unit),
                        s.provenance.checked.map_or("-".into(), |d| d.to_string()),
                        s.provenance.source.clone(),
                    ]
                })
                .collect(),
        ),
        Listing::Gpus(gpus) => grid(
            &[
                "Id",
                "Memory GB",
                "GB/s",
                "BF16 TFLOPS",
                "FP8 TFLOPS",
                "Watts",
                "Cheapest $/GPU-h",
                "Offer (checked)",
            ],
            &[1, 2, 3, 4, 5, 6],
            gpus.iter()
                .map(|e| {
                    let g = &e.gpu;
                    let opt = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{x}"));
                    vec![
                        g.id.clone(),
                        format!("{}", g.memory_gb),
                        format!("{}", g.memory_bandwidth_gb_s),
                        format!("{}", g.bf16_tflops),
                        opt(g.fp8_tflops),
                        opt(g.power_w),
                        e.cheapest
                            .as_ref()
                            .map_or("-".into(), |p| format!("{:.2}", p.usd_per_gpu_hour)),
                        e.cheapest
                            .as_ref()
                            .map_or("no price of this kind".into(), |p| {
                                format!("{} {} ({})", p.provider, p.kind.id(), p.checked)
                            }),
                    ]
                })
                .collect(),
        ),
        Listing::Models(models) => grid(
            &[
                "Id",
                "Params B",
                "Active B",
                "Layers",
                "KV heads",
                "KV KB/token",
                "Context",
                "Tier",
            ],
            &[1, 2, 3, 4, 5, 6],
            models
                .iter()
                .map(|m| {
                    vec![
                        m.id.clone(),
                        format!("{}", m.params_b),
                        format!("{}", m.active_params_b),
                        m.layers.to_string(),
                        m.kv_heads.to_string(),
                        format!("{:.0}", m.kv_bytes_per_token(2.0) / 1000.0),
                        format!("{}", m.context_tokens),
                        m.tier.id().to_string(),
                    ]
                })
                .collect(),
        ),
        Listing::Scenarios(items) => grid(
            &["File", "Name", "Tokens/month", "Description"],
            &[2],
            items
                .iter()
                .map(|s| {
                    vec![
                        s.file.clone(),
                        s.name.clone(),
                        fmt_tokens(s.tokens_per_month),
                        s.description.clone(),
                    ]
                })
                .collect(),
        ),
    }
}

fn crossover(s: &super::crossover::Sweep) -> String {
    let a = &s.report.analysis;
    let mut out = title(a);
    out.push_str(&recommendation_line(a));
    out.push('\n');
    out.push_str(&super::crossover::chart(&s.report, &s.curve, s.log_scale).text(64, 16));
    out.push_str(&heading("Break-even"));
    out.push_str(&bullet("  ", &break_even(a)));
    out.push_str(&heading("Sweep"));
    out.push_str(&rows_grid(a, &s.rows).text());
    out
}

/// Rows of a volume table or sweep as a grid.
pub fn rows_grid(a: &Analysis, rows: &[crate::engine::VolumeRow]) -> Grid {
    let body = rows
        .iter()
        .map(|r| {
            let winner = match r.winner {
                Winner::Api => "API",
                Winner::SelfHost => "Self-host",
                Winner::Tie => "Roughly equal",
            };
            let units = if r.self_host_units > 1 {
                format!(" ({} units)", r.self_host_units)
            } else {
                String::new()
            };
            vec![
                format!(
                    "{}{}",
                    fmt_tokens(r.tokens_per_month),
                    if r.is_workload { " (you)" } else { "" }
                ),
                fmt_usd(r.api_monthly_cost_usd),
                format!("{}{units}", fmt_usd(r.self_host_monthly_cost_usd)),
                winner.to_string(),
            ]
        })
        .collect();
    grid(
        &[
            "Monthly tokens",
            &format!("API ({})", a.api.id),
            &format!("Self-host ({})", words::cost::self_host_label(&a.self_host)),
            "Winner",
        ],
        &[1, 2],
        body,
    )
}
