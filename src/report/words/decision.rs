//! The decision in words: each reason with its numbers, what rules an option out, why an
//! option was not chosen, when to revisit, and the routes of a hybrid plan.

use super::cost::{describe, no_deployment, target};
use super::latency::{against, target as latency_target};
use super::{capitalize, label, noun, plural};
use crate::engine::Analysis;
use crate::engine::cost::team::Readiness;
use crate::engine::decision::constraints::{Blocker, LatencyMiss, PrivacyGap};
use crate::engine::decision::hybrid::{HybridPlan, Route, RouteTarget, Traffic};
use crate::engine::decision::{
    Advice, Alternative, Baseline, CostVerdict, Fact, HybridWhy, Reason, Revisit, Violation, WhyNot,
};
use crate::engine::selfhost::matching::{Matched, TierMatch};
use crate::model::Named;
use crate::model::decision::{Choice, Pattern};
use crate::model::units::{fmt_ms, fmt_share, fmt_tokens, fmt_usd, fmt_usd_per_mtok};

/// A reason in words, with the points it added to the score.
pub fn reason(r: &Reason, a: &Analysis) -> String {
    let text = fact(&r.fact, a);
    match r.points {
        Some(points) => format!("{text} ({points:+})"),
        None => text,
    }
}

/// The capability tiers on both sides, when they differ.
pub fn tiers(t: &TierMatch) -> String {
    let (api, api_tier, model, model_tier) = (&t.api, t.api_tier.id(), &t.model, t.model_tier.id());
    let side = if t.weaker() { "below" } else { "above" };
    match t.matched {
        Matched::Strongest => format!(
            "Capability: no open model in the catalog reaches {api}'s tier ({api_tier}); the strongest there is, {model} ({model_tier}), is self-hosted, so its answers may be weaker than the API's."
        ),
        Matched::Named => format!(
            "Capability: {model} ({model_tier}), as asked, ranks {side} {api} ({api_tier}); without --model the self-hosted side is the cheapest open model of at least the API's tier."
        ),
        Matched::Changed => format!(
            "Capability: {model} ({model_tier}) ranks below {api} ({api_tier}); it is used because no model of the API's tier fits in memory and context as asked."
        ),
        Matched::AtLeast => format!(
            "Capability: the cheapest open model of at least {api}'s tier ({api_tier}) is {model} ({model_tier})."
        ),
    }
}

/// The self-hosted model as a serverless API, against self-hosting it.
fn serverless(b: &Baseline, a: &Analysis) -> String {
    let Baseline {
        api,
        monthly_cost_usd,
        self_host_usd,
        gap,
    } = b;
    format!(
        "Same model as an API: {api} serves {} for {} a month, {} {} than self-hosting it ({}); it is the baseline self-hosting competes with.",
        a.self_host
            .tiers
            .as_ref()
            .map_or("the self-hosted model", |t| t.model.as_str()),
        fmt_usd(*monthly_cost_usd),
        fmt_share(*gap),
        if monthly_cost_usd < self_host_usd {
            "cheaper"
        } else {
            "dearer"
        },
        fmt_usd(*self_host_usd),
    )
}

fn fact(f: &Fact, a: &Analysis) -> String {
    match f {
        Fact::PrivacyBlocked {
            level,
            sensitive_share,
            gap,
        } => format!(
            "Privacy ({}): {} of traffic is sensitive and {}; the API is ruled out for it.",
            level.id(),
            fmt_share(*sensitive_share),
            gap.as_ref()
                .map_or_else(|| "may not go to a third party".into(), privacy_gap)
        ),
        Fact::PrivacyAllowed {
            level,
            sensitive_share,
            requires,
        } => format!(
            "Privacy ({}): {} of traffic is sensitive and third-party processing is allowed{}.",
            level.id(),
            fmt_share(*sensitive_share),
            if requires.is_empty() {
                String::new()
            } else {
                let ids: Vec<&str> = requires.iter().map(|r| r.id()).collect();
                format!(" with {}, which the API offers", ids.join(", "))
            }
        ),
        Fact::Frontier { share, .. } if !a.workload.apis.is_empty() => mix_kept(*share, a),
        Fact::Frontier { share, api } => format!(
            "Capability: {} of traffic needs frontier reasoning ({api}); no open model matches it, so that share stays on an API.",
            fmt_share(*share)
        ),
        Fact::Tiers(t) => tiers(t),
        Fact::Serverless(b) => serverless(b, a),
        Fact::Latency {
            target,
            rule_of_thumb_ms,
        } => format!(
            "Latency: the target is {} ({} {}). API: {}. Self-hosted: {}.{}",
            fmt_ms(target.target_ms),
            target.percentile.id(),
            target.metric.id(),
            against(&a.api.latency, target),
            against(&a.self_host.latency, target),
            rule_of_thumb_ms.map_or(String::new(), |ms| format!(
                " With no measured latency for the API, the article's rule applies: under {} self-hosting nearby pays off.",
                fmt_ms(ms)
            ))
        ),
        Fact::Cost(verdict) => cost(verdict, a),
        Fact::Hybrid {
            pattern,
            monthly_cost_usd,
            against,
            why,
        } => hybrid_reason(a, *pattern, *monthly_cost_usd, *against, *why),
        Fact::Team(readiness) => team(*readiness, a),
        Fact::Experimenting => "Stage: still experimenting and iterating on prompts; an API is the fastest way to iterate.".into(),
        Fact::TimeToMarketCritical => {
            "Time-to-market is critical; an API ships today, a GPU deployment takes weeks.".into()
        }
        Fact::FineTuning => "Fine-tuning: domain fine-tuned open models often beat general-purpose APIs on their task.".into(),
        Fact::AlwaysOn => "24/7 production keeps self-hosted GPUs busy around the clock.".into(),
        Fact::Score { total } => format!(
            "Score: {total:+} for self-hosting, so {}; a score of 0 or less goes to the API (article: \"start with APIs unless you have a compelling reason not to\").",
            if *total > 0.0 { "self-host" } else { "the API" }
        ),
        Fact::TeamCannotRun => "The team cannot run a self-hosted deployment and cannot hire, so the API it is (article: \"Don't have this capacity? APIs are your friend.\").".into(),
        Fact::Conflict { choice, why } => format!(
            "No option satisfies every constraint. {} is the lesser violation: {}.",
            label(*choice),
            violation(*choice, why)
        ),
    }
}

/// A hybrid plan's reason: its routes, its cost, what it beats and why it wins.
fn hybrid_reason(
    a: &Analysis,
    pattern: Pattern,
    monthly_cost_usd: f64,
    against: Option<(Choice, f64)>,
    why: HybridWhy,
) -> String {
    let routes: Vec<String> = a
        .hybrids
        .iter()
        .filter(|h| h.pattern == pattern)
        .flat_map(|h| &h.routes)
        .map(|r| {
            format!(
                "{} ({}, {} tokens) to {}",
                traffic(r.traffic),
                fmt_share(r.share),
                fmt_tokens(r.tokens_per_month),
                route_target(r)
            )
        })
        .collect();
    let comparison = against.map_or(String::new(), |(c, usd)| {
        format!(
            ", {} less than {} at {}",
            fmt_share(1.0 - monthly_cost_usd / usd),
            noun(c),
            fmt_usd(usd)
        )
    });
    let why = match why {
        HybridWhy::OnlyFeasible => "it is the only plan that satisfies every constraint",
        HybridWhy::BeatsOnlyFeasible => {
            "it beats the only feasible pure option by more than the band"
        }
        HybridWhy::BeatsCheapest => "it beats the cheapest pure option by more than the band",
    };
    format!(
        "Hybrid ({}): {} costs {} a month{comparison}; {why}.",
        pattern.id(),
        routes.join(", "),
        fmt_usd(monthly_cost_usd)
    )
}

fn violation(choice: Choice, why: &Violation) -> String {
    match why {
        Violation::Privacy => "data that may not leave your infrastructure is a legal limit; a capability or latency gap is not".into(),
        Violation::Capability => {
            "self-hosting would serve traffic that needs frontier reasoning with a weaker model".into()
        }
        Violation::Context { both: true } => format!(
            "the request's prompt is longer than both sides' context windows; {}'s is the longer",
            noun(choice)
        ),
        Violation::Context { both: false } => format!(
            "the other side's context window cannot take the request's prompt, so {} is the one that can serve it",
            noun(choice)
        ),
        Violation::Latency { figure_ms } => format!(
            "neither side meets the latency target; {} comes closest at {}",
            noun(choice),
            fmt_ms(*figure_ms)
        ),
    }
}

fn cost(verdict: &CostVerdict, a: &Analysis) -> String {
    let verdict = match verdict {
        CostVerdict::Tie { gap, band } => format!(
            "roughly equal ({} apart, inside the {} band)",
            fmt_share(*gap),
            fmt_share(*band)
        ),
        CostVerdict::Cheaper { choice, gap } => {
            format!("{} is {} cheaper", noun(*choice), fmt_share(*gap))
        }
    };
    let crossover = match a.crossover.tokens_per_month {
        Some(v) => format!("the crossover is {} tokens a month", fmt_tokens(v)),
        None => "self-hosting never becomes cheaper at these prices".to_string(),
    };
    format!(
        "Cost: at {} tokens a month the API ({}, {} per 1M) costs {} and self-hosting ({}) {}: {verdict}. {}; the article's rule of thumb is API below {}, self-host above {}.",
        fmt_tokens(a.workload.tokens_per_month),
        a.api.name,
        fmt_usd_per_mtok(a.api.cost.usd_per_mtok),
        fmt_usd(a.api.cost.monthly_cost_usd),
        describe(&a.self_host),
        fmt_usd(a.self_host.cost.monthly_cost_usd),
        capitalize(&crossover),
        fmt_tokens(a.policy.volume_api_below_tokens),
        fmt_tokens(a.policy.volume_self_host_above_tokens),
    )
}

fn team(readiness: Readiness, a: &Analysis) -> String {
    let t = &a.self_host.team;
    let minimum = format!(
        "{} FTE ML engineering and {} FTE DevOps",
        t.minimum.ml_engineer,
        t.minimum.devops + t.minimum.sre
    );
    let short = || {
        format!(
            "Team: short of the minimum for \"{}\" ({minimum}) by {} FTE ML and {} FTE DevOps",
            t.scale_label,
            t.missing_ml_engineers.unwrap_or(0.0),
            t.missing_devops.unwrap_or(0.0),
        )
    };
    match readiness {
        Readiness::Unknown => format!(
            "Team: not described; self-hosting at this scale (\"{}\") needs at least {minimum}.",
            t.scale_label
        ),
        Readiness::Ready => format!(
            "Team: meets the minimum for \"{}\" ({minimum}).",
            t.scale_label
        ),
        Readiness::CanHire => format!(
            "{}; hiring costs about {} a month (loaded), on top of the setup's personnel line.",
            short(),
            fmt_usd(t.hiring_usd_per_month.unwrap_or(0.0))
        ),
        Readiness::CannotRun => format!("{}, and cannot hire.", short()),
    }
}

/// Why the API may not process sensitive traffic.
pub fn privacy_gap(gap: &PrivacyGap) -> String {
    match gap {
        PrivacyGap::ThirdPartyForbidden => "third-party processing is not allowed".into(),
        PrivacyGap::Compliance(gaps) => gaps
            .iter()
            .map(|g| {
                if g.known {
                    format!("{} does not offer {}", g.api, g.offer.id())
                } else {
                    format!("it is not known whether {} offers {}", g.api, g.offer.id())
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn latency_miss(m: &LatencyMiss) -> String {
    let side = match m.side {
        Choice::Api => "the API's",
        _ => "the self-hosted side's",
    };
    let (figure, target) = (fmt_ms(m.figure_ms), latency_target(&m.target));
    if let Some(floor) = m.network_floor_ms {
        let who = match m.side {
            Choice::Api => "no API reached over this network",
            _ => "no deployment",
        };
        return format!(
            "{side} network round trip alone ({}) misses the {target} target, so {who} can meet it",
            fmt_ms(floor)
        );
    }
    if m.lower_bound {
        format!("{side} network and queueing alone ({figure}) miss the {target} target")
    } else {
        format!(
            "{side} estimated {} {} of {figure} misses the {target} target",
            m.target.percentile.id(),
            m.target.metric.id()
        )
    }
}

/// What rules an option out.
pub fn blocker(b: &Blocker) -> String {
    match b {
        Blocker::SensitiveToApi(gap) => {
            format!(
                "sensitive traffic would reach the API, but {}",
                privacy_gap(gap)
            )
        }
        Blocker::Latency(m) => latency_miss(m),
        Blocker::Context(g) => format!(
            "the request's {} prompt tokens exceed {}'s context window of {} tokens",
            fmt_tokens(g.request_tokens),
            g.model,
            fmt_tokens(g.context_tokens)
        ),
        Blocker::Frontier { share, mix: false } => format!(
            "{} of traffic needs frontier reasoning, which no open model offers",
            fmt_share(*share)
        ),
        Blocker::Frontier { share, mix: true } => format!(
            "{} of the mix goes to APIs of a tier the self-hosted model does not reach",
            fmt_share(*share)
        ),
        Blocker::NoDeployment(n) => no_deployment(n),
    }
}

/// Everything that rules an option out, in one clause.
pub fn blockers(list: &[Blocker]) -> String {
    list.iter().map(blocker).collect::<Vec<_>>().join("; ")
}

/// Why an option was not chosen.
pub fn why_not(alt: &Alternative, a: &Analysis) -> String {
    match alt.why_not {
        WhyNot::Blocked => {
            let list = match (alt.choice, alt.pattern) {
                (Choice::Api, _) => &a.api.blockers,
                (Choice::SelfHost, _) => &a.self_host.blockers,
                (Choice::Hybrid, p) => a
                    .hybrids
                    .iter()
                    .find(|h| Some(h.pattern) == p)
                    .map_or(&a.self_host.blockers, |h| &h.blockers),
            };
            blockers(list)
        }
        WhyNot::CostsMore { usd, share } => format!(
            "costs {} more a month (the choice is {} cheaper)",
            fmt_usd(usd),
            fmt_share(share)
        ),
        WhyNot::CostsLess { usd, choice } => format!(
            "costs {} less a month, but the other criteria favor {}",
            fmt_usd(usd),
            noun(choice)
        ),
        WhyNot::SavesTooLittle { usd, share, band } => format!(
            "saves {} a month ({}), inside the {} band within which running both sides is not worth it",
            fmt_usd(usd),
            fmt_share(share),
            fmt_share(band)
        ),
    }
}

/// When to look again.
pub fn revisit(r: &Revisit, a: &Analysis) -> String {
    let at = |x: Option<f64>| x.map_or_else(|| "never".to_string(), fmt_tokens);
    match r.advice {
        Advice::WatchTheBill => format!(
            "Watch the API bill: at {} tokens a month it reaches {} (start planning self-hosting); at {} it reaches {} (be ready to switch). Self-hosting breaks even at {}.",
            at(r.start_planning_tokens_per_month),
            fmt_usd(a.policy.start_planning_usd_per_month),
            at(r.ready_to_switch_tokens_per_month),
            fmt_usd(a.policy.ready_to_switch_usd_per_month),
            at(r.crossover_tokens_per_month)
        ),
        Advice::BelowCrossover(c) => format!(
            "Below the crossover ({} tokens a month) the API would be cheaper; the constraints, not cost, make this the choice. Revisit if they change.",
            fmt_tokens(c)
        ),
        Advice::AboveCrossover(c) => format!(
            "Revisit if volume falls below the crossover of {} tokens a month, or when prices change.",
            fmt_tokens(c)
        ),
        Advice::NeverCheaper => "Self-hosting is never cheaper at these prices; revisit when the constraints or prices change.".to_string(),
    }
}

/// What traffic a route carries: "sensitive traffic", "overflow above 2 units".
pub fn traffic(t: Traffic) -> String {
    match t {
        Traffic::Frontier => "frontier reasoning".into(),
        Traffic::Simple => "simple traffic".into(),
        Traffic::Medium => "medium traffic".into(),
        Traffic::SimpleAndMedium => "simple and medium traffic".into(),
        Traffic::Sensitive => "sensitive traffic".into(),
        Traffic::NonSensitive => "non-sensitive traffic".into(),
        Traffic::Production => "production traffic".into(),
        Traffic::Development => "development and testing".into(),
        Traffic::Baseline => "baseline load".into(),
        Traffic::Overflow { units } => format!("overflow above {units} unit{}", plural(units)),
    }
}

/// Where a route goes: an API id, a setup or a deployment.
pub fn route_target(r: &Route) -> String {
    match &r.target {
        RouteTarget::Api(id) => id.clone(),
        RouteTarget::SelfHost(t) => target(t),
    }
}

/// Each hybrid plan in a sentence: its routes, fixed costs, total and savings.
pub fn hybrid(h: &HybridPlan) -> String {
    let routes: Vec<String> = h
        .routes
        .iter()
        .map(|r| {
            let on = match r.units {
                Some(u) => format!("self-hosted on {u} unit{}", plural(u)),
                None => format!("on {}", route_target(r)),
            };
            format!(
                "{} ({}, {} tokens) {on} = {}",
                traffic(r.traffic),
                fmt_share(r.share),
                fmt_tokens(r.tokens_per_month),
                fmt_usd(r.monthly_cost_usd)
            )
        })
        .collect();
    let verdict = if h.blockers.is_empty() {
        String::new()
    } else {
        format!(" Ruled out: {}.", blockers(&h.blockers))
    };
    let saving = |s: f64| {
        if s >= 0.0 {
            format!("{} less", fmt_share(s))
        } else {
            format!("{} more", fmt_share(-s))
        }
    };
    format!(
        "{}: {}; fixed {}; total {} a month, {} than the API, {} than self-hosting.{verdict}",
        h.pattern.id(),
        routes.join("; "),
        fmt_usd(h.fixed_usd_per_month),
        fmt_usd(h.monthly_cost_usd),
        saving(h.saving_vs_api),
        saving(h.saving_vs_self_host)
    )
}

/// Why a share of a mix stays on an API: its APIs are of a tier the self-hosted model does not
/// reach.
fn mix_kept(share: f64, a: &Analysis) -> String {
    let kept: Vec<String> = a
        .api
        .cost
        .parts
        .iter()
        .filter(|p| p.stays_on_api)
        .map(|p| format!("{} ({})", p.api, p.tier.id()))
        .collect();
    let model = a.self_host.tiers.as_ref().map_or_else(
        || "the self-hosted model".to_string(),
        |t| format!("{} ({})", t.model, t.model_tier.id()),
    );
    format!(
        "Capability: {} of the mix goes to {}, a tier {model} does not reach, so that share stays on an API.",
        fmt_share(share),
        kept.join(", ")
    )
}
