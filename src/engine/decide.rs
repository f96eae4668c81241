//! The article's decision framework, criterion by criterion. Hard constraints (privacy,
//! capability, latency) rule options out; a hybrid wins when it beats the best pure option
//! by more than the roughly-equal band or is the only plan left; otherwise cost and the soft
//! criteria (team, stage, time-to-market, fine-tuning, 24/7) add up to a score, ties going to
//! the API ("start with APIs unless you have a compelling reason not to").

use super::hybrid::{HybridPlan, Pattern};
use super::team::Readiness;
use super::{Analysis, Choice};
use crate::model::Named;
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
        (false, false) => match best_hybrid {
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
                let choice = if a.api.privacy_blocked {
                    Choice::SelfHost
                } else {
                    Choice::Api
                };
                reasons.push(reason(
                    "conflict",
                    Some(choice),
                    format!(
                        "No option satisfies every constraint. {} is the lesser violation: {}.",
                        choice.label(),
                        if choice == Choice::SelfHost {
                            "data that may not leave your infrastructure is a legal limit, a capability or latency gap is not"
                        } else {
                            "self-hosting would serve traffic that needs frontier reasoning with a weaker model"
                        }
                    ),
                ));
                (choice, None)
            }
        },
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
                                "Cost and the other criteria add up to {total:+} for self-hosting; {} (ties go to the API: start with APIs unless there is a compelling reason not to).",
                                if total > 0.0 { "self-host" } else { "API" }
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
        let threshold = a.policy.latency.self_host_below_ms;
        let message = if api.meets_target == Some(false) {
            format!(
                "Latency: the target is {target}. The API's network round trip and queueing alone come to {} at p95 ({} median) before any inference, so it cannot meet it; self-hosting on an internal network adds {}.",
                fmt_ms(api.ttft_p95_ms),
                fmt_ms(api.ttft_p50_ms),
                fmt_ms(a.self_host.latency.ttft_p95_ms)
            )
        } else if t.target_ms < threshold {
            format!(
                "Latency: the target is {target}, under the article's {} line where self-hosting nearby pays off (an API adds {} of network and queueing at p95).",
                fmt_ms(threshold),
                fmt_ms(api.ttft_p95_ms)
            )
        } else {
            format!("Latency: the target is {target}; either side can be built to meet it.")
        };
        let favors = (api.meets_target == Some(false) || t.target_ms < threshold)
            .then_some(Choice::SelfHost);
        out.push(reason("latency", favors, message));
    }
    out
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
        Some(c) => format!("{} is {} cheaper", c.label().to_lowercase(), fmt_share(gap)),
    };
    let crossover = match a.crossover.tokens_per_month {
        Some(v) => format!("the crossover is {} tokens a month", fmt_tokens(v)),
        None => "self-hosting never becomes cheaper at these prices".to_string(),
    };
    reason(
        "cost",
        win,
        format!(
            "Cost: at {} tokens a month the API ({}, {} per 1M) costs {} and self-hosting ({} x {}) {}: {verdict}. {}; the article's rule of thumb is API below {}, self-host above {}.",
            fmt_tokens(w.tokens_per_month),
            a.api.name,
            crate::model::units::fmt_usd_per_mtok(a.api.cost.usd_per_mtok),
            fmt_usd(api),
            sh.units,
            a.self_host.name,
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
            c.label().to_lowercase(),
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
                t.missing_ml_engineers,
                t.missing_devops,
                fmt_usd(t.hiring_usd_per_month)
            ),
        ),
        Readiness::CannotRun => (
            Some(Choice::Api),
            format!(
                "Team: short of the minimum for \"{}\" ({minimum}) by {} FTE ML and {} FTE DevOps, and cannot hire.",
                t.scale_label, t.missing_ml_engineers, t.missing_devops
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
    if let Some(t) = &w.latency
        && t.target_ms < a.policy.latency.self_host_below_ms
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
                choice.label().to_lowercase()
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
    let planning = super::crossover::volume_for_bill(price, a.policy.start_planning_usd_per_month);
    let switch = super::crossover::volume_for_bill(price, a.policy.ready_to_switch_usd_per_month);
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
