//! The article's decision framework, criterion by criterion. Hard constraints (privacy,
//! capability, latency) rule options out; a hybrid wins when it beats the best pure option
//! by more than the roughly-equal band or is the only plan left; otherwise cost and the soft
//! criteria (team, stage, time-to-market, fine-tuning, 24/7) add up to a score, ties going to
//! the API ("start with APIs unless you have a compelling reason not to").

pub mod check;
pub mod hybrid;

use crate::engine::Analysis;
use crate::engine::cost::team::Readiness;
use crate::engine::decision::hybrid::HybridPlan;
use crate::model::Named;
use crate::model::decision::Choice;
use crate::model::decision::Pattern;
use crate::model::units::{fmt_ms, fmt_share, fmt_tokens, fmt_usd};
use crate::model::workload::{Phase, TimeToMarket};
use serde::Serialize;

/// One reason behind the recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// The criterion: `privacy`, `capability`, `latency`, `cost`, `team`, `stage`,
    /// `time-to-market`, `fine-tuning`, `always-on`, `hybrid`, `score`, `conflict`.
    pub rule: &'static str,
    /// What it argues for, if anything.
    pub favors: Option<Choice>,
    /// The reason in words, with its numbers.
    pub message: String,
}

/// An option not chosen, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alternative {
    /// The option.
    pub choice: Choice,
    /// Its hybrid pattern, if a hybrid.
    pub pattern: Option<Pattern>,
    /// Its cost, USD per month.
    pub monthly_cost_usd: f64,
    /// Why it was not chosen.
    pub why_not: String,
}

/// When to look again.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revisit {
    /// The crossover volume; `None`: never.
    pub crossover_tokens_per_month: Option<f64>,
    /// Volume at which the API bill reaches the "start planning" mark.
    pub start_planning_tokens_per_month: Option<f64>,
    /// Volume at which the API bill reaches the "be ready to switch" mark.
    pub ready_to_switch_tokens_per_month: Option<f64>,
    /// The advice in words.
    pub message: String,
}

/// The recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// API, self-host or hybrid.
    pub choice: Choice,
    /// The hybrid pattern, when hybrid.
    pub pattern: Option<Pattern>,
    /// Monthly cost of the recommended option, USD.
    pub monthly_cost_usd: f64,
    /// The reasons, hard constraints first.
    pub reasons: Vec<Reason>,
    /// The options not chosen.
    pub alternatives: Vec<Alternative>,
    /// When to look again.
    pub revisit: Revisit,
    /// Soft-criteria score (positive favors self-hosting); `None` when constraints decided.
    pub score: Option<f64>,
}

impl Recommendation {
    /// A placeholder until `decide` runs.
    pub fn empty() -> Recommendation {
        Recommendation {
            choice: Choice::Api,
            pattern: None,
            monthly_cost_usd: 0.0,
            reasons: Vec::new(),
            alternatives: Vec::new(),
            revisit: Revisit {
                crossover_tokens_per_month: None,
                start_planning_tokens_per_month: None,
                ready_to_switch_tokens_per_month: None,
                message: String::new(),
            },
            score: None,
        }
    }
}

fn reason(rule: &'static str, favors: Option<Choice>, message: String) -> Reason {
    Reason {
        rule,
        favors,
        message,
    }
}

/// How far apart two costs are, relative to the larger.
pub fn relative_gap(a: f64, b: f64) -> f64 {
    let max = a.max(b);
    if max <= 0.0 { 0.0 } else { (a - b).abs() / max }
}

/// The cheaper of two costs, or a tie inside the band.
pub fn winner(api_usd: f64, self_usd: f64, band: f64) -> Option<Choice> {
    if relative_gap(api_usd, self_usd) <= band {
        None
    } else if api_usd < self_usd {
        Some(Choice::Api)
    } else {
        Some(Choice::SelfHost)
    }
}

/// Decides from a costed analysis (everything but the recommendation filled in).
pub fn decide(a: &Analysis) -> Recommendation {
    let mut reasons = constraint_reasons(a);
    let api_ok = a.api.blockers.is_empty();
    let self_ok = a.self_host.blockers.is_empty();
    let best_hybrid = a
        .hybrids
        .iter()
        .filter(|h| h.blockers.is_empty())
        .min_by(|x, y| x.monthly_cost_usd.total_cmp(&y.monthly_cost_usd));
    let api_cost = a.api.cost.monthly_cost_usd;
    let self_cost = a.self_host.cost.monthly_cost_usd;
    reasons.push(cost_reason(a));
    let band = a.policy.tie_band;
    let team_blocks = a.self_host.team.readiness == Readiness::CannotRun;
    let mut score = None;
    let mut team_reported = false;
    let (choice, pattern) = match (api_ok, self_ok) {
        (false, false) => {
            match best_hybrid {
                Some(h) => {
                    reasons.push(hybrid_reason(
                        a,
                        h,
                        None,
                        "it is the only plan that satisfies every constraint",
                    ));
                    (Choice::Hybrid, Some(h.pattern))
                }
                None => {
                    let (choice, why) = lesser_violation(a);
                    reasons.push(reason(
                    "conflict",
                    Some(choice),
                    format!("No option satisfies every constraint. {} is the lesser violation: {why}.", choice.label()),
                ));
                    (choice, None)
                }
            }
        }
        (true, false) | (false, true) => {
            let (only, only_cost) = if api_ok {
                (Choice::Api, api_cost)
            } else {
                (Choice::SelfHost, self_cost)
            };
            match best_hybrid
                .filter(|h| h.monthly_cost_usd < only_cost * (1.0 - band) && !team_blocks)
            {
                Some(h) => {
                    reasons.push(hybrid_reason(
                        a,
                        h,
                        Some((only, only_cost)),
                        "it beats the only feasible pure option by more than the band",
                    ));
                    (Choice::Hybrid, Some(h.pattern))
                }
                None => (only, None),
            }
        }
        (true, true) => {
            let best_pure = api_cost.min(self_cost);
            let best_pure_choice = if api_cost <= self_cost {
                Choice::Api
            } else {
                Choice::SelfHost
            };
            match best_hybrid
                .filter(|h| h.monthly_cost_usd < best_pure * (1.0 - band) && !team_blocks)
            {
                Some(h) => {
                    reasons.push(hybrid_reason(
                        a,
                        h,
                        Some((best_pure_choice, best_pure)),
                        "it beats the cheapest pure option by more than the band",
                    ));
                    (Choice::Hybrid, Some(h.pattern))
                }
                None => {
                    let total = soft_score(a, &mut reasons);
                    team_reported = true;
                    score = Some(total);
                    let choice = if team_blocks || total <= 0.0 {
                        Choice::Api
                    } else {
                        Choice::SelfHost
                    };
                    reasons.push(reason(
                        "score",
                        Some(choice),
                        if team_blocks {
                            "The team cannot run a self-hosted deployment and cannot hire, so the API it is (article: \"Don't have this capacity? APIs are your friend.\").".to_string()
                        } else {
                            format!(
                                "Score: {total:+} for self-hosting, so {}; a score of 0 or less goes to the API (article: \"start with APIs unless you have a compelling reason not to\").",
                                if total > 0.0 { "self-host" } else { "the API" }
                            )
                        },
                    ));
                    (choice, None)
                }
            }
        }
    };
    if !team_reported && choice != Choice::Api {
        reasons.push(team_reason(a));
    }
    let monthly_cost_usd = match choice {
        Choice::Api => api_cost,
        Choice::SelfHost => self_cost,
        Choice::Hybrid => best_hybrid.map_or(0.0, |h| h.monthly_cost_usd),
    };
    Recommendation {
        choice,
        pattern,
        monthly_cost_usd,
        alternatives: alternatives(a, choice, pattern, monthly_cost_usd),
        revisit: revisit(a, choice),
        reasons,
        score,
    }
}

/// When neither side satisfies the constraints: which violation is the lesser, and why.
/// Privacy is a legal limit and wins; then capability (serving frontier traffic with a weaker
/// model is worse than missing a latency target); then the side closer to the latency target.
fn lesser_violation(a: &Analysis) -> (Choice, String) {
    if a.api.privacy_blocked {
        return (
            Choice::SelfHost,
            "data that may not leave your infrastructure is a legal limit; a capability or latency gap is not".into(),
        );
    }
    if a.workload.capability.frontier_share > 0.0 {
        return (
            Choice::Api,
            "self-hosting would serve traffic that needs frontier reasoning with a weaker model"
                .into(),
        );
    }
    let figure = |e: &crate::engine::serving::latency::LatencyEstimate| {
        e.target_estimate_ms.unwrap_or(f64::INFINITY)
    };
    let (api, sh) = (figure(&a.api.latency), figure(&a.self_host.latency));
    if sh <= api {
        (
            Choice::SelfHost,
            format!(
                "neither side meets the latency target; self-hosting comes closest at {}",
                fmt_ms(sh)
            ),
        )
    } else {
        (
            Choice::Api,
            format!(
                "neither side meets the latency target; the API comes closest at {}",
                fmt_ms(api)
            ),
        )
    }
}

/// Reasons from the hard constraints: privacy, capability, latency.
fn constraint_reasons(a: &Analysis) -> Vec<Reason> {
    let w = &a.workload;
    let mut out = Vec::new();
    let p = &w.privacy;
    if a.api.privacy_blocked {
        out.push(reason(
            "privacy",
            Some(Choice::SelfHost),
            format!(
                "Privacy ({}): {} of traffic is sensitive and {}; the API is ruled out for it.",
                p.level.id(),
                fmt_share(p.sensitive_share),
                a.api
                    .privacy_issue
                    .as_deref()
                    .unwrap_or("may not go to a third party")
            ),
        ));
    } else {
        out.push(reason(
            "privacy",
            None,
            format!(
                "Privacy ({}): {} of traffic is sensitive and third-party processing is allowed{}.",
                p.level.id(),
                fmt_share(p.sensitive_share),
                if p.requires.is_empty() {
                    String::new()
                } else {
                    format!(
                        " with {}, which the API offers",
                        p.requires
                            .iter()
                            .map(|r| r.id())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            ),
        ));
    }
    if w.capability.frontier_share > 0.0 {
        out.push(reason(
            "capability",
            Some(Choice::Api),
            format!(
                "Capability: {} of traffic needs frontier reasoning ({}); no open model matches it, so that share stays on an API.",
                fmt_share(w.capability.frontier_share),
                w.capability.frontier_api
            ),
        ));
    }
    if let Some(t) = &w.latency {
        let target = format!(
            "{} ({} {})",
            fmt_ms(t.target_ms),
            t.percentile.id(),
            t.metric.id()
        );
        let api = &a.api.latency;
        let sh = &a.self_host.latency;
        let threshold = a.policy.latency.self_host_below_ms;
        let favors = match (api.meets_target, sh.meets_target) {
            (Some(false), Some(false)) => None,
            (Some(false), _) => Some(Choice::SelfHost),
            (Some(true), Some(false)) => Some(Choice::Api),
            (None, _) if t.target_ms < threshold => Some(Choice::SelfHost),
            _ => None,
        };
        let fallback = if api.meets_target.is_none() && t.target_ms < threshold {
            format!(
                " With no measured latency for the API, the article's rule applies: under {} self-hosting nearby pays off.",
                fmt_ms(threshold)
            )
        } else {
            String::new()
        };
        out.push(reason(
            "latency",
            favors,
            format!(
                "Latency: the target is {target}. API: {}. Self-hosted: {}.{fallback}",
                latency_words(api, t),
                latency_words(sh, t)
            ),
        ));
    }
    out
}

/// A side's latency in words: the figure the target applies to, its parts, and the verdict.
fn latency_words(
    e: &crate::engine::serving::latency::LatencyEstimate,
    t: &crate::model::workload::LatencyTarget,
) -> String {
    let parts: Vec<String> = e
        .components
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c.name.replace('_', " "),
                fmt_ms(percentile_of(c, t.percentile))
            )
        })
        .collect();
    let figure = match e.target_estimate_ms {
        Some(v) if e.lower_bound => format!(
            "at least {} before inference ({})",
            fmt_ms(v),
            parts.join(" + ")
        ),
        Some(v) => match t.metric {
            crate::model::workload::LatencyMetric::Ttft => {
                format!("{} ({})", fmt_ms(v), parts.join(" + "))
            }
            crate::model::workload::LatencyMetric::Tpot => {
                format!("{} per output token", fmt_ms(v))
            }
            crate::model::workload::LatencyMetric::E2e => format!(
                "{} (time to first token plus {} tokens x {})",
                fmt_ms(v),
                e.output_tokens,
                fmt_ms(e.tpot_ms.unwrap_or(0.0))
            ),
        },
        None => "unknown (no measurement of its output speed)".to_string(),
    };
    let verdict = match e.meets_target {
        Some(true) => "meets it",
        Some(false) => "misses it",
        None => "cannot be judged",
    };
    format!("{figure}, {verdict}")
}

fn percentile_of(
    c: &crate::engine::serving::latency::Component,
    p: crate::model::workload::Percentile,
) -> f64 {
    match p {
        crate::model::workload::Percentile::P50 => c.p50_ms,
        crate::model::workload::Percentile::P95 => c.p95_ms,
        crate::model::workload::Percentile::P99 => c.p99_ms,
    }
}

fn cost_reason(a: &Analysis) -> Reason {
    let w = &a.workload;
    let api = a.api.cost.monthly_cost_usd;
    let sh = &a.self_host.cost;
    let gap = relative_gap(api, sh.monthly_cost_usd);
    let win = winner(api, sh.monthly_cost_usd, a.policy.tie_band);
    let verdict = match win {
        None => format!(
            "roughly equal ({} apart, inside the {} band)",
            fmt_share(gap),
            fmt_share(a.policy.tie_band)
        ),
        Some(c) => format!("{} is {} cheaper", c.noun(), fmt_share(gap)),
    };
    let crossover = match a.crossover.tokens_per_month {
        Some(v) => format!("the crossover is {} tokens a month", fmt_tokens(v)),
        None => "self-hosting never becomes cheaper at these prices".to_string(),
    };
    reason(
        "cost",
        win,
        format!(
            "Cost: at {} tokens a month the API ({}, {} per 1M) costs {} and self-hosting ({}) {}: {verdict}. {}; the article's rule of thumb is API below {}, self-host above {}.",
            fmt_tokens(w.tokens_per_month),
            a.api.name,
            crate::model::units::fmt_usd_per_mtok(a.api.cost.usd_per_mtok),
            fmt_usd(api),
            a.self_host.describe(),
            fmt_usd(sh.monthly_cost_usd),
            capitalize(&crossover),
            fmt_tokens(a.policy.volume_api_below_tokens),
            fmt_tokens(a.policy.volume_self_host_above_tokens),
        ),
    )
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

fn hybrid_reason(
    a: &Analysis,
    h: &HybridPlan,
    against: Option<(Choice, f64)>,
    why: &str,
) -> Reason {
    let routes: Vec<String> = h
        .routes
        .iter()
        .map(|r| {
            format!(
                "{} ({}, {} tokens) to {}",
                r.traffic,
                fmt_share(r.share),
                fmt_tokens(r.tokens_per_month),
                r.target
            )
        })
        .collect();
    let comparison = against.map_or(String::new(), |(c, usd)| {
        format!(
            ", {} less than {} at {}",
            fmt_share(1.0 - h.monthly_cost_usd / usd),
            c.noun(),
            fmt_usd(usd)
        )
    });
    let _ = a;
    reason(
        "hybrid",
        Some(Choice::Hybrid),
        format!(
            "Hybrid ({}): {} costs {} a month{comparison}; {why}.",
            h.pattern.id(),
            routes.join(", "),
            fmt_usd(h.monthly_cost_usd)
        ),
    )
}

fn team_reason(a: &Analysis) -> Reason {
    let t = &a.self_host.team;
    let minimum = format!(
        "{} FTE ML engineering and {} FTE DevOps",
        t.minimum.ml_engineer,
        t.minimum.devops + t.minimum.sre
    );
    let (favors, message) = match t.readiness {
        Readiness::Unknown => (
            None,
            format!(
                "Team: not described; self-hosting at this scale (\"{}\") needs at least {minimum}.",
                t.scale_label
            ),
        ),
        Readiness::Ready => (
            Some(Choice::SelfHost),
            format!(
                "Team: meets the minimum for \"{}\" ({minimum}).",
                t.scale_label
            ),
        ),
        Readiness::CanHire => (
            Some(Choice::Api),
            format!(
                "Team: short of the minimum for \"{}\" ({minimum}) by {} FTE ML and {} FTE DevOps; hiring costs about {} a month (loaded), on top of the setup's personnel line.",
                t.scale_label,
                t.missing_ml_engineers.unwrap_or(0.0),
                t.missing_devops.unwrap_or(0.0),
                fmt_usd(t.hiring_usd_per_month.unwrap_or(0.0))
            ),
        ),
        Readiness::CannotRun => (
            Some(Choice::Api),
            format!(
                "Team: short of the minimum for \"{}\" ({minimum}) by {} FTE ML and {} FTE DevOps, and cannot hire.",
                t.scale_label,
                t.missing_ml_engineers.unwrap_or(0.0),
                t.missing_devops.unwrap_or(0.0)
            ),
        ),
    };
    reason("team", favors, message)
}

/// Appends the points a criterion gave to its reason's message.
fn mark(reasons: &mut [Reason], rule: &str, points: f64) {
    if let Some(r) = reasons.iter_mut().find(|r| r.rule == rule) {
        r.message = format!("{} ({points:+})", r.message);
    }
}

/// The soft criteria, when both pure options are feasible: adds their reasons (each with
/// its points) and returns the total score for self-hosting.
fn soft_score(a: &Analysis, reasons: &mut Vec<Reason>) -> f64 {
    let w = &a.workload;
    let weights = &a.policy.weights;
    let mut total = 0.0;
    let cost_points = match winner(
        a.api.cost.monthly_cost_usd,
        a.self_host.cost.monthly_cost_usd,
        a.policy.tie_band,
    ) {
        Some(Choice::SelfHost) => weights.cost,
        Some(Choice::Api) => -weights.cost,
        _ => 0.0,
    };
    total += cost_points;
    mark(reasons, "cost", cost_points);
    // The article's fixed threshold only where the API's latency is not measured.
    if let Some(t) = &w.latency
        && t.target_ms < a.policy.latency.self_host_below_ms
        && a.api.latency.meets_target.is_none()
    {
        total += weights.latency;
        mark(reasons, "latency", weights.latency);
    }
    let mut add = |points: f64, mut r: Reason| {
        total += points;
        r.message = format!("{} ({points:+})", r.message);
        reasons.push(r);
    };
    match a.self_host.team.readiness {
        Readiness::Ready => add(weights.team_ready, team_reason(a)),
        Readiness::CanHire => add(-weights.team_hire, team_reason(a)),
        Readiness::Unknown | Readiness::CannotRun => add(0.0, team_reason(a)),
    }
    if w.phase == Phase::Experimenting {
        add(
            -weights.experimenting,
            reason("stage", Some(Choice::Api), "Stage: still experimenting and iterating on prompts; an API is the fastest way to iterate.".into()),
        );
    }
    if w.time_to_market == TimeToMarket::Critical {
        add(
            -weights.time_to_market,
            reason(
                "time-to-market",
                Some(Choice::Api),
                "Time-to-market is critical; an API ships today, a GPU deployment takes weeks."
                    .into(),
            ),
        );
    }
    if w.fine_tuning {
        add(
            weights.fine_tuning,
            reason("fine-tuning", Some(Choice::SelfHost), "Fine-tuning: domain fine-tuned open models often beat general-purpose APIs on their task.".into()),
        );
    }
    if w.always_on && w.phase == Phase::Production {
        add(
            weights.always_on,
            reason(
                "always-on",
                Some(Choice::SelfHost),
                "24/7 production keeps self-hosted GPUs busy around the clock.".into(),
            ),
        );
    }
    total
}

fn alternatives(
    a: &Analysis,
    choice: Choice,
    pattern: Option<Pattern>,
    chosen_usd: f64,
) -> Vec<Alternative> {
    let why = |blockers: &[String], usd: f64| -> String {
        if !blockers.is_empty() {
            return blockers.join("; ");
        }
        if usd > chosen_usd {
            format!(
                "costs {} more a month ({} more)",
                fmt_usd(usd - chosen_usd),
                fmt_share((usd - chosen_usd) / chosen_usd.max(f64::MIN_POSITIVE))
            )
        } else {
            format!(
                "costs {} less a month, but the other criteria favor {}",
                fmt_usd(chosen_usd - usd),
                choice.noun()
            )
        }
    };
    let mut out = Vec::new();
    if choice != Choice::Api {
        out.push(Alternative {
            choice: Choice::Api,
            pattern: None,
            monthly_cost_usd: a.api.cost.monthly_cost_usd,
            why_not: why(&a.api.blockers, a.api.cost.monthly_cost_usd),
        });
    }
    if choice != Choice::SelfHost {
        out.push(Alternative {
            choice: Choice::SelfHost,
            pattern: None,
            monthly_cost_usd: a.self_host.cost.monthly_cost_usd,
            why_not: why(&a.self_host.blockers, a.self_host.cost.monthly_cost_usd),
        });
    }
    for h in &a.hybrids {
        if Some(h.pattern) == pattern {
            continue;
        }
        let why_not = if h.blockers.is_empty() && h.monthly_cost_usd < chosen_usd {
            format!(
                "saves {} a month, less than the {} band needed to justify running both sides",
                fmt_usd(chosen_usd - h.monthly_cost_usd),
                fmt_share(a.policy.tie_band)
            )
        } else {
            why(&h.blockers, h.monthly_cost_usd)
        };
        out.push(Alternative {
            choice: Choice::Hybrid,
            pattern: Some(h.pattern),
            monthly_cost_usd: h.monthly_cost_usd,
            why_not,
        });
    }
    out
}

fn revisit(a: &Analysis, choice: Choice) -> Revisit {
    let price = a.api.cost.usd_per_mtok;
    let planning = crate::engine::cost::crossover::volume_for_bill(
        price,
        a.policy.start_planning_usd_per_month,
    );
    let switch = crate::engine::cost::crossover::volume_for_bill(
        price,
        a.policy.ready_to_switch_usd_per_month,
    );
    let cross = a.crossover.tokens_per_month;
    let v = a.workload.tokens_per_month;
    let at = |x: Option<f64>| x.map_or_else(|| "never".to_string(), fmt_tokens);
    let message = match choice {
        Choice::Api => format!(
            "Watch the API bill: at {} tokens a month it reaches {} (start planning self-hosting); at {} it reaches {} (be ready to switch). Self-hosting breaks even at {}.",
            at(planning),
            fmt_usd(a.policy.start_planning_usd_per_month),
            at(switch),
            fmt_usd(a.policy.ready_to_switch_usd_per_month),
            at(cross)
        ),
        _ => match cross {
            Some(c) if c > v => format!(
                "Below the crossover ({} tokens a month) the API would be cheaper; the constraints, not cost, make this the choice. Revisit if they change.",
                fmt_tokens(c)
            ),
            Some(c) => format!(
                "Revisit if volume falls below the crossover of {} tokens a month, or when prices change.",
                fmt_tokens(c)
            ),
            None => "Self-hosting is never cheaper at these prices; revisit when the constraints or prices change.".to_string(),
        },
    };
    Revisit {
        crossover_tokens_per_month: cross,
        start_planning_tokens_per_month: planning,
        ready_to_switch_tokens_per_month: switch,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::analyze;
    use crate::engine::testing::{catalog, workload};
    use crate::model::pricing::ComplianceOffer;
    use crate::model::workload::{
        LatencyMetric, LatencyTarget, LoadLevel, Percentile, Team, Traffic, TrafficShape, Workload,
    };

    fn team(ml_engineers: f64, devops: f64, can_hire: bool) -> Option<Team> {
        Some(Team {
            ml_engineers,
            devops,
            can_hire,
        })
    }

    fn spiky() -> Traffic {
        // 48 h at 4x the base rate: base = 730 / (682 + 192) of the average.
        let base = 730.0 / (682.0 + 4.0 * 48.0);
        Traffic {
            shape: TrafficShape::Spiky,
            levels: vec![
                LoadLevel {
                    hours: 48.0,
                    multiplier: 4.0 * base,
                },
                LoadLevel {
                    hours: 682.0,
                    multiplier: base,
                },
            ],
        }
    }

    type Edit = fn(&mut Workload);
    type Case = (
        &'static str,
        f64,
        Edit,
        Choice,
        Option<Pattern>,
        &'static str,
    );

    #[test]
    fn each_rule_decides_where_it_should() {
        // (case, tokens a month, edit, choice, pattern, the rule that carries the decision)
        let cases: &[Case] = &[
            ("cheap volume", 100e6, |_| {}, Choice::Api, None, "cost"),
            (
                "roughly equal goes to the API",
                500e6,
                |_| {},
                Choice::Api,
                None,
                "score",
            ),
            (
                "clear cost win",
                1e9,
                |_| {},
                Choice::SelfHost,
                None,
                "score",
            ),
            (
                "team cannot run it",
                1e9,
                |w| w.team = team(0.0, 0.0, false),
                Choice::Api,
                None,
                "team",
            ),
            (
                "team can hire",
                1e9,
                |w| w.team = team(0.0, 0.0, true),
                Choice::SelfHost,
                None,
                "score",
            ),
            (
                "experimenting under time pressure",
                1e9,
                |w| {
                    w.phase = Phase::Experimenting;
                    w.time_to_market = TimeToMarket::Critical;
                },
                Choice::Api,
                None,
                "stage",
            ),
            (
                "fine-tuning and 24/7 tip a tie",
                500e6,
                |w| {
                    w.fine_tuning = true;
                    w.always_on = true;
                },
                Choice::SelfHost,
                None,
                "fine-tuning",
            ),
            (
                "privacy forbids third parties",
                100e6,
                |w| {
                    w.privacy.sensitive_share = 1.0;
                    w.privacy.third_party_allowed = false;
                },
                Choice::SelfHost,
                None,
                "privacy",
            ),
            (
                "required compliance not known to be offered",
                100e6,
                |w| {
                    w.privacy.sensitive_share = 1.0;
                    w.privacy.requires = vec![ComplianceOffer::HipaaBaa];
                },
                Choice::SelfHost,
                None,
                "privacy",
            ),
            (
                "all traffic needs frontier reasoning",
                5e9,
                |w| w.capability.frontier_share = 1.0,
                Choice::Api,
                None,
                "capability",
            ),
            (
                "latency target the API cannot meet",
                100e6,
                |w| {
                    w.latency = Some(LatencyTarget {
                        target_ms: 150.0,
                        metric: LatencyMetric::Ttft,
                        percentile: Percentile::P95,
                    })
                },
                Choice::SelfHost,
                None,
                "latency",
            ),
            (
                "spiky traffic",
                2e9,
                |w| w.traffic = spiky(),
                Choice::Hybrid,
                Some(Pattern::Burst),
                "hybrid",
            ),
            (
                "part of the traffic needs a frontier model",
                5e9,
                |w| w.capability.frontier_share = 0.2,
                Choice::Hybrid,
                Some(Pattern::Complexity),
                "hybrid",
            ),
            (
                "sensitive quarter self-hosted, the rest on a cheap API",
                10e9,
                |w| {
                    w.api = "cheap".into();
                    w.privacy.sensitive_share = 0.25;
                    w.privacy.third_party_allowed = false;
                },
                Choice::Hybrid,
                Some(Pattern::Sensitivity),
                "hybrid",
            ),
            (
                "development on the API saves a unit",
                2.6e9,
                |w| {
                    w.dev_share = 0.1;
                    w.latency = Some(LatencyTarget {
                        target_ms: 150.0,
                        metric: LatencyMetric::Ttft,
                        percentile: Percentile::P95,
                    })
                },
                Choice::Hybrid,
                Some(Pattern::DevProd),
                "hybrid",
            ),
            (
                "constraints conflict",
                1e9,
                |w| {
                    w.privacy.sensitive_share = 1.0;
                    w.privacy.third_party_allowed = false;
                    w.capability.frontier_share = 1.0;
                },
                Choice::SelfHost,
                None,
                "conflict",
            ),
        ];
        let catalog = catalog();
        for (name, tokens, edit, choice, pattern, rule) in cases {
            let mut w = workload(*tokens);
            edit(&mut w);
            let a = analyze(&catalog, &w).unwrap();
            let r = &a.recommendation;
            assert_eq!(
                (r.choice, r.pattern),
                (*choice, *pattern),
                "{name}: {:#?}",
                r.reasons
            );
            assert!(
                r.reasons
                    .iter()
                    .any(|x| x.rule == *rule && (x.favors == Some(*choice) || *rule == "score")),
                "{name}: no {rule} reason for {choice:?}: {:#?}",
                r.reasons
            );
        }
    }

    #[test]
    fn hybrid_costs_are_split_costs() {
        // 5B with 20% frontier traffic: 4B self-hosted on 2 units ($8,000) + 1B on GPT-4o ($7,500).
        let mut w = workload(5e9);
        w.capability.frontier_share = 0.2;
        let a = analyze(&catalog(), &w).unwrap();
        let h = a
            .hybrids
            .iter()
            .find(|h| h.pattern == Pattern::Complexity)
            .unwrap();
        assert_eq!(h.self_host_units, 2);
        assert!((h.monthly_cost_usd - 15_500.0).abs() < 1e-6);
        assert!((a.api.cost.monthly_cost_usd - 37_500.0).abs() < 1e-6);
    }

    #[test]
    fn burst_baseline_minimises_total_cost() {
        // 2B a month, 48 h at 4x base: peak rate 9.15M tokens/h. One unit (3.42M/h) leaves
        // (9.154 - 3.425) x 48 = 275M tokens of overflow at $7.50 per 1M.
        let mut w = workload(2e9);
        w.traffic = spiky();
        let a = analyze(&catalog(), &w).unwrap();
        let h = a
            .hybrids
            .iter()
            .find(|h| h.pattern == Pattern::Burst)
            .unwrap();
        assert_eq!(h.self_host_units, 1);
        let avg = 2e9 / 730.0;
        let peak = avg * 4.0 * 730.0 / 874.0;
        let overflow = (peak - 2.5e9 / 730.0) * 48.0;
        assert!((h.api_tokens_per_month - overflow).abs() < 1.0);
        assert!((h.monthly_cost_usd - (4000.0 + overflow * 7.5e-6)).abs() < 1e-6);
        assert_eq!(a.self_host.cost.units, 3);
    }

    #[test]
    fn tie_band() {
        let cases: &[(f64, f64, Option<Choice>)] = &[
            (3750.0, 4000.0, None),
            (3600.0, 4000.0, None),
            (3599.0, 4000.0, Some(Choice::Api)),
            (4000.0, 4000.0, None),
            (7500.0, 4000.0, Some(Choice::SelfHost)),
            (0.0, 0.0, None),
        ];
        for &(api, sh, want) in cases {
            assert_eq!(winner(api, sh, 0.1), want, "{api} vs {sh}");
        }
    }
}
