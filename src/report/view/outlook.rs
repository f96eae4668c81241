//! The outlook as blocks: growth month by month with the total cost of ownership, the
//! sensitivity of the saving to each assumption, and the Monte Carlo summary.

use super::{Block, Grid};
use crate::engine::Analysis;
use crate::engine::outlook::projection::Switch;
use crate::model::Named;
use crate::model::units::{fmt_share, fmt_tokens, fmt_usd};
use crate::model::workload::uncertainty::Lever;

/// Growth, total cost of ownership, sensitivity and uncertainty.
pub fn outlook(a: &Analysis) -> Vec<Block> {
    let mut out = growth(a);
    out.extend(sensitivity(a));
    out.extend(uncertainty(a));
    out
}

fn lever_value(lever: Lever, v: f64) -> String {
    if lever.is_share() {
        fmt_share(v)
    } else {
        format!("x{}", (v * 1000.0).round() / 1000.0)
    }
}

/// When self-hosting becomes cheaper and when the API bill crosses the two planning
/// thresholds, over a projection of `horizon` months.
fn milestones(a: &Analysis, horizon: usize) -> String {
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

fn growth(a: &Analysis) -> Vec<Block> {
    let p = &a.projection;
    let horizon = p.months.len();
    let title = format!(
        "Growth ({} a month, API prices {})",
        fmt_share(p.growth_monthly),
        if p.api_price_decline_yearly > 0.0 {
            format!("-{} a year", fmt_share(p.api_price_decline_yearly))
        } else {
            "flat".into()
        }
    );
    let hybrid_title = p.hybrid_pattern.as_deref().map(|h| format!("Hybrid ({h})"));
    let mut header = vec!["Month", "Tokens", "API", "Self-host"];
    if let Some(h) = &hybrid_title {
        header.push(h);
    }
    header.push("Switch now (cash)");
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
            if hybrid_title.is_some() {
                row.push(m.hybrid_usd.map_or("-".into(), fmt_usd));
            }
            row.push(fmt_usd(m.switch_usd));
            row
        })
        .collect();
    let right: Vec<usize> = (1..header.len()).collect();
    let tco: Vec<String> = p
        .tco
        .iter()
        .map(|t| {
            let hybrid = t
                .hybrid_usd
                .map_or(String::new(), |h| format!(", hybrid {}", fmt_usd(h)));
            format!(
                "{} months: API {}, self-host {}{hybrid}, switching now {}",
                t.months,
                fmt_usd(t.api_usd),
                fmt_usd(t.self_host_usd),
                fmt_usd(t.switch_usd)
            )
        })
        .collect();
    vec![
        Block::Heading(title),
        Block::Table(Grid::with_rows(&header, &right, rows)),
        Block::Para(milestones(a, horizon)),
        Block::Para(format!("Total cost of ownership: {}.", tco.join("; "))),
        Block::Para(switch(&p.switch)),
    ]
}

/// What switching costs once and when it pays back.
fn switch(s: &Switch) -> String {
    let o = &s.one_time;
    let hardware = if s.hardware_usd > 0.0 {
        let more = s.hardware_36_months_usd - s.hardware_usd;
        format!(
            "owned hardware {} in month 1{}; ",
            fmt_usd(s.hardware_usd),
            if more > 0.0 {
                format!(" and {} more as the volume grows", fmt_usd(more))
            } else {
                String::new()
            }
        )
    } else {
        String::new()
    };
    let payback = match s.payback_month {
        Some(m) => format!("the switch pays back in month {m}"),
        None => "the switch does not pay back within 36 months".into(),
    };
    let hardware_payback = match (s.hardware_usd > 0.0, s.hardware_payback_month) {
        (false, _) => String::new(),
        (true, Some(m)) => format!("; the hardware has paid for itself by month {m}"),
        (true, None) => "; the hardware does not pay for itself within 36 months".into(),
    };
    format!(
        "Switching now costs once: {hardware}the build, {} engineer-months x {} = {}; and {} months to production, with the API paid meanwhile (--build-effort, --time-to-production). In cash, {payback}{hardware_payback}.",
        o.build_engineer_months,
        fmt_usd(o.engineer_usd_per_month),
        fmt_usd(s.build_usd),
        o.months_to_production,
    )
}

fn sensitivity(a: &Analysis) -> Vec<Block> {
    let s = &a.sensitivity;
    let never = |v: Option<f64>| v.map_or("never".into(), fmt_tokens);
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
                    never(w.crossover_low_tokens),
                    never(w.crossover_high_tokens)
                ),
            ]
        })
        .collect();
    let thresholds = s
        .thresholds
        .iter()
        .map(|t| match t.flips_at {
            Some(v) => format!("{} reaches {}", t.lever.id(), lever_value(t.lever, v)),
            None if t.lever.is_share() => format!("{}: never within 0% .. 100%", t.lever.id()),
            None => format!("{}: never within x0.001 .. x1000", t.lever.id()),
        })
        .collect();
    vec![
        Block::Heading("Sensitivity (saving of self-hosting over the API a month)".into()),
        Block::Table(Grid::with_rows(
            &[
                "Assumption",
                "Range",
                "Saving at low",
                "Saving at high",
                "Crossover",
            ],
            &[2, 3],
            rows,
        )),
        Block::Para(format!(
            "At the estimates self-hosting saves {} a month (negative: the API is cheaper). The cheaper side changes if:",
            fmt_usd(s.base_saving_usd)
        )),
        Block::Bullets(thresholds),
    ]
}

fn uncertainty(a: &Analysis) -> Vec<Block> {
    let u = &a.uncertainty;
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
    let mut out = vec![Block::Heading(format!(
        "Uncertainty ({} draws, seed {})",
        u.draws, u.seed
    ))];
    if u.options.is_empty() {
        out.push(Block::Para(format!(
            "Every option is ruled out ({}), so there is nothing to draw.",
            u.excluded.join(", ")
        )));
        return out;
    }
    out.push(Block::Table(Grid::with_rows(
        &["Option", "P(cheapest)", "p5", "p50", "p95"],
        &[1, 2, 3, 4],
        rows,
    )));
    if !u.excluded.is_empty() {
        out.push(Block::Para(format!(
            "Left out of the draws because they are ruled out: {}; the shares are among the options that remain.",
            u.excluded.join(", ")
        )));
    }
    out.push(Block::Para(format!(
        "Triangular ranges: {}.",
        ranges.join("; ")
    )));
    out
}
